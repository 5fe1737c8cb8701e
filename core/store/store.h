#pragma once
// The store owns SQLite (signalbox.db in the data dir). No other module writes SQL.
//
// Writes are queued to one writer thread that applies them in batched transactions,
// in the order they were queued. A write's completion callback runs on the writer
// thread after its transaction committed: callers announce a state change only from
// there (durable before announced). Reads run on a per-thread read connection and see
// everything committed.

#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "domain/records.h"

#include <QList>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace signalbox::store {

struct RunFilter {
    std::optional<RunStatus> status;
    QString workflow; // empty = any
    int limit = 50;   // <= 0 = no limit
};

// The effect of Store::dlqEnqueue.
struct DlqEnqueueResult {
    QList<qint64> keys;       // of the new entries, in the order given
    qint64 evicted = 0;       // completed/archived entries deleted to make room
    qint64 sizeAfter = 0;     // entries stored after the enqueue
    bool overCapacity = false; // sizeAfter > maxSize: only active entries were left to evict
};

// A change to one dead letter. Unset fields keep their stored value.
struct DlqUpdate {
    qint64 key = 0;
    qint64 updatedAtMs = 0;
    std::optional<dlq::DlqStatus> status;
    std::optional<int> attempts;
    std::optional<int> maxRetries;
    std::optional<std::optional<qint64>> nextRetryAtMs; // has_value + nullopt inside = clear
    std::optional<ErrorCategory> category;
    std::optional<dlq::RetryPolicy> policy;
    std::optional<QString> error;
    std::optional<std::optional<int>> exitCode;
    std::optional<std::optional<int>> signal;
    std::optional<QString> signature;
    std::optional<dlq::LaunchRecipe> edited;
    std::optional<QString> outputTail;
    QByteArray appendHistory; // one event (dlq::toJsonBytes) appended to the history; empty = none
};

struct LogQuery {
    QString runId;      // empty = any
    QString taskId;     // empty = any
    QString repo;       // empty = any
    qint64 afterId = 0; // only lines with id > afterId (follow mode)
    int limit = 0;      // <= 0 = no limit
    // Text to find, through the full-text index: one word matches it case-insensitively;
    // several words (or "foo.bar") must appear as typed. Plain text, never FTS5 syntax.
    QString match; // empty = all lines
};

// ---- reads for the desktop console (core/store/console_reads.h) ----------------------

// A keyset page of runs, newest first (created_at, id), with filters.
struct RunPageQuery {
    QList<RunStatus> statuses; // empty = any
    QString workflow;          // exact; empty = any
    QString search;            // case-insensitive substring of the id or workflow name
    qint64 createdFromMs = 0;  // >= ; 0 = unbounded
    qint64 afterCreatedAtMs = 0; // the page after (afterCreatedAtMs, afterId); 0 = first page
    QString afterId;
    int limit = 200;           // 1..10000
};

// A run (without workflowYaml/requestJson) and its instances counted by status.
struct RunWithCounts {
    RunRecord run;
    int total = 0;
    int succeeded = 0;
    int failed = 0;
    int running = 0;
    int finished = 0; // any terminal status
};

// The result of stepping over a run's (or instance's) log line ids: where each block of
// blockSize line numbers starts, without OFFSET over millions of lines.
struct LogBlockScan {
    qint64 lines = 0;              // lines seen by this scan
    qint64 lastId = 0;             // id of the last line seen (0 = none)
    QList<qint64> blockFirstIds;   // ids of lines whose number % blockSize == 0
};

// The newest finished instance that ran on a repository (by repo name).
struct RepoLastResult {
    QString repo;
    QString runId;
    QString workflow;
    QString taskId;
    InstanceStatus status = InstanceStatus::Pending;
    qint64 finishedAtMs = 0;
};

struct ActivityQuery {
    qint64 fromMs = 0;   // window [fromMs, toMs)
    qint64 toMs = 0;
    qint64 bucketMs = 60'000;
    int latestFailures = 10;
};

struct ActivityBucket {
    qint64 startMs = 0;
    qint64 finished = 0; // instances finished in the bucket (any terminal status)
    qint64 failed = 0;   // of which failed
    qint64 dlqDepth = 0; // active dead letters at the bucket's end (approximate, see console_reads.h)
};

struct InstanceFailure {
    InstanceRecord instance;
    QString workflow;
};

// What the console's overview shows, for one window.
struct Activity {
    qint64 runningRuns = 0;
    qint64 runningTasks = 0;
    qint64 runsInWindow = 0;      // created in the window
    qint64 succeededInWindow = 0; // of those, by status
    qint64 failedInWindow = 0;
    qint64 finishedInWindow = 0;  // of those, in any terminal status
    qint64 dlqDepthAtStart = 0;
    QList<ActivityBucket> buckets; // every bucket of the window, oldest first
    QList<InstanceFailure> latestFailures; // newest first
};

class Store final {
public:
    // Opens (creating if needed) DATA_DIR/signalbox.db, applies migrations, starts the
    // writer thread. Returns nullptr and sets *error (one line) on failure.
    static std::unique_ptr<Store> open(const QString& dataDir, QString* error);
    ~Store(); // drains and commits every queued write, then stops the writer

    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    static int schemaVersion(); // the version this build migrates to
    // Test hook: creates or migrates the database file dbPath up to `version` (1..schemaVersion()),
    // as an older build would have left it. False + one-line error on failure.
    static bool migrateTo(const QString& dbPath, int version, QString* error);

    // ---- writes (asynchronous, ordered) ----------------------------------------
    using Committed = std::function<void()>;

    void insertRun(const RunRecord& run, const QList<InstanceRecord>& instances, Committed done = {});
    void updateRun(const RunRecord& run, Committed done = {});                // status, times, score
    void updateInstance(const InstanceRecord& instance, Committed done = {}); // all but metrics; upsert
    void insertAttempt(const AttemptRecord& attempt, Committed done = {}); // upsert by (run, index, attempt)
    // Many rows in one write operation (all or none of them), same effect as one call per row.
    void updateInstances(QList<InstanceRecord> instances, Committed done = {});
    void insertAttempts(QList<AttemptRecord> attempts, Committed done = {});
    void recordMetric(const QString& runId, int index, const QString& name, double value,
                      Committed done = {});
    void appendLogLines(QList<LogLine> lines, Committed done = {}); // ids assigned in order
    // Same, and `done` receives the lines with their ids set (e.g. to announce them).
    using LinesCommitted = std::function<void(const QList<LogLine>& lines)>;
    void appendLogLinesWithIds(QList<LogLine> lines, LinesCommitted done);
    // Runs `done` once everything queued before it has committed.
    void whenCommitted(Committed done);
    // Blocks until everything queued so far has committed (dead letters enqueued so far
    // included: they are readable when it returns).
    void sync();
    // A write that fails (e.g. a duplicate run id) is logged and undone on its own; the
    // rest of its batch commits and its callback still runs. These count and keep them.
    qint64 failedWrites() const;
    QString lastWriteError() const;

    // ---- synchronous operations (run on the writer thread, wait for it) -------
    // At engine start-up: every run left queued/running and its pending/running
    // instances become interrupted (their pids cleared). Returns the ids of the runs it changed.
    QStringList markInterrupted(qint64 nowMs);
    bool upsertCatalogRepo(const CatalogRepo& repo, QString* error);
    bool removeCatalogRepo(const QString& name, QString* error); // false + error when unknown

    // Settings kept in the data dir, by name (e.g. "dlq" -> DlqSettings JSON).
    bool setSetting(const QString& name, const QByteArray& value, QString* error);

    // ---- dead letter queue: writes ------------------------------------------------
    // Inserts entries (keys assigned in order, details and history included) and adds
    // their number to the lifetime "enqueued" counter. When the queue then holds more
    // than maxSize entries, the oldest archived, then the oldest completed entries are
    // deleted until it fits (lifetime "evicted"); active entries are never deleted, so
    // it can end over capacity (DlqEnqueueResult::overCapacity). All in one write.
    using DlqEnqueued = std::function<void(const DlqEnqueueResult& result)>;
    void dlqEnqueue(QList<dlq::DeadLetter> entries, int maxSize, DlqEnqueued done = {});
    // Applies the updates (a key that no longer exists is skipped) and adds counterDeltas
    // to the lifetime counters, in one write.
    void dlqUpdate(QList<DlqUpdate> updates, const dlq::DlqCounters& counterDeltas = {}, Committed done = {});
    // Deletes those of `keys` that are archived (others are left alone); returns how many
    // were deleted and adds that to the lifetime "purged" counter. Synchronous.
    std::optional<qint64> dlqPurge(const QList<qint64>& keys, QString* error);

    // Bulk jobs. dlqCreateJob stores the job and fixes its items: the entries matching
    // `filter` at that moment, in key order (job.total is set from them). Synchronous.
    std::optional<dlq::BulkJob> dlqCreateJob(dlq::BulkJob job, const dlq::DlqFilter& filter, QString* error);
    void dlqUpdateJob(const dlq::BulkJob& job, Committed done = {}); // state and times only
    // Records item results and adds them to the job's done/succeeded/failed counters
    // (Skipped counts as failed), in one write. An item already finished is not counted twice.
    void dlqRecordItems(qint64 jobKey, QList<dlq::BulkJobItem> items, Committed done = {});

    // The audit journal (append only).
    void appendAudit(const dlq::AuditRecord& record, Committed done = {});

    // ---- reads -------------------------------------------------------------------
    std::optional<RunRecord> run(const QString& runId) const;
    QList<RunRecord> runs(const RunFilter& filter) const;        // newest first
    QList<InstanceRecord> instances(const QString& runId) const; // by index, metrics filled
    QList<AttemptRecord> attempts(const QString& runId, int index) const;
    // Instances recorded `running` with a pid in runs still queued/running: what a process
    // that died without cleaning up may have left running (read before markInterrupted,
    // which clears the pids). Metrics are not filled.
    QList<InstanceRecord> leftoverProcesses() const;
    QList<LogLine> logs(const LogQuery& query) const; // by id ascending
    qint64 logLineCount(const QString& runId) const;
    QList<CatalogRepo> catalog() const; // by name
    std::optional<QByteArray> setting(const QString& name) const;

    // ---- dead letter queue: reads ------------------------------------------------
    // A page of entries (without details) matching the filter, in the page's sort order.
    QList<dlq::DeadLetter> dlqEntries(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) const;
    std::optional<dlq::DeadLetter> dlqEntry(qint64 key) const; // with details and history
    qint64 dlqCount(const dlq::DlqFilter& filter) const;
    QList<dlq::DlqGroup> dlqGroups(const dlq::DlqFilter& filter, const dlq::DlqGroupRequest& request) const;
    // Counts by status, category and policy, size, lifetime counters (maxSize and
    // utilization left 0: the queue fills them from its settings). Constant time.
    dlq::DlqStats dlqStats() const;
    // Pending entries whose next retry is due (next_retry_at <= nowMs), earliest first, with details.
    QList<dlq::DeadLetter> dlqDue(qint64 nowMs, int limit) const;
    // The active (pending/retrying/exhausted) entry of an instance, with details.
    std::optional<dlq::DeadLetter> dlqActiveEntryFor(const QString& runId, int index) const;
    // Entries in `retrying`, with details: after a crash, retries nobody is running.
    QList<dlq::DeadLetter> dlqRetrying() const;

    std::optional<dlq::BulkJob> dlqJob(qint64 key) const;
    // Newest first; unfinishedOnly = queued, running or paused.
    QList<dlq::BulkJob> dlqJobs(bool unfinishedOnly, int limit) const;
    // Items by entry key (> afterEntryKey); with `result`, only those.
    QList<dlq::BulkJobItem> dlqJobItems(qint64 jobKey, std::optional<dlq::ItemResult> result,
                                        qint64 afterEntryKey, int limit) const;

    QList<dlq::AuditRecord> audit(int limit, qint64 beforeKey = 0) const; // newest first

    // ---- reads for the desktop console -------------------------------------------
    QList<RunWithCounts> runPage(const RunPageQuery& query) const;
    // Steps over the ids of the run's lines (index >= 0: that instance's only) after
    // afterId, numbering them from firstLineNumber; at most maxLines of them (<= 0: all),
    // so a caller can build the index of millions of lines a slice at a time.
    LogBlockScan scanLogBlocks(const QString& runId, int index, int blockSize, qint64 afterId,
                               qint64 firstLineNumber, qint64 maxLines = 0) const;
    // Up to `limit` lines of the run (or instance) with id >= fromId, skipping the first `skip`.
    QList<LogLine> logRange(const QString& runId, int index, qint64 fromId, qint64 skip, int limit) const;
    // The newest finished instance per repo name (names without one are left out).
    QList<RepoLastResult> lastResults(const QStringList& repoNames) const;
    Activity activity(const ActivityQuery& query) const;

    QString databasePath() const;

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    // Queues a write that moves every dead letter still in the inbox into the indexed tables.
    void drainDeadLetterInbox();
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::store
