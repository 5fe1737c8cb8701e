#pragma once
// Line numbers -> log line ids for runs with millions of lines, on the backend thread.
// A run's index (the id of every blockSize-th line) is built by stepping over the
// covering index (run_key, id) a slice at a time (the engine shares this thread: a slice
// is a few tens of milliseconds) and then only extended with the lines appended since,
// so "lines 4,200,000..4,200,100" is one block lookup plus a short ranged read, never an
// OFFSET over millions of rows.

#include "backend/backend_types.h"

#include <QHash>
#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::ui {

class LocalLogIndex final {
public:
    explicit LocalLogIndex(store::Store& store)
        : m_store(store) {}

    static constexpr int kRangeBlockSize = 1000;
    static constexpr qint64 kSliceLines = 250'000;

    // Extends the index of the run's (index >= 0: that instance's) lines by one slice.
    // True when it now reaches the newest line.
    bool advance(const QString& runId, int index, int blockSize);
    // The index as far as it has been built.
    LogIndex current(const QString& runId, int index, int blockSize);
    // Lines [firstLine, firstLine + count) by 0-based line number, from the range index
    // (advance(..., kRangeBlockSize) first until it covers firstLine or is complete).
    QList<LogLine> range(const QString& runId, int index, qint64 firstLine, int count);

private:
    struct Entry {
        LogIndex index;
        qint64 lastId = 0;
    };
    Entry& entry(const QString& runId, int index, int blockSize);

    store::Store& m_store;
    QHash<QString, Entry> m_entries;
};

} // namespace signalbox::ui
