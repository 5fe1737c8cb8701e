#include "dlq/retry_policy.h"
#include "domain/clock.h"

#include <QtTest>
#include <limits>

using namespace signalbox;
using namespace signalbox::dlq;

namespace {
constexpr qint64 kMinute = 60 * 1000;
} // namespace

class TestRetryPolicy final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesRoundTrip_data() {
        QTest::addColumn<RetryPolicy>("policy");
        QTest::addColumn<QString>("name");
        QTest::newRow("never") << RetryPolicy::Never << QStringLiteral("never");
        QTest::newRow("immediate") << RetryPolicy::Immediate << QStringLiteral("immediate");
        QTest::newRow("linear") << RetryPolicy::Linear << QStringLiteral("linear");
        QTest::newRow("exponential") << RetryPolicy::Exponential << QStringLiteral("exponential");
    }
    void namesRoundTrip() {
        QFETCH(RetryPolicy, policy);
        QFETCH(QString, name);
        QCOMPARE(toString(policy), name);
        QVERIFY(retryPolicyFromString(name) == policy);
    }
    void unknownNamesAreRejected() {
        QVERIFY(!retryPolicyFromString(QString()).has_value());
        QVERIFY(!retryPolicyFromString(QStringLiteral("Linear")).has_value());
        QVERIFY(!retryPolicyFromString(QStringLiteral("sometimes")).has_value());
    }

    void defaultPolicyPerCategory_data() {
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<RetryPolicy>("policy");
        QTest::newRow("none") << ErrorCategory::None << RetryPolicy::Never;
        QTest::newRow("transient") << ErrorCategory::Transient << RetryPolicy::Exponential;
        QTest::newRow("network") << ErrorCategory::Network << RetryPolicy::Exponential;
        QTest::newRow("resource") << ErrorCategory::Resource << RetryPolicy::Linear;
        QTest::newRow("permission") << ErrorCategory::Permission << RetryPolicy::Never;
        QTest::newRow("validation") << ErrorCategory::Validation << RetryPolicy::Never;
        QTest::newRow("permanent") << ErrorCategory::Permanent << RetryPolicy::Never;
    }
    void defaultPolicyPerCategory() {
        QFETCH(ErrorCategory, category);
        QFETCH(RetryPolicy, policy);
        // Compared by name: readable on failure, and RetryPolicy has no QTest::toString.
        QCOMPARE(toString(defaultPolicyFor(category)), toString(policy));
    }

    // Expected delay after `now` (ms); -1 means no automatic retry.
    void schedule_data() {
        QTest::addColumn<RetryPolicy>("policy");
        QTest::addColumn<int>("retriesDone");
        QTest::addColumn<qint64>("delayMs");
        for (int n : {0, 1, 5, 1000})
            QTest::addRow("never/%d", n) << RetryPolicy::Never << n << qint64(-1);
        for (int n : {0, 1, 5, 1000})
            QTest::addRow("immediate/%d", n) << RetryPolicy::Immediate << n << qint64(0);
        for (int n : {0, 1, 2, 3, 10})
            QTest::addRow("linear/%d", n) << RetryPolicy::Linear << n << qint64(n + 1) * 5 * kMinute;
        QTest::newRow("linear/1000") << RetryPolicy::Linear << 1000 << 1001 * 5 * kMinute;
        QTest::newRow("exponential/0") << RetryPolicy::Exponential << 0 << 1 * kMinute;
        QTest::newRow("exponential/1") << RetryPolicy::Exponential << 1 << 2 * kMinute;
        QTest::newRow("exponential/2") << RetryPolicy::Exponential << 2 << 4 * kMinute;
        QTest::newRow("exponential/3") << RetryPolicy::Exponential << 3 << 8 * kMinute;
        QTest::newRow("exponential/5") << RetryPolicy::Exponential << 5 << 32 * kMinute;
        QTest::newRow("exponential/6 capped") << RetryPolicy::Exponential << 6 << 60 * kMinute;
        QTest::newRow("exponential/7 capped") << RetryPolicy::Exponential << 7 << 60 * kMinute;
        QTest::newRow("exponential/63 capped") << RetryPolicy::Exponential << 63 << 60 * kMinute;
        QTest::newRow("exponential/1000 capped") << RetryPolicy::Exponential << 1000 << 60 * kMinute;
        QTest::newRow("exponential/INT_MAX capped")
            << RetryPolicy::Exponential << std::numeric_limits<int>::max() << 60 * kMinute;
        QTest::newRow("negative retries act as 0") << RetryPolicy::Linear << -3 << 5 * kMinute;
    }
    void schedule() {
        QFETCH(RetryPolicy, policy);
        QFETCH(int, retriesDone);
        QFETCH(qint64, delayMs);
        const ManualClock clock;
        const auto at = nextRetryAtMs(policy, retriesDone, clock.nowMs(), RetrySchedule{});
        if (delayMs < 0) {
            QVERIFY(!at.has_value());
        } else {
            QVERIFY(at.has_value());
            QCOMPARE(*at - clock.nowMs(), delayMs);
        }
    }

    // Successive retries driven by a controlled clock: each is scheduled from when the
    // previous one ran.
    void retriesFollowTheClock() {
        ManualClock clock;
        const qint64 start = clock.nowMs();
        QList<qint64> due;
        for (int done = 0; done < 4; ++done) {
            const auto at = nextRetryAtMs(RetryPolicy::Exponential, done, clock.nowMs());
            QVERIFY(at.has_value());
            due << *at;
            clock.set(*at);
        }
        // 1, 2, 4, 8 minutes apart.
        QCOMPARE(due, (QList<qint64>{start + 1 * kMinute, start + 3 * kMinute, start + 7 * kMinute,
                                     start + 15 * kMinute}));
    }

    void scheduleIsConfigurable() {
        const RetrySchedule fast{.linearStepMs = 100, .exponentialBaseMs = 10, .exponentialCapMs = 50};
        const qint64 now = ManualClock().nowMs();
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Linear, 2, now, fast), now + 300);
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, 0, now, fast), now + 10);
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, 2, now, fast), now + 40);
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, 3, now, fast), now + 50);
        // A base above the cap is held to the cap.
        const RetrySchedule inverted{.linearStepMs = 1, .exponentialBaseMs = 500, .exponentialCapMs = 50};
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, 0, now, inverted), now + 50);
    }

    void hugeValuesSaturateInsteadOfOverflowing() {
        constexpr qint64 kMax = std::numeric_limits<qint64>::max();
        const qint64 now = ManualClock().nowMs();
        const RetrySchedule huge{
            .linearStepMs = kMax / 2, .exponentialBaseMs = kMax / 2, .exponentialCapMs = kMax};
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Linear, 1000, now, huge), kMax);
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, 1000, now, huge), kMax);
        // The default linear step times INT_MAX retries still fits: computed in 64 bits.
        constexpr int kIntMax = std::numeric_limits<int>::max();
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Linear, kIntMax, now),
                 now + (qint64(kIntMax) + 1) * 5 * kMinute);
        const RetrySchedule zero{.linearStepMs = 0, .exponentialBaseMs = 0, .exponentialCapMs = 0};
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Exponential, std::numeric_limits<int>::max(), now, zero), now);
        QCOMPARE(*nextRetryAtMs(RetryPolicy::Linear, 7, now, zero), now);
    }

    void maxRetriesBounds_data() {
        QTest::addColumn<int>("maxRetries");
        QTest::addColumn<bool>("valid");
        QTest::newRow("-1") << -1 << false;
        QTest::newRow("0") << 0 << true;
        QTest::newRow("default") << kDefaultMaxRetries << true;
        QTest::newRow("10") << 10 << true;
        QTest::newRow("11") << 11 << false;
    }
    void maxRetriesBounds() {
        QFETCH(int, maxRetries);
        QFETCH(bool, valid);
        QCOMPARE(isValidMaxRetries(maxRetries), valid);
    }

    void exhaustion_data() {
        QTest::addColumn<int>("retriesDone");
        QTest::addColumn<int>("maxRetries");
        QTest::addColumn<bool>("exhausted");
        QTest::newRow("0 of 0") << 0 << 0 << true;
        QTest::newRow("0 of 3") << 0 << 3 << false;
        QTest::newRow("2 of 3") << 2 << 3 << false;
        QTest::newRow("3 of 3") << 3 << 3 << true;
        QTest::newRow("4 of 3") << 4 << 3 << true;
        QTest::newRow("9 of 10") << 9 << 10 << false;
        QTest::newRow("10 of 10") << 10 << 10 << true;
        QTest::newRow("10 of 50 clamps to 10") << 10 << 50 << true;
        QTest::newRow("0 of -5 clamps to 0") << 0 << -5 << true;
    }
    void exhaustion() {
        QFETCH(int, retriesDone);
        QFETCH(int, maxRetries);
        QFETCH(bool, exhausted);
        QCOMPARE(isExhausted(retriesDone, maxRetries), exhausted);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
