// The engine with the real local pool: child processes, their environment and working
// dir, ::metric lines, a failing repo, a timeout and a cancel.

#include "engine_fixture.h"
#include "pools/local_launcher.h"

#include <QFileInfo>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::engine;
using signalbox::engine::testing::EngineFixture;

class TestEngineLocal final : public QObject {
    Q_OBJECT

private:
    static void addLocal(EngineFixture& f, int capacity = 2) {
        f.engine->addPool(QStringLiteral("local"), new pools::LocalLauncher(capacity));
    }

    static QStringList logTexts(EngineFixture& f, const QString& runId, const QString& task,
                                const QString& repo) {
        store::LogQuery query;
        query.runId = runId;
        query.taskId = task;
        query.repo = repo;
        QStringList texts;
        for (const LogLine& line : f.store->logs(query))
            texts.append(line.text);
        return texts;
    }

private Q_SLOTS:
    void fanOutOverThreeReposWithOneFailing() {
        EngineFixture f;
        addLocal(f);
        const QString alpha = f.makeRepo(QStringLiteral("alpha"));
        const QString beta = f.makeRepo(QStringLiteral("beta"));
        const QString broken = f.makeRepo(QStringLiteral("broken"));
        const QString file = f.writeWorkflow(QStringLiteral("local.yaml"), R"yaml(name: local-fanout
repos:
  - ./repos/alpha
  - ./repos/beta
  - ./repos/broken
env: {FROM_WORKFLOW: "wf"}
tasks:
  - id: check
    for_each: repos
    run: |
      echo "::metric files=3"
      echo "::progress 1/1"
      echo "run=$SIGNALBOX_RUN_ID task=$SIGNALBOX_TASK_ID repo=$SIGNALBOX_REPO wf=$FROM_WORKFLOW"
      echo "pwd=$(pwd -P)"
      echo "to stderr" >&2
      test "$SIGNALBOX_REPO" != broken
  - id: summary
    needs: [check]
    run: ["echo", "summary"]
  - id: independent
    run: ["sh", "-c", "echo independent; echo '::metric answer=42'"]
)yaml");
        const QString id = f.startFile(file);
        QVERIFY(!id.isEmpty());
        QVERIFY(f.waitFinished(id, 60000));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Failed));

        for (const QString& repo : {QStringLiteral("alpha"), QStringLiteral("beta")}) {
            const InstanceRecord rec = f.instance(id, QStringLiteral("check"), repo);
            QCOMPARE(toString(rec.status), toString(InstanceStatus::Succeeded));
            QCOMPARE(rec.exitCode, std::optional<int>(0));
            QCOMPARE(rec.metrics.value(QStringLiteral("files")), 3.0);
            QCOMPARE(rec.progress, QStringLiteral("1/1"));
            const QStringList texts = logTexts(f, id, QStringLiteral("check"), repo);
            QVERIFY2(texts.contains(QStringLiteral("run=%1 task=check repo=%2 wf=wf").arg(id, repo)),
                     qPrintable(texts.join(u'|')));
            QVERIFY(texts.contains(QStringLiteral("pwd=") +
                                   QFileInfo(f.path(QStringLiteral("repos/") + repo)).canonicalFilePath()));
            QVERIFY(texts.contains(QStringLiteral("to stderr")));
        }
        const InstanceRecord failed = f.instance(id, QStringLiteral("check"), QStringLiteral("broken"));
        QCOMPARE(toString(failed.status), toString(InstanceStatus::Failed));
        QCOMPARE(failed.exitCode, std::optional<int>(1));
        QCOMPARE(toString(failed.category), toString(ErrorCategory::Permanent));
        QCOMPARE(failed.metrics.value(QStringLiteral("files")), 3.0);
        QCOMPARE(toString(f.instance(id, QStringLiteral("summary")).status),
                 toString(InstanceStatus::Skipped));
        const InstanceRecord independent = f.instance(id, QStringLiteral("independent"));
        QCOMPARE(toString(independent.status), toString(InstanceStatus::Succeeded));
        QCOMPARE(independent.metrics.value(QStringLiteral("answer")), 42.0);
        QCOMPARE(f.store->attempts(id, independent.index).size(), 1);
        Q_UNUSED(alpha)
        Q_UNUSED(beta)
        Q_UNUSED(broken)
    }

    void aTimeoutFailsTheInstanceAsTransient() {
        EngineFixture f;
        f.engine.reset();
        EngineOptions options;
        options.killGraceMs = 200;
        f.engine = std::make_unique<Engine>(*f.store, options);
        f.watch();
        addLocal(f);
        const QString file = f.writeWorkflow(QStringLiteral("timeout.yaml"), R"(name: timeout
tasks:
  - id: slow
    timeout: 300ms
    run: ["sleep", "30"]
  - id: after
    needs: [slow]
    run: ["true"]
)");
        const QString id = f.startFile(file);
        QVERIFY(f.waitFinished(id, 60000));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Failed));
        const InstanceRecord slow = f.instance(id, QStringLiteral("slow"));
        QCOMPARE(toString(slow.status), toString(InstanceStatus::Failed));
        QCOMPARE(toString(slow.category), toString(ErrorCategory::Transient));
        QVERIFY2(slow.error.contains(QStringLiteral("timed out")), qPrintable(slow.error));
        QCOMPARE(toString(f.instance(id, QStringLiteral("after")).status), toString(InstanceStatus::Skipped));
    }

    void cancellingTerminatesChildren() {
        EngineFixture f;
        addLocal(f);
        const QString file = f.writeWorkflow(QStringLiteral("cancel.yaml"), R"(name: cancel
tasks:
  - id: slow
    run: |
      echo started
      sleep 30
  - id: after
    needs: [slow]
    run: ["true"]
)");
        const QString id = f.startFile(file);
        QTRY_COMPARE_WITH_TIMEOUT(
            logTexts(f, id, QStringLiteral("slow"), {}).contains(QStringLiteral("started")), true, 30000);
        QString error;
        QVERIFY(f.engine->cancelRun(id, &error));
        QVERIFY(f.waitFinished(id, 60000));
        QCOMPARE(toString(f.finished.value(id)), toString(RunStatus::Cancelled));
        QCOMPARE(toString(f.instance(id, QStringLiteral("slow")).status),
                 toString(InstanceStatus::Cancelled));
        QCOMPARE(toString(f.instance(id, QStringLiteral("after")).status),
                 toString(InstanceStatus::Cancelled));
    }
};

QTEST_GUILESS_MAIN(TestEngineLocal)
#include "tst_engine_local.moc"
