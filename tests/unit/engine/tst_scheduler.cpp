// Scheduler decisions: caps per run and per pool, fairness across runs, wait times.

#include "domain/clock.h"
#include "engine/scheduler.h"

#include <QtTest>

using signalbox::ManualClock;
using signalbox::engine::Scheduler;

namespace {

QList<int> instancesOf(const QList<Scheduler::Start>& starts, int run) {
    QList<int> out;
    for (const Scheduler::Start& s : starts) {
        if (s.run == run)
            out.append(s.instance);
    }
    return out;
}

QList<int> runsOf(const QList<Scheduler::Start>& starts) {
    QList<int> out;
    for (const Scheduler::Start& s : starts)
        out.append(s.run);
    return out;
}

} // namespace

class TestScheduler final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startsEverythingWhenUnlimited() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.addRun(1, 0);
        for (int i = 0; i < 5; ++i)
            scheduler.enqueue(1, i, 0);
        const auto starts = scheduler.takeStartable();
        QCOMPARE(instancesOf(starts, 1), (QList<int>{0, 1, 2, 3, 4}));
        QCOMPARE(scheduler.running(1), 5);
        QCOMPARE(scheduler.ready(1), 0);
        QVERIFY(scheduler.takeStartable().isEmpty());
    }

    void maxConcurrentCapsARun() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.addRun(1, 2);
        for (int i = 0; i < 5; ++i)
            scheduler.enqueue(1, i, 0);
        QCOMPARE(instancesOf(scheduler.takeStartable(), 1), (QList<int>{0, 1}));
        QVERIFY(scheduler.takeStartable().isEmpty());
        scheduler.finished(1, 0);
        QCOMPARE(instancesOf(scheduler.takeStartable(), 1), (QList<int>{2}));
        QCOMPARE(scheduler.running(1), 2);
        scheduler.finished(1, 0);
        scheduler.finished(1, 0);
        QCOMPARE(instancesOf(scheduler.takeStartable(), 1), (QList<int>{3, 4}));
    }

    void poolCapacityIsSharedAcrossRuns() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(7, 3);
        scheduler.addRun(1, 0);
        scheduler.addRun(2, 0);
        for (int i = 0; i < 4; ++i) {
            scheduler.enqueue(1, i, 7);
            scheduler.enqueue(2, i, 7);
        }
        const auto starts = scheduler.takeStartable();
        QCOMPARE(starts.size(), 3);
        QCOMPARE(scheduler.runningInPool(7), 3);
        QVERIFY(scheduler.takeStartable().isEmpty());
        scheduler.finished(starts.first().run, 7);
        QCOMPARE(scheduler.takeStartable().size(), 1);
    }

    void aFullPoolDoesNotBlockAnotherPoolOfTheSameRun() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 1);
        scheduler.setPoolCapacity(1, 0); // unlimited
        scheduler.addRun(1, 0);
        scheduler.enqueue(1, 0, 0);
        scheduler.enqueue(1, 1, 0);
        scheduler.enqueue(1, 2, 1);
        scheduler.enqueue(1, 3, 1);
        const auto starts = scheduler.takeStartable();
        QCOMPARE(starts.size(), 3);
        QCOMPARE(scheduler.runningInPool(0), 1);
        QCOMPARE(scheduler.runningInPool(1), 2);
    }

    void runsShareAPoolRoundRobin() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 4);
        scheduler.addRun(1, 0); // the big run
        scheduler.addRun(2, 0); // a small one added later
        for (int i = 0; i < 100; ++i)
            scheduler.enqueue(1, i, 0);
        scheduler.enqueue(2, 0, 0);
        scheduler.enqueue(2, 1, 0);
        const auto first = scheduler.takeStartable();
        QCOMPARE(runsOf(first), (QList<int>{1, 2, 1, 2}));
        QCOMPARE(instancesOf(first, 2), (QList<int>{0, 1}));
    }

    void theRotationContinuesAcrossCalls() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 2);
        scheduler.addRun(1, 0);
        scheduler.addRun(2, 0);
        scheduler.addRun(3, 0);
        for (int i = 0; i < 10; ++i) {
            scheduler.enqueue(1, i, 0);
            scheduler.enqueue(2, i, 0);
            scheduler.enqueue(3, i, 0);
        }
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{1, 2}));
        // One slot frees at a time: the next run in the rotation gets it, not run 1 again.
        scheduler.finished(1, 0);
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{3}));
        scheduler.finished(2, 0);
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{1}));
        scheduler.finished(3, 0);
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{2}));
    }

    void aBigRunDoesNotStarveASmallOne() {
        // Capacity 1, a run with 1000 ready instances and one with 3: over the first 6
        // starts the small run gets 3.
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 1);
        scheduler.addRun(1, 0);
        for (int i = 0; i < 1000; ++i)
            scheduler.enqueue(1, i, 0);
        scheduler.addRun(2, 0);
        for (int i = 0; i < 3; ++i)
            scheduler.enqueue(2, i, 0);
        QList<int> order;
        for (int step = 0; step < 6; ++step) {
            const auto starts = scheduler.takeStartable();
            QCOMPARE(starts.size(), 1);
            order.append(starts.first().run);
            scheduler.finished(starts.first().run, 0);
        }
        QCOMPARE(order, (QList<int>{1, 2, 1, 2, 1, 2}));
        QCOMPARE(scheduler.ready(2), 0);
    }

    void aRunAtItsCapLetsOthersUseThePool() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 4);
        scheduler.addRun(1, 1);
        scheduler.addRun(2, 0);
        for (int i = 0; i < 5; ++i) {
            scheduler.enqueue(1, i, 0);
            scheduler.enqueue(2, i, 0);
        }
        const auto starts = scheduler.takeStartable();
        QCOMPARE(instancesOf(starts, 1).size(), 1);
        QCOMPARE(instancesOf(starts, 2).size(), 3);
    }

    void clearReadyDropsQueuedWork() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.addRun(1, 1);
        for (int i = 0; i < 3; ++i)
            scheduler.enqueue(1, i, 0);
        QCOMPARE(scheduler.takeStartable().size(), 1);
        QList<int> dropped = scheduler.clearReady(1);
        std::sort(dropped.begin(), dropped.end());
        QCOMPARE(dropped, (QList<int>{1, 2}));
        scheduler.finished(1, 0);
        QVERIFY(scheduler.takeStartable().isEmpty());
        scheduler.removeRun(1);
        QVERIFY(!scheduler.hasRun(1));
        QVERIFY(scheduler.takeStartable().isEmpty());
    }

    void removingARunKeepsTheRotationOfOthers() {
        ManualClock clock;
        Scheduler scheduler(&clock);
        scheduler.setPoolCapacity(0, 1);
        for (int run = 1; run <= 3; ++run) {
            scheduler.addRun(run, 0);
            for (int i = 0; i < 3; ++i)
                scheduler.enqueue(run, i, 0);
        }
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{1}));
        scheduler.finished(1, 0);
        scheduler.clearReady(2);
        scheduler.removeRun(2);
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{3}));
        scheduler.finished(3, 0);
        QCOMPARE(runsOf(scheduler.takeStartable()), (QList<int>{1}));
    }

    void reportsHowLongAnInstanceWaited() {
        ManualClock clock(1'000'000);
        Scheduler scheduler(&clock);
        scheduler.addRun(1, 1);
        scheduler.enqueue(1, 0, 0);
        clock.advance(200);
        scheduler.enqueue(1, 1, 0);
        clock.advance(300);
        auto starts = scheduler.takeStartable();
        QCOMPARE(starts.size(), 1);
        QCOMPARE(starts.first().waitedMs, qint64(500));
        clock.advance(1000);
        scheduler.finished(1, 0);
        starts = scheduler.takeStartable();
        QCOMPARE(starts.size(), 1);
        QCOMPARE(starts.first().instance, 1);
        QCOMPARE(starts.first().waitedMs, qint64(1300));
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
