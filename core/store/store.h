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
    QString workflow;        // empty = any
    int limit = 50;          // <= 0 = no limit
};

struct LogQuery {
    QString runId;
    QString taskId;          // empty = any
    QString repo;            // empty = any
    qint64 afterId = 0;      // only lines with id > afterId (follow mode)
    int limit = 0;           // <= 0 = no limit
    QString match;           // FTS5 query over the text; empty = all lines
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

    // ---- writes (asynchronous, ordered) ----------------------------------------
    using Committed = std::function<void()>;

    void insertRun(const RunRecord& run, const QList<InstanceRecord>& instances, Committed done = {});
    void updateRun(const RunRecord& run, Committed done = {});             // status, times, score
    void updateInstance(const InstanceRecord& instance, Committed done = {}); // all columns but metrics
    void insertAttempt(const AttemptRecord& attempt, Committed done = {});
    void recordMetric(const QString& runId, int index, const QString& name, double value, Committed done = {});
    void appendLogLines(QList<LogLine> lines, Committed done = {});     // ids assigned in order
    // Runs `done` once everything queued before it has committed.
    void whenCommitted(Committed done);
    // Blocks until everything queued so far has committed.
    void sync();

    // ---- synchronous operations (run on the writer thread, wait for it) -------
    // At engine start-up: every run left queued/running and its pending/running
    // instances become interrupted. Returns the ids of the runs it changed.
    QStringList markInterrupted(qint64 nowMs);
    bool upsertCatalogRepo(const CatalogRepo& repo, QString* error);
    bool removeCatalogRepo(const QString& name, QString* error); // false + error when unknown

    // ---- reads -------------------------------------------------------------------
    std::optional<RunRecord> run(const QString& runId) const;
    QList<RunRecord> runs(const RunFilter& filter) const;      // newest first
    QList<InstanceRecord> instances(const QString& runId) const; // by index, metrics filled
    QList<AttemptRecord> attempts(const QString& runId, int index) const;
    QList<LogLine> logs(const LogQuery& query) const;           // by id ascending
    qint64 logLineCount(const QString& runId) const;
    QList<CatalogRepo> catalog() const;                         // by name

    QString databasePath() const;

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::store
