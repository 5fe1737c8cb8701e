#pragma once
// The dead letter queue's write statements (entries, counters, bulk jobs, audit,
// settings), applied by the writer thread inside its batch transaction. Every change to
// dlq_entries keeps dlq_counts and dlq_counters right in the same transaction.
// All return false + one-line error on failure.

#include "store/store.h"

#include <QByteArray>
#include <QList>

namespace signalbox::store {

class SqliteConnection;

namespace dlqwrites {

// An entry ready to insert: its recipes already as JSON, made on the calling thread so
// the writer thread only binds.
struct NewEntry {
    dlq::DeadLetter entry;
    QByteArray original; // JSON object
    QByteArray edited;   // JSON object; null = not edited
    QByteArray history;  // JSON array
};
QList<NewEntry> prepare(QList<dlq::DeadLetter> entries);

// Moves up to `limit` entries (<= 0: all) from the inbox (schema v6) into the indexed
// tables, oldest first; *more says whether some are left.
bool drain(SqliteConnection& db, qint64 limit, bool* more, QString* error);
// Appends to the inbox (keys final), adds the batch to the counts, evicts when full.
bool enqueue(SqliteConnection& db, const QList<NewEntry>& entries, int maxSize, DlqEnqueueResult* result,
             QString* error);
bool update(SqliteConnection& db, const QList<DlqUpdate>& updates, const dlq::DlqCounters& deltas,
            QString* error);
bool addCounters(SqliteConnection& db, const dlq::DlqCounters& deltas, QString* error);
bool purge(SqliteConnection& db, const QList<qint64>& keys, qint64* deleted, QString* error);

bool createJob(SqliteConnection& db, dlq::BulkJob* job, const dlq::DlqFilter& filter, QString* error);
bool updateJob(SqliteConnection& db, const dlq::BulkJob& job, QString* error);
bool recordItems(SqliteConnection& db, qint64 jobKey, const QList<dlq::BulkJobItem>& items, QString* error);

bool appendAudit(SqliteConnection& db, const dlq::AuditRecord& record, QString* error);
bool setSetting(SqliteConnection& db, const QString& name, const QByteArray& value, QString* error);

} // namespace dlqwrites
} // namespace signalbox::store
