#pragma once
// Appends log lines (the hot path of the store). Writer thread only.
//
// Lines refer to their run by a small integer key (log_runs), which keeps log_lines and
// its (run_key, id) index compact. Lines enter the full-text index once per batch, just
// before it commits, with one INSERT ... SELECT: FTS5 flushes its in-memory index at
// every statement savepoint, so indexing line by line (e.g. from a trigger) writes a tiny
// segment per line and is ~10x slower.

#include "domain/records.h"

#include <QHash>
#include <optional>

namespace signalbox::store {

class SqliteConnection;

class LogAppender final {
public:
    // Inserts lines in order and sets their ids. On failure the caller's savepoint undoes
    // the operation, and this forgets what it learnt during it.
    bool append(SqliteConnection& db, QList<LogLine>& lines, QString* error);
    // Before COMMIT: adds the lines appended in this batch to the full-text index.
    bool indexPending(SqliteConnection& db, QString* error);
    // After COMMIT or ROLLBACK of the batch.
    void batchEnded(bool committed);

private:
    std::optional<qint64> runKey(SqliteConnection& db, const QString& runId, QStringList* added,
                                 QString* error);

    QHash<QString, qint64> m_runKeys;    // committed
    QHash<QString, qint64> m_newRunKeys; // inserted by the current batch
    qint64 m_firstUnindexedId = 0;
};

} // namespace signalbox::store
