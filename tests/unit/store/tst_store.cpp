// Store: round trips, ordering of writes and callbacks, reads and filters, logs, catalog,
// interrupted runs, errors.

#include "store/sqlite_connection.h"
#include "store/store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <mutex>
#include <vector>

using namespace signalbox;
using namespace signalbox::store;
using namespace Qt::StringLiterals;

namespace {

LogQuery logQuery(const QString& runId, const QString& taskId = {}, const QString& repo = {}) {
    LogQuery query;
    query.runId = runId;
    query.taskId = taskId;
    query.repo = repo;
    return query;
}

RunRecord makeRun(const QString& id, const QString& workflow, qint64 createdAt,
                  RunStatus status = RunStatus::Queued) {
    RunRecord run;
    run.id = id;
    run.workflow = workflow;
    run.status = status;
    run.createdAtMs = createdAt;
    return run;
}

InstanceRecord makeInstance(const QString& runId, int index, const QString& task, const QString& repo = {},
                            InstanceStatus status = InstanceStatus::Pending) {
    InstanceRecord instance;
    instance.runId = runId;
    instance.index = index;
    instance.taskId = task;
    instance.repo = repo;
    instance.repoPath = repo.isEmpty() ? QString() : QStringLiteral("/src/") + repo;
    instance.status = status;
    return instance;
}

QList<LogLine> makeLines(const QString& runId, int index, int count, const QString& prefix,
                         qint64 ts = 1000) {
    QList<LogLine> lines;
    for (int i = 0; i < count; ++i) {
        LogLine line;
        line.runId = runId;
        line.index = index;
        line.stream = i % 2 ? LogStream::Stderr : LogStream::Stdout;
        line.tsMs = ts + i;
        line.text = QStringLiteral("%1 line %2").arg(prefix).arg(i);
        lines.append(line);
    }
    return lines;
}

QList<qint64> idsOf(const QList<LogLine>& lines) {
    QList<qint64> ids;
    for (const auto& line : lines)
        ids.append(line.id);
    return ids;
}

void compareRuns(const RunRecord& a, const RunRecord& b) {
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.workflow, b.workflow);
    QCOMPARE(toString(a.status), toString(b.status));
    QCOMPARE(a.createdAtMs, b.createdAtMs);
    QCOMPARE(a.startedAtMs, b.startedAtMs);
    QCOMPARE(a.finishedAtMs, b.finishedAtMs);
    QCOMPARE(a.workflowPath, b.workflowPath);
    QCOMPARE(a.workflowYaml, b.workflowYaml);
    QCOMPARE(a.requestJson, b.requestJson);
    QCOMPARE(a.maxConcurrent, b.maxConcurrent);
    QCOMPARE(a.qualityGate, b.qualityGate);
    QCOMPARE(a.qualityScore, b.qualityScore);
}

void compareInstances(const InstanceRecord& a, const InstanceRecord& b) {
    QCOMPARE(a.runId, b.runId);
    QCOMPARE(a.index, b.index);
    QCOMPARE(a.taskId, b.taskId);
    QCOMPARE(a.repo, b.repo);
    QCOMPARE(a.repoPath, b.repoPath);
    QCOMPARE(toString(a.status), toString(b.status));
    QCOMPARE(a.exitCode, b.exitCode);
    QCOMPARE(a.signal, b.signal);
    QCOMPARE(a.attempts, b.attempts);
    QCOMPARE(a.startedAtMs, b.startedAtMs);
    QCOMPARE(a.finishedAtMs, b.finishedAtMs);
    QCOMPARE(toString(a.category), toString(b.category));
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.progress, b.progress);
    QCOMPARE(a.metrics, b.metrics);
}

} // namespace

class TestStore final : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;

    std::unique_ptr<Store> openStore() {
        QString error;
        auto store = Store::open(m_dir->path(), &error);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

private Q_SLOTS:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = openStore();
        QVERIFY(m_store);
    }

    void cleanup() {
        m_store.reset();
        m_dir.reset();
    }

    void opensWithWalAndCurrentSchema() {
        QCOMPARE(m_store->databasePath(), m_dir->filePath(QStringLiteral("signalbox.db")));
        QString error;
        auto db = SqliteConnection::open(m_store->databasePath(), SqliteConnection::Mode::ReadOnly, &error);
        QVERIFY2(db, qPrintable(error));
        QCOMPARE(db->queryInt("PRAGMA user_version", &error), std::optional<qint64>(Store::schemaVersion()));
        QVERIFY(Store::schemaVersion() >= 3);
        Statement* mode = db->cached("PRAGMA journal_mode", &error);
        QVERIFY(mode && mode->step() == Statement::Step::Row);
        QCOMPARE(mode->text(0), QStringLiteral("wal"));
    }

    void runRoundTrip() {
        RunRecord run = makeRun(QStringLiteral("r_1"), QStringLiteral("nightly"), 1000, RunStatus::Running);
        run.startedAtMs = 1001;
        run.workflowPath = QStringLiteral("/work/flows/nightly.yaml");
        run.workflowYaml = QByteArray("name: nightly\n\0binary", 21);
        run.requestJson = R"({"repos":["a"]})";
        run.maxConcurrent = 4;
        run.qualityGate = 75.0;

        InstanceRecord plain = makeInstance(run.id, 0, QStringLiteral("lint"));
        plain.metrics.insert(QStringLiteral("warnings"), 3);
        InstanceRecord fanned = makeInstance(run.id, 1, QStringLiteral("test"), QStringLiteral("billing"),
                                             InstanceStatus::Running);
        fanned.startedAtMs = 1005;
        fanned.progress = QStringLiteral("3/10");
        m_store->insertRun(run, {plain, fanned});
        m_store->sync();

        auto loaded = m_store->run(run.id);
        QVERIFY(loaded);
        compareRuns(*loaded, run);
        QVERIFY(!m_store->run(QStringLiteral("r_missing")));

        auto instances = m_store->instances(run.id);
        QCOMPARE(instances.size(), 2);
        compareInstances(instances[0], plain);
        compareInstances(instances[1], fanned);
        QVERIFY(instances[0].repo.isEmpty());

        // updateRun: status, times, score
        run.status = RunStatus::Failed;
        run.finishedAtMs = 2000;
        run.qualityScore = 61.5;
        m_store->updateRun(run);
        // updateInstance: every column but metrics
        fanned.status = InstanceStatus::Failed;
        fanned.exitCode = 1;
        fanned.signal = 9;
        fanned.attempts = 2;
        fanned.finishedAtMs = 1999;
        fanned.category = ErrorCategory::Permanent;
        fanned.error = QStringLiteral("exit code 1");
        fanned.progress = QStringLiteral("10/10");
        m_store->updateInstance(fanned);
        m_store->recordMetric(run.id, 1, QStringLiteral("coverage"), 80.0);
        m_store->recordMetric(run.id, 1, QStringLiteral("coverage"), 87.5); // upsert
        m_store->recordMetric(run.id, 0, QStringLiteral("warnings"), 4);

        AttemptRecord first;
        first.runId = run.id;
        first.index = 1;
        first.attempt = 1;
        first.startedAtMs = 1005;
        first.finishedAtMs = 1500;
        first.exitCode = 1;
        first.category = ErrorCategory::Transient;
        first.error = QStringLiteral("exit code 1");
        AttemptRecord second = first;
        second.attempt = 2;
        second.startedAtMs = 1600;
        second.finishedAtMs = 0;
        second.exitCode.reset();
        second.category = ErrorCategory::None;
        second.error.clear();
        m_store->insertAttempt(second);
        m_store->insertAttempt(first);
        second.finishedAtMs = 1999;
        second.signal = 9;
        second.category = ErrorCategory::Permanent;
        second.error = QStringLiteral("killed by signal 9");
        m_store->insertAttempt(second); // the same attempt again: updated
        m_store->sync();

        loaded = m_store->run(run.id);
        QVERIFY(loaded);
        compareRuns(*loaded, run);

        instances = m_store->instances(run.id);
        QCOMPARE(instances.size(), 2);
        fanned.metrics.insert(QStringLiteral("coverage"), 87.5);
        plain.metrics[QStringLiteral("warnings")] = 4;
        compareInstances(instances[0], plain);
        compareInstances(instances[1], fanned);
        QCOMPARE(instances[1].durationMs(), 1999 - 1005);

        const auto attempts = m_store->attempts(run.id, 1);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts[0].attempt, 1);
        QCOMPARE(attempts[0].exitCode, std::optional<int>(1));
        QCOMPARE(toString(attempts[0].category), toString(ErrorCategory::Transient));
        QCOMPARE(attempts[0].startedAtMs, 1005);
        QCOMPARE(attempts[0].finishedAtMs, 1500);
        QCOMPARE(attempts[1].attempt, 2);
        QCOMPARE(attempts[1].exitCode, std::optional<int>());
        QCOMPARE(attempts[1].signal, std::optional<int>(9));
        QCOMPARE(toString(attempts[1].category), toString(ErrorCategory::Permanent));
        QCOMPARE(attempts[1].error, QStringLiteral("killed by signal 9"));
        QCOMPARE(attempts[1].finishedAtMs, 1999);
        QVERIFY(m_store->attempts(run.id, 0).isEmpty());
        QCOMPARE(m_store->failedWrites(), 0);
    }

    void batchedInstanceAndAttemptWrites() {
        const QString id = QStringLiteral("r_batch");
        m_store->insertRun(makeRun(id, QStringLiteral("w"), 1), {makeInstance(id, 0, QStringLiteral("a")),
                                                                 makeInstance(id, 1, QStringLiteral("b"))});
        QList<InstanceRecord> instances{
            makeInstance(id, 0, QStringLiteral("a"), {}, InstanceStatus::Succeeded),
            makeInstance(id, 1, QStringLiteral("b"), {}, InstanceStatus::Failed)};
        instances[1].exitCode = 3;
        QList<AttemptRecord> attempts;
        for (int n = 1; n <= 3; ++n) {
            AttemptRecord attempt;
            attempt.runId = id;
            attempt.index = 1;
            attempt.attempt = n;
            attempt.exitCode = n;
            attempts.append(attempt);
        }
        bool done = false;
        m_store->updateInstances(instances);
        m_store->insertAttempts(attempts, [&done] { done = true; });
        m_store->sync();
        QVERIFY(done);
        const auto stored = m_store->instances(id);
        QCOMPARE(toString(stored[0].status), toString(InstanceStatus::Succeeded));
        QCOMPARE(toString(stored[1].status), toString(InstanceStatus::Failed));
        QCOMPARE(stored[1].exitCode, std::optional<int>(3));
        const auto storedAttempts = m_store->attempts(id, 1);
        QCOMPARE(storedAttempts.size(), 3);
        QCOMPARE(storedAttempts[2].exitCode, std::optional<int>(3));

        // An attempt for an instance that does not exist fails the whole operation alone.
        AttemptRecord orphan = attempts[0];
        orphan.index = 99;
        m_store->insertAttempts({attempts[0], orphan});
        m_store->sync();
        QCOMPARE(m_store->failedWrites(), 1);
        QCOMPARE(m_store->attempts(id, 1).size(), 3);
    }

    void updateInstanceAddsAnInstance() {
        m_store->insertRun(makeRun(QStringLiteral("r_a"), QStringLiteral("w"), 1), {});
        m_store->updateInstance(makeInstance(QStringLiteral("r_a"), 5, QStringLiteral("late")));
        m_store->sync();
        const auto instances = m_store->instances(QStringLiteral("r_a"));
        QCOMPARE(instances.size(), 1);
        QCOMPARE(instances[0].index, 5);
        QCOMPARE(instances[0].taskId, QStringLiteral("late"));
    }

    void callbacksFireAfterCommitInOrder() {
        // Each callback checks, on a connection of its own, that its write is visible.
        QString error;
        const QString path = m_store->databasePath();
        std::mutex mutex;
        std::vector<int> order;
        std::vector<int> invisible;
        constexpr int kWrites = 300;
        auto seen = [&](const QString& runId) {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadOnly, nullptr);
            if (!db)
                return false;
            Statement* s = db->cached("SELECT count(*) FROM runs WHERE id = ?1", nullptr);
            if (!s)
                return false;
            s->bind(1, runId);
            const bool found = s->step() == Statement::Step::Row && s->int64(0) == 1;
            s->reset();
            return found;
        };
        for (int i = 0; i < kWrites; ++i) {
            const QString id = QStringLiteral("r_%1").arg(i, 4, 10, QLatin1Char('0'));
            m_store->insertRun(makeRun(id, QStringLiteral("w"), i), {}, [&, i, id] {
                const bool visible = seen(id);
                std::lock_guard lock(mutex);
                order.push_back(i);
                if (!visible)
                    invisible.push_back(i);
            });
            if (i % 50 == 0) {
                m_store->whenCommitted([&, i] {
                    std::lock_guard lock(mutex);
                    order.push_back(10'000 + i);
                });
            }
        }
        m_store->sync();
        std::lock_guard lock(mutex);
        QVERIFY(invisible.empty());
        std::vector<int> expected;
        for (int i = 0; i < kWrites; ++i) {
            expected.push_back(i);
            if (i % 50 == 0)
                expected.push_back(10'000 + i);
        }
        QCOMPARE(order, expected);
    }

    void logIdsAreAssignedInOrder() {
        m_store->insertRun(makeRun(QStringLiteral("r_l"), QStringLiteral("w"), 1),
                           {makeInstance(QStringLiteral("r_l"), 0, QStringLiteral("t"))});
        std::mutex mutex;
        QList<qint64> announced;
        m_store->appendLogLines(makeLines(QStringLiteral("r_l"), 0, 3, QStringLiteral("first")));
        m_store->appendLogLinesWithIds(makeLines(QStringLiteral("r_l"), 0, 4, QStringLiteral("second")),
                                       [&](const QList<LogLine>& lines) {
                                           std::lock_guard lock(mutex);
                                           announced = idsOf(lines);
                                       });
        m_store->sync();
        const auto all = m_store->logs(logQuery(QStringLiteral("r_l")));
        QCOMPARE(all.size(), 7);
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all[i].id > all[i - 1].id);
        QCOMPARE(all[0].text, QStringLiteral("first line 0"));
        QCOMPARE(all[0].stream, LogStream::Stdout);
        QCOMPARE(all[1].stream, LogStream::Stderr);
        QCOMPARE(all[1].tsMs, 1001);
        QCOMPARE(all[3].text, QStringLiteral("second line 0"));
        std::lock_guard lock(mutex);
        QCOMPARE(announced, idsOf(all.mid(3)));
    }

    void runsFilterLimitNewestFirst() {
        m_store->insertRun(
            makeRun(QStringLiteral("r_1"), QStringLiteral("nightly"), 100, RunStatus::Succeeded), {});
        m_store->insertRun(makeRun(QStringLiteral("r_2"), QStringLiteral("deploy"), 200, RunStatus::Failed),
                           {});
        m_store->insertRun(makeRun(QStringLiteral("r_3"), QStringLiteral("nightly"), 300, RunStatus::Failed),
                           {});
        m_store->insertRun(makeRun(QStringLiteral("r_4"), QStringLiteral("nightly"), 400, RunStatus::Running),
                           {});
        m_store->sync();

        auto ids = [](const QList<RunRecord>& runs) {
            QStringList out;
            for (const auto& run : runs)
                out.append(run.id);
            return out;
        };
        RunFilter all;
        all.limit = 0;
        QCOMPARE(ids(m_store->runs(all)), (QStringList{u"r_4"_s, u"r_3"_s, u"r_2"_s, u"r_1"_s}));
        RunFilter limited;
        limited.limit = 2;
        QCOMPARE(ids(m_store->runs(limited)), (QStringList{u"r_4"_s, u"r_3"_s}));
        RunFilter failed;
        failed.status = RunStatus::Failed;
        QCOMPARE(ids(m_store->runs(failed)), (QStringList{u"r_3"_s, u"r_2"_s}));
        RunFilter nightly;
        nightly.workflow = QStringLiteral("nightly");
        QCOMPARE(ids(m_store->runs(nightly)), (QStringList{u"r_4"_s, u"r_3"_s, u"r_1"_s}));
        RunFilter nightlyFailed = nightly;
        nightlyFailed.status = RunStatus::Failed;
        QCOMPARE(ids(m_store->runs(nightlyFailed)), (QStringList{u"r_3"_s}));
        RunFilter none;
        none.workflow = QStringLiteral("missing");
        QVERIFY(m_store->runs(none).isEmpty());
    }

    void logsFiltersSearchAndPaging() {
        const QString a = QStringLiteral("r_a");
        const QString b = QStringLiteral("r_b");
        m_store->insertRun(makeRun(a, QStringLiteral("w"), 1),
                           {makeInstance(a, 0, QStringLiteral("build")),
                            makeInstance(a, 1, QStringLiteral("test"), QStringLiteral("billing")),
                            makeInstance(a, 2, QStringLiteral("test"), QStringLiteral("search"))});
        m_store->insertRun(makeRun(b, QStringLiteral("w"), 2), {makeInstance(b, 0, QStringLiteral("build"))});
        m_store->appendLogLines(makeLines(a, 0, 10, QStringLiteral("compiling")));
        m_store->appendLogLines(makeLines(a, 1, 10, QStringLiteral("billing test")));
        m_store->appendLogLines(makeLines(a, 2, 10, QStringLiteral("search test")));
        m_store->appendLogLines(makeLines(b, 0, 10, QStringLiteral("compiling")));
        QList<LogLine> special;
        for (const QString& text :
             {QStringLiteral("error: connection refused (port 5432)"),
              QStringLiteral("refused: connection retry"), QStringLiteral("Über-Fehler in main.cpp"),
              QStringLiteral("100% done; 50_50 split")}) {
            LogLine line;
            line.runId = a;
            line.index = 1;
            line.text = text;
            special.append(line);
        }
        m_store->appendLogLines(special);
        m_store->sync();

        QCOMPARE(m_store->logLineCount(a), 34);
        QCOMPARE(m_store->logLineCount(b), 10);
        QCOMPARE(m_store->logLineCount(QString()), 44);
        QCOMPARE(m_store->logs(logQuery(a)).size(), 34);
        QCOMPARE(m_store->logs(logQuery(b)).size(), 10);

        LogQuery byTask = logQuery(a, QStringLiteral("test"));
        QCOMPARE(m_store->logs(byTask).size(), 24);
        LogQuery byRepo = logQuery(a, QString(), QStringLiteral("search"));
        auto lines = m_store->logs(byRepo);
        QCOMPARE(lines.size(), 10);
        for (const auto& line : lines)
            QCOMPARE(line.index, 2);
        LogQuery byTaskAndRepo = logQuery(a, QStringLiteral("test"), QStringLiteral("billing"));
        QCOMPARE(m_store->logs(byTaskAndRepo).size(), 14);

        // Paging with afterId + limit visits every line once, in order.
        LogQuery page = logQuery(a);
        page.limit = 7;
        QList<qint64> seen;
        for (;;) {
            const auto chunk = m_store->logs(page);
            if (chunk.isEmpty())
                break;
            QVERIFY(chunk.size() <= 7);
            seen += idsOf(chunk);
            page.afterId = chunk.last().id;
        }
        QCOMPARE(seen, idsOf(m_store->logs(logQuery(a))));

        // Full-text search.
        auto search = [&](const QString& runId, const QString& match, int limit = 0, qint64 afterId = 0) {
            LogQuery q = logQuery(runId);
            q.match = match;
            q.limit = limit;
            q.afterId = afterId;
            return m_store->logs(q);
        };
        QCOMPARE(search(a, QStringLiteral("compiling")).size(), 10);
        QCOMPARE(search(QString(), QStringLiteral("compiling")).size(), 20);
        QCOMPARE(search(a, QStringLiteral("COMPILING")).size(), 10); // case-insensitive
        QCOMPARE(search(a, QStringLiteral("billing")).size(), 10);
        QCOMPARE(search(a, QStringLiteral("refused")).size(), 2);
        QCOMPARE(search(a, QStringLiteral("connection refused")).size(), 1); // a phrase
        QCOMPARE(search(a, QStringLiteral("main.cpp")).size(), 1);
        QCOMPARE(search(a, QStringLiteral("über")).size(), 1);
        QCOMPARE(search(a, QStringLiteral("100%")).size(), 1);
        QCOMPARE(search(a, QStringLiteral("50_50")).size(), 1);
        QCOMPARE(search(a, QStringLiteral("nothing-like-this")).size(), 0);
        const auto limited = search(a, QStringLiteral("test"), 5);
        QCOMPARE(limited.size(), 5);
        QCOMPARE(search(a, QStringLiteral("test"), 0, limited.last().id).size(), 15);
        LogQuery searchByRepo = logQuery(a, QString(), QStringLiteral("billing"));
        searchByRepo.match = QStringLiteral("line");
        QCOMPARE(m_store->logs(searchByRepo).size(), 10);

        // FTS5 syntax in user text is text, never an error.
        for (const QString& hostile :
             {QStringLiteral("\"unbalanced"), QStringLiteral("AND"), QStringLiteral("OR NOT ("),
              QStringLiteral("text:foo"), QStringLiteral("*"), QStringLiteral("NEAR(a b)"),
              QStringLiteral("^start"), QStringLiteral("'\"--;")})
            QVERIFY(search(a, hostile).isEmpty());
        QCOMPARE(search(a, QStringLiteral("(port")).size(), 1);
    }

    void markInterruptedChangesOnlyUnfinishedRuns() {
        const QString running = QStringLiteral("r_running");
        const QString queued = QStringLiteral("r_queued");
        const QString done = QStringLiteral("r_done");
        auto r = makeRun(running, QStringLiteral("w"), 1, RunStatus::Running);
        r.startedAtMs = 5;
        InstanceRecord withPid = makeInstance(running, 1, QStringLiteral("b"), {}, InstanceStatus::Running);
        withPid.pid = 4321;
        m_store->insertRun(r, {makeInstance(running, 0, QStringLiteral("a"), {}, InstanceStatus::Succeeded),
                               withPid,
                               makeInstance(running, 2, QStringLiteral("c"), {}, InstanceStatus::Pending)});
        m_store->insertRun(makeRun(queued, QStringLiteral("w"), 2),
                           {makeInstance(queued, 0, QStringLiteral("a"))});
        InstanceRecord finishedWithPid = makeInstance(done, 0, QStringLiteral("a"), {}, InstanceStatus::Running);
        finishedWithPid.pid = 999; // a run that is not unfinished: not a leftover
        m_store->insertRun(makeRun(done, QStringLiteral("w"), 3, RunStatus::Succeeded), {finishedWithPid});
        m_store->sync();
        const QList<InstanceRecord> leftovers = m_store->leftoverProcesses();
        QCOMPARE(leftovers.size(), 1);
        QCOMPARE(leftovers[0].runId, running);
        QCOMPARE(leftovers[0].index, 1);
        QCOMPARE(leftovers[0].pid, std::optional<qint64>(4321));
        finishedWithPid.status = InstanceStatus::Succeeded;
        finishedWithPid.pid.reset();
        m_store->updateInstance(finishedWithPid);
        QStringList changed = m_store->markInterrupted(9000);
        changed.sort();
        QCOMPARE(changed, (QStringList{queued, running}));

        QCOMPARE(toString(m_store->run(running)->status), toString(RunStatus::Interrupted));
        QCOMPARE(m_store->run(running)->finishedAtMs, 9000);
        QCOMPARE(toString(m_store->run(queued)->status), toString(RunStatus::Interrupted));
        QCOMPARE(toString(m_store->run(done)->status), toString(RunStatus::Succeeded));
        QCOMPARE(m_store->run(done)->finishedAtMs, 0);
        const auto instances = m_store->instances(running);
        QCOMPARE(toString(instances[0].status), toString(InstanceStatus::Succeeded));
        QCOMPARE(toString(instances[1].status), toString(InstanceStatus::Interrupted));
        QCOMPARE(instances[1].finishedAtMs, 9000);
        QVERIFY(!instances[1].pid); // cleared with the interruption
        QVERIFY(m_store->leftoverProcesses().isEmpty());
        QCOMPARE(toString(instances[2].status), toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(m_store->instances(queued)[0].status), toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(m_store->instances(done)[0].status), toString(InstanceStatus::Succeeded));

        QVERIFY(m_store->markInterrupted(9500).isEmpty());
    }

    void catalogUpsertListRemove() {
        QString error;
        CatalogRepo billing{QStringLiteral("billing"),
                            QStringLiteral("/src/billing"),
                            {QStringLiteral("backend"), QStringLiteral("pay\"ments")},
                            QStringLiteral("service"),
                            QStringLiteral("Billing service")};
        CatalogRepo api{QStringLiteral("api"), QStringLiteral("/src/api"), {}, {}, {}};
        QVERIFY2(m_store->upsertCatalogRepo(billing, &error), qPrintable(error));
        QVERIFY2(m_store->upsertCatalogRepo(api, &error), qPrintable(error));
        auto catalog = m_store->catalog(); // no sync needed: synchronous
        QCOMPARE(catalog.size(), 2);
        QCOMPARE(catalog[0].name, QStringLiteral("api"));
        QVERIFY(catalog[0].tags.isEmpty());
        QCOMPARE(catalog[1].name, billing.name);
        QCOMPARE(catalog[1].path, billing.path);
        QCOMPARE(catalog[1].tags, billing.tags);
        QCOMPARE(catalog[1].role, billing.role);
        QCOMPARE(catalog[1].description, billing.description);

        billing.path = QStringLiteral("/elsewhere/billing");
        billing.tags = QStringList{QStringLiteral("legacy")};
        QVERIFY(m_store->upsertCatalogRepo(billing, &error));
        catalog = m_store->catalog();
        QCOMPARE(catalog.size(), 2);
        QCOMPARE(catalog[1].path, billing.path);
        QCOMPARE(catalog[1].tags, billing.tags);

        QVERIFY(
            !m_store->upsertCatalogRepo(CatalogRepo{QString(), QStringLiteral("/x"), {}, {}, {}}, &error));
        QVERIFY(error.contains(QStringLiteral("empty name")));

        QVERIFY(m_store->removeCatalogRepo(QStringLiteral("api"), &error));
        error.clear();
        QVERIFY(!m_store->removeCatalogRepo(QStringLiteral("api"), &error));
        QVERIFY(error.contains(QStringLiteral("api")));
        QCOMPARE(m_store->catalog().size(), 1);
        QCOMPARE(m_store->failedWrites(), 0); // refusals are the caller's errors, not write failures
    }

    void synchronousOpsFromACallbackDoNotDeadlock() {
        std::atomic<bool> inserted{false};
        m_store->whenCommitted([&] {
            QString error;
            inserted =
                m_store->upsertCatalogRepo({QStringLiteral("x"), QStringLiteral("/x"), {}, {}, {}}, &error);
            m_store->sync(); // a no-op here, with a warning
        });
        m_store->sync();
        QVERIFY(inserted);
        QCOMPARE(m_store->catalog().size(), 1);
    }

    void failedWriteIsUndoneAlone() {
        const QString id = QStringLiteral("r_dup");
        m_store->insertRun(makeRun(id, QStringLiteral("w"), 1), {makeInstance(id, 0, QStringLiteral("a"))});
        // Same id again with a second instance: the whole operation is undone, nothing else.
        m_store->insertRun(
            makeRun(id, QStringLiteral("other"), 2),
            {makeInstance(id, 0, QStringLiteral("x")), makeInstance(id, 1, QStringLiteral("y"))});
        m_store->insertRun(makeRun(QStringLiteral("r_next"), QStringLiteral("w"), 3), {});
        m_store->updateRun(makeRun(QStringLiteral("r_missing"), QStringLiteral("w"), 3));
        m_store->sync();
        QCOMPARE(m_store->failedWrites(), 2);
        QVERIFY(m_store->lastWriteError().contains(QStringLiteral("r_missing")));
        QCOMPARE(m_store->run(id)->workflow, QStringLiteral("w"));
        QCOMPARE(m_store->instances(id).size(), 1);
        QCOMPARE(m_store->instances(id)[0].taskId, QStringLiteral("a"));
        QVERIFY(m_store->run(QStringLiteral("r_next")));
    }

    void destructorCommitsEverythingQueued() {
        std::atomic<int> callbacks{0};
        for (int i = 0; i < 50; ++i)
            m_store->insertRun(makeRun(QStringLiteral("r_%1").arg(i), QStringLiteral("w"), i), {},
                               [&] { ++callbacks; });
        m_store->appendLogLines(makeLines(QStringLiteral("r_0"), 0, 5000, QStringLiteral("late")),
                                [&] { ++callbacks; });
        m_store.reset();
        QCOMPARE(callbacks.load(), 51);
        m_store = openStore();
        QVERIFY(m_store);
        RunFilter all;
        all.limit = 0;
        QCOMPARE(m_store->runs(all).size(), 50);
        QCOMPARE(m_store->logLineCount(QStringLiteral("r_0")), 5000);
    }

    void unwritableDataDirIsAnError() {
        // A data dir below a regular file can never be created (even as root).
        const QString file = m_dir->filePath(QStringLiteral("plain-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString dataDir = file + QStringLiteral("/data");
        QString error;
        QVERIFY(!Store::open(dataDir, &error));
        QVERIFY2(error.contains(dataDir), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));

        error.clear();
        QVERIFY(!Store::open(QString(), &error));
        QVERIFY(!error.isEmpty());
    }

    void notADatabaseIsAnError() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        QString error;
        QVERIFY(!Store::open(dir.path(), &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
