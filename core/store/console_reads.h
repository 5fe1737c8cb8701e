#pragma once
// The desktop console's read queries: run pages with instance counts, log line ranges by
// line number, the last result per repository and the overview's activity. Run on the
// calling thread's read-only connection; on failure they return what they have and set
// *error.
//
// Dead letter depth over time is approximate: an entry counts as active from its
// enqueued_at until, if it is now completed or archived, its updated_at. Entries purged
// or evicted since are gone and not counted, and an entry archived then retried counts
// from its last change only. Good enough for a trend line, not an audit.

#include "store/store.h"

#include <string>

namespace signalbox::store {

class SqliteConnection;

namespace consolereads {

// The statement runPage prepares for this query (tests check its plan).
std::string runPageSql(const RunPageQuery& query);
QList<RunWithCounts> runPage(SqliteConnection& db, const RunPageQuery& query, QString* error);
LogBlockScan scanLogBlocks(SqliteConnection& db, const QString& runId, int index, int blockSize,
                           qint64 afterId, qint64 firstLineNumber, qint64 maxLines, QString* error);
QList<LogLine> logRange(SqliteConnection& db, const QString& runId, int index, qint64 fromId, qint64 skip,
                        int limit, QString* error);
QList<RepoLastResult> lastResults(SqliteConnection& db, const QStringList& repoNames, QString* error);
Activity activity(SqliteConnection& db, const ActivityQuery& query, QString* error);

} // namespace consolereads
} // namespace signalbox::store
