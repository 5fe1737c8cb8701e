// Going through the background executor instead of refusing: while `run --detach`'s
// background process executes a run, another `run --detach` or foreground `run` on the
// same data dir hands its run to that process (each run executes exactly once, in that
// process), a foreground run follows it to the end (Ctrl-C cancels it, exit 130), and
// the executor exits once nothing is left. A foreground holder still refuses (exit 3).

#include "cli_harness.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <memory>
#include <vector>

using namespace signalbox::test;

namespace {

// "TAG PID" lines of the marker file, as tag -> parent pids (one per execution).
QMultiMap<QString, qint64> markerLines(const QString& path) {
    QMultiMap<QString, qint64> result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return result;
    for (const QString& line : lines(file.readAll())) {
        const QStringList parts = line.split(u' ');
        if (parts.size() == 2)
            result.insert(parts.at(0), parts.at(1).toLongLong());
    }
    return result;
}

// The pid in the data dir's engine.lock (0 when nobody holds it).
qint64 lockHolderPid(const QString& dataDir) {
    QFile file(QDir(dataDir).absoluteFilePath(QStringLiteral("engine.lock")));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qint64 pid = file.readLine().trimmed().toLongLong(&ok);
    return ok ? pid : 0;
}

bool touch(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly);
}

} // namespace

class TestCliHandover final : public QObject {
    Q_OBJECT

private:
    QString data(const QString& name) const { return dataPath(QStringLiteral("integration/") + name); }

    // `run handover.yaml` arguments for this tag (waiting for `release` when given).
    QStringList handoverArgs(const QString& marker, const QString& tag, const QString& release = {}) const {
        QStringList args{QStringLiteral("run"),   data(QStringLiteral("handover.yaml")),
                         QStringLiteral("--set"), QStringLiteral("marker=") + marker,
                         QStringLiteral("--set"), QStringLiteral("tag=") + tag};
        if (!release.isEmpty())
            args << QStringLiteral("--set") << QStringLiteral("release=") + release;
        return args;
    }

    // Starts a detached run that holds its executor until `release` exists, and waits
    // until its task runs. Returns the run id and the executor's pid.
    bool startHeldDetachedRun(const QString& dataDir, const QString& marker, const QString& tag,
                              const QString& release, QString* runId, qint64* executorPid) {
        const CliResult result =
            cliIn(dataDir, handoverArgs(marker, tag, release) << QStringLiteral("--detach"));
        if (result.exitCode != 0)
            return false;
        *runId = QString::fromUtf8(result.out.trimmed());
        if (!QTest::qWaitFor([&] { return markerLines(marker).contains(tag); }, 60000))
            return false;
        *executorPid = lockHolderPid(dataDir);
        return *executorPid > 0;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath())); }

    void twoDetachedRunsBackToBack() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString release = dir.filePath(QStringLiteral("release"));

        // Back to back, nothing waited for in between: both run, once each.
        CliResult first = cliIn(dataDir, handoverArgs(marker, QStringLiteral("one"), release)
                                             << QStringLiteral("--detach"));
        QCOMPARE(first.exitCode, 0);
        CliResult second = cliIn(dataDir, handoverArgs(marker, QStringLiteral("two"))
                                              << QStringLiteral("--detach") << QStringLiteral("--json"));
        QCOMPARE(second.exitCode, 0);
        const QString firstId = QString::fromUtf8(first.out.trimmed());
        const QJsonObject queued = jsonObject(second.out);
        QCOMPARE(queued.value(QStringLiteral("status")).toString(), QStringLiteral("queued"));
        const QString secondId = queued.value(QStringLiteral("id")).toString();
        QVERIFY(firstId.startsWith(QStringLiteral("r_")));
        QVERIFY(secondId.startsWith(QStringLiteral("r_")));
        QVERIFY(firstId != secondId);

        // The second does not wait for the first (which waits for `release`).
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, secondId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(markerLines(marker).contains(QStringLiteral("one")), 60000);
        QCOMPARE(showRun(dataDir, firstId).value(QStringLiteral("status")).toString(),
                 QStringLiteral("running"));

        // While the first still executes, a third goes through its executor.
        const qint64 executor = lockHolderPid(dataDir);
        QVERIFY(executor > 0);
        CliResult third =
            cliIn(dataDir, handoverArgs(marker, QStringLiteral("three")) << QStringLiteral("--detach"));
        QCOMPARE(third.exitCode, 0);
        const QString thirdId = QString::fromUtf8(third.out.trimmed());
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, thirdId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        QCOMPARE(markerLines(marker).values(QStringLiteral("three")), (QList<qint64>{executor}));
        QCOMPARE(markerLines(marker).values(QStringLiteral("one")), (QList<qint64>{executor}));

        QVERIFY(touch(release));
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, firstId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        // Nothing left: the executor lets the data dir go and exits.
        QTRY_VERIFY_WITH_TIMEOUT(lockHolderPid(dataDir) == 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);

        // Each instance ran exactly once.
        const QMultiMap<QString, qint64> ran = markerLines(marker);
        QCOMPARE(ran.size(), 3);
        QCOMPARE(ran.count(QStringLiteral("one")), 1);
        QCOMPARE(ran.count(QStringLiteral("two")), 1);
        QCOMPARE(ran.count(QStringLiteral("three")), 1);
        const QJsonArray runs = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")}).out);
        QCOMPARE(runs.size(), 3);
        for (const QJsonValue& run : runs)
            QCOMPARE(run.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    }

    // Many at once, while executors start and exit: every run that was accepted
    // executes exactly once; a refused one (exit 3: a foreground run held the data dir)
    // executes never.
    void concurrentRunsEachExecuteOnce() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        constexpr int kDetached = 8;
        constexpr int kForeground = 4;
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < kDetached + kForeground; ++i) {
            processes.push_back(std::make_unique<QProcess>());
            QStringList args = handoverArgs(marker, QStringLiteral("t%1").arg(i));
            if (i < kDetached)
                args << QStringLiteral("--detach");
            startCliIn(*processes.back(), dataDir, args);
        }
        QSet<QString> accepted;
        int refused = 0;
        for (int i = 0; i < int(processes.size()); ++i) {
            QProcess& process = *processes[std::size_t(i)];
            QVERIFY(process.waitForFinished(120000));
            QCOMPARE(process.exitStatus(), QProcess::NormalExit);
            if (process.exitCode() == 3) {
                QVERIFY2(process.readAllStandardError().contains("is in use by"),
                         "exit 3 without the holder");
                ++refused;
                continue;
            }
            QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
            accepted.insert(QStringLiteral("t%1").arg(i));
        }
        QVERIFY(!accepted.isEmpty());
        // Every run ends: succeeded, or cancelled when it was recorded but refused.
        auto allEnded = [&] {
            const QJsonArray runs = jsonArray(
                cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")})
                    .out);
            for (const QJsonValue& run : runs) {
                const QString status = run.toObject().value(QStringLiteral("status")).toString();
                if (status != u"succeeded" && status != u"cancelled")
                    return false;
            }
            return !runs.isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(allEnded(), 120000);
        const QJsonArray runs = jsonArray(
            cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")}).out);
        int succeeded = 0;
        for (const QJsonValue& run : runs)
            succeeded += run.toObject().value(QStringLiteral("status")).toString() == u"succeeded" ? 1 : 0;
        QCOMPARE(succeeded, int(accepted.size()));
        QVERIFY(runs.size() - succeeded <= refused);
        const QMultiMap<QString, qint64> ran = markerLines(marker);
        QCOMPARE(ran.size(), int(accepted.size()));
        for (const QString& tag : accepted)
            QCOMPARE(ran.count(tag), 1);
        QTRY_VERIFY_WITH_TIMEOUT(lockHolderPid(dataDir) == 0, 120000);
    }

    void foregroundRunIsHandedToTheExecutor() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString release = dir.filePath(QStringLiteral("release"));
        QString detachedId;
        qint64 executor = 0;
        QVERIFY(startHeldDetachedRun(dataDir, marker, QStringLiteral("detached"), release, &detachedId,
                                     &executor));

        const CliResult result =
            cliIn(dataDir, handoverArgs(marker, QStringLiteral("foreground")) << QStringLiteral("--json"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY2(result.err.isEmpty(), result.err.constData());
        const QJsonObject run = jsonObject(result.out);
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(run.value(QStringLiteral("workflow")).toString(), QStringLiteral("handover"));
        QCOMPARE(findTask(run, QStringLiteral("work"), QString()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        const QString foregroundId = run.value(QStringLiteral("id")).toString();
        QCOMPARE(showRun(dataDir, foregroundId), run);
        // Executed by the background executor, once.
        QCOMPARE(markerLines(marker).values(QStringLiteral("foreground")), (QList<qint64>{executor}));

        // The executor stays for the run it still executes, then exits.
        QCOMPARE(lockHolderPid(dataDir), executor);
        QCOMPARE(showRun(dataDir, detachedId).value(QStringLiteral("status")).toString(),
                 QStringLiteral("running"));
        QVERIFY(touch(release));
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, detachedId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);
        QCOMPARE(lockHolderPid(dataDir), 0);
        QCOMPARE(markerLines(marker).size(), 2);

        // A failing run handed over exits 1 (text mode: the run's details on stdout).
        QString secondId;
        QVERIFY(startHeldDetachedRun(dataDir, marker, QStringLiteral("again"),
                                     dir.filePath(QStringLiteral("r2")), &secondId, &executor));
        const CliResult failed = cliIn(dataDir, handoverArgs(marker, QStringLiteral("failing"))
                                                    << QStringLiteral("--set") << QStringLiteral("exit=3"));
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.out.contains("failed"), failed.out.constData());
        QVERIFY(touch(dir.filePath(QStringLiteral("r2"))));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);
    }

    void sigintCancelsAHandedOverRun() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString release = dir.filePath(QStringLiteral("release"));
        QString detachedId;
        qint64 executor = 0;
        QVERIFY(startHeldDetachedRun(dataDir, marker, QStringLiteral("detached"), release, &detachedId,
                                     &executor));

        // A foreground run that would wait (for a file nobody creates) until cancelled.
        QProcess foreground;
        startCliIn(foreground, dataDir,
                   handoverArgs(marker, QStringLiteral("foreground"), dir.filePath(QStringLiteral("never")))
                       << QStringLiteral("--json"));
        QVERIFY(foreground.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(markerLines(marker).contains(QStringLiteral("foreground")), 60000);
        QCOMPARE(markerLines(marker).values(QStringLiteral("foreground")), (QList<qint64>{executor}));

        ::kill(pid_t(foreground.processId()), SIGINT);
        QVERIFY(foreground.waitForFinished(60000));
        QCOMPARE(foreground.exitStatus(), QProcess::NormalExit);
        QCOMPARE(foreground.exitCode(), 130);
        const QJsonObject printed = jsonObject(foreground.readAllStandardOutput());
        QCOMPARE(printed.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        const QJsonObject run = showRun(dataDir, printed.value(QStringLiteral("id")).toString());
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(findTask(run, QStringLiteral("work"), QString()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("cancelled"));

        // The detached run is untouched and ends normally; then the executor exits.
        QCOMPARE(showRun(dataDir, detachedId).value(QStringLiteral("status")).toString(),
                 QStringLiteral("running"));
        QVERIFY(touch(release));
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, detachedId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);
        QCOMPARE(markerLines(marker).size(), 2);
    }

    void resumeIsHandedToTheExecutor() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        // A run cancelled while its instance waited.
        const QString never = dir.filePath(QStringLiteral("never"));
        QString cancelledId;
        qint64 executor = 0;
        QVERIFY(startHeldDetachedRun(dataDir, marker, QStringLiteral("cancelled"), never, &cancelledId,
                                     &executor));
        QCOMPARE(cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("cancel"), cancelledId}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);

        const QString release = dir.filePath(QStringLiteral("release"));
        QString detachedId;
        QVERIFY(startHeldDetachedRun(dataDir, marker, QStringLiteral("detached"), release, &detachedId,
                                     &executor));
        QVERIFY(touch(never)); // the resumed run will not wait
        const CliResult resumed = cliIn(dataDir, {QStringLiteral("runs"), QStringLiteral("resume"),
                                                  cancelledId, QStringLiteral("--json")});
        QVERIFY2(resumed.exitCode == 0,
                 QByteArray(QByteArray::number(resumed.exitCode) + resumed.err + resumed.out).constData());
        QCOMPARE(jsonObject(resumed.out).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
        QCOMPARE(markerLines(marker).values(QStringLiteral("cancelled")).size(),
                 2); // cancelled, then resumed
        QCOMPARE(markerLines(marker).values(QStringLiteral("cancelled")).constFirst(), executor);
        QVERIFY(touch(release));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(executor), 60000);
    }

    void foregroundHolderRefusesHandover() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString release = dir.filePath(QStringLiteral("release"));
        QProcess owner;
        startCliIn(owner, dataDir, handoverArgs(marker, QStringLiteral("owner"), release));
        QVERIFY(owner.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(markerLines(marker).contains(QStringLiteral("owner")), 60000);

        for (const QStringList& args :
             {handoverArgs(marker, QStringLiteral("second")), handoverArgs(marker, QStringLiteral("detached"))
                                                                  << QStringLiteral("--detach")}) {
            const CliResult refused = cliIn(dataDir, args);
            QCOMPARE(refused.exitCode, 3);
            QCOMPARE(lines(refused.err).size(), 1);
            QVERIFY2(refused.err.contains(QStringLiteral("pid %1").arg(owner.processId()).toUtf8()),
                     refused.err.constData());
        }
        QVERIFY(touch(release));
        QVERIFY(owner.waitForFinished(60000));
        QCOMPARE(owner.exitCode(), 0);
        // Nothing else was recorded or executed.
        QCOMPARE(jsonArray(cliIn(dataDir,
                                 {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")})
                               .out)
                     .size(),
                 1);
        QCOMPARE(markerLines(marker).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliHandover)
#include "tst_cli_handover.moc"
