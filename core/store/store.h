#pragma once
// The store owns SQLite (signalbox.db in the data dir). No other module writes SQL.
//
// Writes are queued to one writer thread that applies them in batched transactions,
// in the order they were queued. A write's completion callback runs on the writer
// thread after its transaction committed: callers announce a state change only from
// there (durable before announced). Reads run on a per-thread read connection and see
// everything committed.

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
    // Blocks until everything queued so far has committed.
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

    QString databasePath() const;

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::store
