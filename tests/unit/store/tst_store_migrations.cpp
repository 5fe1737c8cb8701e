// Store: databases left by every older schema version migrate to the current one with
// their rows intact; a newer database is refused untouched; a failing migration rolls back.

#include "store/sqlite_connection.h"
#include "store/store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <array>
#include <thread>

using namespace signalbox;
using namespace signalbox::store;

namespace {

LogQuery logQuery(const QString& runId, const QString& taskId = {}, const QString& repo = {}) {
    LogQuery query;
    query.runId = runId;
    query.taskId = taskId;
    query.repo = repo;
    return query;
}

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

std::optional<qint64> userVersion(const QString& path) {
    auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadOnly, nullptr);
    return db ? db->queryInt("PRAGMA user_version", nullptr) : std::nullopt;
}

// Rows as a build at `version` would have written them (raw SQL of that schema).
bool insertRowsAt(SqliteConnection& db, int version, QString* error) {
    bool ok = db.exec(
        "INSERT INTO runs (id, workflow, status, created_at_ms, started_at_ms, finished_at_ms, workflow_path,"
        " workflow_yaml, request_json, max_concurrent)"
        " VALUES ('r_old', 'nightly', 'succeeded', 100, 101, 200, '/flows/n.yaml', X'6E616D653A206E', '{}', "
        "3);"
        "INSERT INTO task_instances (run_id, idx, task_id, repo, repo_path, status, exit_code, attempts,"
        " started_at_ms, finished_at_ms, category, error)"
        " VALUES ('r_old', 0, 'test', 'billing', '/src/billing', 'failed', 2, 1, 110, 190, 'permanent', "
        "'exit code 2');"
        "INSERT INTO attempts (run_id, idx, attempt, started_at_ms, finished_at_ms, exit_code, category, "
        "error)"
        " VALUES ('r_old', 0, 1, 110, 190, 2, 'permanent', 'exit code 2');"
        "INSERT INTO metrics (run_id, idx, name, value) VALUES ('r_old', 0, 'coverage', 87.5);",
        error);
    if (ok && version >= 2)
        ok = db.exec("UPDATE runs SET quality_gate = 75, quality_score = 91 WHERE id = 'r_old';"
                     "INSERT INTO log_runs (key, run_id) VALUES (7, 'r_old');"
                     "INSERT INTO log_lines (run_key, idx, stream, ts_ms, text)"
                     " VALUES (7, 0, 1, 150, 'assertion failed in ledger_test');"
                     "INSERT INTO log_lines_fts (rowid, text) SELECT id, text FROM log_lines;",
                     error);
    if (ok && version >= 3)
        ok = db.exec(
            "INSERT INTO catalog_repos (name, path, tags) VALUES ('billing', '/src/billing', '[\"pay\"]');",
            error);
    if (ok && version >= 4)
        ok = db.exec("INSERT INTO task_instances (run_id, idx, task_id, status, pid)"
                     " VALUES ('r_old', 1, 'build', 'running', 31337);",
                     error);
    return ok;
}

} // namespace

class TestStoreMigrations final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fromEveryOlderVersion_data() {
        QTest::addColumn<int>("version");
        for (int v = 1; v < Store::schemaVersion(); ++v)
            QTest::addRow("v%d", v) << v;
    }

    void fromEveryOlderVersion() {
        QFETCH(int, version);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QString error;
        QVERIFY2(Store::migrateTo(path, version, &error), qPrintable(error));
        QCOMPARE(userVersion(path), std::optional<qint64>(version));
        {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY2(insertRowsAt(*db, version, &error), qPrintable(error));
        }

        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(userVersion(path), std::optional<qint64>(Store::schemaVersion()));

        const auto run = store->run(QStringLiteral("r_old"));
        QVERIFY(run);
        QCOMPARE(run->workflow, QStringLiteral("nightly"));
        QCOMPARE(toString(run->status), toString(RunStatus::Succeeded));
        QCOMPARE(run->createdAtMs, 100);
        QCOMPARE(run->finishedAtMs, 200);
        QCOMPARE(run->workflowYaml, QByteArray("name: n"));
        QCOMPARE(run->maxConcurrent, 3);
        if (version >= 2) {
            QCOMPARE(run->qualityGate, std::optional<double>(75));
            QCOMPARE(run->qualityScore, std::optional<double>(91));
        } else {
            QVERIFY(!run->qualityGate && !run->qualityScore); // columns added by v2
        }
        const auto instances = store->instances(QStringLiteral("r_old"));
        QCOMPARE(instances.size(), version >= 4 ? 2 : 1);
        QCOMPARE(instances[0].repo, QStringLiteral("billing"));
        QCOMPARE(toString(instances[0].status), toString(InstanceStatus::Failed));
        QCOMPARE(instances[0].exitCode, std::optional<int>(2));
        QCOMPARE(toString(instances[0].category), toString(ErrorCategory::Permanent));
        QCOMPARE(instances[0].metrics.value(QStringLiteral("coverage")), 87.5);
        QVERIFY(!instances[0].pid); // column added by v4, NULL for older rows
        const auto attempts = store->attempts(QStringLiteral("r_old"), 0);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts[0].error, QStringLiteral("exit code 2"));

        LogQuery search = logQuery(QStringLiteral("r_old"));
        search.match = QStringLiteral("ledger_test");
        QCOMPARE(store->logs(search).size(), version >= 2 ? 1 : 0);

        // The migrated database takes every kind of write.
        LogLine line;
        line.runId = QStringLiteral("r_old");
        line.text = QStringLiteral("written after the migration");
        store->appendLogLines({line});
        store->recordMetric(QStringLiteral("r_old"), 0, QStringLiteral("coverage"), 90);
        QVERIFY(store->upsertCatalogRepo({QStringLiteral("api"), QStringLiteral("/src/api"), {}, {}, {}},
                                         &error));
        store->sync();
        QCOMPARE(store->failedWrites(), 0);
        search.match = QStringLiteral("migration");
        QCOMPARE(store->logs(search).size(), 1);
        QCOMPARE(store->instances(QStringLiteral("r_old"))[0].metrics.value(QStringLiteral("coverage")),
                 90.0);
        QCOMPARE(store->catalog().size(), version >= 3 ? 2 : 1); // v3 rows have "billing"
        // v4: the pid of a running instance round-trips.
        InstanceRecord running = store->instances(QStringLiteral("r_old"))[0];
        running.status = InstanceStatus::Running;
        running.pid = 4242;
        store->updateInstance(running);
        store->sync();
        QCOMPARE(store->instances(QStringLiteral("r_old"))[0].pid, std::optional<qint64>(4242));
        if (version >= 4) // a v4 row keeps its pid
            QCOMPARE(store->instances(QStringLiteral("r_old"))[1].pid, std::optional<qint64>(31337));
        QCOMPARE(store->failedWrites(), 0);

        // v5: the dead letter queue, its counters, jobs, audit and settings start empty and work.
        dlq::DlqStats stats = store->dlqStats();
        QCOMPARE(stats.size, 0);
        QCOMPARE(stats.lifetime.enqueued, 0);
        QCOMPARE(stats.byStatus.value(QStringLiteral("pending"), -1), 0);
        QVERIFY(store->dlqJobs(false, 10).isEmpty());
        QVERIFY(store->audit(10).isEmpty());
        QVERIFY(!store->setting(QStringLiteral("dlq")));
        dlq::DeadLetter entry;
        entry.runId = QStringLiteral("r_old");
        entry.index = 0;
        entry.workflow = QStringLiteral("nightly");
        entry.taskId = QStringLiteral("test");
        entry.error = QStringLiteral("exit code 2");
        entry.signature = QStringLiteral("abc");
        entry.original.argv = {QStringLiteral("make"), QStringLiteral("test")};
        QList<qint64> keys;
        store->dlqEnqueue({entry}, 100, [&](const DlqEnqueueResult& r) { keys = r.keys; });
        store->appendAudit(dlq::AuditRecord{0, 1, QStringLiteral("me"), QStringLiteral("enqueue"),
                                            QStringLiteral("d_1"), 1, QStringLiteral("ok")});
        QVERIFY2(store->setSetting(QStringLiteral("dlq"), "{}", &error), qPrintable(error));
        store->sync();
        QCOMPARE(store->failedWrites(), 0);
        QCOMPARE(keys, QList<qint64>{1});
        const auto stored = store->dlqEntry(1);
        QVERIFY(stored);
        QCOMPARE(stored->original.argv, entry.original.argv);
        QCOMPARE(store->dlqActiveEntryFor(QStringLiteral("r_old"), 0)->key, 1);
        stats = store->dlqStats();
        QCOMPARE(stats.size, 1);
        QCOMPARE(stats.lifetime.enqueued, 1);
        QCOMPARE(store->audit(10).size(), 1);
        QCOMPARE(store->setting(QStringLiteral("dlq")), std::optional<QByteArray>("{}"));
    }

    void currentVersionReopens() {
        QTemporaryDir dir;
        QString error;
        {
            auto store = Store::open(dir.path(), &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(store->upsertCatalogRepo({QStringLiteral("api"), QStringLiteral("/src/api"), {}, {}, {}},
                                             &error));
        }
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->catalog().size(), 1);
    }

    // Two processes (here: threads with their own connections) opening the same brand-new
    // database at once must both succeed: the second sees the first's migrations.
    void concurrentFirstOpenBothSucceed() {
        for (int round = 0; round < 10; ++round) {
            QTemporaryDir dir;
            std::array<QString, 2> errors;
            std::array<bool, 2> opened{false, false};
            std::array<std::thread, 2> threads;
            for (std::size_t i = 0; i < threads.size(); ++i) {
                threads[i] = std::thread([&, i] { opened[i] = Store::open(dir.path(), &errors[i]) != nullptr; });
            }
            for (auto& thread : threads)
                thread.join();
            QVERIFY2(opened[0], qPrintable(errors[0]));
            QVERIFY2(opened[1], qPrintable(errors[1]));
        }
    }

    void newerVersionIsRefusedUntouched() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QString error;
        QVERIFY2(Store::migrateTo(path, Store::schemaVersion(), &error), qPrintable(error));
        {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY(db);
            QVERIFY(
                db->exec(QStringLiteral("PRAGMA user_version = %1").arg(Store::schemaVersion() + 1), &error));
            QVERIFY(db->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE", &error));
        }
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        const QByteArray before = fileHash(path);
        QVERIFY(!before.isEmpty());

        QVERIFY(!Store::open(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("newer")) && error.contains(path), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        QCOMPARE(userVersion(path), std::optional<qint64>(Store::schemaVersion() + 1));

        error.clear();
        QVERIFY(!Store::migrateTo(path, 1, &error));
        QVERIFY(error.contains(QStringLiteral("newer")));
        QCOMPARE(fileHash(path), before);
    }

    void unknownTargetVersionIsRefused() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QString error;
        QVERIFY(!Store::migrateTo(path, Store::schemaVersion() + 1, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!Store::migrateTo(path, 0, &error));
    }

    void failedMigrationRollsBack() {
        // A v1 database where something already took the name v2 needs: v2 fails as a whole.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QString error;
        QVERIFY2(Store::migrateTo(path, 1, &error), qPrintable(error));
        {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY(db);
            QVERIFY(db->exec("CREATE TABLE log_lines (x)", &error));
        }
        QVERIFY(!Store::open(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("version 2")) && error.contains(path), qPrintable(error));
        QCOMPARE(userVersion(path), std::optional<qint64>(1));
        auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadOnly, &error);
        QVERIFY(db);
        QString why;
        QVERIFY(!db->exec("SELECT quality_gate FROM runs", &why)); // the ALTER TABLE was rolled back
        QVERIFY(why.contains(QStringLiteral("quality_gate")));
    }
};

QTEST_GUILESS_MAIN(TestStoreMigrations)
#include "tst_store_migrations.moc"
