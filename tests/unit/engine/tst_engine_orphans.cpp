// Crash recovery with real processes: a process group that a killed engine left running
// is stopped by the next engine's recoverInterrupted() when it provably belongs to the
// instance (its environment names the run and task), and left alone otherwise. The engine
// records the pid of each running instance so the next engine can find it.

#include "engine_fixture.h"
#include "pools/child_process.h"
#include "pools/local_launcher.h"
#include "pools/orphan_group.h"

#include <QDir>
#include <QtTest>
#include <cerrno>
#include <csignal>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace signalbox;
using namespace signalbox::engine;
using signalbox::engine::testing::EngineFixture;

namespace {

// Reaps every child that ended (this process is a subreaper, so orphaned grandchildren
// of the test's own processes end up here too).
void reapEnded() {
    int status = 0;
    while (::waitpid(-1, &status, WNOHANG) > 0) {
    }
}

// The group has no process left (zombies of this process are reaped first).
bool groupGone(qint64 group) {
    reapEnded();
    return ::kill(-static_cast<pid_t>(group), 0) != 0 && errno == ESRCH;
}

// Live (not zombie) processes whose process group is `group`.
int liveMembers(qint64 group) {
    int count = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> fields = text.mid(close + 1).simplified().split(' ');
        if (fields.size() >= 3 && fields[0] != "Z" && fields[2].toLongLong() == group)
            ++count;
    }
    return count;
}

// A process group as a task leaves it: its own group, the engine's SIGNALBOX_* variables.
qint64 spawnGroup(const QString& script, const QString& runId, const QString& taskId) {
    LaunchSpec spec;
    spec.argv = {QStringLiteral("sh"), QStringLiteral("-c"), script};
    spec.workingDir = QDir::tempPath();
    spec.env = {{QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin")},
                {QStringLiteral("SIGNALBOX_RUN_ID"), runId},
                {QStringLiteral("SIGNALBOX_TASK_ID"), taskId}};
    auto spawned = pools::sys::spawn(spec);
    const auto* child = std::get_if<pools::sys::SpawnedChild>(&spawned);
    if (!child)
        return -1;
    for (int fd : {child->stdoutFd, child->stderrFd, child->exitFd})
        pools::sys::closeFd(fd);
    return child->processGroup;
}

// What a killed engine leaves in the store: a running run with a running instance that
// recorded `pid`. The store is closed again, as the dead process's was.
void recordRunningInstance(const QString& dataDir, const QString& runId, const QString& taskId, qint64 pid) {
    QString error;
    std::unique_ptr<store::Store> store = store::Store::open(dataDir, &error);
    QVERIFY2(store, qPrintable(error));
    RunRecord run;
    run.id = runId;
    run.workflow = QStringLiteral("orphans");
    run.status = RunStatus::Running;
    run.createdAtMs = 1000;
    run.startedAtMs = 1001;
    InstanceRecord instance;
    instance.runId = runId;
    instance.index = 0;
    instance.taskId = taskId;
    instance.status = InstanceStatus::Running;
    instance.attempts = 1;
    instance.startedAtMs = 1002;
    instance.pid = pid;
    store->insertRun(run, {instance});
    store->sync();
    QCOMPARE(store->failedWrites(), 0);
}

QStringList systemLines(store::Store& store, const QString& runId) {
    store::LogQuery query;
    query.runId = runId;
    QStringList texts;
    for (const LogLine& line : store.logs(query)) {
        if (line.stream == LogStream::System)
            texts.append(line.text);
    }
    return texts;
}

} // namespace

class TestEngineOrphans final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        // Orphaned grandchildren come to us (not to pid 1) and are reaped by the tests.
        QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
    }

    void recoveryKillsTheLeftoverGroupOfTheInstance() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString runId = QStringLiteral("r_orphan_%1").arg(::getpid());
        // A leader with a grandchild in its group: both must go.
        const qint64 group = spawnGroup(QStringLiteral("sleep 30 & wait"), runId, QStringLiteral("build"));
        QVERIFY(group > 0);
        QTRY_COMPARE(liveMembers(group), 2);
        recordRunningInstance(dataDir, runId, QStringLiteral("build"), group);
        if (QTest::currentTestFailed())
            return;

        QString error;
        std::unique_ptr<store::Store> store = store::Store::open(dataDir, &error);
        QVERIFY2(store, qPrintable(error));
        EngineOptions options;
        options.killGraceMs = 2000;
        Engine engine(*store, options);
        QCOMPARE(engine.recoverInterrupted(), QStringList{runId});

        QTRY_VERIFY(groupGone(group));
        store->sync();
        const QList<InstanceRecord> instances = store->instances(runId);
        QCOMPARE(instances.size(), 1);
        QCOMPARE(toString(instances[0].status), toString(InstanceStatus::Interrupted));
        QVERIFY(!instances[0].pid);
        QCOMPARE(toString(store->run(runId)->status), toString(RunStatus::Interrupted));
        const QStringList lines = systemLines(*store, runId);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(
                     QStringLiteral("killed leftover process group %1 of the interrupted attempt").arg(group)),
                 qPrintable(lines[0]));
        QVERIFY(store->leftoverProcesses().isEmpty());
    }

    void aGroupOfAnotherRunIsLeftAlone() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString runId = QStringLiteral("r_mine_%1").arg(::getpid());
        // Same task id, another run: as if the pid had been recycled by another task.
        const qint64 group =
            spawnGroup(QStringLiteral("exec sleep 30"), QStringLiteral("r_someone_else"), QStringLiteral("build"));
        QVERIFY(group > 0);
        recordRunningInstance(dataDir, runId, QStringLiteral("build"), group);
        if (QTest::currentTestFailed()) {
            ::kill(-static_cast<pid_t>(group), SIGKILL);
            return;
        }

        QString error;
        std::unique_ptr<store::Store> store = store::Store::open(dataDir, &error);
        QVERIFY2(store, qPrintable(error));
        Engine engine(*store);
        const QStringList recovered = engine.recoverInterrupted();
        const bool alive = ::kill(static_cast<pid_t>(group), 0) == 0 && liveMembers(group) == 1;
        int status = 0;
        const bool exited = ::waitpid(static_cast<pid_t>(group), &status, WNOHANG) != 0;
        ::kill(-static_cast<pid_t>(group), SIGKILL); // clean up before asserting
        QTRY_VERIFY(groupGone(group));

        QVERIFY(alive);
        QVERIFY(!exited);
        QCOMPARE(recovered, QStringList{runId});
        store->sync();
        QCOMPARE(toString(store->run(runId)->status), toString(RunStatus::Interrupted));
        QVERIFY(systemLines(*store, runId).isEmpty());
    }

    void aGroupWithTheWrongTaskIsLeftAlone() {
        const QString runId = QStringLiteral("r_task_%1").arg(::getpid());
        const qint64 group = spawnGroup(QStringLiteral("exec sleep 30"), runId, QStringLiteral("lint"));
        QVERIFY(group > 0);
        const pools::OrphanOutcome outcome =
            pools::terminateOrphanGroup(group, runId, QStringLiteral("build"), 1000);
        const bool alive = liveMembers(group) == 1;
        ::kill(-static_cast<pid_t>(group), SIGKILL);
        QTRY_VERIFY(groupGone(group));
        QCOMPARE(pools::toString(outcome), pools::toString(pools::OrphanOutcome::NotOurs));
        QVERIFY(alive);
    }

    void aGroupThatIsGoneIsNotFound() {
        const QString runId = QStringLiteral("r_gone_%1").arg(::getpid());
        const qint64 group = spawnGroup(QStringLiteral("exit 0"), runId, QStringLiteral("build"));
        QVERIFY(group > 0);
        QTRY_VERIFY(groupGone(group));
        QCOMPARE(pools::toString(pools::terminateOrphanGroup(group, runId, QStringLiteral("build"), 1000)),
                 pools::toString(pools::OrphanOutcome::NotFound));
    }

    // The engine records the pid (= process group) of a running instance and clears it
    // when the instance ends.
    void theEngineRecordsThePidWhileRunning() {
        EngineFixture f;
        f.engine->addPool(QStringLiteral("local"), new pools::LocalLauncher(2));
        const QString file = f.writeWorkflow(QStringLiteral("slow.yaml"), R"yaml(name: slow
tasks:
  - id: slow
    run: ["sleep", "30"]
)yaml");
        const QString id = f.startFile(file);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(f.instance(id, QStringLiteral("slow")).pid.has_value());
        const InstanceRecord running = f.instance(id, QStringLiteral("slow"));
        QCOMPARE(toString(running.status), toString(InstanceStatus::Running));
        const auto pid = static_cast<pid_t>(*running.pid);
        QCOMPARE(::getpgid(pid), pid); // it leads its own group
        // It is recognised as the instance's own (without signalling it here).
        QCOMPARE(f.store->leftoverProcesses().size(), 1);

        QString error;
        QVERIFY2(f.engine->cancelRun(id, &error), qPrintable(error));
        QVERIFY(f.waitFinished(id));
        const InstanceRecord ended = f.instance(id, QStringLiteral("slow"));
        QCOMPARE(toString(ended.status), toString(InstanceStatus::Cancelled));
        QVERIFY(!ended.pid);
        QVERIFY(f.store->leftoverProcesses().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngineOrphans)
#include "tst_engine_orphans.moc"
