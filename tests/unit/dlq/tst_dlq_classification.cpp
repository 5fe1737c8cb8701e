// workflow.md's "Error categories (dead letter queue)" table, row by row: the category
// the engine's classifier gives each input the table names, and the automatic retry
// policy the queue then picks for it (defaultPolicyFor) when the task sets no dlq_policy.

#include "dlq/retry_policy.h"
#include "engine/error_classifier.h"

#include <QtTest>
#include <cerrno>
#include <csignal>

using namespace signalbox;
using namespace signalbox::dlq;
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
LaunchResult signaled(int signal) {
    LaunchResult r;
    r.end = End::Signaled;
    r.signal = signal;
    return r;
}
LaunchResult spawnFailed(int error, bool workingDir = false) {
    LaunchResult r;
    r.end = End::SpawnFailed;
    r.spawnErrno = error;
    r.workingDirFailed = workingDir;
    r.message = u"exec failed"_s;
    return r;
}
LaunchResult timedOut() {
    LaunchResult r;
    r.end = End::TimedOut;
    r.signal = SIGTERM;
    r.timeoutMs = 10'000;
    r.startedAtMs = 1000;
    r.finishedAtMs = 11'005;
    return r;
}

} // namespace

class TestDlqClassification final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void table_data() {
        QTest::addColumn<LaunchResult>("result");
        QTest::addColumn<QString>("declared"); // the task's "::error category=..." ("" = none)
        QTest::addColumn<QString>("category");
        QTest::addColumn<QString>("policy");

        // transient: timeout; ::error category=transient -> exponential
        QTest::newRow("transient: timeout") << timedOut() << QString() << u"transient"_s << u"exponential"_s;
        QTest::newRow("transient: declared") << exited(1) << u"transient"_s << u"transient"_s << u"exponential"_s;
        // network: ::error category=network -> exponential. (Remote pool unreachable and
        // connection reset come from remote pools, which report them as network failures;
        // the local launcher cannot produce them.)
        QTest::newRow("network: declared") << exited(1) << u"network"_s << u"network"_s << u"exponential"_s;
        QTest::newRow("network: declared, exit 2") << exited(2) << u"network"_s << u"network"_s << u"exponential"_s;
        // resource: SIGKILL/OOM, ENOSPC/ENOMEM, exit 137 -> linear
        QTest::newRow("resource: SIGKILL") << signaled(SIGKILL) << QString() << u"resource"_s << u"linear"_s;
        QTest::newRow("resource: ENOSPC") << spawnFailed(ENOSPC) << QString() << u"resource"_s << u"linear"_s;
        QTest::newRow("resource: ENOMEM") << spawnFailed(ENOMEM) << QString() << u"resource"_s << u"linear"_s;
        QTest::newRow("resource: exit 137") << exited(137) << QString() << u"resource"_s << u"linear"_s;
        QTest::newRow("resource: declared") << exited(1) << u"resource"_s << u"resource"_s << u"linear"_s;
        // permission: spawn EACCES, exit 126 -> never
        QTest::newRow("permission: EACCES") << spawnFailed(EACCES) << QString() << u"permission"_s << u"never"_s;
        QTest::newRow("permission: exit 126") << exited(126) << QString() << u"permission"_s << u"never"_s;
        QTest::newRow("permission: declared") << exited(1) << u"permission"_s << u"permission"_s << u"never"_s;
        // validation: spawn ENOENT, exit 127, bad working_dir -> never
        QTest::newRow("validation: ENOENT") << spawnFailed(ENOENT) << QString() << u"validation"_s << u"never"_s;
        QTest::newRow("validation: exit 127") << exited(127) << QString() << u"validation"_s << u"never"_s;
        QTest::newRow("validation: bad working_dir")
            << spawnFailed(ENOENT, true) << QString() << u"validation"_s << u"never"_s;
        QTest::newRow("validation: working_dir not accessible")
            << spawnFailed(EACCES, true) << QString() << u"validation"_s << u"never"_s;
        QTest::newRow("validation: declared") << exited(3) << u"validation"_s << u"validation"_s << u"never"_s;
        // permanent: any other non-zero exit -> never
        QTest::newRow("permanent: exit 1") << exited(1) << QString() << u"permanent"_s << u"never"_s;
        QTest::newRow("permanent: exit 2") << exited(2) << QString() << u"permanent"_s << u"never"_s;
        QTest::newRow("permanent: exit 255") << exited(255) << QString() << u"permanent"_s << u"never"_s;
        QTest::newRow("permanent: exit 136") << exited(136) << QString() << u"permanent"_s << u"never"_s;
        QTest::newRow("permanent: SIGSEGV") << signaled(SIGSEGV) << QString() << u"permanent"_s << u"never"_s;
        // The task's own word wins over the exit code's default row.
        QTest::newRow("declared over exit 137")
            << exited(137) << u"transient"_s << u"transient"_s << u"exponential"_s;
        QTest::newRow("declared over exit 127") << exited(127) << u"network"_s << u"network"_s << u"exponential"_s;
    }
    void table() {
        QFETCH(LaunchResult, result);
        QFETCH(QString, declared);
        QFETCH(QString, category);
        QFETCH(QString, policy);
        const auto declaredCategory = errorCategoryFromString(declared);
        QVERIFY(declaredCategory.has_value());
        const engine::Classification classification = engine::classify(result, *declaredCategory, QString());
        QCOMPARE(toString(classification.category), category);
        QVERIFY(!classification.error.isEmpty());
        QCOMPARE(toString(defaultPolicyFor(classification.category)), policy);
    }

    // Not failures: nothing for the queue (category None, no automatic retry).
    void successAndCancellationAreNoDeadLetters() {
        const auto success = engine::classify(exited(0), ErrorCategory::None, QString());
        QCOMPARE(toString(success.category), QString());
        QCOMPARE(toString(defaultPolicyFor(success.category)), u"never"_s);
        // An ::error line does not turn a successful exit into a failure.
        QCOMPARE(toString(engine::classify(exited(0), ErrorCategory::Transient, u"x"_s).category), QString());
        LaunchResult cancelled;
        cancelled.end = End::Cancelled;
        cancelled.signal = SIGTERM;
        QCOMPARE(toString(engine::classify(cancelled, ErrorCategory::None, QString()).category), QString());
    }

    // The error line an entry stores (and groups by) for the table's inputs.
    void errorText() {
        QCOMPARE(engine::classify(exited(1), ErrorCategory::None, QString()).error, u"exit code 1"_s);
        QCOMPARE(engine::classify(timedOut(), ErrorCategory::None, QString()).error, u"timed out after 10s"_s);
        QCOMPARE(engine::classify(signaled(SIGKILL), ErrorCategory::None, QString()).error,
                 u"killed by signal SIGKILL"_s);
        QCOMPARE(engine::classify(exited(1), ErrorCategory::Network, u"connection reset by peer"_s).error,
                 u"connection reset by peer"_s);
    }
};

QTEST_GUILESS_MAIN(TestDlqClassification)
#include "tst_dlq_classification.moc"
