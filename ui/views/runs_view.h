#pragma once
// The Runs view: the runs table (RunsModel, keyset pages, filters in SQL) and, on a
// stacked page, the run detail (RunDetailPane). Launches runs through LaunchDialog
// (Ctrl+N, or signalbox://runs/launch?file=PATH for a workflow file dropped on the
// window). Links: signalbox://runs/RUN_ID[/INDEX].

#include "backend/backend_types.h"
#include "views/view.h"

#include <QPointer>
#include <QSet>

class QComboBox;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace signalbox::ui {

class Coalescer;
class LaunchDialog;
class RunDetailPane;
class RunsModel;

class RunsView final : public View {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsView)
public:
    explicit RunsView(Backend& backend, QWidget* parent = nullptr);
    ~RunsView() override;
    QString viewId() const override { return QStringLiteral("runs"); }
    QString title() const override { return tr("Runs"); }

    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void navigate(const QUrl& link) override;
    void activated() override;

    RunsModel* model() const { return m_model; }
    RunDetailPane* detail() const { return m_detail; }
    LaunchDialog* launchDialog() const; // the open launch dialog, if any

    void openRun(const QString& runId, int instanceIndex = -1);
    void showTable();
    LaunchDialog* openLaunchDialog(const QString& workflowPath = {});

private:
    QWidget* buildFilterBar();
    void applyFilters();
    void loadIfNeeded();
    QString currentRunId() const;
    RunStatus currentRunStatus() const;
    void updateActions();
    void runCommand(Ticket (Backend::*command)(const QString&));
    void copyRunId();
    void handleCommandFinished(Ticket ticket, const CommandResult& result);
    void handleFailed(Ticket ticket, const QString& message);

    RunsModel* m_model;
    Coalescer* m_refresh;
    Coalescer* m_filtersChanged;
    bool m_loaded = false;
    QSet<Ticket> m_commands;

    QComboBox* m_status = nullptr;
    QLineEdit* m_workflow = nullptr;
    QLineEdit* m_search = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTableView* m_table = nullptr;
    RunDetailPane* m_detail = nullptr;
    QPointer<LaunchDialog> m_launchDialog;

    QAction* m_newRun = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_cancelRun = nullptr;
    QAction* m_resumeRun = nullptr;
    QAction* m_retryFailed = nullptr;
    QAction* m_copy = nullptr;
};

} // namespace signalbox::ui
