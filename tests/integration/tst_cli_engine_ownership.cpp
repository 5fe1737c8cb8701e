// Who executes runs of a data dir: SIGINT cancels cleanly (exit 130), a second engine
// is refused with exit 3 naming the holder, `runs cancel` goes through the owner's
// control channel, and after kill -9 `runs resume` finishes the run without running
// succeeded instances again or losing what was recorded.

#include "cli_harness.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using namespace signalbox::test;

class TestCliEngineOwnership final : public QObject {
    Q_OBJECT

private:
    QString data(const QString& name) const { return dataPath(QStringLiteral("integration/") + name); }

    // Starts `run cancellable.yaml` and waits until its task (and grandchild) run.
    static bool startCancellable(QProcess& process, const QString& dataDir, const QString& marker,
                                 const QString& file, qint64* taskPid, qint64* childPid) {
        startCliIn(process, dataDir,
                   {QStringLiteral("run"), file, QStringLiteral("--set"), QStringLiteral("marker=") + marker,
                    QStringLiteral("--json")});
        if (!process.waitForStarted(30000))
            return false;
        const QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            *taskPid = readPid(marker);
            *childPid = readPid(marker + QStringLiteral(".child"));
            if (*taskPid > 0 && *childPid > 0)
                return true;
            if (process.waitForFinished(50)) // ended early: fail
                return false;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath())); }

    void sigintCancelsTheRun() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        QProcess process;
        qint64 taskPid = 0;
        qint64 childPid = 0;
        QVERIFY2(startCancellable(process, dataDir, marker, data(QStringLiteral("cancellable.yaml")),
                                  &taskPid, &childPid),
                 process.readAllStandardError().constData());
        QTRY_COMPARE_WITH_TIMEOUT(newestRunStatus(dataDir), QStringLiteral("running"), 30000);

        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const QJsonObject printed = jsonObject(process.readAllStandardOutput());
        QCOMPARE(printed.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));

        const QJsonObject run = showRun(dataDir, printed.value(QStringLiteral("id")).toString());
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(findTask(run, QStringLiteral("wait"), QString()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("cancelled"));
        // The task and the process it started are gone.
        QTRY_VERIFY_WITH_TIMEOUT(processGone(taskPid), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(childPid), 20000);
        // And the data dir is free again.
        QCOMPARE(cliIn(dataDir, {QStringLiteral("run"), data(QStringLiteral("hello.yaml"))}).exitCode, 0);
    }

    void secondEngineIsRefusedAndCancelGoesThroughTheOwner() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        QProcess owner;
        qint64 taskPid = 0;
        qint64 childPid = 0;
        QVERIFY2(startCancellable(owner, dataDir, marker, data(QStringLiteral("cancellable.yaml")), &taskPid,
                                  &childPid),
                 owner.readAllStandardError().constData());
        const QString runId = newestRunId(dataDir);
        QVERIFY(!runId.isEmpty());

        // Anything that needs the engine: exit 3, one line naming the holder (a foreground
        // run takes no runs of other processes).
        for (const QStringList& args :
             {QStringList{QStringLiteral("run"), data(QStringLiteral("hello.yaml"))},
              QStringList{QStringLiteral("run"), data(QStringLiteral("hello.yaml")),
                          QStringLiteral("--detach")},
              QStringList{QStringLiteral("runs"), QStringLiteral("resume"), runId}}) {
            const CliResult refused = cliIn(dataDir, args);
            QCOMPARE(refused.exitCode, 3);
            const QStringList errLines = lines(refused.err);
            QCOMPARE(errLines.size(), 1);
            QVERIFY2(errLines.first().startsWith(QStringLiteral("signalbox-cli: error: ")),
                     refused.err.constData());
            QVERIFY2(errLines.first().contains(QStringLiteral("pid %1").arg(owner.processId())),
                     refused.err.constData());
            QVERIFY2(errLines.first().contains(QStringLiteral("signalbox-cli")), refused.err.constData());
            QVERIFY2(errLines.first().contains(QDir(dataDir).absolutePath()), refused.err.constData());
        }
        // Read-only commands do not need the lock.
        CliResult result =
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("show"), runId, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(jsonObject(result.out).value(QStringLiteral("status")).toString(),
                 QStringLiteral("running"));
        QCOMPARE(cliIn(dataDir, {QStringLiteral("repos"), QStringLiteral("list")}).exitCode, 0);

        // runs cancel reaches the owner, which cancels and records it.
        result = cliIn(dataDir,
                       {QStringLiteral("runs"), QStringLiteral("cancel"), runId, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(jsonObject(result.out).value(QStringLiteral("status")).toString(),
                 QStringLiteral("cancelled"));
        QVERIFY(owner.waitForFinished(60000));
        QCOMPARE(owner.exitCode(), 130);
        QCOMPARE(jsonObject(owner.readAllStandardOutput()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(taskPid), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(childPid), 20000);

        // Cancelling again is harmless; a finished run cannot be cancelled.
        QCOMPARE(cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("cancel"), runId}).exitCode, 0);
        result = cliIn(dataDir,
                       {QStringLiteral("run"), data(QStringLiteral("hello.yaml")), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QString helloId = jsonObject(result.out).value(QStringLiteral("id")).toString();
        result = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("cancel"), helloId});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(lines(result.err).size(), 1);
    }

    void killedEngineIsResumedWithoutRepeatingWork() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marks = dir.filePath(QStringLiteral("marks"));
        QVERIFY(QDir().mkpath(marks));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 30, QStringLiteral("r"));
        QStringList args{QStringLiteral("run"),
                         data(QStringLiteral("many_short.yaml")),
                         QStringLiteral("--max-concurrent"),
                         QStringLiteral("2"),
                         QStringLiteral("--set"),
                         QStringLiteral("marks=") + marks};
        for (const QString& repo : repos)
            args << QStringLiteral("--repo") << repo;

        QProcess engine;
        startCliIn(engine, dataDir, args);
        QVERIFY(engine.waitForStarted(30000));
        auto succeededCount = [&] {
            const QString runId = newestRunId(dataDir);
            if (runId.isEmpty())
                return 0;
            int count = 0;
            for (const QJsonValue& task : showRun(dataDir, runId).value(QStringLiteral("tasks")).toArray())
                count += task.toObject().value(QStringLiteral("status")).toString() == u"succeeded" ? 1 : 0;
            return count;
        };
        QTRY_VERIFY_WITH_TIMEOUT(engine.state() != QProcess::Running || succeededCount() >= 4, 120000);
        QVERIFY2(engine.state() == QProcess::Running,
                 qPrintable(QStringLiteral("the run ended before it could be killed: ") +
                            QString::fromUtf8(engine.readAllStandardError())));
        engine.kill(); // SIGKILL
        QVERIFY(engine.waitForFinished(30000));

        const QString runId = newestRunId(dataDir);
        const QJsonObject before = showRun(dataDir, runId);
        // Left `running` by a dead process: shown as interrupted, with no instance running.
        QCOMPARE(before.value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));
        for (const QJsonValue& value : before.value(QStringLiteral("tasks")).toArray())
            QVERIFY(value.toObject().value(QStringLiteral("status")).toString() != u"running");
        const QJsonArray interrupted = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--status"),
                            QStringLiteral("interrupted"), QStringLiteral("--json")})
                .out);
        QCOMPARE(interrupted.size(), 1);
        QCOMPARE(interrupted.first().toObject().value(QStringLiteral("id")).toString(), runId);
        QCOMPARE(jsonArray(cliIn(dataDir,
                                 {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--status"),
                                  QStringLiteral("running"), QStringLiteral("--json")})
                               .out)
                     .size(),
                 0);
        QMap<QString, QJsonObject> succeededBefore;
        for (const QJsonValue& value : before.value(QStringLiteral("tasks")).toArray()) {
            const QJsonObject task = value.toObject();
            if (task.value(QStringLiteral("status")).toString() == u"succeeded")
                succeededBefore.insert(task.value(QStringLiteral("repo")).toString(), task);
        }
        QVERIFY(succeededBefore.size() >= 4);
        const CliResult logsBefore = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId});
        QCOMPARE(logsBefore.exitCode, 0);
        const QStringList linesBefore = lines(logsBefore.out);
        QVERIFY(linesBefore.size() >= succeededBefore.size());

        // The stale lock of the killed process does not block the resume.
        const CliResult resumed = cliIn(
            dataDir, {QStringLiteral("runs"), QStringLiteral("resume"), runId, QStringLiteral("--json")},
            240000);
        QCOMPARE(resumed.exitCode, 0);
        const QJsonObject after = jsonObject(resumed.out);
        QCOMPARE(after.value(QStringLiteral("id")).toString(), runId);
        QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(after.value(QStringLiteral("tasks")).toArray().size(), 30);
        for (const QJsonValue& value : after.value(QStringLiteral("tasks")).toArray()) {
            const QJsonObject task = value.toObject();
            QCOMPARE(task.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
            QCOMPARE(
                task.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("value")).toDouble(),
                7.0);
        }
        // Succeeded before the kill: not run again, and their records are unchanged.
        for (auto it = succeededBefore.cbegin(); it != succeededBefore.cend(); ++it) {
            QFile mark(QDir(marks).absoluteFilePath(it.key()));
            QVERIFY(mark.open(QIODevice::ReadOnly));
            QCOMPARE(mark.readAll().count('\n'), 1);
            QCOMPARE(findTask(after, QStringLiteral("work"), it.key()), it.value());
        }
        // Every instance ran at least once.
        for (const QString& repo : repos)
            QVERIFY(QFileInfo::exists(QDir(marks).absoluteFilePath(QFileInfo(repo).fileName())));
        // No log line recorded before the kill is lost.
        const QStringList linesAfter =
            lines(cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("logs"), runId}).out);
        QSet<QString> afterSet(linesAfter.cbegin(), linesAfter.cend());
        for (const QString& line : linesBefore)
            QVERIFY2(afterSet.contains(line), qPrintable(line));
        for (const QString& repo : succeededBefore.keys())
            QVERIFY(afterSet.contains(QStringLiteral("done ") + repo));
    }
};

QTEST_GUILESS_MAIN(TestCliEngineOwnership)
#include "tst_cli_engine_ownership.moc"
