#pragma once
// The blocks of a log the view has recently shown, at most `capacity` of them: a run with
// 5,000,000 lines is scrolled through without ever holding it. Least recently used blocks
// are dropped first; a dropped block is simply fetched again when it comes back into view.

#include "domain/records.h"

#include <QHash>
#include <QList>

namespace signalbox::ui {

class LogBlockCache {
public:
    explicit LogBlockCache(int capacity = 200)
        : m_capacity(capacity) {}

    struct Block {
        QList<LogLine> lines;
        // The index generation the lines were read under: a block read before the log grew
        // may miss its newest lines and is read again once, not on every repaint.
        quint64 generation = 0;
        quint64 lastUse = 0;
    };

    // The block, marked as just used; nullptr when it is not cached.
    const Block* use(int block);
    void insert(int block, QList<LogLine> lines, quint64 generation);
    void clear() { m_blocks.clear(); }
    int size() const { return int(m_blocks.size()); }
    int capacity() const { return m_capacity; }

private:
    void evictLeastRecentlyUsed();

    QHash<int, Block> m_blocks;
    int m_capacity;
    quint64 m_clock = 0;
};

} // namespace signalbox::ui
