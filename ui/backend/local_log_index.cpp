#include "backend/local_log_index.h"

#include "store/store.h"

#include <algorithm>

namespace signalbox::ui {

namespace {
constexpr qsizetype kMaxCachedIndexes = 32; // a few KB each per million lines
}

LocalLogIndex::Entry& LocalLogIndex::entry(const QString& runId, int index, int blockSize) {
    const int size = std::max(1, blockSize);
    const QString key =
        runId + QLatin1Char('/') + QString::number(index) + QLatin1Char('/') + QString::number(size);
    auto it = m_entries.find(key);
    if (it == m_entries.end()) {
        if (m_entries.size() >= kMaxCachedIndexes)
            m_entries.clear(); // rebuilt on demand; simpler than an LRU for a handful of runs
        Entry fresh;
        fresh.index.runId = runId;
        fresh.index.index = index;
        fresh.index.blockSize = size;
        it = m_entries.insert(key, fresh);
    }
    return it.value();
}

bool LocalLogIndex::advance(const QString& runId, int index, int blockSize) {
    Entry& e = entry(runId, index, blockSize);
    // Lines are only ever appended, with larger ids: continue where the last slice stopped.
    const store::LogBlockScan scan =
        m_store.scanLogBlocks(runId, index, e.index.blockSize, e.lastId, e.index.total, kSliceLines);
    e.index.blockFirstIds.append(scan.blockFirstIds);
    e.index.total += scan.lines;
    if (scan.lines > 0)
        e.lastId = scan.lastId;
    return scan.lines < kSliceLines;
}

LogIndex LocalLogIndex::current(const QString& runId, int index, int blockSize) {
    return entry(runId, index, blockSize).index;
}

QList<LogLine> LocalLogIndex::range(const QString& runId, int index, qint64 firstLine, int count) {
    if (firstLine < 0 || count <= 0)
        return {};
    const Entry& e = entry(runId, index, kRangeBlockSize);
    if (firstLine >= e.index.total)
        return {};
    const qint64 fromId = e.index.blockFirstIds.value(firstLine / kRangeBlockSize);
    return m_store.logRange(runId, index, fromId, firstLine % kRangeBlockSize, std::min(count, 100000));
}

} // namespace signalbox::ui
