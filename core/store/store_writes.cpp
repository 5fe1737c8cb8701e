#include "store/store_writes.h"

#include "store/row_mappers.h"
#include "store/sqlite_connection.h"

#include <optional>
#include <string>

namespace signalbox::store::writes {

namespace {

const std::string kInsertRun = std::string("INSERT INTO runs (") + rows::kRunColumns +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

const std::string kUpsertInstance =
    std::string("INSERT INTO task_instances (") + rows::kInstanceColumns +
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    " ON CONFLICT (run_id, idx) DO UPDATE SET task_id = excluded.task_id, repo = excluded.repo,"
    " repo_path = excluded.repo_path, status = excluded.status, exit_code = excluded.exit_code,"
    " signal = excluded.signal, attempts = excluded.attempts, started_at_ms = excluded.started_at_ms,"
    " finished_at_ms = excluded.finished_at_ms, category = excluded.category, error = excluded.error,"
    " progress = excluded.progress, pid = excluded.pid";

// Updating a row that exists (the usual case once a run is recorded) without the
// insert-then-conflict round of the upsert; a row that does not exist is upserted.
const std::string kUpdateInstance =
    "UPDATE task_instances SET task_id = ?3, repo = ?4, repo_path = ?5, status = ?6, exit_code = ?7,"
    " signal = ?8, attempts = ?9, started_at_ms = ?10, finished_at_ms = ?11, category = ?12, error = ?13,"
    " progress = ?14, pid = ?15 WHERE run_id = ?1 AND idx = ?2";

const std::string kUpsertAttempt =
    std::string("INSERT INTO attempts (") + rows::kAttemptColumns +
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (run_id, idx, attempt) DO UPDATE SET started_at_ms = excluded.started_at_ms,"
    " finished_at_ms = excluded.finished_at_ms, exit_code = excluded.exit_code, signal = excluded.signal,"
    " category = excluded.category, error = excluded.error";

const std::string kUpsertMetric = "INSERT INTO metrics (run_id, idx, name, value) VALUES (?1, ?2, ?3, ?4)"
                                  " ON CONFLICT (run_id, idx, name) DO UPDATE SET value = excluded.value";

QString instanceError(const InstanceRecord& instance, const QString& why) {
    return QStringLiteral("write instance %1/%2: %3").arg(instance.runId).arg(instance.index).arg(why);
}

QString attemptError(const AttemptRecord& attempt, const QString& why) {
    return QStringLiteral("write attempt %1 of %2/%3: %4")
        .arg(attempt.attempt)
        .arg(attempt.runId)
        .arg(attempt.index)
        .arg(why);
}

template <typename Bind>
bool runCached(SqliteConnection& db, const std::string& sql, QString* error, Bind&& bind) {
    Statement* statement = db.cached(sql, error);
    if (!statement)
        return false;
    bind(*statement);
    return statement->run(error);
}

} // namespace

bool insertRun(SqliteConnection& db, const RunRecord& run, const QList<InstanceRecord>& instances,
               QString* error) {
    if (!runCached(db, kInsertRun, error, [&](Statement& s) { rows::bindRun(s, run); })) {
        if (error)
            *error = QStringLiteral("insert run %1: %2").arg(run.id, *error);
        return false;
    }
    Statement* upsert = instances.isEmpty() ? nullptr : db.cached(kUpsertInstance, error);
    if (!instances.isEmpty() && !upsert) {
        if (error)
            *error = instanceError(instances.first(), *error);
        return false;
    }
    for (const InstanceRecord& instance : instances) {
        std::optional<InstanceRecord> withRun; // a copy only when the run id is to be filled in
        if (instance.runId.isEmpty()) {
            withRun = instance;
            withRun->runId = run.id;
        }
        const InstanceRecord& row = withRun ? *withRun : instance;
        rows::bindInstance(*upsert, row);
        if (!upsert->run(error)) {
            if (error)
                *error = instanceError(row, *error);
            return false;
        }
        for (auto it = row.metrics.cbegin(); it != row.metrics.cend(); ++it) {
            if (!upsertMetric(db, row.runId, row.index, it.key(), it.value(), error))
                return false;
        }
    }
    return true;
}

bool updateRun(SqliteConnection& db, const RunRecord& run, QString* error) {
    static const std::string sql =
        "UPDATE runs SET status = ?2, started_at_ms = ?3, finished_at_ms = ?4, max_concurrent = ?5,"
        " quality_gate = ?6, quality_score = ?7 WHERE id = ?1";
    Statement* s = db.cached(sql, error);
    if (!s)
        return false;
    s->bind(1, run.id);
    s->bind(2, toString(run.status));
    s->bind(3, run.startedAtMs);
    s->bind(4, run.finishedAtMs);
    s->bind(5, run.maxConcurrent);
    s->bind(6, run.qualityGate);
    s->bind(7, run.qualityScore);
    if (!s->run(error))
        return false;
    if (db.changes() == 0) {
        if (error)
            *error = QStringLiteral("update run %1: no such run").arg(run.id);
        return false;
    }
    return true;
}

bool upsertInstance(SqliteConnection& db, const InstanceRecord& instance, QString* error) {
    if (!runCached(db, kUpsertInstance, error, [&](Statement& s) { rows::bindInstance(s, instance); })) {
        if (error)
            *error = instanceError(instance, *error);
        return false;
    }
    return true;
}

bool upsertInstances(SqliteConnection& db, const QList<InstanceRecord>& instances, QString* error) {
    if (instances.isEmpty())
        return true;
    Statement* update = db.cached(kUpdateInstance, error);
    Statement* upsert = update ? db.cached(kUpsertInstance, error) : nullptr;
    if (!upsert) {
        if (error)
            *error = instanceError(instances.first(), *error);
        return false;
    }
    for (const InstanceRecord& instance : instances) {
        rows::bindInstance(*update, instance);
        bool ok = update->run(error);
        if (ok && db.changes() == 0) { // no such row yet
            rows::bindInstance(*upsert, instance);
            ok = upsert->run(error);
        }
        if (!ok) {
            if (error)
                *error = instanceError(instance, *error);
            return false;
        }
    }
    return true;
}

bool upsertAttempt(SqliteConnection& db, const AttemptRecord& attempt, QString* error) {
    if (!runCached(db, kUpsertAttempt, error, [&](Statement& s) { rows::bindAttempt(s, attempt); })) {
        if (error)
            *error = attemptError(attempt, *error);
        return false;
    }
    return true;
}

bool upsertAttempts(SqliteConnection& db, const QList<AttemptRecord>& attempts, QString* error) {
    if (attempts.isEmpty())
        return true;
    Statement* upsert = db.cached(kUpsertAttempt, error);
    if (!upsert) {
        if (error)
            *error = attemptError(attempts.first(), *error);
        return false;
    }
    for (const AttemptRecord& attempt : attempts) {
        rows::bindAttempt(*upsert, attempt);
        if (!upsert->run(error)) {
            if (error)
                *error = attemptError(attempt, *error);
            return false;
        }
    }
    return true;
}

bool upsertMetric(SqliteConnection& db, const QString& runId, int index, const QString& name, double value,
                  QString* error) {
    const bool ok = runCached(db, kUpsertMetric, error, [&](Statement& s) {
        s.bind(1, runId);
        s.bind(2, index);
        s.bind(3, name);
        s.bind(4, value);
    });
    if (!ok && error)
        *error = QStringLiteral("write metric %1 of %2/%3: %4").arg(name, runId).arg(index).arg(*error);
    return ok;
}

bool markInterrupted(SqliteConnection& db, qint64 nowMs, QStringList* changedRunIds, QString* error) {
    Statement* select =
        db.cached("SELECT id FROM runs WHERE status IN ('queued', 'running') ORDER BY id", error);
    if (!select)
        return false;
    QStringList ids;
    Statement::Step step;
    while ((step = select->step()) == Statement::Step::Row)
        ids.append(select->text(0));
    if (step == Statement::Step::Error) {
        if (error)
            *error = select->errorMessage();
        return false;
    }
    select->reset();
    const bool ok = runCached(db,
                              "UPDATE task_instances SET status = 'interrupted', pid = NULL,"
                              " finished_at_ms = CASE WHEN status = 'running' THEN ?1 ELSE finished_at_ms END"
                              " WHERE status IN ('pending', 'running')"
                              " AND run_id IN (SELECT id FROM runs WHERE status IN ('queued', 'running'))",
                              error, [&](Statement& s) { s.bind(1, nowMs); }) &&
                    runCached(db,
                              "UPDATE runs SET status = 'interrupted', finished_at_ms = ?1"
                              " WHERE status IN ('queued', 'running')",
                              error, [&](Statement& s) { s.bind(1, nowMs); });
    if (ok && changedRunIds)
        *changedRunIds = ids;
    return ok;
}

bool upsertCatalogRepo(SqliteConnection& db, const CatalogRepo& repo, QString* error) {
    if (repo.name.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("catalog repo has an empty name (path %1)").arg(repo.path);
        return false;
    }
    static const std::string sql = std::string("INSERT INTO catalog_repos (") + rows::kCatalogColumns +
                                   ") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET"
                                   " path = excluded.path, tags = excluded.tags, role = excluded.role,"
                                   " description = excluded.description";
    if (!runCached(db, sql, error, [&](Statement& s) { rows::bindCatalogRepo(s, repo); })) {
        if (error)
            *error = QStringLiteral("write catalog repo %1: %2").arg(repo.name, *error);
        return false;
    }
    return true;
}

bool removeCatalogRepo(SqliteConnection& db, const QString& name, QString* error) {
    if (!runCached(db, "DELETE FROM catalog_repos WHERE name = ?1", error,
                   [&](Statement& s) { s.bind(1, name); }))
        return false;
    if (db.changes() == 0) {
        if (error)
            *error = QStringLiteral("no repo named '%1' in the catalog").arg(name);
        return false;
    }
    return true;
}

} // namespace signalbox::store::writes
