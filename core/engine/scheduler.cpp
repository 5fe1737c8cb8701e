#include "engine/scheduler.h"

#include <algorithm>

namespace signalbox::engine {

Scheduler::Scheduler(const Clock* clock)
    : m_clock(clock) {}

qint64 Scheduler::now() const {
    return (m_clock ? *m_clock : Clock::instance()).nowMs();
}

void Scheduler::setPoolCapacity(PoolKey pool, int capacity) {
    m_pools[pool].capacity = capacity;
}

void Scheduler::setPoolPaused(PoolKey pool, bool paused) {
    m_pools[pool].paused = paused;
}

bool Scheduler::isPoolPaused(PoolKey pool) const {
    const auto it = m_pools.find(pool);
    return it != m_pools.end() && it->second.paused;
}

void Scheduler::addRun(RunKey run, int maxConcurrent) {
    auto [it, inserted] = m_runs.try_emplace(run);
    it->second.maxConcurrent = maxConcurrent;
    if (inserted)
        m_rotation.push_back(run);
}

void Scheduler::removeRun(RunKey run) {
    const auto it = m_runs.find(run);
    if (it == m_runs.end())
        return;
    // Pool slots are counted per pool, not per run: callers remove a run only once
    // every instance it started has been reported finished().
    m_runs.erase(it);
    dropFromRotation(run);
}

bool Scheduler::hasRun(RunKey run) const {
    return m_runs.count(run) != 0;
}

void Scheduler::dropFromRotation(RunKey run) {
    const auto pos = std::find(m_rotation.begin(), m_rotation.end(), run);
    if (pos == m_rotation.end())
        return;
    const auto index = static_cast<std::size_t>(pos - m_rotation.begin());
    m_rotation.erase(pos);
    if (index < m_cursor)
        --m_cursor;
    if (m_cursor >= m_rotation.size())
        m_cursor = 0;
}

void Scheduler::enqueue(RunKey run, int instance, PoolKey pool) {
    auto it = m_runs.find(run);
    if (it == m_runs.end()) {
        addRun(run, 0);
        it = m_runs.find(run);
    }
    it->second.ready[pool].push_back(Ready{instance, now()});
    ++it->second.readyCount;
}

QList<int> Scheduler::clearReady(RunKey run) {
    QList<int> dropped;
    const auto it = m_runs.find(run);
    if (it == m_runs.end())
        return dropped;
    for (auto& [pool, queue] : it->second.ready) {
        for (const Ready& r : queue)
            dropped.append(r.instance);
    }
    it->second.ready.clear();
    it->second.readyCount = 0;
    return dropped;
}

void Scheduler::finished(RunKey run, PoolKey pool) {
    const auto it = m_runs.find(run);
    if (it != m_runs.end() && it->second.running > 0)
        --it->second.running;
    const auto p = m_pools.find(pool);
    if (p != m_pools.end() && p->second.running > 0)
        --p->second.running;
}

bool Scheduler::poolHasRoom(PoolKey pool) const {
    const auto it = m_pools.find(pool);
    if (it == m_pools.end())
        return true;
    const Pool& p = it->second;
    return !p.paused && (p.capacity <= 0 || p.running < p.capacity);
}

bool Scheduler::tryStartOne(RunKey key, RunQueue& run, qint64 nowMs, QList<Start>& out) {
    if (run.readyCount == 0)
        return false;
    if (run.maxConcurrent > 0 && run.running >= run.maxConcurrent)
        return false;
    for (auto& [pool, queue] : run.ready) {
        if (queue.empty() || !poolHasRoom(pool))
            continue;
        const Ready r = queue.front();
        queue.pop_front();
        --run.readyCount;
        ++run.running;
        ++m_pools[pool].running;
        out.append(Start{key, r.instance, pool, std::max<qint64>(0, nowMs - r.sinceMs)});
        return true;
    }
    return false;
}

QList<Scheduler::Start> Scheduler::takeStartable() {
    QList<Start> out;
    if (m_rotation.empty())
        return out;
    const qint64 nowMs = now();
    // Visit runs in rotation, one start per visit, until a whole round starts nothing.
    std::size_t idle = 0;
    while (idle < m_rotation.size()) {
        if (m_cursor >= m_rotation.size())
            m_cursor = 0;
        const RunKey key = m_rotation[m_cursor++];
        if (tryStartOne(key, m_runs[key], nowMs, out))
            idle = 0;
        else
            ++idle;
    }
    return out;
}

int Scheduler::running(RunKey run) const {
    const auto it = m_runs.find(run);
    return it == m_runs.end() ? 0 : it->second.running;
}

int Scheduler::ready(RunKey run) const {
    const auto it = m_runs.find(run);
    return it == m_runs.end() ? 0 : it->second.readyCount;
}

int Scheduler::runningInPool(PoolKey pool) const {
    const auto it = m_pools.find(pool);
    return it == m_pools.end() ? 0 : it->second.running;
}

int Scheduler::readyInPool(PoolKey pool) const {
    int count = 0;
    for (const auto& [key, run] : m_runs) {
        const auto it = run.ready.find(pool);
        if (it != run.ready.end())
            count += static_cast<int>(it->second.size());
    }
    return count;
}

} // namespace signalbox::engine
