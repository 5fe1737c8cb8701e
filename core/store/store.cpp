#include "store/store.h"

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
#include <chrono>
#include <spdlog/spdlog.h>
#include <thread>

namespace signalbox::store {

namespace {

constexpr qint64 kBusyWaitMs = 5000; // = PRAGMA busy_timeout below

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
                 " PRAGMA cache_size = -32768;",
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
    d->writer.reset(); // drains and commits what is queued, runs its callbacks
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
    d->writer->sync();
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

// ---- reads --------------------------------------------------------------------------------

std::optional<RunRecord> Store::run(const QString& runId) const {
    return d->read("run", [&](SqliteConnection& db, QString* e) { return reads::run(db, runId, e); });
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

} // namespace signalbox::store
