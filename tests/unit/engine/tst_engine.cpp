// The engine's state machine with the no-op pool: DAG order, per-repo fan-out edges,
// failure and skipping, retries, max_concurrent, cancellation, resume, and that every
// announcement comes after the change committed.

#include "engine/noop_launcher.h"
#include "engine/run_json.h"
#include "engine_fixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::engine;
using signalbox::engine::testing::EngineFixture;

namespace {

// Position of the first start whose argv contains `word` (-1 when never started).
int startPosition(const NoopLauncher& launcher, const QString& word) {
    const auto& history = launcher.history();
    for (qsizetype i = 0; i < history.size(); ++i) {
        if (history[i].argv.contains(word))
            return static_cast<int>(i);
    }
    return -1;
}

int startCount(const NoopLauncher& launcher, const QString& word) {
    int count = 0;
    for (const LaunchSpec& spec : launcher.history())
        count += spec.argv.contains(word) ? 1 : 0;
    return count;
}

NoopLauncher* addNoop(Engine& engine, int capacity = 0) {
    auto* launcher = new NoopLauncher(capacity);
    launcher->setRecording(true);
    engine.addPool(QStringLiteral("local"), launcher);
    return launcher;
}

QByteArray fanOutYaml(const QStringList& repos, const QByteArray& extra = {}) {
    QByteArray yaml = "name: fanout\nrepos:\n";
    for (const QString& repo : repos)
        yaml += "  - " + repo.toUtf8() + "\n";
    yaml += extra;
    return yaml;
}

} // namespace

class TestEngine final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsTasksInDependencyOrder() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        const QString file = f.writeWorkflow(QStringLiteral("dag.yaml"), R"(name: dag
tasks:
  - id: d
    needs: [a]
    run: ["step", "d"]
  - id: c
    needs: [b]
    run: ["step", "c"]
  - id: b
    needs: [a]
    run: ["step", "b"]
  - id: a
    run: ["step", "a"]
)");
        const QString id = f.startFile(file);
        QVERIFY(!id.isEmpty());
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QCOMPARE(noop->started(), 4);
        QVERIFY(startPosition(*noop, QStringLiteral("a")) < startPosition(*noop, QStringLiteral("b")));
        QVERIFY(startPosition(*noop, QStringLiteral("b")) < startPosition(*noop, QStringLiteral("c")));
        QVERIFY(startPosition(*noop, QStringLiteral("a")) < startPosition(*noop, QStringLiteral("d")));
        const std::optional<RunRecord> run = f.store->run(id);
        QVERIFY(run);
        QCOMPARE(toString(run->status), toString(RunStatus::Succeeded));
        QVERIFY(run->startedAtMs > 0);
        QVERIFY(run->finishedAtMs >= run->startedAtMs);
        for (const InstanceRecord& rec : f.store->instances(id)) {
            QCOMPARE(toString(rec.status), toString(InstanceStatus::Succeeded));
            QCOMPARE(rec.attempts, 1);
            QCOMPARE(rec.exitCode, std::optional<int>(0));
            QCOMPARE(f.store->attempts(id, rec.index).size(), 1);
        }
        QVERIFY(f.engine->activeRuns().isEmpty());
    }

    void fanOutDependenciesArePerRepo() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        const QStringList repos{f.makeRepo(QStringLiteral("r1")), f.makeRepo(QStringLiteral("r2")),
                                f.makeRepo(QStringLiteral("r3"))};
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("lint-r2"), hold);
        const QString file = f.writeWorkflow(QStringLiteral("fan.yaml"), fanOutYaml(repos, R"(tasks:
  - id: lint
    for_each: repos
    run: ["lint", "lint-{{repo.name}}"]
  - id: test
    needs: [lint]
    for_each: repos
    run: ["test", "test-{{repo.name}}"]
  - id: report
    needs: [test]
    run: ["report"]
)"));
        const QString id = f.startFile(file);
        QVERIFY(!id.isEmpty());
        // test[r1] and test[r3] finish while lint[r2] is still running.
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("r1")).status),
                     toString(InstanceStatus::Succeeded));
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("r3")).status),
                     toString(InstanceStatus::Succeeded));
        QCOMPARE(toString(f.instance(id, QStringLiteral("lint"), QStringLiteral("r2")).status),
                 toString(InstanceStatus::Running));
        QCOMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("r2")).status),
                 toString(InstanceStatus::Pending));
        QCOMPARE(toString(f.instance(id, QStringLiteral("report")).status),
                 toString(InstanceStatus::Pending));
        QCOMPARE(startPosition(*noop, QStringLiteral("test-r2")), -1);
        QCOMPARE(startPosition(*noop, QStringLiteral("report")), -1);

        noop->releaseHeld();
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QVERIFY(startPosition(*noop, QStringLiteral("lint-r2")) <
                startPosition(*noop, QStringLiteral("test-r2")));
        QCOMPARE(startPosition(*noop, QStringLiteral("report")), noop->started() - 1);
        QCOMPARE(f.instance(id, QStringLiteral("test"), QStringLiteral("r2")).repo, QStringLiteral("r2"));
    }

    void aFailureSkipsItsDependentsAndOtherBranchesFinish() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        const QStringList repos{f.makeRepo(QStringLiteral("r1")), f.makeRepo(QStringLiteral("r2")),
                                f.makeRepo(QStringLiteral("r3"))};
        NoopLauncher::Script fail;
        fail.exitCode = 3;
        noop->setScript(QStringLiteral("lint-r2"), fail);
        const QString file = f.writeWorkflow(QStringLiteral("fail.yaml"), fanOutYaml(repos, R"(tasks:
  - id: lint
    for_each: repos
    run: ["lint", "lint-{{repo.name}}"]
  - id: test
    needs: [lint]
    for_each: repos
    run: ["test", "test-{{repo.name}}"]
  - id: deploy
    needs: [test]
    for_each: repos
    run: ["deploy", "deploy-{{repo.name}}"]
  - id: report
    needs: [test]
    run: ["report"]
  - id: docs
    run: ["docs"]
)"));
        const QString id = f.startFile(file);
        QVERIFY(!id.isEmpty());
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Failed));
        QCOMPARE(toString(f.store->run(id)->status), toString(RunStatus::Failed));

        const InstanceRecord failed = f.instance(id, QStringLiteral("lint"), QStringLiteral("r2"));
        QCOMPARE(toString(failed.status), toString(InstanceStatus::Failed));
        QCOMPARE(failed.exitCode, std::optional<int>(3));
        QCOMPARE(toString(failed.category), toString(ErrorCategory::Permanent));
        QCOMPARE(failed.error, QStringLiteral("exit code 3"));
        QCOMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("r2")).status),
                 toString(InstanceStatus::Skipped));
        QCOMPARE(toString(f.instance(id, QStringLiteral("deploy"), QStringLiteral("r2")).status),
                 toString(InstanceStatus::Skipped));
        QCOMPARE(toString(f.instance(id, QStringLiteral("report")).status),
                 toString(InstanceStatus::Skipped));
        for (const QString& repo : {QStringLiteral("r1"), QStringLiteral("r3")}) {
            QCOMPARE(toString(f.instance(id, QStringLiteral("test"), repo).status),
                     toString(InstanceStatus::Succeeded));
            QCOMPARE(toString(f.instance(id, QStringLiteral("deploy"), repo).status),
                     toString(InstanceStatus::Succeeded));
        }
        QCOMPARE(toString(f.instance(id, QStringLiteral("docs")).status),
                 toString(InstanceStatus::Succeeded));
        QCOMPARE(startCount(*noop, QStringLiteral("test-r2")), 0);
        QCOMPARE(startCount(*noop, QStringLiteral("report")), 0);

        // The CLI's JSON shape.
        const QList<InstanceRecord> instances = f.store->instances(id);
        const QJsonObject json = runToJson(*f.store->run(id), &instances);
        QCOMPARE(json.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(json.value(QStringLiteral("workflow")).toString(), QStringLiteral("fanout"));
        QVERIFY(json.value(QStringLiteral("started_at")).toString().endsWith(u'Z'));
        const QJsonArray tasks = json.value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), instances.size());
        bool sawFailed = false;
        bool sawReport = false;
        for (const QJsonValue& value : tasks) {
            const QJsonObject task = value.toObject();
            QCOMPARE(task.keys().size(), 8);
            if (task.value(QStringLiteral("status")).toString() == QStringLiteral("failed")) {
                sawFailed = true;
                QCOMPARE(task.value(QStringLiteral("category")).toString(), QStringLiteral("permanent"));
                QCOMPARE(task.value(QStringLiteral("exit_code")).toInt(), 3);
                QCOMPARE(task.value(QStringLiteral("repo")).toString(), QStringLiteral("r2"));
            } else {
                QVERIFY(task.value(QStringLiteral("category")).isNull());
            }
            if (task.value(QStringLiteral("task")).toString() == QStringLiteral("report")) {
                sawReport = true;
                QVERIFY(task.value(QStringLiteral("repo")).isNull());
                QVERIFY(task.value(QStringLiteral("exit_code")).isNull());
                QCOMPARE(task.value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));
            }
        }
        QVERIFY(sawFailed);
        QVERIFY(sawReport);
        const QJsonObject quality = json.value(QStringLiteral("quality")).toObject();
        QVERIFY(quality.value(QStringLiteral("score")).isNull());
        QVERIFY(quality.value(QStringLiteral("gate")).isNull());
        QVERIFY(quality.value(QStringLiteral("passed")).isNull());
        QVERIFY(!runToJson(*f.store->run(id), nullptr).contains(QStringLiteral("tasks")));
    }

    void retriesHappenInRunUpToTheLimit() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script flaky;
        flaky.failFirst = 2;
        noop->setScript(QStringLiteral("flaky"), flaky);
        NoopLauncher::Script broken;
        broken.failFirst = 100;
        broken.failExitCode = 2;
        noop->setScript(QStringLiteral("broken"), broken);
        const QString file = f.writeWorkflow(QStringLiteral("retry.yaml"), R"(name: retry
tasks:
  - id: flaky
    retries: 2
    run: ["flaky"]
  - id: broken
    retries: 1
    run: ["broken"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Failed));
        const InstanceRecord flakyRec = f.instance(id, QStringLiteral("flaky"));
        QCOMPARE(toString(flakyRec.status), toString(InstanceStatus::Succeeded));
        QCOMPARE(flakyRec.attempts, 3);
        const QList<AttemptRecord> attempts = f.store->attempts(id, flakyRec.index);
        QCOMPARE(attempts.size(), 3);
        QCOMPARE(attempts[0].exitCode, std::optional<int>(1));
        QCOMPARE(toString(attempts[0].category), toString(ErrorCategory::Permanent));
        QCOMPARE(attempts[2].exitCode, std::optional<int>(0));
        QCOMPARE(toString(attempts[2].category), toString(ErrorCategory::None));
        const InstanceRecord brokenRec = f.instance(id, QStringLiteral("broken"));
        QCOMPARE(toString(brokenRec.status), toString(InstanceStatus::Failed));
        QCOMPARE(brokenRec.attempts, 2);
        QCOMPARE(brokenRec.exitCode, std::optional<int>(2));
        QCOMPARE(f.store->attempts(id, brokenRec.index).size(), 2);
        QCOMPARE(startCount(*noop, QStringLiteral("broken")), 2);
    }

    void aScriptCanTargetOneLaunchToken() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script fail;
        fail.exitCode = 137;
        noop->setScriptForToken(1, fail); // the engine's first launch
        const QString file = f.writeWorkflow(QStringLiteral("token.yaml"), R"(name: token
tasks:
  - id: once
    retries: 1
    run: ["once"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        const InstanceRecord rec = f.instance(id, QStringLiteral("once"));
        QCOMPARE(rec.attempts, 2);
        const QList<AttemptRecord> attempts = f.store->attempts(id, rec.index);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(toString(attempts[0].category), toString(ErrorCategory::Resource));
    }

    void maxConcurrentIsNeverExceeded() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        QStringList repos;
        for (int i = 0; i < 30; ++i)
            repos.append(f.makeRepo(QStringLiteral("repo%1").arg(i)));
        const QString file =
            f.writeWorkflow(QStringLiteral("cap.yaml"), fanOutYaml(repos, R"(max_concurrent: 3
tasks:
  - id: build
    for_each: repos
    run: ["build"]
  - id: test
    for_each: repos
    needs: [build]
    run: ["test"]
)"));
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QCOMPARE(noop->started(), 60);
        QVERIFY2(noop->maxInFlight() <= 3, qPrintable(QString::number(noop->maxInFlight())));
        QCOMPARE(noop->maxInFlight(), 3);

        // --max-concurrent overrides the file.
        RunRequest request;
        request.workflowPath = file;
        request.maxConcurrent = 2;
        NoopLauncher* second = addNoop(*f.engine); // replaces "local"
        const QString id2 = f.start(request);
        QVERIFY(f.waitFinished(id2));
        QCOMPARE(second->started(), 60);
        QCOMPARE(second->maxInFlight(), 2);
        QCOMPARE(f.store->run(id2)->maxConcurrent, 2);
    }

    void poolCapacityLimitsAcrossRuns() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine, 2);
        QStringList repos;
        for (int i = 0; i < 10; ++i)
            repos.append(f.makeRepo(QStringLiteral("repo%1").arg(i)));
        const QString file = f.writeWorkflow(QStringLiteral("pool.yaml"), fanOutYaml(repos, R"(tasks:
  - id: build
    for_each: repos
    run: ["build"]
)"));
        const QString a = f.startFile(file);
        const QString b = f.startFile(file);
        QVERIFY(f.waitFinished(a));
        QVERIFY(f.waitFinished(b));
        QCOMPARE(noop->started(), 20);
        QCOMPARE(noop->maxInFlight(), 2);
    }

    void cancellingStopsRunningAndPendingWork() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        QStringList repos;
        for (int i = 0; i < 4; ++i)
            repos.append(f.makeRepo(QStringLiteral("repo%1").arg(i)));
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("slow"), hold);
        const QString file =
            f.writeWorkflow(QStringLiteral("cancel.yaml"), fanOutYaml(repos, R"(max_concurrent: 2
tasks:
  - id: slow
    for_each: repos
    run: ["slow"]
  - id: after
    for_each: repos
    needs: [slow]
    run: ["after"]
)"));
        const QString id = f.startFile(file);
        QTRY_COMPARE(noop->held(), 2);
        QVERIFY(f.engine->activeRuns().contains(id));
        QString error;
        QVERIFY(f.engine->cancelRun(id, &error));
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Cancelled));
        QCOMPARE(toString(f.store->run(id)->status), toString(RunStatus::Cancelled));
        QCOMPARE(noop->started(), 2);
        QCOMPARE(noop->held(), 0);
        for (const InstanceRecord& rec : f.store->instances(id))
            QCOMPARE(toString(rec.status), toString(InstanceStatus::Cancelled));
        QVERIFY(f.engine->activeRuns().isEmpty());
        QVERIFY(!f.engine->cancelRun(id, &error));
        QVERIFY(!error.isEmpty());
    }

    void anEngineGoingAwayRecordsWhatWasUnfinished() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("slow"), hold);
        const QString file = f.writeWorkflow(QStringLiteral("away.yaml"), R"(name: away
tasks:
  - id: slow
    run: ["slow"]
  - id: after
    needs: [slow]
    run: ["after"]
)");
        const QString interrupted = f.startFile(file);
        const QString cancelling = f.startFile(file);
        QTRY_COMPARE(noop->held(), 2);
        QString error;
        QVERIFY(f.engine->cancelRun(cancelling, &error));
        f.restartEngine(); // before the pool reported the cancelled launch
        QCOMPARE(toString(f.store->run(interrupted)->status), toString(RunStatus::Interrupted));
        QCOMPARE(toString(f.instance(interrupted, QStringLiteral("slow")).status),
                 toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(f.instance(interrupted, QStringLiteral("after")).status),
                 toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(f.store->run(cancelling)->status), toString(RunStatus::Cancelled));
        QCOMPARE(toString(f.instance(cancelling, QStringLiteral("slow")).status),
                 toString(InstanceStatus::Cancelled));
        QCOMPARE(toString(f.instance(cancelling, QStringLiteral("after")).status),
                 toString(InstanceStatus::Cancelled));
    }

    void resumeNeverRerunsSucceededInstances() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        QStringList repos;
        for (int i = 0; i < 3; ++i)
            repos.append(f.makeRepo(QStringLiteral("repo%1").arg(i)));
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("test-repo1"), hold);
        NoopLauncher::Script fail;
        fail.exitCode = 1;
        noop->setScript(QStringLiteral("test-repo2"), fail);
        const QString file = f.writeWorkflow(QStringLiteral("resume.yaml"), fanOutYaml(repos, R"(tasks:
  - id: build
    for_each: repos
    run: ["build", "build-{{repo.name}}"]
  - id: test
    for_each: repos
    needs: [build]
    run: ["test", "test-{{repo.name}}"]
  - id: publish
    for_each: repos
    needs: [test]
    run: ["publish", "publish-{{repo.name}}"]
  - id: report
    needs: [publish]
    run: ["report"]
)"));
        const QString id = f.startFile(file);
        QTRY_COMPARE(noop->inFlight(), 1);
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("publish"), QStringLiteral("repo0")).status),
                     toString(InstanceStatus::Succeeded));
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("repo2")).status),
                     toString(InstanceStatus::Failed));

        // The process dies (engine destroyed): what ran is interrupted.
        f.restartEngine();
        QCOMPARE(toString(f.store->run(id)->status), toString(RunStatus::Interrupted));
        QCOMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("repo1")).status),
                 toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(f.instance(id, QStringLiteral("publish"), QStringLiteral("repo1")).status),
                 toString(InstanceStatus::Interrupted));
        QCOMPARE(toString(f.instance(id, QStringLiteral("publish"), QStringLiteral("repo2")).status),
                 toString(InstanceStatus::Skipped));

        // Even though the file changed on disk, resume works from the snapshot.
        f.writeWorkflow(QStringLiteral("resume.yaml"), "name: something-else\ntasks: []\n");
        NoopLauncher* again = addNoop(*f.engine);
        QString error;
        QVERIFY2(f.engine->resumeRun(id, &error), qPrintable(error));
        QVERIFY(f.waitFinished(id));
        // test[repo2] failed: it stays failed, its dependents stay skipped, the run fails.
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Failed));
        QCOMPARE(again->started(), 2); // test[repo1], publish[repo1]; report stays skipped
        QCOMPARE(startCount(*again, QStringLiteral("test-repo1")), 1);
        QCOMPARE(startCount(*again, QStringLiteral("publish-repo1")), 1);
        QCOMPARE(startCount(*again, QStringLiteral("build-repo0")), 0);
        QCOMPARE(startCount(*again, QStringLiteral("test-repo2")), 0);
        QCOMPARE(toString(f.instance(id, QStringLiteral("test"), QStringLiteral("repo2")).status),
                 toString(InstanceStatus::Failed));
        QCOMPARE(toString(f.instance(id, QStringLiteral("publish"), QStringLiteral("repo2")).status),
                 toString(InstanceStatus::Skipped));
        QCOMPARE(toString(f.instance(id, QStringLiteral("report")).status),
                 toString(InstanceStatus::Skipped));
        QCOMPARE(f.instance(id, QStringLiteral("test"), QStringLiteral("repo1")).attempts, 2);
        QCOMPARE(f.instance(id, QStringLiteral("build"), QStringLiteral("repo0")).attempts, 1);

        // A dead letter retry of the failed instance that now succeeds lets the skipped run.
        again->clearScripts();
        const int failedIndex = f.instance(id, QStringLiteral("test"), QStringLiteral("repo2")).index;
        const int succeededIndex = f.instance(id, QStringLiteral("build"), QStringLiteral("repo0")).index;
        QVERIFY(!f.engine->retryInstances(id, {succeededIndex}, &error)); // only failed ones
        QVERIFY2(error.contains(QStringLiteral("not failed")), qPrintable(error));
        QVERIFY(!f.engine->retryInstances(id, {9999}, &error));
        f.finished.clear();
        QVERIFY2(f.engine->retryInstances(id, {failedIndex}, &error), qPrintable(error));
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QCOMPARE(toString(f.store->run(id)->status), toString(RunStatus::Succeeded));
        QCOMPARE(startCount(*again, QStringLiteral("build-repo2")), 0);
        QCOMPARE(startCount(*again, QStringLiteral("test-repo2")), 1);
        QCOMPARE(startCount(*again, QStringLiteral("publish-repo2")), 1);
        QCOMPARE(startCount(*again, QStringLiteral("report")), 1);
        QCOMPARE(again->started(), 2 + 3);

        // A succeeded run has nothing to resume.
        QVERIFY(!f.engine->resumeRun(id, &error));
        QVERIFY(!error.isEmpty());
    }

    void resumeUsesTheReposRecordedWithTheRun() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        const QString one = f.makeRepo(QStringLiteral("one"));
        const QString two = f.makeRepo(QStringLiteral("two"));
        const QString file = f.writeWorkflow(QStringLiteral("repos.yaml"), R"(name: repos
tasks:
  - id: check
    for_each: repos
    run: ["check", "check-{{repo.name}}"]
)");
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("check-two"), hold);
        RunRequest request;
        request.workflowPath = file;
        request.repoPaths = {one, two};
        const QString id = f.start(request);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE(noop->inFlight(), 1);
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("check"), QStringLiteral("one")).status),
                     toString(InstanceStatus::Succeeded));
        f.restartEngine();

        NoopLauncher* again = addNoop(*f.engine);
        QString error;
        QVERIFY2(f.engine->resumeRun(id, &error), qPrintable(error));
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QCOMPARE(again->started(), 1);
        QCOMPARE(startCount(*again, QStringLiteral("check-two")), 1);
        QCOMPARE(QFileInfo(again->history().first().workingDir).canonicalFilePath(),
                 QFileInfo(two).canonicalFilePath());
    }

    void retryingAFailedInstanceOfARunStillExecuting() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script fail;
        fail.exitCode = 1;
        noop->setScript(QStringLiteral("flaky"), fail);
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("slow"), hold);
        const QString file = f.writeWorkflow(QStringLiteral("live.yaml"), R"(name: live
tasks:
  - id: flaky
    run: ["flaky"]
  - id: after
    needs: [flaky]
    run: ["after"]
  - id: slow
    run: ["slow"]
)");
        const QString id = f.startFile(file);
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("after")).status),
                     toString(InstanceStatus::Skipped));
        QVERIFY(f.engine->isActive(id));
        noop->clearScripts();
        QString error;
        QVERIFY2(f.engine->retryInstances(id, {f.instance(id, QStringLiteral("flaky")).index}, &error),
                 qPrintable(error));
        QTRY_COMPARE(toString(f.instance(id, QStringLiteral("after")).status),
                     toString(InstanceStatus::Succeeded));
        QCOMPARE(f.instance(id, QStringLiteral("flaky")).attempts, 2);
        noop->releaseHeld();
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
    }

    void resumeAfterCancel() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script hold;
        hold.hold = true;
        noop->setScript(QStringLiteral("second"), hold);
        const QString file = f.writeWorkflow(QStringLiteral("chain.yaml"), R"(name: chain
tasks:
  - id: first
    run: ["first"]
  - id: second
    needs: [first]
    run: ["second"]
  - id: third
    needs: [second]
    run: ["third"]
)");
        const QString id = f.startFile(file);
        // Wait for `second` (held) to be the one in flight, not `first` before it finished.
        QTRY_VERIFY(noop->started() == 2 && noop->inFlight() == 1);
        QString error;
        QVERIFY(f.engine->cancelRun(id, &error));
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Cancelled));
        QCOMPARE(toString(f.instance(id, QStringLiteral("first")).status),
                 toString(InstanceStatus::Succeeded));
        QCOMPARE(toString(f.instance(id, QStringLiteral("second")).status),
                 toString(InstanceStatus::Cancelled));
        QCOMPARE(toString(f.instance(id, QStringLiteral("third")).status),
                 toString(InstanceStatus::Cancelled));

        noop->clearScripts();
        f.finished.clear();
        QVERIFY2(f.engine->resumeRun(id, &error), qPrintable(error));
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));
        QCOMPARE(startCount(*noop, QStringLiteral("first")), 1);
        QCOMPARE(startCount(*noop, QStringLiteral("second")), 2);
        QCOMPARE(startCount(*noop, QStringLiteral("third")), 1);
    }

    void announcementsComeAfterTheCommit() {
        EngineFixture f;
        addNoop(*f.engine);
        QStringList repos;
        for (int i = 0; i < 5; ++i)
            repos.append(f.makeRepo(QStringLiteral("repo%1").arg(i)));
        const QString file = f.writeWorkflow(QStringLiteral("durable.yaml"), fanOutYaml(repos, R"(tasks:
  - id: build
    for_each: repos
    run: ["build"]
  - id: test
    for_each: repos
    needs: [build]
    run: ["test"]
)"));
        // A read of the store (its own connection) in a slot already sees the announced
        // state, or a later one (the engine may have moved on while the slot was queued).
        auto rank = [](const InstanceRecord& rec) {
            const int step = rec.status == InstanceStatus::Pending   ? 0
                             : rec.status == InstanceStatus::Running ? 1
                                                                     : 2;
            return rec.attempts * 10 + step;
        };
        int instanceEvents = 0;
        QStringList mismatches;
        connect(f.engine.get(), &Engine::instanceChanged, this, [&](const InstanceRecord& changed) {
            ++instanceEvents;
            const QList<InstanceRecord> stored = f.store->instances(changed.runId);
            const bool ok = changed.index < stored.size() &&
                            (isTerminal(changed.status) ? stored[changed.index].status == changed.status
                                                        : rank(stored[changed.index]) >= rank(changed));
            if (!ok)
                mismatches.append(
                    QStringLiteral("%1: announced %2").arg(changed.index).arg(toString(changed.status)));
        });
        QList<RunStatus> runStatuses;
        connect(f.engine.get(), &Engine::runStatusChanged, this, [&](const QString& runId, RunStatus status) {
            runStatuses.append(status);
            const std::optional<RunRecord> stored = f.store->run(runId);
            auto runRank = [](RunStatus s) {
                return s == RunStatus::Queued ? 0 : s == RunStatus::Running ? 1 : 2;
            };
            if (!stored || runRank(stored->status) < runRank(status) ||
                (isTerminal(status) && stored->status != status))
                mismatches.append(QStringLiteral("run: announced %1").arg(toString(status)));
        });
        bool finishedWasDurable = false;
        connect(f.engine.get(), &Engine::runFinished, this, [&](const QString& runId, RunStatus status) {
            const std::optional<RunRecord> stored = f.store->run(runId);
            finishedWasDurable = stored && stored->status == status && status == RunStatus::Succeeded;
        });
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u'\n')));
        QVERIFY(finishedWasDurable);
        QVERIFY(instanceEvents >= 10);
        QVERIFY(runStatuses.last() == RunStatus::Succeeded);
    }

    void outputLinesBecomeLogsMetricsAndProgress() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script talk;
        talk.stdoutLines = {"hello",
                            "::metric coverage=87.5",
                            "::progress 1/2",
                            QByteArray("bad \xff\xfe bytes"),
                            "::metric coverage=91",
                            "::progress 2/2"};
        talk.stderrLines = {"warning: something"};
        noop->setScript(QStringLiteral("talk"), talk);
        NoopLauncher::Script declared;
        declared.exitCode = 1;
        declared.stdoutLines = {"::error category=network cannot reach the mirror"};
        noop->setScript(QStringLiteral("declared"), declared);
        const QString file = f.writeWorkflow(QStringLiteral("out.yaml"), R"(name: out
quality_gate: 75
tasks:
  - id: talk
    run: ["talk"]
    quality:
      - metric: coverage
        category: testing
        min: 80
  - id: declared
    run: ["declared"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        const InstanceRecord talkRec = f.instance(id, QStringLiteral("talk"));
        QCOMPARE(talkRec.metrics.value(QStringLiteral("coverage")), 91.0);
        QCOMPARE(talkRec.progress, QStringLiteral("2/2"));
        const InstanceRecord declaredRec = f.instance(id, QStringLiteral("declared"));
        QCOMPARE(toString(declaredRec.status), toString(InstanceStatus::Failed));
        QCOMPARE(toString(declaredRec.category), toString(ErrorCategory::Network));
        QCOMPARE(declaredRec.error, QStringLiteral("cannot reach the mirror"));

        store::LogQuery query;
        query.runId = id;
        query.taskId = QStringLiteral("talk");
        const QList<LogLine> lines = f.store->logs(query);
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0].text, QStringLiteral("hello"));
        QCOMPARE(lines[1].text, QStringLiteral("::metric coverage=87.5"));
        QVERIFY(lines[3].text.contains(QChar(0xFFFD)));
        QCOMPARE(lines[6].stream, LogStream::Stderr);
        QTRY_COMPARE(f.logLinesAnnounced, static_cast<int>(f.store->logLineCount(id)));

        const std::optional<RunRecord> run = f.store->run(id);
        QCOMPARE(run->qualityGate, std::optional<double>(75));
        QCOMPARE(run->qualityScore, std::optional<double>(100));
        const QJsonObject quality = runToJson(*run, nullptr).value(QStringLiteral("quality")).toObject();
        QCOMPARE(quality.value(QStringLiteral("passed")).toBool(), true);
        QCOMPARE(quality.value(QStringLiteral("gate")).toDouble(), 75.0);
    }

    // Observers (the CLI's progress, later the GUI) are told of a failure before they are
    // told of the dependents it skipped: cause before effect within one batch.
    void failureIsAnnouncedBeforeItsSkippedDependents() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script failing;
        failing.failFirst = 1; // still forced to fail when released
        failing.hold = true; // finishes in a later turn than it started, as a real process does
        noop->setScript(QStringLiteral("boom"), failing);
        QStringList order;
        bool buildRunningAnnounced = false;
        connect(f.engine.get(), &Engine::instanceChanged, this, [&](const InstanceRecord& changed) {
            buildRunningAnnounced = buildRunningAnnounced || (changed.taskId == u"build" &&
                                                              changed.status == InstanceStatus::Running);
            if (isTerminal(changed.status))
                order.append(changed.taskId + u' ' + toString(changed.status));
        });
        const QString file = f.writeWorkflow(QStringLiteral("order.yaml"), R"(name: order
tasks:
  - id: build
    run: ["boom"]
  - id: test
    needs: [build]
    run: ["true"]
  - id: ship
    needs: [test]
    run: ["true"]
)");
        const QString id = f.startFile(file);
        QTRY_VERIFY(buildRunningAnnounced); // its start is written and announced: the finish is a new batch
        noop->releaseHeld();
        QVERIFY(f.waitFinished(id));
        QCOMPARE(order, (QStringList{QStringLiteral("build failed"), QStringLiteral("test skipped"),
                                     QStringLiteral("ship skipped")}));
    }

    // A line that looks like a directive but is not one stays a log line, and a system
    // line says why it did not count (a typo must not lose a metric silently).
    void malformedDirectiveIsKeptAndExplained() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script typo;
        typo.stdoutLines = {"::metric coverage=high"};
        noop->setScript(QStringLiteral("typo"), typo);
        const QString file = f.writeWorkflow(QStringLiteral("typo.yaml"), R"(name: typo
tasks:
  - id: typo
    run: ["typo"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QVERIFY(f.instance(id, QStringLiteral("typo")).metrics.isEmpty());
        store::LogQuery query;
        query.runId = id;
        const QList<LogLine> lines = f.store->logs(query);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].text, QStringLiteral("::metric coverage=high"));
        QCOMPARE(lines[1].stream, LogStream::System);
        QVERIFY2(lines[1].text.startsWith(QStringLiteral("ignored directive: ")), qPrintable(lines[1].text));
    }

    void manyLogLinesAreWrittenInBatches() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        NoopLauncher::Script chatty;
        for (int i = 0; i < 5000; ++i)
            chatty.stdoutLines.append("line " + QByteArray::number(i));
        noop->setScript(QStringLiteral("chatty"), chatty);
        const QString file = f.writeWorkflow(QStringLiteral("chatty.yaml"), R"(name: chatty
tasks:
  - id: a
    run: ["chatty", "a"]
  - id: b
    run: ["chatty", "b"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QCOMPARE(f.store->logLineCount(id), qint64(10000));
        QTRY_COMPARE(f.logLinesAnnounced, 10000);
        store::LogQuery query;
        query.runId = id;
        query.taskId = QStringLiteral("b");
        const QList<LogLine> lines = f.store->logs(query);
        QCOMPARE(lines.size(), 5000);
        QCOMPARE(lines.first().text, QStringLiteral("line 0"));
        QCOMPARE(lines.last().text, QStringLiteral("line 4999"));
    }

    void tasksGetTheParentAndPlannedEnvironment() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        f.engine->setDefaultEnvironment({{QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin")},
                                         {QStringLiteral("FROM_PARENT"), QStringLiteral("yes")},
                                         {QStringLiteral("CI"), QStringLiteral("0")}});
        const QString repo = f.makeRepo(QStringLiteral("billing"));
        const QString file = f.writeWorkflow(QStringLiteral("env.yaml"), fanOutYaml({repo}, R"(env: {CI: "1"}
defaults:
  timeout: 30s
tasks:
  - id: lint
    for_each: repos
    env: {LEVEL: "high"}
    run: ["lint"]
)"));
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id));
        QCOMPARE(noop->history().size(), 1);
        const LaunchSpec& spec = noop->history().first();
        QCOMPARE(spec.env.value(QStringLiteral("FROM_PARENT")), QStringLiteral("yes"));
        QCOMPARE(spec.env.value(QStringLiteral("CI")), QStringLiteral("1"));
        QCOMPARE(spec.env.value(QStringLiteral("LEVEL")), QStringLiteral("high"));
        QCOMPARE(spec.env.value(QStringLiteral("SIGNALBOX_RUN_ID")), id);
        QCOMPARE(spec.env.value(QStringLiteral("SIGNALBOX_TASK_ID")), QStringLiteral("lint"));
        QCOMPARE(spec.env.value(QStringLiteral("SIGNALBOX_REPO")), QStringLiteral("billing"));
        QCOMPARE(QFileInfo(spec.workingDir).canonicalFilePath(), QFileInfo(repo).canonicalFilePath());
        QCOMPARE(spec.timeoutMs, qint64(30000));
        QCOMPARE(spec.killGraceMs, EngineOptions{}.killGraceMs);
    }

    void badRequestsAreDiagnosed() {
        EngineFixture f;
        addNoop(*f.engine);
        const QString file = f.writeWorkflow(QStringLiteral("pool.yaml"), R"(name: pools
params:
  branch: main
tasks:
  - id: remote
    pool: gpu
    run: ["x"]
)");
        workflow::Diagnostics diagnostics;
        RunRequest request;
        request.workflowPath = file;
        QVERIFY(!f.engine->createRun(request, &diagnostics));
        QCOMPARE(diagnostics.size(), 1);
        QVERIFY2(diagnostics.first().message.contains(QStringLiteral("gpu")),
                 qPrintable(diagnostics.first().format()));

        // Unknown --set, missing --repo.
        diagnostics.clear();
        request.pool = QStringLiteral("local");
        request.params.insert(QStringLiteral("brnch"), QStringLiteral("x"));
        request.repoPaths = {f.path(QStringLiteral("no-such-repo"))};
        QVERIFY(!f.engine->createRun(request, &diagnostics));
        QCOMPARE(diagnostics.size(), 2);

        // --pool replaces each task's own.
        diagnostics.clear();
        request.params.clear();
        request.repoPaths.clear();
        const QString id = f.start(request);
        QVERIFY(!id.isEmpty());
        QVERIFY(f.waitFinished(id));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Succeeded));

        // A missing file.
        diagnostics.clear();
        RunRequest missing;
        missing.workflowPath = f.path(QStringLiteral("missing.yaml"));
        QVERIFY(!f.engine->createRun(missing, &diagnostics));
        QCOMPARE(diagnostics.size(), 1);

        QString error;
        QVERIFY(!f.engine->startRun(QStringLiteral("r_unknown"), &error));
        QVERIFY(error.contains(QStringLiteral("r_unknown")));
        QVERIFY(!f.engine->resumeRun(QStringLiteral("r_unknown"), &error));
    }

    void catalogReposAreSelectedByTag() {
        EngineFixture f;
        NoopLauncher* noop = addNoop(*f.engine);
        QString error;
        QVERIFY(f.store->upsertCatalogRepo(CatalogRepo{QStringLiteral("billing"),
                                                       f.makeRepo(QStringLiteral("billing")),
                                                       {QStringLiteral("python")},
                                                       QStringLiteral("service"),
                                                       {}},
                                           &error));
        QVERIFY(f.store->upsertCatalogRepo(CatalogRepo{QStringLiteral("web"),
                                                       f.makeRepo(QStringLiteral("web")),
                                                       {QStringLiteral("js")},
                                                       QStringLiteral("service"),
                                                       {}},
                                           &error));
        const QString file = f.writeWorkflow(QStringLiteral("cat.yaml"), R"(name: cat
tasks:
  - id: lint
    for_each: repos
    run: ["lint", "lint-{{repo.name}}"]
)");
        RunRequest request;
        request.workflowPath = file;
        request.catalogTags = {QStringLiteral("python")};
        const QString id = f.start(request);
        QVERIFY(!id.isEmpty());
        QVERIFY(f.waitFinished(id));
        QCOMPARE(noop->started(), 1);
        QCOMPARE(startCount(*noop, QStringLiteral("lint-billing")), 1);

        // A catalog repo whose folder is gone is an error naming it, not skipped.
        QVERIFY(QDir(f.path(QStringLiteral("repos/billing"))).removeRecursively());
        workflow::Diagnostics diagnostics;
        QVERIFY(!f.engine->createRun(request, &diagnostics));
        QCOMPARE(diagnostics.size(), 1);
        QVERIFY2(diagnostics.first().message.contains(QStringLiteral("billing")),
                 qPrintable(diagnostics.first().format()));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
