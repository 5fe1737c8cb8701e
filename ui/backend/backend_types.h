#pragma once
// Plain values a Backend answers with. They reuse the core's records (RunRecord,
// InstanceRecord, DeadLetter, ...) so a LocalBackend passes them through and a
// RemoteBackend (issue 6) fills them from the API's JSON. No Widgets here.

#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "dlq/dlq_settings.h"
#include "domain/records.h"
#include "logs/log_buffer.h"
#include "workflow/diagnostic.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::ui {

// Identifies one request; answers carry it back so a model can drop stale answers.
using Ticket = quint64;

// ---- runs -------------------------------------------------------------------------

struct RunQuery {
    QList<RunStatus> statuses; // empty = any
    QString workflow;          // exact workflow name; empty = any
    QString search;            // case-insensitive substring of the run id or workflow name
    qint64 createdFromMs = 0;  // >= ; 0 = unbounded
    // Keyset paging, newest first: the page after the run (createdAtMs, id) last shown.
    qint64 afterCreatedAtMs = 0; // 0 = first page
    QString afterId;
    int limit = 200;
};

// A run with its instance counts (the Runs table's progress column).
struct RunSummary {
    RunRecord run; // without workflowYaml/requestJson (list queries leave them empty)
    int total = 0;
    int succeeded = 0;
    int failed = 0;
    int running = 0;
    int finished = 0; // any final status (succeeded, failed, skipped, cancelled, ...)
};

struct RunPage {
    QList<RunSummary> runs;
    bool more = false; // another page exists after the last run
};

// A task of the run's workflow and the tasks it needs: the DAG view.
struct TaskNode {
    QString id;
    QStringList needs;
    QString pool;
};

struct RunDetail {
    RunRecord run; // with workflowYaml
    QList<InstanceRecord> instances; // by index, metrics filled
    QList<TaskNode> tasks;           // in file order
    qint64 logLines = 0;
};

// What the launch dialog shows before a run is created.
struct WorkflowPreview {
    QString path;
    QString name;                     // workflow name; empty when it did not parse
    workflow::Diagnostics diagnostics; // empty = valid
    QStringList tasks;
    QStringList repos;                // the file's own repos (paths)
    QMap<QString, QString> params;    // name -> default ("" = required)
    QStringList pools;                // pools the engine has
    int maxConcurrent = 0;
};

// ---- logs -------------------------------------------------------------------------

// Task output of one run (or one instance of it).
struct LogRequest {
    QString runId;               // required
    int index = -1;              // one instance; -1 = every instance of the run
    qint64 afterId = 0;          // lines with id > afterId
    int limit = 1000;            // 1..100000
};

// A coarse index of a run's lines, for a view that scrolls millions of them without
// holding them: blockFirstIds[i] is the id of line number i * blockSize.
struct LogIndex {
    QString runId;
    int index = -1;
    int blockSize = 1000;
    qint64 total = 0;
    QList<qint64> blockFirstIds;
};

// Lines matching a regular expression (searched on the backend's thread).
struct LogSearchResult {
    QList<qint64> lineNumbers; // 0-based line numbers of the matching lines, ascending
    bool truncated = false;    // more matches than the request's limit
};

// ---- pools, repositories, overview --------------------------------------------------

enum class PoolHealth { Healthy, Degraded, Down };

struct PoolInfo {
    QString name;
    QString kind;     // "local", later "remote", "slurm", "kubernetes"
    int capacity = 0; // workers; <= 0 = unlimited
    int busy = 0;     // launches running
    int queued = 0;   // ready instances waiting for a worker of this pool
    PoolHealth health = PoolHealth::Healthy;
    bool paused = false;   // takes no new launches
    bool draining = false; // paused and still busy: running launches finish
    QString circuit;       // circuit breaker state (issue 8); empty = none
    bool configurable = false; // capacity and pause can be changed from the console
};

// A catalog repo and the last instance that ran on it.
struct RepoSummary {
    CatalogRepo repo;
    bool hasResult = false;
    QString lastRunId;
    QString lastWorkflow;
    QString lastTaskId;
    InstanceStatus lastStatus = InstanceStatus::Pending;
    qint64 lastFinishedAtMs = 0;
};

struct TimePoint {
    qint64 tsMs = 0; // bucket start
    double value = 0.0;
};

struct FailureItem {
    QString runId;
    int index = 0;
    QString workflow;
    QString taskId;
    QString repo;
    ErrorCategory category = ErrorCategory::None;
    QString error;
    qint64 finishedAtMs = 0;
};

struct OverviewQuery {
    qint64 nowMs = 0;                    // 0 = the backend's clock
    qint64 windowMs = 24LL * 3600 * 1000; // series and counts cover [now - window, now]
    qint64 bucketMs = 60'000;            // series resolution
    int latestFailures = 10;
};

struct Overview {
    qint64 nowMs = 0;
    int runningRuns = 0;
    int runningTasks = 0;
    qint64 runsInWindow = 0;
    qint64 succeededInWindow = 0;
    qint64 failedInWindow = 0;
    double successRate = 0.0; // succeeded / finished runs in the window (0..1)
    qint64 dlqPending = 0;
    qint64 dlqExhausted = 0;
    qint64 dlqDepthWindowStart = 0; // active entries at the window's start: the trend
    QList<PoolInfo> pools;
    QList<TimePoint> tasksFinished; // per bucket
    QList<TimePoint> failureRate;   // failed / finished instances per bucket (0..1)
    QList<TimePoint> dlqDepth;      // active entries at each bucket's end
    QList<FailureItem> latestFailures; // newest first
};

// ---- commands ---------------------------------------------------------------------

struct CommandResult {
    bool ok = false;
    QString message;                   // one line: what happened, or why not
    QString id;                        // what it created: a run id "r_…", a job id "j_N"
    workflow::Diagnostics diagnostics; // launchRun with bad input
};

} // namespace signalbox::ui

Q_DECLARE_METATYPE(signalbox::ui::RunPage)
Q_DECLARE_METATYPE(signalbox::ui::RunDetail)
Q_DECLARE_METATYPE(signalbox::ui::WorkflowPreview)
Q_DECLARE_METATYPE(signalbox::ui::LogIndex)
Q_DECLARE_METATYPE(signalbox::ui::LogSearchResult)
Q_DECLARE_METATYPE(signalbox::ui::PoolInfo)
Q_DECLARE_METATYPE(signalbox::ui::RepoSummary)
Q_DECLARE_METATYPE(signalbox::ui::Overview)
Q_DECLARE_METATYPE(signalbox::ui::CommandResult)
