#pragma once
// The dead letter queue's read queries (entries, groups, stats, jobs, audit, settings),
// run on the calling thread's read-only connection. On failure they return what they
// have (usually nothing) and set *error.

#include "store/store.h"

namespace signalbox::store {

class SqliteConnection;

namespace dlqreads {

QList<dlq::DeadLetter> entries(SqliteConnection& db, const dlq::DlqFilter& filter,
                               const dlq::DlqPageRequest& page, QString* error);
std::optional<dlq::DeadLetter> entry(SqliteConnection& db, qint64 key, QString* error);
qint64 count(SqliteConnection& db, const dlq::DlqFilter& filter, QString* error);
QList<dlq::DlqGroup> groups(SqliteConnection& db, const dlq::DlqFilter& filter,
                            const dlq::DlqGroupRequest& request, QString* error);
dlq::DlqStats stats(SqliteConnection& db, QString* error);
QList<dlq::DeadLetter> due(SqliteConnection& db, qint64 nowMs, int limit, QString* error);
std::optional<dlq::DeadLetter> activeEntryFor(SqliteConnection& db, const QString& runId, int index,
                                              QString* error);
QList<dlq::DeadLetter> retrying(SqliteConnection& db, QString* error);

std::optional<dlq::BulkJob> job(SqliteConnection& db, qint64 key, QString* error);
QList<dlq::BulkJob> jobs(SqliteConnection& db, bool unfinishedOnly, int limit, QString* error);
QList<dlq::BulkJobItem> jobItems(SqliteConnection& db, qint64 jobKey, std::optional<dlq::ItemResult> result,
                                 qint64 afterEntryKey, int limit, QString* error);

QList<dlq::AuditRecord> audit(SqliteConnection& db, int limit, qint64 beforeKey, QString* error);
std::optional<QByteArray> setting(SqliteConnection& db, const QString& name, QString* error);

} // namespace dlqreads
} // namespace signalbox::store
