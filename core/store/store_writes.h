#pragma once
// The write statements, each applied by the writer thread inside its batch transaction.
// All return false + one-line error on failure.

#include "domain/records.h"

namespace signalbox::store {

class SqliteConnection;

namespace writes {

bool insertRun(SqliteConnection& db, const RunRecord& run, const QList<InstanceRecord>& instances,
               QString* error);
bool updateRun(SqliteConnection& db, const RunRecord& run, QString* error);
bool upsertInstance(SqliteConnection& db, const InstanceRecord& instance, QString* error);
bool upsertAttempt(SqliteConnection& db, const AttemptRecord& attempt, QString* error);
// Many rows with one statement lookup each: the same result as upsertInstance /
// upsertAttempt row by row (stops at the first failure).
bool upsertInstances(SqliteConnection& db, const QList<InstanceRecord>& instances, QString* error);
bool upsertAttempts(SqliteConnection& db, const QList<AttemptRecord>& attempts, QString* error);
bool upsertMetric(SqliteConnection& db, const QString& runId, int index, const QString& name, double value,
                  QString* error);
bool markInterrupted(SqliteConnection& db, qint64 nowMs, QStringList* changedRunIds, QString* error);
bool upsertCatalogRepo(SqliteConnection& db, const CatalogRepo& repo, QString* error);
bool removeCatalogRepo(SqliteConnection& db, const QString& name, QString* error);

} // namespace writes
} // namespace signalbox::store
