// classify(): workflow.md's error category table.

#include "engine/error_classifier.h"

#include <QtTest>
#include <cerrno>
#include <csignal>

Q_DECLARE_METATYPE(signalbox::ErrorCategory)

using namespace signalbox;
using namespace Qt::StringLiterals;
using engine::LaunchResult;
using End = LaunchResult::End;

namespace {

LaunchResult exited(int code) {
    LaunchResult r;
    r.end = End::Exited;
    r.exitCode = code;
    return r;
}
LaunchResult ended(End end, int signal) {
    LaunchResult r;
    r.end = end;
    r.signal = signal;
    return r;
}
LaunchResult spawnFailed(int error, bool workingDir = false, const QString& message = QString()) {
    LaunchResult r;
    r.end = End::SpawnFailed;
    r.spawnErrno = error;
    r.workingDirFailed = workingDir;
    r.message = message;
    return r;
}
LaunchResult timedOut(qint64 limitMs) {
    LaunchResult r = ended(End::TimedOut, SIGTERM);
    r.timeoutMs = limitMs;
    r.startedAtMs = 1000;
    r.finishedAtMs = 1000 + limitMs + 5;
    return r;
}

} // namespace

class TestErrorClassifier final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classify_data() {
        QTest::addColumn<LaunchResult>("result");
        QTest::addColumn<ErrorCategory>("declared");
        QTest::addColumn<QString>("declaredMessage");
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<QString>("error");
        const auto none = ErrorCategory::None;
        const QString noMessage;

        QTest::newRow("exit 0") << exited(0) << none << noMessage << none << QString();
        QTest::newRow("exit 0, declared error ignored")
            << exited(0) << ErrorCategory::Network << u"flaky"_s << none << QString();
        QTest::newRow("exit 1") << exited(1) << none << noMessage << ErrorCategory::Permanent
                                << u"exit code 1"_s;
        QTest::newRow("exit 2") << exited(2) << none << noMessage << ErrorCategory::Permanent
                                << u"exit code 2"_s;
        QTest::newRow("exit 255") << exited(255) << none << noMessage << ErrorCategory::Permanent
                                  << u"exit code 255"_s;
        QTest::newRow("exit 137") << exited(137) << none << noMessage << ErrorCategory::Resource
                                  << u"exit code 137"_s;
        QTest::newRow("exit 126") << exited(126) << none << noMessage << ErrorCategory::Permission
                                  << u"exit code 126"_s;
        QTest::newRow("exit 127") << exited(127) << none << noMessage << ErrorCategory::Validation
                                  << u"exit code 127"_s;
        QTest::newRow("declared wins") << exited(1) << ErrorCategory::Network << u"registry unreachable"_s
                                       << ErrorCategory::Network << u"registry unreachable"_s;
        QTest::newRow("declared wins over 127") << exited(127) << ErrorCategory::Transient << u"retry me"_s
                                                << ErrorCategory::Transient << u"retry me"_s;
        QTest::newRow("declared without message") << exited(3) << ErrorCategory::Resource << noMessage
                                                  << ErrorCategory::Resource << u"exit code 3"_s;
        QTest::newRow("SIGKILL") << ended(End::Signaled, SIGKILL) << none << noMessage
                                 << ErrorCategory::Resource << u"killed by signal SIGKILL"_s;
        QTest::newRow("SIGSEGV") << ended(End::Signaled, SIGSEGV) << none << noMessage
                                 << ErrorCategory::Permanent << u"killed by signal SIGSEGV"_s;
        QTest::newRow("SIGTERM") << ended(End::Signaled, SIGTERM) << none << noMessage
                                 << ErrorCategory::Permanent << u"killed by signal SIGTERM"_s;
        QTest::newRow("signal 40") << ended(End::Signaled, 40) << none << noMessage
                                   << ErrorCategory::Permanent << u"killed by signal signal 40"_s;
        QTest::newRow("timeout 10s") << timedOut(10000) << none << noMessage << ErrorCategory::Transient
                                     << u"timed out after 10s"_s;
        QTest::newRow("timeout 250ms")
            << timedOut(250) << none << noMessage << ErrorCategory::Transient << u"timed out after 250ms"_s;
        QTest::newRow("timeout beats declared") << timedOut(60000) << ErrorCategory::Permanent << u"x"_s
                                                << ErrorCategory::Transient << u"timed out after 60s"_s;
        QTest::newRow("cancelled") << ended(End::Cancelled, SIGTERM) << none << noMessage << none
                                   << u"cancelled"_s;
        QTest::newRow("spawn EACCES")
            << spawnFailed(EACCES, false, u"cannot execute x: Permission denied"_s) << none << noMessage
            << ErrorCategory::Permission << u"cannot execute x: Permission denied"_s;
        QTest::newRow("spawn ENOENT") << spawnFailed(ENOENT, false, u"command not found: x"_s) << none
                                      << noMessage << ErrorCategory::Validation << u"command not found: x"_s;
        QTest::newRow("bad working dir")
            << spawnFailed(EACCES, true, u"working directory /w: Permission denied"_s) << none << noMessage
            << ErrorCategory::Validation << u"working directory /w: Permission denied"_s;
        QTest::newRow("spawn ENOSPC") << spawnFailed(ENOSPC) << none << noMessage << ErrorCategory::Resource
                                      << QString::fromLocal8Bit(std::strerror(ENOSPC));
        QTest::newRow("spawn ENOMEM") << spawnFailed(ENOMEM, false, u"no memory"_s) << none << noMessage
                                      << ErrorCategory::Resource << u"no memory"_s;
        QTest::newRow("spawn unknown") << spawnFailed(0) << none << noMessage << ErrorCategory::Permanent
                                       << u"could not start the process"_s;
        QTest::newRow("spawn failure ignores declared")
            << spawnFailed(ENOENT, false, u"command not found: x"_s) << ErrorCategory::Network << u"y"_s
            << ErrorCategory::Validation << u"command not found: x"_s;
    }

    void classify() {
        QFETCH(LaunchResult, result);
        QFETCH(ErrorCategory, declared);
        QFETCH(QString, declaredMessage);
        QFETCH(ErrorCategory, category);
        QFETCH(QString, error);
        const engine::Classification c = engine::classify(result, declared, declaredMessage);
        QCOMPARE(toString(c.category), toString(category)); // strings: the enum has its own toString()
        QCOMPARE(c.error, error);
    }

    void signalNames() {
        QCOMPARE(engine::signalName(SIGKILL), u"SIGKILL"_s);
        QCOMPARE(engine::signalName(SIGSEGV), u"SIGSEGV"_s);
        QCOMPARE(engine::signalName(SIGTERM), u"SIGTERM"_s);
        QCOMPARE(engine::signalName(SIGABRT), u"SIGABRT"_s);
        QCOMPARE(engine::signalName(0), u"signal 0"_s);
    }
};

QTEST_GUILESS_MAIN(TestErrorClassifier)
#include "tst_error_classifier.moc"
