#pragma once
// One run, opened from the Runs table (or a signalbox://runs/RUN_ID[/INDEX] link):
// header (status, workflow, times, score), Cancel / Resume / Re-run failed, and panes
// for the task x repo matrix, the failures, a Gantt timeline, the task graph and the
// instances with their metrics; below, the selected instance's attempts and the last
// lines of its output with a link to the Logs view.
//
// Re-queries the run on runChanged/instanceChanged of that run and the selected output
// on logAppended, each through a Coalescer; only the latest ticket of each kind counts.

#include "backend/backend_types.h"

#include <QPointer>
#include <QSet>
#include <QUrl>
#include <QWidget>
#include <functional>

class QAction;
class QLabel;
class QPlainTextEdit;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QAbstractItemModel;
class QAbstractItemView;

namespace signalbox::ui {

class AttemptsModel;
class Backend;
class Coalescer;
class DagView;
class GanttChart;
class InstancesModel;
class TaskMatrix;

class RunDetailPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunDetailPane)
public:
    static constexpr int outputLines = 500; // the output pane shows the last lines only

    explicit RunDetailPane(Backend& backend, QWidget* parent = nullptr);
    ~RunDetailPane() override;

    // Shows a run (fetches it); selectInstance may come before the answer.
    void showRun(const QString& runId);
    void selectInstance(int instanceIndex);
    QString runId() const { return m_runId; }
    int selectedInstance() const { return m_selected; }
    bool hasRun() const { return m_loaded; }
    const RunDetail& detail() const { return m_detail; }

    QAction* cancelAction() const { return m_cancel; }
    QAction* resumeAction() const { return m_resume; }
    QAction* retryFailedAction() const { return m_retryFailed; }

    void saveState(QSettings& settings) const;
    void restoreState(QSettings& settings);

Q_SIGNALS:
    void backRequested();
    void linkActivated(const QUrl& link);
    void errorOccurred(const QString& message);
    void statusMessage(const QString& message);
    void runLoaded(const QString& runId);
    // The selected instance's output pane was filled (tests wait on it).
    void outputShown(int instanceIndex);

private:
    QWidget* buildHeader();
    QWidget* buildTabs();
    QWidget* buildInstancePane();
    QTableView* makeInstanceTable(const QString& objectName, QAbstractItemModel* model);
    void installInstanceMenu(QAbstractItemView* view, const std::function<int(const QPoint&)>& instanceAt);

    void requestRun();
    void requestOutput();
    void requestAttempts();
    void showInstance(int instanceIndex);
    void updateHeader();
    void updateActions();
    void updateInstanceHeader();
    void updateMetricColumns();
    void runCommand(Ticket (Backend::*command)(const QString&), const QString& what);

    void handleRunFetched(Ticket ticket, const RunDetail& detail);
    void handleAttemptsFetched(Ticket ticket, const QList<AttemptRecord>& attempts);
    void handleLogIndexFetched(Ticket ticket, const LogIndex& index);
    void handleLogLinesFetched(Ticket ticket, const QList<LogLine>& lines);
    void handleCommandFinished(Ticket ticket, const CommandResult& result);
    void handleFailed(Ticket ticket, const QString& message);

    void copyText(const QString& text);
    QString commandFor(const InstanceRecord& instance) const;

    Backend& m_backend;
    QString m_runId;
    RunDetail m_detail;
    bool m_loaded = false;
    int m_selected = -1;
    int m_pendingSelect = -1;

    Ticket m_runTicket = 0;
    Ticket m_attemptsTicket = 0;
    Ticket m_logIndexTicket = 0;
    Ticket m_logRangeTicket = 0;
    int m_outputFor = -1; // the instance the output tickets were asked for
    QSet<Ticket> m_commands;

    Coalescer* m_runRefresh;
    Coalescer* m_outputRefresh;

    InstancesModel* m_instances;
    AttemptsModel* m_attempts;
    QSortFilterProxyModel* m_failures;

    QLabel* m_header = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_retryFailed = nullptr;
    QSplitter* m_splitter = nullptr;
    QSplitter* m_instanceSplitter = nullptr;
    QTabWidget* m_tabs = nullptr;
    TaskMatrix* m_matrix = nullptr;
    GanttChart* m_gantt = nullptr;
    DagView* m_dag = nullptr;
    QTableView* m_instancesTable = nullptr;
    QTableView* m_metricsTable = nullptr;
    QTableView* m_failuresTable = nullptr;
    QLabel* m_instanceHeader = nullptr;
    QTableView* m_attemptsTable = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QLabel* m_openInLogs = nullptr;
};

} // namespace signalbox::ui
