#pragma once
// Pure scheduling decisions: which ready task instances start now.
//
// Knows nothing about processes, the store or the event loop. The engine tells it
// which instances are ready (all dependencies succeeded), which ended, and asks
// takeStartable() for what to start. Limits: a run's max_concurrent and each pool's
// capacity. Fairness: runs with ready work are served round-robin, one instance per
// visit, and the rotation continues across calls, so one big run cannot starve a
// small one that shares a pool.

#include "domain/clock.h"

#include <QList>
#include <QtGlobal>
#include <deque>
#include <map>
#include <vector>

namespace signalbox::engine {

class Scheduler final {
public:
    // The engine's handles; any non-negative ints the caller keeps stable.
    using RunKey = int;
    using PoolKey = int;

    struct Start {
        RunKey run = 0;
        int instance = 0;
        PoolKey pool = 0;
        qint64 waitedMs = 0; // how long it was ready before it started (by the clock)
    };

    explicit Scheduler(const Clock* clock = nullptr); // nullptr = Clock::instance() at each call

    // Capacity <= 0 = unlimited. Unknown pools are unlimited. Lowering it below what
    // runs starts nothing new on the pool until enough of its running instances finished.
    void setPoolCapacity(PoolKey pool, int capacity);
    // A paused pool starts nothing; its ready instances keep their place in the queue.
    void setPoolPaused(PoolKey pool, bool paused);
    bool isPoolPaused(PoolKey pool) const;

    // maxConcurrent <= 0 = unlimited. Re-adding a run keeps its queue and counts.
    void addRun(RunKey run, int maxConcurrent);
    // Forgets a run (its ready queue too). Call it once nothing of the run is running.
    void removeRun(RunKey run);
    bool hasRun(RunKey run) const;

    // Marks an instance ready to start on a pool. Instances of a run start in the order
    // they became ready (per pool).
    void enqueue(RunKey run, int instance, PoolKey pool);
    // Drops every ready (not yet started) instance of a run; returns them.
    QList<int> clearReady(RunKey run);

    // An instance taken by takeStartable() ended: releases its run and pool slots.
    void finished(RunKey run, PoolKey pool);

    // Everything that may start now, respecting caps, fairly ordered across runs.
    // The returned instances count as running until finished() is called.
    QList<Start> takeStartable();

    int running(RunKey run) const;
    int ready(RunKey run) const;
    int runningInPool(PoolKey pool) const;
    // Ready instances (of every run) waiting for a slot on the pool.
    int readyInPool(PoolKey pool) const;

private:
    struct Ready {
        int instance = 0;
        qint64 sinceMs = 0;
    };
    struct RunQueue {
        int maxConcurrent = 0;
        int running = 0;
        int readyCount = 0;
        std::map<PoolKey, std::deque<Ready>> ready; // per pool, in ready order
    };
    struct Pool {
        int capacity = 0;
        int running = 0;
        bool paused = false;
    };

    qint64 now() const;
    bool poolHasRoom(PoolKey pool) const;
    bool tryStartOne(RunKey key, RunQueue& run, qint64 nowMs, QList<Start>& out);
    void dropFromRotation(RunKey run);

    const Clock* m_clock = nullptr;
    std::map<RunKey, RunQueue> m_runs;
    std::map<PoolKey, Pool> m_pools;
    std::vector<RunKey> m_rotation; // runs in round-robin order
    std::size_t m_cursor = 0;       // next run to visit in m_rotation
};

} // namespace signalbox::engine
