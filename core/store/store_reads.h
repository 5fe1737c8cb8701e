#pragma once
// The read queries, run on the calling thread's read-only connection.
// On failure they return what they have (usually nothing) and set *error.

#include "store/store.h"

namespace signalbox::store {

class SqliteConnection;

namespace reads {

std::optional<RunRecord> run(SqliteConnection& db, const QString& runId, QString* error);
QList<RunRecord> runs(SqliteConnection& db, const RunFilter& filter, QString* error);
QList<InstanceRecord> instances(SqliteConnection& db, const QString& runId, QString* error);
QList<AttemptRecord> attempts(SqliteConnection& db, const QString& runId, int index, QString* error);
QList<InstanceRecord> leftoverProcesses(SqliteConnection& db, QString* error);
QList<LogLine> logs(SqliteConnection& db, const LogQuery& query, QString* error);
qint64 logLineCount(SqliteConnection& db, const QString& runId, QString* error);
QList<CatalogRepo> catalog(SqliteConnection& db, QString* error);

} // namespace reads
} // namespace signalbox::store
