// The dead letter queue service on a real store and engine: failures become entries,
// the processor retries what is due (on a ManualClock, never real minutes), retries that
// succeed complete the entry and let the run's skipped dependents run, failures count
// toward exhaustion, capacity never drops a failure, edit-and-retry keeps the original,
// bulk jobs are throttled and continue after a restart. The no-op pool gives exact control
// over outcomes; one test runs real processes end to end.

#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "dlq/history.h"
#include "domain/clock.h"
#include "engine/noop_launcher.h"
#include "engine_fixture.h"
#include "pools/local_launcher.h"

#include <QSignalSpy>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::engine;
using namespace signalbox::dlq;
using signalbox::engine::testing::EngineFixture;

namespace {

constexpr qint64 kMinute = 60'000;

// A clock the test turns; uninstalled when the test ends (also on failure).
struct ClockGuard {
    ManualClock clock;
    ClockGuard() { Clock::install(&clock); }
    ~ClockGuard() { Clock::install(nullptr); }
};

NoopLauncher* addNoop(Engine& engine, int capacity = 0) {
    auto* launcher = new NoopLauncher(capacity);
    launcher->setRecording(true);
    engine.addPool(QStringLiteral("local"), launcher);
    return launcher;
}

// check runs per repo, report after all checks; `policy` is the check task's dlq_policy.
QByteArray checkWorkflow(const QStringList& repoPaths, const QByteArray& policy = {}) {
    QByteArray yaml = "name: nightly\nrepos:\n";
    for (const QString& path : repoPaths)
        yaml += "  - " + path.toUtf8() + "\n";
    yaml += "tasks:\n  - id: check\n    for_each: repos\n    run: [\"check\", \"{{repo.name}}\"]\n";
    if (!policy.isEmpty())
        yaml += "    dlq_policy: " + policy + "\n";
    yaml += "  - id: report\n    needs: [check]\n    run: [\"report\"]\n";
    return yaml;
}

QList<DeadLetter> allEntries(store::Store& store) {
    store.sync();
    DlqPageRequest page;
    page.limit = 1000;
    page.sort.descending = false;
    return store.dlqEntries({}, page);
}

struct QueueFixture {
    EngineFixture f;
    NoopLauncher* noop = nullptr;
    std::unique_ptr<DeadLetterQueue> queue;

    explicit QueueFixture(bool noopPool = true) {
        if (noopPool)
            noop = addNoop(*f.engine);
    }
    void makeQueue() { queue = std::make_unique<DeadLetterQueue>(*f.store, *f.engine); }

    QStringList repos(const QStringList& names) {
        QStringList paths;
        for (const QString& name : names)
            paths.append(f.makeRepo(name));
        return paths;
    }

    QString runChecks(const QStringList& names, const QByteArray& policy = {}) {
        const QString file =
            f.writeWorkflow(QStringLiteral("nightly.yaml"), checkWorkflow(repos(names), policy));
        const QString id = f.startFile(file);
        if (id.isEmpty() || !f.waitFinished(id))
            return {};
        f.store->sync();
        return id;
    }

    // Every `check` instance exits 1 (a permanent failure): one dead letter per repo.
    void failEveryCheck() {
        NoopLauncher::Script fails;
        fails.exitCode = 1;
        noop->setScript(QStringLiteral("check"), fails);
    }

    bool setMaxRetries(int maxRetries, int parallelism = 4) {
        DlqSettings settings = queue->settings();
        settings.maxRetries = maxRetries;
        settings.parallelism = parallelism;
        QString error;
        return queue->setSettings(settings, QStringLiteral("tester"), &error);
    }
};

bool waitRetry(QSignalSpy& spy, int count = 1) {
    return QTest::qWaitFor([&] { return spy.count() >= count; }, 30000);
}

} // namespace

class TestDlqQueue final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void failedInstanceBecomesAnEntryWithEverythingToRunItAgain() {
        QueueFixture q;
        q.makeQueue();
        NoopLauncher::Script fails;
        fails.exitCode = 1;
        fails.stdoutLines = {"compiling", "3 tests failed"};
        q.noop->setScript(QStringLiteral("gateway"), fails);
        const QString runId = q.runChecks({QStringLiteral("billing"), QStringLiteral("gateway")});
        QVERIFY(!runId.isEmpty());
        QCOMPARE(toString(q.f.finished.value(runId)), toString(RunStatus::Failed));

        const QList<DeadLetter> entries = allEntries(*q.f.store);
        QCOMPARE(entries.size(), 1);
        const std::optional<DeadLetter> entry = q.f.store->dlqEntry(entries.first().key);
        QVERIFY(entry);
        QCOMPARE(entry->runId, runId);
        QCOMPARE(entry->workflow, QStringLiteral("nightly"));
        QCOMPARE(entry->taskId, QStringLiteral("check"));
        QCOMPARE(entry->repo, QStringLiteral("gateway"));
        QCOMPARE(toString(entry->status), QStringLiteral("pending"));
        QCOMPARE(toString(entry->category), QStringLiteral("permanent"));
        QCOMPARE(toString(entry->policy), QStringLiteral("never"));
        QCOMPARE(entry->attempts, 1);
        QCOMPARE(entry->maxRetries, 3);
        QCOMPARE(entry->error, QStringLiteral("exit code 1"));
        QCOMPARE(entry->exitCode, std::optional<int>(1));
        QVERIFY(!entry->nextRetryAtMs); // policy never: manual only
        QCOMPARE(entry->original.argv, (QStringList{QStringLiteral("check"), QStringLiteral("gateway")}));
        QCOMPARE(entry->original.pool, QStringLiteral("local"));
        QVERIFY(entry->original.workingDir.endsWith(QStringLiteral("gateway")));
        QCOMPARE(entry->original.env.value(QStringLiteral("SIGNALBOX_TASK_ID")), QStringLiteral("check"));
        QVERIFY(entry->outputTail.contains(QStringLiteral("3 tests failed")));
        QVERIFY(!entry->signature.isEmpty());
        const QList<HistoryEvent> history = parseHistory(entry->historyJson);
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().event, QStringLiteral("enqueued"));
        QCOMPARE(q.queue->stats().lifetime.enqueued, qint64(1));
        QCOMPARE(q.queue->stats().maxSize, 10'000);
    }

    void selectiveStrategyEnqueuesOnlyTheCategoriesItNames() {
        QueueFixture q;
        q.makeQueue();
        DlqSettings settings = q.queue->settings();
        settings.strategy = IntegrationStrategy::Selective;
        settings.selectiveCategories = {ErrorCategory::Resource};
        QString error;
        QVERIFY2(q.queue->setSettings(settings, QStringLiteral("tester"), &error), qPrintable(error));
        NoopLauncher::Script permanent;
        permanent.exitCode = 1;
        NoopLauncher::Script oom;
        oom.exitCode = 137;
        q.noop->setScript(QStringLiteral("a"), permanent);
        q.noop->setScript(QStringLiteral("b"), oom);
        QVERIFY(!q.runChecks({QStringLiteral("a"), QStringLiteral("b")}).isEmpty());
        const QList<DeadLetter> entries = allEntries(*q.f.store);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().repo, QStringLiteral("b"));
        QCOMPARE(toString(entries.first().category), QStringLiteral("resource"));
        QCOMPARE(toString(entries.first().policy), QStringLiteral("linear"));
    }

    void processorRetriesOnlyWhatIsDueAndASuccessLetsTheRunFinish() {
        ClockGuard time;
        QueueFixture q;
        q.makeQueue();
        NoopLauncher::Script flaky;
        flaky.failFirst = 1; // fails once, then succeeds
        q.noop->setScript(QStringLiteral("gateway"), flaky);
        const QString runId =
            q.runChecks({QStringLiteral("billing"), QStringLiteral("gateway")}, "exponential");
        QVERIFY(!runId.isEmpty());
        QCOMPARE(toString(q.f.instance(runId, QStringLiteral("report")).status), QStringLiteral("skipped"));
        DeadLetter entry = allEntries(*q.f.store).first();
        QCOMPARE(toString(entry.policy), QStringLiteral("exponential"));
        QCOMPARE(entry.nextRetryAtMs, std::optional<qint64>(time.clock.nowMs() + kMinute));

        QCOMPARE(q.queue->processDue(), 0); // not due yet
        time.clock.advance(kMinute - 1);
        QCOMPARE(q.queue->processDue(), 0);
        time.clock.advance(1);
        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);
        q.f.finished.clear();
        QCOMPARE(q.queue->processDue(), 1);
        QVERIFY(waitRetry(finished));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QVERIFY(q.f.waitFinished(runId));
        q.f.store->sync();

        entry = *q.f.store->dlqEntry(entry.key);
        QCOMPARE(toString(entry.status), QStringLiteral("completed"));
        QCOMPARE(toString(q.f.store->run(runId)->status), QStringLiteral("succeeded"));
        QCOMPARE(toString(q.f.instance(runId, QStringLiteral("report")).status), QStringLiteral("succeeded"));
        const QList<HistoryEvent> history = parseHistory(entry.historyJson);
        QCOMPARE(history.last().event, QStringLiteral("retry-succeeded"));
        QCOMPARE(history.at(history.size() - 2).actor, QStringLiteral("auto"));
        QCOMPARE(q.queue->stats().lifetime.retrySuccess, qint64(1));
        QCOMPARE(q.queue->stats().lifetime.manualRetries, qint64(0));
        QCOMPARE(q.queue->processDue(), 0); // completed entries are never retried
    }

    void failedRetriesScheduleTheNextOneUntilExhausted() {
        ClockGuard time;
        QueueFixture q;
        q.makeQueue();
        QVERIFY(q.setMaxRetries(2));
        NoopLauncher::Script broken;
        broken.exitCode = 1;
        q.noop->setScript(QStringLiteral("gateway"), broken);
        QVERIFY(!q.runChecks({QStringLiteral("gateway")}, "linear").isEmpty());
        const qint64 key = allEntries(*q.f.store).first().key;
        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);

        time.clock.advance(5 * kMinute); // linear: 5 min, then 10 min
        QCOMPARE(q.queue->processDue(), 1);
        QVERIFY(waitRetry(finished, 1));
        q.f.store->sync();
        DeadLetter entry = *q.f.store->dlqEntry(key);
        QCOMPARE(toString(entry.status), QStringLiteral("pending"));
        QCOMPARE(entry.attempts, 2);
        QCOMPARE(entry.nextRetryAtMs, std::optional<qint64>(time.clock.nowMs() + 10 * kMinute));

        time.clock.advance(10 * kMinute - 1);
        QCOMPARE(q.queue->processDue(), 0);
        time.clock.advance(1);
        QCOMPARE(q.queue->processDue(), 1);
        QVERIFY(waitRetry(finished, 2));
        q.f.store->sync();
        entry = *q.f.store->dlqEntry(key);
        QCOMPARE(toString(entry.status), QStringLiteral("exhausted"));
        QCOMPARE(entry.attempts, 3);
        QVERIFY(!entry.nextRetryAtMs);
        time.clock.advance(24 * 60 * kMinute);
        QCOMPARE(q.queue->processDue(), 0); // exhausted: manual only
        const DlqStats stats = q.queue->stats();
        QCOMPARE(stats.lifetime.retryFailed, qint64(2));
        QCOMPARE(stats.lifetime.exhausted, qint64(1));
        QCOMPARE(stats.byStatus.value(QStringLiteral("exhausted")), 1);

        // A manual retry still works on an exhausted entry.
        q.noop->clearScripts();
        QString error;
        QVERIFY2(q.queue->retry({key}, QStringLiteral("tester"), &error), qPrintable(error));
        QVERIFY(waitRetry(finished, 3));
        q.f.store->sync();
        QCOMPARE(toString(q.f.store->dlqEntry(key)->status), QStringLiteral("completed"));
        QCOMPARE(q.queue->stats().lifetime.manualRetries, qint64(1));
    }

    void manualRetryRefusesUnknownAndCompletedEntriesChangingNothing() {
        QueueFixture q;
        q.makeQueue();
        NoopLauncher::Script fails;
        fails.failFirst = 1;
        q.noop->setScript(QStringLiteral("a"), fails);
        q.noop->setScript(QStringLiteral("b"), fails);
        QVERIFY(!q.runChecks({QStringLiteral("a"), QStringLiteral("b")}).isEmpty());
        const QList<DeadLetter> entries = allEntries(*q.f.store);
        QCOMPARE(entries.size(), 2);
        QString error;
        QVERIFY(!q.queue->retry({entries[0].key, 999'999}, QStringLiteral("tester"), &error));
        QVERIFY2(error.contains(QStringLiteral("unknown dead letter 'd_999999'")), qPrintable(error));
        QCOMPARE(q.queue->retriesInFlight(), 0);
        QCOMPARE(toString(q.f.store->dlqEntry(entries[0].key)->status), QStringLiteral("pending"));

        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);
        QVERIFY2(q.queue->retry({entries[0].key}, QStringLiteral("tester"), &error), qPrintable(error));
        QVERIFY(waitRetry(finished));
        q.f.store->sync();
        QVERIFY(!q.queue->retry({entries[1].key, entries[0].key}, QStringLiteral("tester"), &error));
        QVERIFY2(error.contains(QStringLiteral("completed")), qPrintable(error));
        QCOMPARE(toString(q.f.store->dlqEntry(entries[1].key)->status), QStringLiteral("pending"));

        q.f.store->sync();
        const QList<AuditRecord> audit = q.f.store->audit(10);
        QVERIFY(!audit.isEmpty());
        QCOMPARE(audit.first().action, QStringLiteral("retry"));
        QCOMPARE(audit.first().actor, QStringLiteral("tester"));
    }

    void editAndRetryValidatesAndKeepsTheOriginal() {
        QueueFixture q;
        q.makeQueue();
        q.failEveryCheck();
        QVERIFY(!q.runChecks({QStringLiteral("gateway")}).isEmpty());
        const DeadLetter before = *q.f.store->dlqEntry(allEntries(*q.f.store).first().key);

        RecipeEdit bad;
        bad.workingDir = q.f.path(QStringLiteral("does-not-exist"));
        QString error;
        QVERIFY(!q.queue->editAndRetry(before.key, bad, QStringLiteral("tester"), &error));
        QVERIFY2(error.contains(QStringLiteral("working")), qPrintable(error));
        QVERIFY(!q.f.store->dlqEntry(before.key)->edited);

        RecipeEdit good;
        good.argv = QStringList{QStringLiteral("check-fixed"), QStringLiteral("gateway")};
        good.env = QMap<QString, QString>{{QStringLiteral("STRICT"), QStringLiteral("0")}};
        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);
        QVERIFY2(q.queue->editAndRetry(before.key, good, QStringLiteral("tester"), &error),
                 qPrintable(error));
        QVERIFY(waitRetry(finished));
        QCOMPARE(finished.first().at(1).toBool(), true);
        const LaunchSpec retried = q.noop->history().at(1); // then the report it unblocked
        QCOMPARE(retried.argv.first(), QStringLiteral("check-fixed"));
        QCOMPARE(retried.env.value(QStringLiteral("STRICT")), QStringLiteral("0"));
        QCOMPARE(retried.env.value(QStringLiteral("SIGNALBOX_TASK_ID")), QStringLiteral("check"));
        q.f.store->sync();
        const DeadLetter after = *q.f.store->dlqEntry(before.key);
        QCOMPARE(after.original, before.original); // the original is kept
        QVERIFY(after.edited);
        QCOMPARE(after.edited->argv.first(), QStringLiteral("check-fixed"));
        QStringList events;
        for (const HistoryEvent& event : parseHistory(after.historyJson))
            events.append(event.event);
        QCOMPARE(events, (QStringList{QStringLiteral("enqueued"), QStringLiteral("edited"),
                                      QStringLiteral("retry-started"), QStringLiteral("retry-succeeded")}));
    }

    void aFullQueueEvictsFinishedEntriesButNeverDropsAFailure() {
        QueueFixture q;
        q.makeQueue();
        DlqSettings settings = q.queue->settings();
        settings.maxSize = DlqSettings::kMinMaxSize;
        QString error;
        QVERIFY(q.queue->setSettings(settings, QStringLiteral("tester"), &error));
        q.failEveryCheck();
        QStringList names;
        for (int i = 0; i < DlqSettings::kMinMaxSize; ++i)
            names.append(QStringLiteral("r%1").arg(i, 3, 10, QLatin1Char('0')));
        QVERIFY(!q.runChecks(names).isEmpty());
        QList<DeadLetter> entries = allEntries(*q.f.store);
        QCOMPARE(entries.size(), DlqSettings::kMinMaxSize);
        QVERIFY(q.queue->archive({entries[0].key, entries[1].key}, QStringLiteral("tester"), &error));

        // Three more failures: two archived entries make room, the third is kept anyway.
        QSignalSpy over(q.queue.get(), &DeadLetterQueue::overCapacity);
        const QString file = q.f.writeWorkflow(
            QStringLiteral("more.yaml"),
            checkWorkflow(q.repos({QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("x3")})));
        const QString runId = q.f.startFile(file);
        QVERIFY(q.f.waitFinished(runId));
        QVERIFY(QTest::qWaitFor([&] { return over.count() > 0; }, 10000));
        q.f.store->sync();
        const DlqStats stats = q.queue->stats();
        QCOMPARE(stats.size, qint64(DlqSettings::kMinMaxSize) + 1);
        QCOMPARE(stats.byStatus.value(QStringLiteral("archived")), 0);
        QCOMPARE(stats.lifetime.evicted, qint64(2));
        QCOMPARE(stats.lifetime.enqueued, qint64(DlqSettings::kMinMaxSize) + 3);
        QVERIFY(stats.utilization > 1.0);
        QVERIFY(!q.f.store->dlqEntry(entries[0].key));
        QVERIFY(q.f.store->dlqEntry(entries[2].key)); // an active entry is never evicted
    }

    void purgeRefusesActiveEntriesAndDeletesArchivedOnes() {
        QueueFixture q;
        q.makeQueue();
        q.failEveryCheck();
        QVERIFY(!q.runChecks({QStringLiteral("a"), QStringLiteral("b")}).isEmpty());
        const QList<DeadLetter> entries = allEntries(*q.f.store);
        QString error;
        QVERIFY(!q.queue->purge({entries[0].key}, QStringLiteral("tester"), &error));
        QVERIFY2(error.contains(QStringLiteral("only archived entries can be purged")), qPrintable(error));
        QVERIFY(q.f.store->dlqEntry(entries[0].key));
        QCOMPARE(q.queue->archive({entries[0].key}, QStringLiteral("tester"), &error), std::optional<int>(1));
        q.f.store->sync();
        QCOMPARE(q.queue->purge({entries[0].key}, QStringLiteral("tester"), &error), std::optional<int>(1));
        q.f.store->sync();
        QVERIFY(!q.f.store->dlqEntry(entries[0].key));
        QCOMPARE(q.queue->stats().lifetime.archived, qint64(1));
        QCOMPARE(q.queue->stats().size, qint64(1));
    }

    void aRetryLeftRunningByADeadProcessIsDueAgainAfterRecovery() {
        QueueFixture q;
        q.makeQueue();
        q.failEveryCheck();
        QVERIFY(!q.runChecks({QStringLiteral("a")}).isEmpty());
        const qint64 key = allEntries(*q.f.store).first().key;
        // What a process that died mid-retry leaves behind.
        store::DlqUpdate update;
        update.key = key;
        update.status = DlqStatus::Retrying;
        update.updatedAtMs = Clock::instance().nowMs();
        q.f.store->dlqUpdate({update});
        q.f.store->sync();

        q.queue.reset();
        q.makeQueue();
        QCOMPARE(q.queue->recover(), 1);
        const DeadLetter entry = *q.f.store->dlqEntry(key);
        QCOMPARE(toString(entry.status), QStringLiteral("pending"));
        QVERIFY(entry.nextRetryAtMs && *entry.nextRetryAtMs <= Clock::instance().nowMs());
        QCOMPARE(parseHistory(entry.historyJson).last().event, QStringLiteral("interrupted"));

        // The crash also left the instance `interrupted` (not `failed`): it is retried all the same.
        InstanceRecord instance = q.f.store->instances(entry.runId).at(entry.index);
        instance.status = InstanceStatus::Interrupted;
        q.f.store->updateInstance(instance);
        q.f.store->sync();
        q.noop->clearScripts();
        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);
        QString error;
        QVERIFY2(q.queue->retry({key}, QStringLiteral("tester"), &error), qPrintable(error));
        QVERIFY(waitRetry(finished));
        QCOMPARE(finished.first().at(1).toBool(), true);
        q.f.store->sync();
        QCOMPARE(toString(q.f.store->dlqEntry(key)->status), QStringLiteral("completed"));
        QCOMPARE(q.f.store->dlqEntry(key)->attempts, 1); // the cut-short retry did not count
    }

    void aBulkRetryIsThrottledAndRecordsEveryEntrysResult() {
        QueueFixture q;
        q.makeQueue();
        QVERIFY(q.setMaxRetries(3, 2));
        NoopLauncher::Script once;
        once.failFirst = 1;
        NoopLauncher::Script always;
        always.exitCode = 1;
        QStringList names;
        for (int i = 0; i < 8; ++i)
            names.append(QStringLiteral("r%1").arg(i));
        for (const QString& name : std::as_const(names))
            q.noop->setScript(name, name == QStringLiteral("r7") ? always : once);
        QVERIFY(!q.runChecks(names).isEmpty());
        QCOMPARE(allEntries(*q.f.store).size(), 8);

        // A fresh pool for the retries, so its maxInFlight counts only them.
        NoopLauncher* pool = addNoop(*q.f.engine);
        pool->setScript(QStringLiteral("r7"), always);
        BulkJobRunner runner(*q.f.store, *q.queue);
        QSignalSpy finished(&runner, &BulkJobRunner::jobFinished);
        DlqFilter filter;
        filter.statuses = {DlqStatus::Pending};
        QString error;
        const std::optional<BulkJob> job =
            runner.start(BulkAction::Retry, filter, QStringLiteral("--filter-status pending"),
                         QStringLiteral("tester"), &error);
        QVERIFY2(job, qPrintable(error));
        QCOMPARE(job->total, qint64(8));
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 1; }, 30000));
        const BulkJob done = finished.first().first().value<BulkJob>();
        QCOMPARE(toString(done.state), QStringLiteral("done"));
        QCOMPARE(done.succeeded, qint64(7));
        QCOMPARE(done.failed, qint64(1));
        QCOMPARE(pool->started(), 8);
        QCOMPARE(pool->maxInFlight(), 2); // the queue's parallelism
        const QList<BulkJobItem> failed = q.f.store->dlqJobItems(done.key, ItemResult::Failed, 0, 10);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().message, QStringLiteral("exit code 1"));
        QVERIFY(runner.isIdle());

        // A filter that matches nothing: refused with a clear line, and no job is made.
        filter.statuses = {DlqStatus::Exhausted};
        QVERIFY(!runner.start(BulkAction::Retry, filter, QStringLiteral("--filter-status exhausted"),
                              QStringLiteral("tester"), &error));
        QCOMPARE(q.f.store->dlqJobs(false, 10).size(), 1);
        QVERIFY2(error.contains(QStringLiteral("no dead letters match")), qPrintable(error));
    }

    void aJobLeftUnfinishedContinuesInTheNextRunner() {
        QueueFixture q;
        q.makeQueue();
        q.failEveryCheck();
        QVERIFY(!q.runChecks({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}).isEmpty());
        // A job created by a process that died before running it.
        BulkJob job;
        job.action = BulkAction::Archive;
        job.state = JobState::Running;
        job.actor = QStringLiteral("tester");
        job.selector = QStringLiteral("--filter-repo b");
        job.createdAtMs = Clock::instance().nowMs();
        DlqFilter filter;
        filter.repo = QStringLiteral("b");
        QString error;
        const std::optional<BulkJob> created = q.f.store->dlqCreateJob(job, filter, &error);
        QVERIFY2(created, qPrintable(error));
        QCOMPARE(created->total, qint64(1));

        BulkJobRunner runner(*q.f.store, *q.queue);
        QSignalSpy finished(&runner, &BulkJobRunner::jobFinished);
        QCOMPARE(runner.resumeUnfinished(), 1);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 1; }, 30000));
        q.f.store->sync();
        DlqFilter archived;
        archived.statuses = {DlqStatus::Archived};
        QCOMPARE(q.f.store->dlqCount(archived), qint64(1));
        QCOMPARE(q.f.store->dlqJob(created->key)->succeeded, qint64(1));
    }

    void realProcessesRetrySucceedsAfterTheCauseIsFixed() {
        QueueFixture q(false);
        q.f.engine->addPool(QStringLiteral("local"), new pools::LocalLauncher(2));
        q.makeQueue();
        const QString repo = q.f.makeRepo(QStringLiteral("billing"));
        const QString file = q.f.writeWorkflow(QStringLiteral("real.yaml"), QByteArray(R"(name: real
repos:
  - )") + repo.toUtf8() + R"(
tasks:
  - id: test
    for_each: repos
    run: ["sh", "-c", "echo checking; test -f fixed || { echo 'fixed is missing' >&2; exit 3; }"]
  - id: report
    needs: [test]
    run: ["sh", "-c", "echo done"]
)");
        const QString runId = q.f.startFile(file);
        QVERIFY(q.f.waitFinished(runId));
        QCOMPARE(toString(q.f.finished.value(runId)), toString(RunStatus::Failed));
        q.f.store->sync();
        const DeadLetter entry = allEntries(*q.f.store).first();
        QCOMPARE(entry.error, QStringLiteral("exit code 3"));
        QVERIFY(q.f.store->dlqEntry(entry.key)->outputTail.contains(QStringLiteral("fixed is missing")));

        QFile fixed(repo + QStringLiteral("/fixed"));
        QVERIFY(fixed.open(QIODevice::WriteOnly));
        fixed.close();
        q.f.finished.clear();
        QSignalSpy finished(q.queue.get(), &DeadLetterQueue::retryFinished);
        QString error;
        QVERIFY2(q.queue->retry({entry.key}, QStringLiteral("tester"), &error), qPrintable(error));
        QVERIFY(waitRetry(finished));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QVERIFY(q.f.waitFinished(runId));
        QCOMPARE(toString(q.f.finished.value(runId)), toString(RunStatus::Succeeded));
        q.f.store->sync();
        QCOMPARE(toString(q.f.instance(runId, QStringLiteral("report")).status), QStringLiteral("succeeded"));
        QCOMPARE(toString(q.f.store->dlqEntry(entry.key)->status), QStringLiteral("completed"));
    }
};

QTEST_GUILESS_MAIN(TestDlqQueue)
#include "tst_dlq_queue.moc"
