#pragma once
// Launching a run: a workflow file (typed, browsed, or dropped on the window), checked by
// Backend::previewWorkflow as it changes, with its diagnostics listed as "LINE:COL
// message" (a click shows that line in the file); repos (the file's own, catalog tags,
// or folders), params prefilled with their defaults, pool, max concurrency.
// Launch (the dialog's accept) sends Backend::launchRun and stays open until the answer:
// diagnostics and errors appear inline; on success launched(runId) and the dialog closes.

#include "backend/backend_types.h"
#include "engine/engine.h"

#include <QDialog>
#include <QFutureWatcher>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace signalbox::ui {

class Backend;
class Coalescer;

class LaunchDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LaunchDialog)
public:
    explicit LaunchDialog(Backend& backend, QWidget* parent = nullptr);
    ~LaunchDialog() override;

    void setWorkflowPath(const QString& path); // previews at once
    QString workflowPath() const;
    // The request Launch would send now.
    engine::RunRequest request() const;
    const WorkflowPreview& preview() const { return m_preview; }

public Q_SLOTS:
    void accept() override; // launches; closes once the run exists

Q_SIGNALS:
    void launched(const QString& runId);
    void previewed(); // a preview answer was shown (tests wait on it)

private:
    QWidget* buildFileSection();
    QWidget* buildOptions();
    void requestPreview();
    void readSource(const QString& path);
    void showDiagnostics(const workflow::Diagnostics& diagnostics);
    void showDiagnosticLine(QListWidgetItem* item);
    void fillParams(const QMap<QString, QString>& params);
    void fillPools(const QStringList& pools);
    void browse();
    void addFolder();
    void updateLaunchEnabled();

    void handlePreviewed(Ticket ticket, const WorkflowPreview& preview);
    void handleRepositories(Ticket ticket, const QList<RepoSummary>& repos);
    void handleCommandFinished(Ticket ticket, const CommandResult& result);
    void handleFailed(Ticket ticket, const QString& message);

    Backend& m_backend;
    Coalescer* m_previewSoon;
    WorkflowPreview m_preview;
    QString m_previewedPath;
    Ticket m_previewTicket = 0;
    Ticket m_reposTicket = 0;
    Ticket m_launchTicket = 0;
    QFutureWatcher<QString> m_source;

    QLineEdit* m_path = nullptr;
    QLabel* m_summary = nullptr;
    QListWidget* m_diagnostics = nullptr;
    QPlainTextEdit* m_sourceView = nullptr;
    QLabel* m_fileRepos = nullptr;
    QListWidget* m_tags = nullptr;
    QListWidget* m_folders = nullptr;
    QTableWidget* m_params = nullptr;
    QComboBox* m_pool = nullptr;
    QSpinBox* m_maxConcurrent = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_launch = nullptr;
};

} // namespace signalbox::ui
