#pragma once
// Edit and retry one dead letter: change the command (one argument per line), the
// environment and the working dir, review a diff of original vs edited, then confirm.
// The dialog only edits; the view sends Backend::editAndRetryDeadLetter with recipe().

#include "dlq/dead_letter.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTextEdit;

namespace signalbox::ui {

class EditRetryDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditRetryDialog)
public:
    explicit EditRetryDialog(const dlq::DeadLetter& entry, QWidget* parent = nullptr);

    qint64 entryKey() const { return m_entry.key; }
    // The recipe as edited now (what accept() confirms).
    dlq::LaunchRecipe recipe() const;
    // Empty when the edits can be reviewed, else the one-line problem shown in the dialog.
    QString problem() const { return m_problem; }

    // Steps, also reachable from tests: the review page with its diff, back to editing.
    void showReview();
    void showEditor();

private:
    void updateState();
    void addEnvRow(const QString& name, const QString& value);
    QString envRowProblem() const;

    dlq::DeadLetter m_entry;
    QString m_problem;
    QStackedWidget* m_pages = nullptr;
    QPlainTextEdit* m_argv = nullptr;
    QTableWidget* m_env = nullptr;
    QLineEdit* m_workingDir = nullptr;
    QLineEdit* m_pool = nullptr;
    QLabel* m_error = nullptr;
    QTextEdit* m_diff = nullptr;
    QPushButton* m_review = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_confirm = nullptr;
};

} // namespace signalbox::ui
