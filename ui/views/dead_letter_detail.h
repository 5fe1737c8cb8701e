#pragma once
// The detail pane of the Dead Letters view: one entry as Backend::fetchDeadLetter answers
// it (error, category, policy, retries, history, the command that runs on retry with its
// environment, the output tail) and links to its run, instance and logs.

#include "dlq/dead_letter.h"

#include <QUrl>
#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;

namespace signalbox::ui {

class DeadLetterDetail final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeadLetterDetail)
public:
    explicit DeadLetterDetail(QWidget* parent = nullptr);

    void showEntry(const dlq::DeadLetter& entry);
    // Nothing selected, or why the entry cannot be shown.
    void showPlaceholder(const QString& text);
    const std::optional<dlq::DeadLetter>& entry() const { return m_entry; }

    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    void linkActivated(const QUrl& link);

private:
    void fillCommand(const dlq::DeadLetter& entry);
    void fillHistory(const dlq::DeadLetter& entry);

    std::optional<dlq::DeadLetter> m_entry;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_links = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_category = nullptr;
    QLabel* m_policy = nullptr;
    QLabel* m_retries = nullptr;
    QLabel* m_nextRetry = nullptr;
    QLabel* m_enqueued = nullptr;
    QLabel* m_exit = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_command = nullptr;
    QLabel* m_workingDir = nullptr;
    QLabel* m_pool = nullptr;
    QTableWidget* m_env = nullptr;
    QTableWidget* m_history = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QWidget* m_body = nullptr;
    QLabel* m_placeholder = nullptr;
};

} // namespace signalbox::ui
