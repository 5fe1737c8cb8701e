// Store: the desktop console's reads (core/store/console_reads.h): run pages with instance
// counts by keyset, log ranges by line number, last result per repo, the overview's
// activity; and schema v7's indexes, checked through the plans SQLite chooses.

#include "store/console_reads.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::store;

namespace {

RunRecord makeRun(const QString& id, const QString& workflow, qint64 createdAt, RunStatus status) {
    RunRecord run;
    run.id = id;
    run.workflow = workflow;
    run.status = status;
    run.createdAtMs = createdAt;
    run.workflowYaml = "name: " + workflow.toUtf8();
    return run;
}

InstanceRecord makeInstance(const QString& runId, int index, const QString& repo, InstanceStatus status,
                            qint64 finishedAt = 0) {
    InstanceRecord instance;
    instance.runId = runId;
    instance.index = index;
    instance.taskId = QStringLiteral("check");
    instance.repo = repo;
    instance.status = status;
    instance.finishedAtMs = finishedAt;
    instance.startedAtMs = finishedAt > 0 ? finishedAt - 10 : 0;
    return instance;
}

QStringList idsOf(const QList<RunWithCounts>& page) {
    QStringList ids;
    for (const RunWithCounts& row : page)
        ids.append(row.run.id);
    return ids;
}

// The plan SQLite picks for sql, one detail per line.
QString planOf(const QString& dbPath, const std::string& sql) {
    QString error;
    auto db = SqliteConnection::open(dbPath, SqliteConnection::Mode::ReadOnly, &error);
    if (!db)
        return error;
    Statement* s = db->cached("EXPLAIN QUERY PLAN " + sql, &error);
    if (!s)
        return error;
    QStringList details;
    while (s->step() == Statement::Step::Row)
        details.append(s->text(3));
    s->reset();
    return details.join(QLatin1Char('\n'));
}

} // namespace

class TestStoreConsoleReads final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runPagesByKeysetWithCounts() {
        QTemporaryDir dir;
        QString error;
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        // 25 runs, two per millisecond (ties broken by id), every third failed.
        for (int i = 0; i < 25; ++i) {
            const QString id = QStringLiteral("r_%1").arg(i, 3, 10, QLatin1Char('0'));
            const RunStatus status = i % 3 == 0 ? RunStatus::Failed : RunStatus::Succeeded;
            store->insertRun(makeRun(id, i % 2 ? QStringLiteral("nightly") : QStringLiteral("deploy"),
                                     1000 + i / 2, status),
                             {makeInstance(id, 0, QStringLiteral("a"), InstanceStatus::Succeeded, 5000),
                              makeInstance(id, 1, QStringLiteral("b"),
                                           status == RunStatus::Failed ? InstanceStatus::Failed
                                                                       : InstanceStatus::Succeeded,
                                           5000),
                              makeInstance(id, 2, QStringLiteral("c"), InstanceStatus::Running)});
        }
        store->sync();

        QStringList seen;
        RunPageQuery query;
        query.limit = 10;
        for (int pageNumber = 0; pageNumber < 3; ++pageNumber) {
            const QList<RunWithCounts> page = store->runPage(query);
            QCOMPARE(page.size(), pageNumber < 2 ? 10 : 5);
            seen += idsOf(page);
            query.afterCreatedAtMs = page.last().run.createdAtMs;
            query.afterId = page.last().run.id;
        }
        QStringList expected;
        for (int i = 24; i >= 0; --i)
            expected.append(QStringLiteral("r_%1").arg(i, 3, 10, QLatin1Char('0')));
        QCOMPARE(seen, expected); // newest first, ties by id descending, nothing twice

        RunPageQuery failed;
        failed.statuses = {RunStatus::Failed};
        const QList<RunWithCounts> failedPage = store->runPage(failed);
        QCOMPARE(failedPage.size(), 9);
        const RunWithCounts& top = failedPage.first();
        QCOMPARE(top.run.id, QStringLiteral("r_024"));
        QVERIFY(top.run.workflowYaml.isEmpty()); // lists leave the snapshot out
        QCOMPARE(top.total, 3);
        QCOMPARE(top.succeeded, 1);
        QCOMPARE(top.failed, 1);
        QCOMPARE(top.running, 1);
        QCOMPARE(top.finished, 2);

        RunPageQuery search;
        search.search = QStringLiteral("NIGHT");
        search.statuses = {RunStatus::Failed, RunStatus::Succeeded};
        QCOMPARE(store->runPage(search).size(), 12);
        RunPageQuery literal;
        literal.search = QStringLiteral("r\\_%"); // LIKE wildcards are plain text
        QVERIFY(store->runPage(literal).isEmpty());
        RunPageQuery byWorkflow;
        byWorkflow.workflow = QStringLiteral("deploy");
        byWorkflow.createdFromMs = 1010;
        QCOMPARE(idsOf(store->runPage(byWorkflow)),
                 (QStringList{QStringLiteral("r_024"), QStringLiteral("r_022"), QStringLiteral("r_020")}));
    }

    void hundredThousandRunsPageThroughTheIndex() {
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QVERIFY2(Store::migrateTo(path, Store::schemaVersion(), &error), qPrintable(error));
        {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY2(
                db->exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
                         " INSERT INTO runs (id, workflow, status, created_at_ms)"
                         " SELECT printf('r_%06d', i), 'wf' || (i % 7),"
                         " CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'succeeded' END, i FROM n;"
                         "ANALYZE;",
                         &error),
                qPrintable(error));
        }
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));

        RunPageQuery query;
        query.limit = 200;
        QList<RunWithCounts> page = store->runPage(query);
        QCOMPARE(page.size(), 200);
        QCOMPARE(page.first().run.id, QStringLiteral("r_100000"));
        query.afterCreatedAtMs = page.last().run.createdAtMs;
        query.afterId = page.last().run.id;
        page = store->runPage(query);
        QCOMPARE(page.first().run.id, QStringLiteral("r_099800"));

        // Each shape walks an index in order: no sort of the whole table, no full scan.
        RunPageQuery byStatus = query;
        byStatus.statuses = {RunStatus::Failed};
        RunPageQuery byWorkflow = query;
        byWorkflow.workflow = QStringLiteral("wf3");
        for (const RunPageQuery& shape : {query, byStatus, byWorkflow}) {
            const QString plan = planOf(path, consolereads::runPageSql(shape));
            QVERIFY2(plan.contains(QStringLiteral("USING INDEX")) ||
                         plan.contains(QStringLiteral("USING COVERING INDEX")),
                     qPrintable(plan));
            QVERIFY2(!plan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(plan));
        }
    }

    void logBlocksAndRangesByLineNumber() {
        QTemporaryDir dir;
        QString error;
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        store->insertRun(
            makeRun(QStringLiteral("r_log"), QStringLiteral("w"), 1, RunStatus::Running),
            {makeInstance(QStringLiteral("r_log"), 0, QStringLiteral("a"), InstanceStatus::Running),
             makeInstance(QStringLiteral("r_log"), 1, QStringLiteral("b"), InstanceStatus::Running)});
        store->insertRun(
            makeRun(QStringLiteral("r_other"), QStringLiteral("w"), 2, RunStatus::Running),
            {makeInstance(QStringLiteral("r_other"), 0, QStringLiteral("a"), InstanceStatus::Running)});
        // Interleaved: the run's lines alternate between its instances and another run.
        QList<LogLine> lines;
        for (int i = 0; i < 2500; ++i) {
            lines.append(LogLine{0, QStringLiteral("r_log"), i % 2, LogStream::Stdout, i,
                                 QStringLiteral("line %1").arg(i)});
            lines.append(LogLine{0, QStringLiteral("r_other"), 0, LogStream::Stdout, i,
                                 QStringLiteral("noise %1").arg(i)});
        }
        store->appendLogLines(lines);
        store->sync();

        const LogBlockScan whole = store->scanLogBlocks(QStringLiteral("r_log"), -1, 1000, 0, 0);
        QCOMPARE(whole.lines, 2500);
        QCOMPARE(whole.blockFirstIds.size(), 3);
        const QList<LogLine> block2 =
            store->logRange(QStringLiteral("r_log"), -1, whole.blockFirstIds[2], 0, 1);
        QCOMPARE(block2.first().text, QStringLiteral("line 2000"));
        QCOMPARE(block2.first().runId, QStringLiteral("r_log"));
        const QList<LogLine> skipped =
            store->logRange(QStringLiteral("r_log"), -1, whole.blockFirstIds[1], 7, 3);
        QCOMPARE(skipped.size(), 3);
        QCOMPARE(skipped.first().text, QStringLiteral("line 1007"));
        QCOMPARE(skipped.last().text, QStringLiteral("line 1009"));

        // In slices: the same blocks as one whole scan.
        LogBlockScan sliced;
        for (;;) {
            const LogBlockScan slice =
                store->scanLogBlocks(QStringLiteral("r_log"), -1, 1000, sliced.lastId, sliced.lines, 600);
            QVERIFY(slice.lines <= 600);
            sliced.blockFirstIds += slice.blockFirstIds;
            sliced.lines += slice.lines;
            if (slice.lines < 600)
                break;
            sliced.lastId = slice.lastId;
        }
        QCOMPARE(sliced.lines, whole.lines);
        QCOMPARE(sliced.blockFirstIds, whole.blockFirstIds);

        // One instance: its own numbering (every other line of the run).
        const LogBlockScan odd = store->scanLogBlocks(QStringLiteral("r_log"), 1, 500, 0, 0);
        QCOMPARE(odd.lines, 1250);
        QCOMPARE(odd.blockFirstIds.size(), 3);
        QCOMPARE(store->logRange(QStringLiteral("r_log"), 1, odd.blockFirstIds[1], 0, 1).first().text,
                 QStringLiteral("line 1001")); // its line 500 is the run's line 1001

        // Continuing a scan numbers on from where it stopped.
        store->appendLogLines(
            {LogLine{0, QStringLiteral("r_log"), 0, LogStream::Stdout, 9, QStringLiteral("late")}});
        store->sync();
        const LogBlockScan more =
            store->scanLogBlocks(QStringLiteral("r_log"), -1, 1000, whole.lastId, whole.lines);
        QCOMPARE(more.lines, 1);
        QVERIFY(more.blockFirstIds.isEmpty()); // line 2500 starts no block of 1000
        QVERIFY(store->logRange(QStringLiteral("r_none"), -1, 0, 0, 10).isEmpty());
    }

    void lastResultPerRepoAndActivity() {
        QTemporaryDir dir;
        QString error;
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        const qint64 minute = 60'000;
        const qint64 from = 100 * minute;
        store->insertRun(
            makeRun(QStringLiteral("r_1"), QStringLiteral("old"), from + 1, RunStatus::Failed),
            {makeInstance(QStringLiteral("r_1"), 0, QStringLiteral("a"), InstanceStatus::Failed, from + 10),
             makeInstance(QStringLiteral("r_1"), 1, QStringLiteral("b"), InstanceStatus::Succeeded,
                          from + 20)});
        store->insertRun(
            makeRun(QStringLiteral("r_2"), QStringLiteral("new"), from + minute, RunStatus::Succeeded),
            {makeInstance(QStringLiteral("r_2"), 0, QStringLiteral("a"), InstanceStatus::Succeeded,
                          from + 2 * minute + 5)});
        store->insertRun(
            makeRun(QStringLiteral("r_3"), QStringLiteral("live"), from + 2 * minute, RunStatus::Running),
            {makeInstance(QStringLiteral("r_3"), 0, QStringLiteral("c"), InstanceStatus::Running)});
        store->sync();

        const QList<RepoLastResult> last = store->lastResults(
            {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("zz")});
        QCOMPARE(last.size(), 2); // c never finished, zz never ran
        QCOMPARE(last[0].repo, QStringLiteral("a"));
        QCOMPARE(last[0].runId, QStringLiteral("r_2"));
        QCOMPARE(last[0].workflow, QStringLiteral("new"));
        QCOMPARE(toString(last[0].status), toString(InstanceStatus::Succeeded));
        QCOMPARE(last[1].repo, QStringLiteral("b"));
        QCOMPARE(last[1].finishedAtMs, from + 20);

        ActivityQuery query;
        query.fromMs = from;
        query.toMs = from + 3 * minute;
        query.bucketMs = minute;
        const Activity activity = store->activity(query);
        QCOMPARE(activity.runningRuns, 1);
        QCOMPARE(activity.runningTasks, 1);
        QCOMPARE(activity.runsInWindow, 3);
        QCOMPARE(activity.succeededInWindow, 1);
        QCOMPARE(activity.failedInWindow, 1);
        QCOMPARE(activity.finishedInWindow, 2);
        QCOMPARE(activity.buckets.size(), 3);
        QCOMPARE(activity.buckets[0].finished, 2);
        QCOMPARE(activity.buckets[0].failed, 1);
        QCOMPARE(activity.buckets[1].finished, 0);
        QCOMPARE(activity.buckets[2].finished, 1);
        QCOMPARE(activity.buckets[2].startMs, from + 2 * minute);
        QCOMPARE(activity.latestFailures.size(), 1);
        QCOMPARE(activity.latestFailures[0].workflow, QStringLiteral("old"));
        QCOMPARE(activity.latestFailures[0].instance.repo, QStringLiteral("a"));
    }

    void deadLetterDepthOverTime() {
        QTemporaryDir dir;
        QString error;
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        const qint64 minute = 60'000;
        const qint64 from = 100 * minute;
        auto entry = [&](qint64 enqueuedAt) {
            dlq::DeadLetter letter;
            letter.runId = QStringLiteral("r_x");
            letter.workflow = QStringLiteral("w");
            letter.taskId = QStringLiteral("t");
            letter.error = QStringLiteral("exit code 1");
            letter.signature = QStringLiteral("sig");
            letter.enqueuedAtMs = enqueuedAt;
            letter.updatedAtMs = enqueuedAt;
            letter.original.argv = {QStringLiteral("false")};
            return letter;
        };
        // One before the window, two in its first minute, one in its third.
        store->dlqEnqueue({entry(from - 5), entry(from + 1), entry(from + 2), entry(from + 2 * minute + 1)},
                          10000);
        store->sync();
        const QList<dlq::DeadLetter> stored = store->dlqEntries({}, {});
        QCOMPARE(stored.size(), 4);
        // The second one completes during the second minute.
        DlqUpdate done;
        done.key = stored[1].key; // newest first: the entry of the third minute is [0]
        done.updatedAtMs = from + minute + 30;
        done.status = dlq::DlqStatus::Completed;
        store->dlqUpdate({done});
        store->sync();

        ActivityQuery query;
        query.fromMs = from;
        query.toMs = from + 3 * minute;
        query.bucketMs = minute;
        const Activity activity = store->activity(query);
        QCOMPARE(activity.dlqDepthAtStart, 1);
        QCOMPARE(activity.buckets.size(), 3);
        QCOMPARE(activity.buckets[0].dlqDepth, 3);
        QCOMPARE(activity.buckets[1].dlqDepth, 2);
        QCOMPARE(activity.buckets[2].dlqDepth, 3);
    }

    void schemaV7IndexesServeTheConsole() {
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(QStringLiteral("signalbox.db"));
        QVERIFY2(Store::migrateTo(path, 6, &error), qPrintable(error));
        {
            auto db = SqliteConnection::open(path, SqliteConnection::Mode::ReadWriteCreate, &error);
            QVERIFY2(db, qPrintable(error));
            QVERIFY2(
                db->exec(
                    "INSERT INTO runs (id, workflow, status, created_at_ms) VALUES ('r_6', 'w', 'failed', 5);"
                    "INSERT INTO task_instances (run_id, idx, task_id, repo, status, finished_at_ms)"
                    " VALUES ('r_6', 0, 't', 'billing', 'failed', 700);",
                    &error),
                qPrintable(error));
        }
        QVERIFY2(Store::migrateTo(path, 7, &error), qPrintable(error));
        auto store = Store::open(dir.path(), &error);
        QVERIFY2(store, qPrintable(error));
        const QList<RepoLastResult> last = store->lastResults({QStringLiteral("billing")});
        QCOMPARE(last.size(), 1);
        QCOMPARE(last[0].finishedAtMs, 700);

        const QString byRepo =
            planOf(path, "SELECT i.run_id FROM task_instances i WHERE i.repo = 'billing'"
                         " AND i.finished_at_ms > 0 ORDER BY i.finished_at_ms DESC LIMIT 1");
        QVERIFY2(byRepo.contains(QStringLiteral("task_instances_by_repo")), qPrintable(byRepo));
        const QString byFinish =
            planOf(path, "SELECT (finished_at_ms - 0) / 60000, count(*) FROM task_instances"
                         " WHERE finished_at_ms >= 0 AND finished_at_ms < 1000 GROUP BY 1");
        QVERIFY2(byFinish.contains(QStringLiteral("task_instances_by_finished")), qPrintable(byFinish));
    }
};

QTEST_GUILESS_MAIN(TestStoreConsoleReads)
#include "tst_store_console_reads.moc"
