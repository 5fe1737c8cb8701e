// LocalLauncher with real child processes (/bin/sh and coreutils).

#include "domain/clock.h"
#include "pools/child_process.h"
#include "pools/local_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

using namespace signalbox;
using engine::LaunchResult;
using engine::LaunchSpec;
using pools::LocalLauncher;
using End = LaunchResult::End;

namespace {

constexpr int kWaitMs = 30000;

struct Outcome {
    QList<QByteArray> out;
    QList<QByteArray> err;
    int batches = 0;
    int finishedCount = 0;
    LaunchResult result;
};

// Collects everything a launcher reports, per token.
class Recorder final : public QObject {
public:
    explicit Recorder(LocalLauncher* launcher) {
        connect(launcher, &engine::Launcher::linesRead, this,
                [this](quint64 token, int stream, const QList<QByteArray>& lines) {
                    Outcome& o = runs[token];
                    (stream == 0 ? o.out : o.err).append(lines);
                    ++o.batches;
                });
        connect(launcher, &engine::Launcher::launchFinished, this,
                [this](quint64 token, const LaunchResult& result) {
                    Outcome& o = runs[token];
                    o.result = result;
                    ++o.finishedCount;
                    ++finishedTotal;
                });
    }
    bool finished(quint64 token) const { return runs.value(token).finishedCount > 0; }

    QHash<quint64, Outcome> runs;
    int finishedTotal = 0;
};

QMap<QString, QString> basicEnv() {
    return {{QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin")}};
}

LaunchSpec shell(const QString& script, const QString& workingDir) {
    LaunchSpec spec;
    spec.argv = {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
    spec.workingDir = workingDir;
    spec.env = basicEnv();
    return spec;
}

// A process that no longer exists, or a zombie nobody reaped yet (it cannot run).
bool processGone(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren > 0 && text.size() > paren + 2 && (text[paren + 2] == 'Z' || text[paren + 2] == 'X');
}

pid_t readPid(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    bool ok = false;
    const int pid = file.readAll().trimmed().toInt(&ok);
    return ok ? pid : -1;
}

} // namespace

class TestLocalLauncher final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    // Starts spec as token and waits for its end; false if it did not end in time.
    bool run(LocalLauncher& launcher, Recorder& recorder, quint64 token, const LaunchSpec& spec) {
        launcher.start(token, spec);
        return QTest::qWaitFor([&] { return recorder.finished(token); }, kWaitMs);
    }

private Q_SLOTS:
    // launchStarted reports the child's pid (its own process group) from inside start(),
    // before anything else of that launch; a spawn failure reports none.
    void launchStartedReportsThePidFirst() {
        QTemporaryDir dir;
        LocalLauncher launcher(2);
        QList<QPair<quint64, qint64>> started;
        QList<quint64> order;
        connect(&launcher, &engine::Launcher::launchStarted, &launcher, [&](quint64 token, qint64 pid) {
            started.append({token, pid});
            order.append(token);
        });
        Recorder recorder(&launcher);
        connect(&launcher, &engine::Launcher::launchFinished, &launcher,
                [&](quint64 token, const LaunchResult&) { order.append(token + 100); });
        launcher.start(1, shell(QStringLiteral("echo $$"), dir.path()));
        QCOMPARE(started.size(), 1); // synchronously
        QCOMPARE(started[0].first, quint64(1));
        const qint64 pid = started[0].second;
        QVERIFY(pid > 1);
        QCOMPARE(::getpgid(static_cast<pid_t>(pid)), static_cast<pid_t>(pid));
        LaunchSpec missing = shell(QString(), dir.path());
        missing.argv = {QStringLiteral("no-such-command-signalbox")};
        launcher.start(2, missing);
        QTRY_VERIFY_WITH_TIMEOUT(recorder.finished(1) && recorder.finished(2), kWaitMs);
        QCOMPARE(started.size(), 1);
        QCOMPARE(recorder.runs.value(1).out, QList<QByteArray>{QByteArray::number(pid)});
        QCOMPARE(order.first(), quint64(1));
    }

    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void exitCodes_data() {
        QTest::addColumn<int>("code");
        QTest::newRow("0") << 0;
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
    }
    void exitCodes() {
        QFETCH(int, code);
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 1, shell(QStringLiteral("exit %1").arg(code), m_tmp.path())));
        const Outcome& o = rec.runs[1];
        QCOMPARE(o.finishedCount, 1);
        QCOMPARE(o.result.end, End::Exited);
        QCOMPARE(o.result.exitCode, std::optional<int>(code));
        QVERIFY(!o.result.signal);
        QVERIFY(o.result.startedAtMs > 0);
        QVERIFY(o.result.finishedAtMs >= o.result.startedAtMs);
        QCOMPARE(launcher.running(), 0);
    }

    void signalDeath() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 7,
                    shell(QStringLiteral("echo before; kill -USR1 $$; echo after"), m_tmp.path())));
        const Outcome& o = rec.runs[7];
        QCOMPARE(o.result.end, End::Signaled);
        QCOMPARE(o.result.signal, std::optional<int>(SIGUSR1));
        QVERIFY(!o.result.exitCode);
        QCOMPARE(o.out, QList<QByteArray>{"before"});
    }

    void exactEnvironment() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec;
        spec.argv = {QStringLiteral("env")}; // found through PATH of spec.env
        spec.workingDir = m_tmp.path();
        spec.env = basicEnv();
        spec.env.insert(QStringLiteral("SIGNALBOX_X"), QStringLiteral("a b=c"));
        spec.env.insert(QStringLiteral("EMPTY"), QString());
        spec.env.insert(QStringLiteral("UNICODE"), QStringLiteral("gr\u00fc\u00dfe"));
        QVERIFY(run(launcher, rec, 1, spec));
        QCOMPARE(rec.runs[1].result.exitCode, std::optional<int>(0));
        QList<QByteArray> expected;
        for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
            expected.append(it.key().toUtf8() + '=' + it.value().toUtf8());
        QList<QByteArray> actual = rec.runs[1].out;
        std::sort(actual.begin(), actual.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(actual, expected);
    }

    void workingDir() {
        QDir(m_tmp.path()).mkpath(QStringLiteral("wd/sub dir"));
        const QString dir = m_tmp.filePath(QStringLiteral("wd/sub dir"));
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 1, shell(QStringLiteral("pwd -P"), dir)));
        QCOMPARE(rec.runs[1].out, QList<QByteArray>{QDir(dir).canonicalPath().toUtf8()});
    }

    void streamsAreSeparateAndOrdered() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        const QString script =
            QStringLiteral("i=1; while [ $i -le 200 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done");
        QVERIFY(run(launcher, rec, 1, shell(script, m_tmp.path())));
        QList<QByteArray> out;
        QList<QByteArray> err;
        for (int i = 1; i <= 200; ++i) {
            out.append("out" + QByteArray::number(i));
            err.append("err" + QByteArray::number(i));
        }
        QCOMPARE(rec.runs[1].out, out);
        QCOMPARE(rec.runs[1].err, err);
    }

    void partialLastLineAndCarriageReturns() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(
            run(launcher, rec, 1,
                shell(QStringLiteral("printf 'a\\r\\n\\nb\\r\\nlast'; printf 'e1\\ne2' >&2"), m_tmp.path())));
        QCOMPARE(rec.runs[1].out, (QList<QByteArray>{"a", "", "b", "last"}));
        QCOMPARE(rec.runs[1].err, (QList<QByteArray>{"e1", "e2"}));
    }

    void longLineIsChunked() {
        constexpr qsizetype size = 300 * 1024;
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 1,
                    shell(QStringLiteral("head -c %1 /dev/zero | tr '\\000' x; echo; echo next").arg(size),
                          m_tmp.path())));
        const QList<QByteArray>& lines = rec.runs[1].out;
        constexpr qsizetype max = LocalLauncher::kMaxLineBytes;
        QCOMPARE(lines.size(), (size + max - 1) / max + 1);
        QByteArray joined;
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QVERIFY(lines[i].size() <= max);
            if (i + 2 < lines.size())
                QCOMPARE(lines[i].size(), max);
            joined += lines[i];
        }
        QCOMPARE(joined, QByteArray(size, 'x'));
        QCOMPARE(lines.last(), QByteArray("next"));
    }

    void binaryBytesPassThrough() {
        QByteArray first;
        for (int b = 0; b < 256; ++b) {
            if (b != '\n' && b != '\r')
                first.append(static_cast<char>(b));
        }
        const QByteArray second("\xc3\x28 invalid \xff\xfe utf-8 \x00 nul", 24);
        QFile file(m_tmp.filePath(QStringLiteral("binary.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(first + '\n' + second + '\n');
        file.close();
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 1, shell(QStringLiteral("cat binary.bin"), m_tmp.path())));
        QCOMPARE(rec.runs[1].out, (QList<QByteArray>{first, second}));
    }

    void millionLineFlood() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec;
        spec.argv = {QStringLiteral("seq"), QStringLiteral("1"), QStringLiteral("1000000")};
        spec.workingDir = m_tmp.path();
        spec.env = basicEnv();
        QVERIFY(run(launcher, rec, 1, spec));
        const Outcome& o = rec.runs[1];
        QCOMPARE(o.result.exitCode, std::optional<int>(0));
        QCOMPARE(o.out.size(), 1000000);
        QCOMPARE(o.out.last(), QByteArray("1000000"));
        for (int i = 0; i < o.out.size(); i += 9973)
            QCOMPARE(o.out[i], QByteArray::number(i + 1));
        QVERIFY(o.batches > 1); // batched per read, not one signal per line or one at the end
        QVERIFY(o.batches < 100000);
    }

    void timeoutSendsTerm() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec = shell(QStringLiteral("sleep 30"), m_tmp.path());
        spec.timeoutMs = 200;
        spec.killGraceMs = 10000;
        QVERIFY(run(launcher, rec, 1, spec));
        const LaunchResult& r = rec.runs[1].result;
        QCOMPARE(r.end, End::TimedOut);
        QCOMPARE(r.signal, std::optional<int>(SIGTERM));
        QCOMPARE(r.timeoutMs, 200);
    }

    void timeoutEscalatesToKillWhenTermIsIgnored() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec =
            shell(QStringLiteral("trap '' TERM; echo trapped; sleep 30; echo survived"), m_tmp.path());
        spec.timeoutMs = 500; // leaves the shell time to install its trap on a busy machine
        spec.killGraceMs = 300;
        QVERIFY(run(launcher, rec, 1, spec));
        const Outcome& o = rec.runs[1];
        QCOMPARE(o.out, QList<QByteArray>{"trapped"});
        QCOMPARE(o.result.end, End::TimedOut);
        QCOMPARE(o.result.signal, std::optional<int>(SIGKILL));
    }

    void timeoutKillsGrandchildren_data() {
        QTest::addColumn<QString>("grandchild");
        QTest::newRow("dies on TERM") << QStringLiteral("sh -c 'echo $$ > gc.pid; exec sleep 300' &");
        QTest::newRow("ignores TERM")
            << QStringLiteral("sh -c 'trap \"\" TERM; echo $$ > gc.pid; exec sleep 300' &");
    }
    void timeoutKillsGrandchildren() {
        QFETCH(QString, grandchild);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec = shell(
            grandchild + QStringLiteral("\nwhile [ ! -s gc.pid ]; do sleep 0.02; done; echo ready; wait"),
            dir.path());
        spec.timeoutMs = 1000;
        spec.killGraceMs = 300;
        QVERIFY(run(launcher, rec, 1, spec));
        QCOMPARE(rec.runs[1].out, QList<QByteArray>{"ready"});
        QCOMPARE(rec.runs[1].result.end, End::TimedOut);
        const pid_t pid = readPid(dir.filePath(QStringLiteral("gc.pid")));
        QVERIFY(pid > 1);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), kWaitMs);
    }

    void cancel() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        launcher.start(5, shell(QStringLiteral("echo started; sleep 30"), m_tmp.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.runs.value(5).out.size(), 1, kWaitMs);
        QCOMPARE(launcher.running(), 1);
        launcher.cancel(12345); // unknown: ignored
        launcher.cancel(5);
        launcher.cancel(5); // twice: still one launchFinished
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(5), kWaitMs);
        QCOMPARE(rec.runs[5].finishedCount, 1);
        QCOMPARE(rec.runs[5].result.end, End::Cancelled);
        QCOMPARE(rec.runs[5].result.signal, std::optional<int>(SIGTERM));
        QCOMPARE(launcher.running(), 0);
        launcher.cancel(5); // finished: ignored
        QCOMPARE(rec.finishedTotal, 1);
    }

    void cancelEscalatesToKill() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec = shell(QStringLiteral("trap '' TERM; echo started; sleep 30"), m_tmp.path());
        spec.killGraceMs = 200;
        launcher.start(1, spec);
        QTRY_COMPARE_WITH_TIMEOUT(rec.runs.value(1).out.size(), 1, kWaitMs);
        launcher.cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(1), kWaitMs);
        QCOMPARE(rec.runs[1].result.end, End::Cancelled);
        QCOMPARE(rec.runs[1].result.signal, std::optional<int>(SIGKILL));
    }

    void spawnFailures_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("error");
        QTest::newRow("not in PATH") << QStringLiteral("signalbox-no-such-command") << QString() << ENOENT;
        QTest::newRow("absolute, missing")
            << QStringLiteral("/nonexistent/signalbox-tool") << QString() << ENOENT;
        QTest::newRow("not executable") << QStringLiteral("%TMP%/plain.sh") << QString() << EACCES;
        QTest::newRow("in PATH, not executable")
            << QStringLiteral("plain.sh") << QStringLiteral("%TMP%") << EACCES;
        QTest::newRow("a directory") << QStringLiteral("%TMP%") << QString() << EACCES;
        QTest::newRow("empty PATH entry is the working dir")
            << QStringLiteral("plain.sh") << QStringLiteral(":/usr/bin") << EACCES;
    }
    void spawnFailures() {
        QFETCH(QString, program);
        QFETCH(QString, path);
        QFETCH(int, error);
        const QString script = m_tmp.filePath(QStringLiteral("plain.sh"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho hi\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));

        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec;
        spec.argv = {program.replace(QStringLiteral("%TMP%"), m_tmp.path()), QStringLiteral("arg")};
        spec.workingDir = m_tmp.path();
        if (!path.isEmpty())
            spec.env.insert(QStringLiteral("PATH"), path.replace(QStringLiteral("%TMP%"), m_tmp.path()));
        launcher.start(9, spec);
        QCOMPARE(rec.finishedTotal, 0); // never from inside start()
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(9), kWaitMs);
        const LaunchResult& r = rec.runs[9].result;
        QCOMPARE(r.end, End::SpawnFailed);
        QCOMPARE(r.spawnErrno, error);
        QVERIFY(!r.workingDirFailed);
        QVERIFY2(r.message.contains(spec.argv.constFirst()), qPrintable(r.message));
        QCOMPARE(rec.runs[9].finishedCount, 1);
        QCOMPARE(launcher.running(), 0);
    }

    void programPathsResolveAgainstTheWorkingDir() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDir(dir.path()).mkpath(QStringLiteral("bin"));
        const QString tool = dir.filePath(QStringLiteral("bin/tool"));
        QFile file(tool);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho \"tool $1 $0\"\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QString notAProgram = dir.filePath(QStringLiteral("bin/text"));
        QFile text(notAProgram);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("no shebang, not ELF\n");
        text.close();
        QVERIFY(text.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        LocalLauncher launcher(4);
        Recorder rec(&launcher);
        LaunchSpec relative;
        relative.argv = {QStringLiteral("./bin/tool"), QStringLiteral("x")};
        relative.workingDir = dir.path();
        launcher.start(1, relative);
        LaunchSpec viaPath = relative;
        viaPath.argv = {QStringLiteral("tool"), QStringLiteral("y")};
        viaPath.env.insert(QStringLiteral("PATH"), QStringLiteral("/nonexistent:bin"));
        launcher.start(2, viaPath);
        LaunchSpec noExec = relative;
        noExec.argv = {notAProgram};
        launcher.start(3, noExec);
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 3, kWaitMs);
        QCOMPARE(rec.runs[1].out, QList<QByteArray>{"tool x ./bin/tool"}); // argv[0] as given
        QCOMPARE(rec.runs[2].out, QList<QByteArray>{"tool y bin/tool"});   // like execvp: the path it found
        QCOMPARE(rec.runs[3].result.end, End::SpawnFailed);
        QCOMPARE(rec.runs[3].result.spawnErrno, ENOEXEC);
    }

    void missingWorkingDir() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        const QString dir = m_tmp.filePath(QStringLiteral("does-not-exist"));
        launcher.start(3, shell(QStringLiteral("true"), dir));
        QCOMPARE(launcher.running(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(3), kWaitMs);
        const LaunchResult& r = rec.runs[3].result;
        QCOMPARE(r.end, End::SpawnFailed);
        QCOMPARE(r.spawnErrno, ENOENT);
        QVERIFY(r.workingDirFailed);
        QVERIFY2(r.message.contains(dir), qPrintable(r.message));
    }

    void grandchildHoldingStdoutDoesNotDelayFinish() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        launcher.start(
            1, shell(QStringLiteral("sleep 120 & echo $! > gc.pid; echo done; printf tail"), dir.path()));
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(1), 60000); // far below the grandchild's 120 s
        QCOMPARE(rec.runs[1].result.exitCode, std::optional<int>(0));
        QCOMPARE(rec.runs[1].out, (QList<QByteArray>{"done", "tail"}));
        const pid_t pid = readPid(dir.filePath(QStringLiteral("gc.pid")));
        QVERIFY(pid > 1);
        ::kill(pid, SIGKILL);
    }

    void manyConcurrentLaunches() {
        constexpr int count = 300;
        LocalLauncher launcher(4);
        QCOMPARE(launcher.capacity(), 4);
        Recorder rec(&launcher);
        for (int i = 0; i < count; ++i) // more than capacity at once: must still work
            launcher.start(
                quint64(1000 + i),
                shell(QStringLiteral("echo %1; echo e%1 >&2; exit %2").arg(i).arg(i % 5), m_tmp.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, count, 120000);
        for (int i = 0; i < count; ++i) {
            const Outcome& o = rec.runs[quint64(1000 + i)];
            QCOMPARE(o.finishedCount, 1);
            QCOMPARE(o.out, QList<QByteArray>{QByteArray::number(i)});
            QCOMPARE(o.err, QList<QByteArray>{"e" + QByteArray::number(i)});
            QCOMPARE(o.result.exitCode, std::optional<int>(i % 5));
        }
        QCOMPARE(launcher.running(), 0);
    }

    void tokenCanBeReusedFromFinishedSlot() {
        LocalLauncher launcher(1);
        Recorder rec(&launcher);
        int restarts = 0;
        connect(&launcher, &engine::Launcher::launchFinished, this, [&](quint64 token, const LaunchResult&) {
            if (restarts++ == 0)
                launcher.start(token, shell(QStringLiteral("exit 4"), m_tmp.path()));
        });
        launcher.start(1, shell(QStringLiteral("exit 0"), m_tmp.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 2, kWaitMs);
        QCOMPARE(rec.runs[1].result.exitCode, std::optional<int>(4));
    }

    void queuedConnectionsCarryResults() {
        LocalLauncher launcher(1);
        QSignalSpy spy(&launcher, &engine::Launcher::launchFinished);
        LaunchResult received;
        connect(
            &launcher, &engine::Launcher::launchFinished, this,
            [&](quint64, const LaunchResult& r) { received = r; }, Qt::QueuedConnection);
        launcher.start(1, shell(QStringLiteral("exit 2"), m_tmp.path()));
        QVERIFY(spy.wait(kWaitMs));
        QTRY_COMPARE_WITH_TIMEOUT(received.exitCode, std::optional<int>(2), kWaitMs);
        QCOMPARE(qvariant_cast<LaunchResult>(spy.at(0).at(1)).exitCode, std::optional<int>(2));
    }

    void timeoutWhenTheChildExitsOnTerm() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec =
            shell(QStringLiteral("trap 'echo bye; exit 3' TERM; echo up; while :; do sleep 0.05; done"),
                  m_tmp.path());
        spec.timeoutMs = 500;
        spec.killGraceMs = 20000;
        QVERIFY(run(launcher, rec, 1, spec));
        const LaunchResult& r = rec.runs[1].result;
        QCOMPARE(rec.runs[1].out, (QList<QByteArray>{"up", "bye"}));
        QCOMPARE(r.end, End::TimedOut);
        QCOMPARE(r.signal, std::optional<int>(SIGTERM));
        QCOMPARE(r.exitCode, std::optional<int>(3));
    }

    void cancelFromLinesReadSlot() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        connect(&launcher, &engine::Launcher::linesRead, this,
                [&](quint64 token, int, const QList<QByteArray>& lines) {
                    if (lines.contains("stop me"))
                        launcher.cancel(token);
                });
        QVERIFY(run(launcher, rec, 1, shell(QStringLiteral("echo 'stop me'; sleep 30"), m_tmp.path())));
        QCOMPARE(rec.runs[1].result.end, End::Cancelled);
        QCOMPARE(rec.runs[1].finishedCount, 1);
    }

    void duplicateTokenIsRejected() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        launcher.start(1, shell(QStringLiteral("echo started; sleep 30"), m_tmp.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.runs.value(1).out.size(), 1, kWaitMs);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already running")));
        launcher.start(1, shell(QStringLiteral("true"), m_tmp.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 1, kWaitMs);
        QCOMPARE(rec.runs[1].result.end, End::SpawnFailed);
        QCOMPARE(rec.runs[1].result.spawnErrno, EINVAL);
        QCOMPARE(launcher.running(), 1); // the first one still runs
        launcher.cancel(1);
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 2, kWaitMs);
        QCOMPARE(rec.runs[1].result.end, End::Cancelled);
    }

    void stdinIsDevNull() {
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        LaunchSpec spec;
        spec.argv = {QStringLiteral("cat")};
        spec.workingDir = m_tmp.path();
        spec.env = basicEnv();
        QVERIFY(run(launcher, rec, 1, spec));
        QCOMPARE(rec.runs[1].result.exitCode, std::optional<int>(0));
        QVERIFY(rec.runs[1].out.isEmpty());
    }

    void childGetsDefaultSignalsAndEmptyMask() {
        // While this process ignores SIGPIPE and SIGUSR1 and blocks SIGUSR2, the child
        // must see none of it.
        LocalLauncher launcher(2);
        Recorder rec(&launcher);
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        struct sigaction oldPipe {};
        struct sigaction oldUsr1 {};
        ::sigaction(SIGPIPE, &ignore, &oldPipe);
        ::sigaction(SIGUSR1, &ignore, &oldUsr1);
        sigset_t block;
        sigset_t previous;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR2);
        QCOMPARE(::pthread_sigmask(SIG_BLOCK, &block, &previous), 0);
        launcher.start(1, shell(QStringLiteral("grep -E '^Sig(Blk|Ign):' /proc/self/status; yes | head -n 1"),
                                m_tmp.path()));
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        ::sigaction(SIGPIPE, &oldPipe, nullptr);
        ::sigaction(SIGUSR1, &oldUsr1, nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(1), kWaitMs);
        QCOMPARE(rec.runs[1].out,
                 (QList<QByteArray>{"SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000", "y"}));
        QCOMPARE(rec.runs[1].err, QList<QByteArray>{}); // `yes` died of SIGPIPE quietly, no EPIPE message
    }

    void writesToClosedPipesDoNotKillUs() {
        // QtTest handles SIGPIPE itself; start from the default disposition an application has.
        struct sigaction byDefault {};
        byDefault.sa_handler = SIG_DFL;
        struct sigaction qtTest {};
        ::sigaction(SIGPIPE, &byDefault, &qtTest);
        auto restore = qScopeGuard([&] { ::sigaction(SIGPIPE, &qtTest, nullptr); });
        LocalLauncher launcher(1);
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        ::close(fds[0]);
        errno = 0;
        QCOMPARE(::write(fds[1], "x", 1), ssize_t(-1));
        QCOMPARE(errno, EPIPE);
        ::close(fds[1]);
    }

    void timesComeFromTheInjectedClock() {
        ManualClock clock(1'790'000'000'000);
        Clock::install(&clock);
        LocalLauncher launcher(1);
        Recorder rec(&launcher);
        launcher.start(1, shell(QStringLiteral("true"), m_tmp.path()));
        launcher.start(2, shell(QStringLiteral("true"), m_tmp.filePath(QStringLiteral("missing"))));
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 2, kWaitMs);
        Clock::install(nullptr);
        for (quint64 token : {quint64(1), quint64(2)}) {
            QCOMPARE(rec.runs[token].result.startedAtMs, 1'790'000'000'000);
            QCOMPARE(rec.runs[token].result.finishedAtMs, 1'790'000'000'000);
        }
    }

    void noSignalsAfterDestruction() {
        int finished = 0;
        QObject receiver;
        {
            LocalLauncher launcher(2);
            connect(&launcher, &engine::Launcher::launchFinished, &receiver, [&] { ++finished; });
            LaunchSpec spec;
            spec.argv = {QStringLiteral("signalbox-no-such-command")};
            launcher.start(1, spec); // its failure is queued
            launcher.start(2, shell(QStringLiteral("sleep 30"), m_tmp.path()));
        }
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished, 0);
    }

    void exitPollingFallback() {
        // Without an exit descriptor (no pidfd) the launcher polls; behaviour is the same.
        pools::sys::setExitDescriptorsEnabled(false);
        auto restore = qScopeGuard([] { pools::sys::setExitDescriptorsEnabled(true); });
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LocalLauncher launcher(4);
        Recorder rec(&launcher);
        launcher.start(1, shell(QStringLiteral("echo a; printf b >&2; exit 3"), dir.path()));
        LaunchSpec slow = shell(QStringLiteral("trap '' TERM; echo started; sleep 30"), dir.path());
        slow.timeoutMs = 500;
        slow.killGraceMs = 200;
        launcher.start(2, slow);
        launcher.start(3, shell(QStringLiteral("sleep 120 & echo $! > gc.pid; echo done"), dir.path()));
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 3, 60000);
        QCOMPARE(rec.runs[1].result.exitCode, std::optional<int>(3));
        QCOMPARE(rec.runs[1].out, QList<QByteArray>{"a"});
        QCOMPARE(rec.runs[1].err, QList<QByteArray>{"b"});
        QCOMPARE(rec.runs[2].result.end, End::TimedOut);
        QCOMPARE(rec.runs[2].result.signal, std::optional<int>(SIGKILL));
        QCOMPARE(rec.runs[3].result.exitCode, std::optional<int>(0));
        QCOMPARE(rec.runs[3].out, QList<QByteArray>{"done"});
        const pid_t pid = readPid(dir.filePath(QStringLiteral("gc.pid")));
        QVERIFY(pid > 1);
        ::kill(pid, SIGKILL);
    }

    void noDescriptorsLeak() {
        auto openFds = [] {
            return QDir(QStringLiteral("/proc/self/fd"))
                .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                .size();
        };
        LocalLauncher launcher(4);
        Recorder rec(&launcher);
        QVERIFY(run(launcher, rec, 1, shell(QStringLiteral("echo warm-up"), m_tmp.path())));
        const qsizetype before = openFds();
        LaunchSpec timeout = shell(QStringLiteral("sleep 30"), m_tmp.path());
        timeout.timeoutMs = 100;
        launcher.start(2, timeout);
        launcher.start(3, shell(QStringLiteral("echo x; exit 1"), m_tmp.path()));
        launcher.start(4, shell(QStringLiteral("true"), m_tmp.filePath(QStringLiteral("missing"))));
        LaunchSpec notFound;
        notFound.argv = {QStringLiteral("signalbox-no-such-command")};
        launcher.start(5, notFound);
        launcher.start(6, shell(QStringLiteral("sleep 30"), m_tmp.path()));
        launcher.cancel(6);
        QTRY_COMPARE_WITH_TIMEOUT(rec.finishedTotal, 6, kWaitMs);
        QCOMPARE(openFds(), before);
    }

    void destructorKillsWholeGroups() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        pid_t grandchild = -1;
        {
            LocalLauncher launcher(2);
            Recorder rec(&launcher);
            launcher.start(
                1, shell(QStringLiteral("sleep 300 & echo $! > gc.pid; echo ready; wait"), dir.path()));
            QTRY_COMPARE_WITH_TIMEOUT(rec.runs.value(1).out.size(), 1, kWaitMs);
            grandchild = readPid(dir.filePath(QStringLiteral("gc.pid")));
            QVERIFY(grandchild > 1);
            QVERIFY(!processGone(grandchild));
        }
        QTRY_VERIFY_WITH_TIMEOUT(processGone(grandchild), kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestLocalLauncher)
#include "tst_local_launcher.moc"
