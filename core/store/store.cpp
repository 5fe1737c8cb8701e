#include "store/store.h"

#include "store/console_reads.h"
#include "store/dlq_reads.h"
#include "store/dlq_writes.h"
#include "store/log_appender.h"
#include "store/read_connections.h"
#include "store/schema_migrations.h"
#include "store/sqlite_connection.h"
#include "store/store_reads.h"
#include "store/store_writes.h"
#include "store/writer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>
#include <thread>

namespace signalbox::store {

namespace {

constexpr qint64 kBusyWaitMs = 5000;      // = PRAGMA busy_timeout below
constexpr qint64 kInboxDrainChunk = 5000; // dead letters moved per idle transaction (~50 ms)

void setError(QString* error, const QString& message) {
    if (error)
        *error = message;
}

// Connection settings of the writer (and of the migrateTo test hook).
// synchronous=NORMAL in WAL mode: a commit is durable once it is in the WAL file, which
// survives a crash or kill -9 of the process; only an OS crash or power loss can lose the
// last transactions (never corrupt the database).
bool configureWriter(SqliteConnection& db, QString* error) {
    QString why;
    // Switching a new (rollback-journal) database to WAL needs an exclusive lock. When
    // another process opens the same new database at the same moment and is migrating it,
    // SQLite answers "database is locked" at once instead of waiting in the busy handler
    // (it would risk a deadlock), so wait here, as long as busy_timeout would.
    const auto mode = [&]() -> QString {
        Statement* s = db.cached("PRAGMA journal_mode = WAL", &why);
        if (!s)
            return {};
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            if (s->step() == Statement::Step::Row) {
                why.clear();
                const QString result = s->text(0);
                s->reset();
                return result;
            }
            why = s->errorMessage();
            s->reset();
            if (!why.contains(QLatin1StringView("locked")) || waited.elapsed() >= kBusyWaitMs)
                return {};
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }();
    if (mode.compare(QLatin1StringView("wal"), Qt::CaseInsensitive) != 0) {
        setError(error,
                 QStringLiteral("cannot switch %1 to WAL mode: %2")
                     .arg(db.path(), why.isEmpty() ? QStringLiteral("journal mode is %1").arg(mode) : why));
        return false;
    }
    if (!db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                 " PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;",
                 &why)) {
        setError(error, QStringLiteral("cannot configure %1: %2").arg(db.path(), why));
        return false;
    }
    return true;
}

// Opens path for writing, refusing a newer schema before anything writes to the file.
std::unique_ptr<SqliteConnection> openForWriting(const QString& path, QString* error) {
    auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, error);
    if (!db)
        return nullptr;
    db->exec("PRAGMA busy_timeout = 5000", nullptr);
    const auto version = schema::version(*db, error);
    if (!version)
        return nullptr;
    if (*version > schema::latestVersion()) {
        setError(error,
                 QStringLiteral("database %1 has schema version %2, newer than this build supports (%3); "
                                "use a newer Signalbox")
                     .arg(path)
                     .arg(*version)
                     .arg(schema::latestVersion()));
        return nullptr;
    }
    if (!configureWriter(*db, error))
        return nullptr;
    return db;
}

} // namespace

struct Store::Impl {
    QString databasePath;
    std::unique_ptr<ReadConnections> readers;
    LogAppender logAppender;        // writer thread only
    std::unique_ptr<Writer> writer; // last: destroyed first, while readers still exist

    // The calling thread's read connection, or nullptr (logged).
    SqliteConnection* reader() const {
        QString error;
        SqliteConnection* db = readers->forThisThread(&error);
        if (!db)
            spdlog::error("store: {}", error.toStdString());
        return db;
    }

    template <typename Query>
    auto read(const char* what, Query&& query) const
        -> decltype(query(std::declval<SqliteConnection&>(), static_cast<QString*>(nullptr))) {
        using Result = decltype(query(std::declval<SqliteConnection&>(), static_cast<QString*>(nullptr)));
        SqliteConnection* db = reader();
        if (!db)
            return Result{};
        QString error;
        Result result = query(*db, &error);
        if (!error.isEmpty())
            spdlog::warn("store: reading {} from {}: {}", what, databasePath.toStdString(),
                         error.toStdString());
        return result;
    }

    void enqueue(std::function<bool(SqliteConnection&, QString*)> apply, Committed done,
                 qsizetype weight = 1) {
        writer->enqueue(WriteOp{std::move(apply), std::move(done), weight});
    }
};

std::unique_ptr<Store> Store::open(const QString& dataDir, QString* error) {
    if (dataDir.trimmed().isEmpty()) {
        setError(error, QStringLiteral("no data dir given"));
        return nullptr;
    }
    const QString absoluteDir = QFileInfo(dataDir).absoluteFilePath();
    if (!QDir().mkpath(absoluteDir) || !QFileInfo(absoluteDir).isDir()) {
        setError(error, QStringLiteral("cannot create data dir %1").arg(absoluteDir));
        return nullptr;
    }
    if (!QFileInfo(absoluteDir).isWritable()) {
        setError(error, QStringLiteral("data dir %1 is not writable").arg(absoluteDir));
        return nullptr;
    }
    const QString path = QDir(absoluteDir).filePath(QStringLiteral("signalbox.db"));
    auto db = openForWriting(path, error);
    if (!db || !schema::migrate(*db, schema::latestVersion(), error))
        return nullptr;

    auto impl = std::make_unique<Impl>();
    impl->databasePath = path;
    impl->readers = std::make_unique<ReadConnections>(path);
    Impl* self = impl.get();
    Writer::BatchHooks hooks;
    hooks.beforeCommit = [self](SqliteConnection& writerDb, QString* e) {
        return self->logAppender.indexPending(writerDb, e);
    };
    hooks.afterBatch = [self](bool committed) { self->logAppender.batchEnded(committed); };
    // Dead letters enqueued into the inbox reach the indexed tables when the writer is idle,
    // a chunk at a time so other writes never wait long behind them.
    hooks.idle = [](SqliteConnection& writerDb, bool* more, QString* e) {
        return dlqwrites::drain(writerDb, kInboxDrainChunk, more, e);
    };
    impl->writer = std::make_unique<Writer>(std::move(db), std::move(hooks));
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

bool Store::migrateTo(const QString& dbPath, int version, QString* error) {
    auto db = openForWriting(dbPath, error);
    return db && schema::migrate(*db, version, error);
}

Store::Store(std::unique_ptr<Impl> impl)
    : d(std::move(impl)) {}

Store::~Store() {
    drainDeadLetterInbox(); // readers in other processes see every dead letter
    d->writer.reset();      // drains and commits what is queued, runs its callbacks
    d->readers.reset();
}

int Store::schemaVersion() {
    return schema::latestVersion();
}

QString Store::databasePath() const {
    return d->databasePath;
}

// ---- writes ---------------------------------------------------------------------------

void Store::insertRun(const RunRecord& run, const QList<InstanceRecord>& instances, Committed done) {
    d->enqueue([run, instances](SqliteConnection& db,
                                QString* error) { return writes::insertRun(db, run, instances, error); },
               std::move(done), 1 + instances.size());
}

void Store::updateRun(const RunRecord& run, Committed done) {
    d->enqueue([run](SqliteConnection& db, QString* error) { return writes::updateRun(db, run, error); },
               std::move(done));
}

void Store::updateInstance(const InstanceRecord& instance, Committed done) {
    d->enqueue([instance](SqliteConnection& db,
                          QString* error) { return writes::upsertInstance(db, instance, error); },
               std::move(done));
}

void Store::updateInstances(QList<InstanceRecord> instances, Committed done) {
    const qsizetype weight = instances.size();
    d->enqueue(
        [instances = std::move(instances)](SqliteConnection& db, QString* error) {
            return writes::upsertInstances(db, instances, error);
        },
        std::move(done), weight);
}

void Store::insertAttempts(QList<AttemptRecord> attempts, Committed done) {
    const qsizetype weight = attempts.size();
    d->enqueue(
        [attempts = std::move(attempts)](SqliteConnection& db, QString* error) {
            return writes::upsertAttempts(db, attempts, error);
        },
        std::move(done), weight);
}

void Store::insertAttempt(const AttemptRecord& attempt, Committed done) {
    d->enqueue(
        [attempt](SqliteConnection& db, QString* error) { return writes::upsertAttempt(db, attempt, error); },
        std::move(done));
}

void Store::recordMetric(const QString& runId, int index, const QString& name, double value, Committed done) {
    d->enqueue(
        [runId, index, name, value](SqliteConnection& db, QString* error) {
            return writes::upsertMetric(db, runId, index, name, value, error);
        },
        std::move(done));
}

void Store::appendLogLines(QList<LogLine> lines, Committed done) {
    const qsizetype weight = lines.size();
    d->enqueue(
        [impl = d.get(), lines = std::move(lines)](SqliteConnection& db, QString* error) mutable {
            return impl->logAppender.append(db, lines, error);
        },
        std::move(done), weight);
}

void Store::appendLogLinesWithIds(QList<LogLine> lines, LinesCommitted done) {
    const qsizetype weight = lines.size();
    auto shared = std::make_shared<QList<LogLine>>(std::move(lines));
    d->enqueue(
        [impl = d.get(), shared](SqliteConnection& db, QString* error) {
            return impl->logAppender.append(db, *shared, error);
        },
        [shared, done = std::move(done)] {
            if (done)
                done(*shared);
        },
        weight);
}

void Store::whenCommitted(Committed done) {
    d->writer->enqueue(WriteOp{{}, std::move(done), 0});
}

void Store::sync() {
    drainDeadLetterInbox(); // everything enqueued is readable once sync() returns
    d->writer->sync();
}

void Store::drainDeadLetterInbox() {
    // In chunks, each its own transaction: one huge transaction spills the page cache.
    for (bool more = true; more;) {
        QString error;
        if (!d->writer->runAndWait(
                [&more](SqliteConnection& db, QString* e) {
                    return dlqwrites::drain(db, kInboxDrainChunk, &more, e);
                },
                &error)) {
            spdlog::error("store: moving dead letters out of the inbox: {}", error.toStdString());
            return;
        }
    }
}

qint64 Store::failedWrites() const {
    return d->writer->failedWrites();
}

QString Store::lastWriteError() const {
    return d->writer->lastWriteError();
}

// ---- synchronous operations --------------------------------------------------------------

QStringList Store::markInterrupted(qint64 nowMs) {
    QStringList changed;
    QString error;
    if (!d->writer->runAndWait(
            [&](SqliteConnection& db, QString* e) { return writes::markInterrupted(db, nowMs, &changed, e); },
            &error)) {
        spdlog::error("store: marking interrupted runs in {}: {}", d->databasePath.toStdString(),
                      error.toStdString());
        return {};
    }
    return changed;
}

bool Store::upsertCatalogRepo(const CatalogRepo& repo, QString* error) {
    return d->writer->runAndWait(
        [&](SqliteConnection& db, QString* e) { return writes::upsertCatalogRepo(db, repo, e); }, error);
}

bool Store::removeCatalogRepo(const QString& name, QString* error) {
    return d->writer->runAndWait(
        [&](SqliteConnection& db, QString* e) { return writes::removeCatalogRepo(db, name, e); }, error);
}

bool Store::setSetting(const QString& name, const QByteArray& value, QString* error) {
    return d->writer->runAndWait(
        [&](SqliteConnection& db, QString* e) { return dlqwrites::setSetting(db, name, value, e); }, error);
}

// ---- dead letter queue: writes (dlq_writes.h) ------------------------------------------------

void Store::dlqEnqueue(QList<dlq::DeadLetter> entries, int maxSize, DlqEnqueued done) {
    // An entry with its recipe, history and tail is ~1 KB, a log line ~60 bytes: weighing
    // entries like 16 lines keeps a batch transaction near the same size (~12 MB). One
    // transaction of 200,000 entries spilled the page cache into the WAL and ran 5x slower.
    constexpr qsizetype kEntryWeight = 16;
    const qsizetype weight = std::max<qsizetype>(1, entries.size() * kEntryWeight);
    // Recipes become JSON here, on the caller's thread: the writer thread only binds.
    auto rows = std::make_shared<QList<dlqwrites::NewEntry>>(dlqwrites::prepare(std::move(entries)));
    auto result = std::make_shared<DlqEnqueueResult>();
    d->enqueue(
        [rows, result, maxSize](SqliteConnection& db, QString* error) {
            *result = {};
            const bool ok = dlqwrites::enqueue(db, *rows, maxSize, result.get(), error);
            if (!ok)
                *result = {}; // rolled back: no keys to report
            return ok;
        },
        [result, done = std::move(done)] {
            if (done)
                done(*result);
        },
        weight);
}

void Store::dlqUpdate(QList<DlqUpdate> updates, const dlq::DlqCounters& counterDeltas, Committed done) {
    const qsizetype weight = updates.size();
    d->enqueue(
        [updates = std::move(updates), counterDeltas](SqliteConnection& db, QString* error) {
            return dlqwrites::update(db, updates, counterDeltas, error);
        },
        std::move(done), std::max<qsizetype>(1, weight));
}

std::optional<qint64> Store::dlqPurge(const QList<qint64>& keys, QString* error) {
    qint64 deleted = 0;
    if (!d->writer->runAndWait(
            [&](SqliteConnection& db, QString* e) { return dlqwrites::purge(db, keys, &deleted, e); }, error))
        return std::nullopt;
    return deleted;
}

std::optional<dlq::BulkJob> Store::dlqCreateJob(dlq::BulkJob job, const dlq::DlqFilter& filter,
                                                QString* error) {
    if (!d->writer->runAndWait(
            [&](SqliteConnection& db, QString* e) { return dlqwrites::createJob(db, &job, filter, e); },
            error))
        return std::nullopt;
    return job;
}

void Store::dlqUpdateJob(const dlq::BulkJob& job, Committed done) {
    d->enqueue([job](SqliteConnection& db, QString* e) { return dlqwrites::updateJob(db, job, e); },
               std::move(done));
}

void Store::dlqRecordItems(qint64 jobKey, QList<dlq::BulkJobItem> items, Committed done) {
    const qsizetype weight = items.size();
    d->enqueue([jobKey, items = std::move(items)](
                   SqliteConnection& db, QString* e) { return dlqwrites::recordItems(db, jobKey, items, e); },
               std::move(done), std::max<qsizetype>(1, weight));
}

void Store::appendAudit(const dlq::AuditRecord& record, Committed done) {
    d->enqueue([record](SqliteConnection& db, QString* e) { return dlqwrites::appendAudit(db, record, e); },
               std::move(done));
}

// ---- reads --------------------------------------------------------------------------------

std::optional<RunRecord> Store::run(const QString& runId) const {
    return d->read("run", [&](SqliteConnection& db, QString* e) { return reads::run(db, runId, e); });
}

QList<RunWithCounts> Store::runPage(const RunPageQuery& query) const {
    return d->read("run page",
                   [&](SqliteConnection& db, QString* e) { return consolereads::runPage(db, query, e); });
}

LogBlockScan Store::scanLogBlocks(const QString& runId, int index, int blockSize, qint64 afterId,
                                  qint64 firstLineNumber, qint64 maxLines) const {
    return d->read("log blocks", [&](SqliteConnection& db, QString* e) {
        return consolereads::scanLogBlocks(db, runId, index, blockSize, afterId, firstLineNumber, maxLines,
                                           e);
    });
}

QList<LogLine> Store::logRange(const QString& runId, int index, qint64 fromId, qint64 skip, int limit) const {
    return d->read("log range", [&](SqliteConnection& db, QString* e) {
        return consolereads::logRange(db, runId, index, fromId, skip, limit, e);
    });
}

QList<RepoLastResult> Store::lastResults(const QStringList& repoNames) const {
    return d->read("last results per repo", [&](SqliteConnection& db, QString* e) {
        return consolereads::lastResults(db, repoNames, e);
    });
}

Activity Store::activity(const ActivityQuery& query) const {
    return d->read("activity",
                   [&](SqliteConnection& db, QString* e) { return consolereads::activity(db, query, e); });
}

QList<RunRecord> Store::runs(const RunFilter& filter) const {
    return d->read("runs", [&](SqliteConnection& db, QString* e) { return reads::runs(db, filter, e); });
}

QList<InstanceRecord> Store::instances(const QString& runId) const {
    return d->read("instances",
                   [&](SqliteConnection& db, QString* e) { return reads::instances(db, runId, e); });
}

QList<InstanceRecord> Store::leftoverProcesses() const {
    return d->read("leftover processes",
                   [&](SqliteConnection& db, QString* e) { return reads::leftoverProcesses(db, e); });
}

QList<AttemptRecord> Store::attempts(const QString& runId, int index) const {
    return d->read("attempts",
                   [&](SqliteConnection& db, QString* e) { return reads::attempts(db, runId, index, e); });
}

QList<LogLine> Store::logs(const LogQuery& query) const {
    return d->read("log lines", [&](SqliteConnection& db, QString* e) { return reads::logs(db, query, e); });
}

qint64 Store::logLineCount(const QString& runId) const {
    return d->read("log line count",
                   [&](SqliteConnection& db, QString* e) { return reads::logLineCount(db, runId, e); });
}

QList<CatalogRepo> Store::catalog() const {
    return d->read("catalog", [&](SqliteConnection& db, QString* e) { return reads::catalog(db, e); });
}

std::optional<QByteArray> Store::setting(const QString& name) const {
    return d->read("setting",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::setting(db, name, e); });
}

// ---- dead letter queue: reads (dlq_reads.h) ---------------------------------------------------

QList<dlq::DeadLetter> Store::dlqEntries(const dlq::DlqFilter& filter,
                                         const dlq::DlqPageRequest& page) const {
    return d->read("dead letters",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::entries(db, filter, page, e); });
}

std::optional<dlq::DeadLetter> Store::dlqEntry(qint64 key) const {
    return d->read("dead letter",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::entry(db, key, e); });
}

qint64 Store::dlqCount(const dlq::DlqFilter& filter) const {
    return d->read("dead letter count",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::count(db, filter, e); });
}

QList<dlq::DlqGroup> Store::dlqGroups(const dlq::DlqFilter& filter,
                                      const dlq::DlqGroupRequest& request) const {
    return d->read("dead letter groups", [&](SqliteConnection& db, QString* e) {
        return dlqreads::groups(db, filter, request, e);
    });
}

dlq::DlqStats Store::dlqStats() const {
    return d->read("dead letter stats",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::stats(db, e); });
}

QList<dlq::DeadLetter> Store::dlqDue(qint64 nowMs, int limit) const {
    return d->read("due dead letters",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::due(db, nowMs, limit, e); });
}

std::optional<dlq::DeadLetter> Store::dlqActiveEntryFor(const QString& runId, int index) const {
    return d->read("active dead letter", [&](SqliteConnection& db, QString* e) {
        return dlqreads::activeEntryFor(db, runId, index, e);
    });
}

QList<dlq::DeadLetter> Store::dlqRetrying() const {
    return d->read("retrying dead letters",
                   [&](SqliteConnection& db, QString* e) { return dlqreads::retrying(db, e); });
}

std::optional<dlq::BulkJob> Store::dlqJob(qint64 key) const {
    return d->read("bulk job", [&](SqliteConnection& db, QString* e) { return dlqreads::job(db, key, e); });
}

QList<dlq::BulkJob> Store::dlqJobs(bool unfinishedOnly, int limit) const {
    return d->read("bulk jobs", [&](SqliteConnection& db, QString* e) {
        return dlqreads::jobs(db, unfinishedOnly, limit, e);
    });
}

QList<dlq::BulkJobItem> Store::dlqJobItems(qint64 jobKey, std::optional<dlq::ItemResult> result,
                                           qint64 afterEntryKey, int limit) const {
    return d->read("bulk job items", [&](SqliteConnection& db, QString* e) {
        return dlqreads::jobItems(db, jobKey, result, afterEntryKey, limit, e);
    });
}

QList<dlq::AuditRecord> Store::audit(int limit, qint64 beforeKey) const {
    return d->read("audit journal", [&](SqliteConnection& db, QString* e) {
        return dlqreads::audit(db, limit, beforeKey, e);
    });
}

} // namespace signalbox::store
