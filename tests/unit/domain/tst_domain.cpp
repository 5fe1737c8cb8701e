#include "domain/clock.h"
#include "domain/ids.h"
#include "domain/status.h"

#include <QtTest>

using namespace signalbox;

class TestDomain final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void statusNamesRoundTrip() {
        for (auto s : {RunStatus::Queued, RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed,
                       RunStatus::Cancelled, RunStatus::Interrupted})
            QVERIFY(runStatusFromString(toString(s)) == s);
        QCOMPARE(toString(InstanceStatus::Skipped), QStringLiteral("skipped"));
        QCOMPARE(toString(ErrorCategory::Permanent), QStringLiteral("permanent"));
        QVERIFY(errorCategoryFromString(QString()) == ErrorCategory::None);
        QVERIFY(!runStatusFromString(QStringLiteral("bogus")).has_value());
    }
    void isoUtcHasMilliseconds() {
        QCOMPARE(isoUtc(1'795'428'000'123), QStringLiteral("2026-11-23T10:00:00.123Z"));
        QVERIFY(isoUtc(0).isEmpty());
    }
    void manualClockIsInstalledAndRemoved() {
        ManualClock clock(1000);
        Clock::install(&clock);
        QCOMPARE(Clock::instance().nowMs(), 1000);
        clock.advance(500);
        QCOMPARE(Clock::instance().nowMs(), 1500);
        Clock::install(nullptr);
        QVERIFY(Clock::instance().nowMs() > 1'700'000'000'000);
    }
    void runIdsAreDistinctAndSortable() {
        const QString a = newRunId();
        const QString b = newRunId();
        QVERIFY(a.startsWith(QStringLiteral("r_")));
        QCOMPARE(a.size(), 22);
        QVERIFY(a != b);
    }
};

QTEST_GUILESS_MAIN(TestDomain)
#include "tst_domain.moc"
