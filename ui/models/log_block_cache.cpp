#include "models/log_block_cache.h"

#include <limits>

namespace signalbox::ui {

const LogBlockCache::Block* LogBlockCache::use(int block) {
    auto it = m_blocks.find(block);
    if (it == m_blocks.end())
        return nullptr;
    it->lastUse = ++m_clock;
    return &it.value();
}

void LogBlockCache::insert(int block, QList<LogLine> lines, quint64 generation) {
    Block& entry = m_blocks[block];
    entry.lines = std::move(lines);
    entry.generation = generation;
    entry.lastUse = ++m_clock;
    while (m_blocks.size() > m_capacity)
        evictLeastRecentlyUsed();
}

// A linear scan over at most a few hundred blocks is cheaper than keeping a list in order
// on every data() call, which happens far more often than an insert.
void LogBlockCache::evictLeastRecentlyUsed() {
    auto oldest = m_blocks.end();
    quint64 oldestUse = std::numeric_limits<quint64>::max();
    for (auto it = m_blocks.begin(); it != m_blocks.end(); ++it) {
        if (it->lastUse < oldestUse) {
            oldestUse = it->lastUse;
            oldest = it;
        }
    }
    if (oldest != m_blocks.end())
        m_blocks.erase(oldest);
}

} // namespace signalbox::ui
