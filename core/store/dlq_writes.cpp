#include "store/dlq_writes.h"

#include "store/dlq_filter_sql.h"
#include "store/dlq_row_mapper.h"
#include "store/sqlite_connection.h"

#include <QHash>
#include <array>
#include <string>

namespace signalbox::store::dlqwrites {

namespace {

const std::string kInsertInbox =
    "INSERT INTO dlq_inbox (key, run_id, idx, workflow, task_id, repo, repo_path, status, category, policy,"
    " attempts, max_retries, error, exit_code, signal, signature, enqueued_at_ms, updated_at_ms,"
    " next_retry_at_ms, original_recipe, edited_recipe, history, tail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8,"
    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";
constexpr const char* kEntryColumns =
    "key, run_id, idx, workflow, task_id, repo, repo_path, status, category, policy, attempts, max_retries,"
    " error, exit_code, signal, signature, enqueued_at_ms, updated_at_ms, next_retry_at_ms";
const std::string kUpsertTail =
    "INSERT INTO dlq_tails (key, tail) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET tail = excluded.tail";
const std::string kAddCount = "UPDATE dlq_counts SET n = n + ?1 WHERE dim = ?2 AND value = ?3";
const std::string kAddCounter = "UPDATE dlq_counters SET value = value + ?1 WHERE name = ?2";

template <typename Bind>
bool runCached(SqliteConnection& db, const std::string& sql, QString* error, Bind&& bind) {
    Statement* statement = db.cached(sql, error);
    if (!statement)
        return false;
    bind(*statement);
    return statement->run(error);
}

bool addCounter(SqliteConnection& db, const char* name, qint64 delta, QString* error) {
    if (delta == 0)
        return true;
    return runCached(db, kAddCounter, error, [&](Statement& s) {
        s.bind(1, delta);
        s.bind(2, QString::fromLatin1(name));
    });
}

std::optional<qint64> queryOne(SqliteConnection& db, const std::string& sql, QString* error) {
    Statement* s = db.cached(sql, error);
    if (!s)
        return std::nullopt;
    std::optional<qint64> value;
    const Statement::Step step = s->step();
    if (step == Statement::Step::Row)
        value = s->int64(0);
    else if (step == Statement::Step::Error && error)
        *error = s->errorMessage();
    s->reset();
    return step == Statement::Step::Error ? std::nullopt : std::optional<qint64>(value.value_or(0));
}

// Deletes up to `limit` of the oldest entries with `status`; returns how many.
std::optional<qint64> evictOldest(SqliteConnection& db, dlq::DlqStatus status, qint64 limit, QString* error) {
    Statement* s = db.cached("DELETE FROM dlq_entries WHERE key IN"
                             " (SELECT key FROM dlq_entries WHERE status = ?1 ORDER BY key LIMIT ?2)",
                             error);
    if (!s)
        return std::nullopt;
    s->bind(1, dlqrows::code(status));
    s->bind(2, limit);
    if (!s->run(error))
        return std::nullopt;
    return db.changes();
}

void bindOptional(Statement& s, int index, const std::optional<qint64>& value) {
    if (value)
        s.bind(index, *value);
    else
        s.bindNull(index);
}

} // namespace

QList<NewEntry> prepare(QList<dlq::DeadLetter> entries) {
    QList<NewEntry> prepared;
    prepared.reserve(entries.size());
    for (dlq::DeadLetter& entry : entries) {
        NewEntry row;
        row.original = dlqrows::recipeJson(entry.original);
        if (entry.edited)
            row.edited = dlqrows::recipeJson(*entry.edited);
        row.history = entry.historyJson.trimmed().isEmpty() ? QByteArray("[]") : entry.historyJson;
        row.entry = std::move(entry);
        prepared.append(std::move(row));
    }
    return prepared;
}

bool drain(SqliteConnection& db, qint64 limit, bool* more, QString* error) {
    const std::string bound = limit > 0 ? " LIMIT " + std::to_string(limit) : std::string();
    const auto last = queryOne(
        db, "SELECT coalesce(max(key), 0) FROM (SELECT key FROM dlq_inbox ORDER BY key" + bound + ")", error);
    if (!last)
        return false;
    if (*last == 0) {
        if (more)
            *more = false;
        return true;
    }
    const std::string upTo = " WHERE key <= " + std::to_string(*last);
    const std::string columns = kEntryColumns;
    if (!db.exec(QString::fromStdString("INSERT INTO dlq_entries (" + columns + ") SELECT " + columns +
                                        " FROM dlq_inbox" + upTo + " ORDER BY key"),
                 error) ||
        !db.exec(
            QString::fromStdString("INSERT INTO dlq_details (key, original_recipe, edited_recipe, history)"
                                   " SELECT key, original_recipe, edited_recipe, history FROM dlq_inbox" +
                                   upTo + " ORDER BY key"),
            error) ||
        !db.exec(QString::fromStdString("INSERT INTO dlq_tails (key, tail) SELECT key, tail FROM dlq_inbox" +
                                        upTo + " AND tail <> '' ORDER BY key"),
                 error) ||
        !db.exec(
            QString::fromStdString("INSERT INTO dlq_group_counts (signature, status, n) SELECT signature, "
                                   "status, count(*) FROM dlq_inbox" +
                                   upTo +
                                   " GROUP BY signature, status ON CONFLICT (signature, status) DO UPDATE"
                                   " SET n = n + excluded.n"),
            error) ||
        !db.exec(QString::fromStdString("DELETE FROM dlq_inbox" + upTo), error))
        return false;
    if (more) {
        const auto rest = queryOne(db, "SELECT count(*) FROM (SELECT 1 FROM dlq_inbox LIMIT 1)", error);
        if (!rest)
            return false;
        *more = *rest > 0;
    }
    return true;
}

bool enqueue(SqliteConnection& db, const QList<NewEntry>& entries, int maxSize, DlqEnqueueResult* result,
             QString* error) {
    DlqEnqueueResult out;
    out.keys.reserve(entries.size());
    Statement* insert = db.cached(kInsertInbox, error);
    if (!insert)
        return false;
    // Keys from dlq_entries' sequence: final, never reused (AUTOINCREMENT semantics).
    const auto sequence =
        queryOne(db, "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'dlq_entries'", error);
    if (!sequence)
        return false;
    qint64 key = *sequence;
    // Counts by status, category and policy of this batch: added once at the end (one
    // statement per distinct value, not per entry). Group counts follow when the inbox is
    // drained (groups, like lists, show indexed entries).
    std::array<std::array<qint64, 8>, 3> counts{};
    for (const NewEntry& row : entries) {
        const dlq::DeadLetter& e = row.entry;
        insert->bind(1, ++key);
        insert->bind(2, e.runId);
        insert->bind(3, e.index);
        insert->bind(4, e.workflow);
        insert->bind(5, e.taskId);
        insert->bind(6, e.repo);
        insert->bind(7, e.repoPath);
        insert->bind(8, dlqrows::code(e.status));
        insert->bind(9, dlqrows::code(e.category));
        insert->bind(10, dlqrows::code(e.policy));
        insert->bind(11, e.attempts);
        insert->bind(12, e.maxRetries);
        insert->bind(13, e.error);
        insert->bind(14, e.exitCode);
        insert->bind(15, e.signal);
        insert->bind(16, e.signature);
        insert->bind(17, e.enqueuedAtMs);
        insert->bind(18, e.updatedAtMs != 0 ? e.updatedAtMs : e.enqueuedAtMs);
        bindOptional(*insert, 19, e.nextRetryAtMs);
        insert->bindStatic(20, row.original);
        if (row.edited.isNull())
            insert->bindNull(21);
        else
            insert->bindStatic(21, row.edited);
        insert->bindStatic(22, row.history);
        insert->bind(23, e.outputTail);
        if (!insert->run(error)) {
            if (error)
                *error =
                    QStringLiteral("enqueue dead letter %1/%2: %3").arg(e.runId).arg(e.index).arg(*error);
            return false;
        }
        out.keys.append(key);
        ++counts[0][static_cast<std::size_t>(dlqrows::code(e.status))];
        ++counts[1][static_cast<std::size_t>(dlqrows::code(e.category))];
        ++counts[2][static_cast<std::size_t>(dlqrows::code(e.policy))];
    }
    for (int dim = 0; dim < 3; ++dim) {
        for (int value = 0; value < 8; ++value) {
            const qint64 n = counts[static_cast<std::size_t>(dim)][static_cast<std::size_t>(value)];
            if (n != 0 && !runCached(db, kAddCount, error, [&](Statement& s) {
                    s.bind(1, n);
                    s.bind(2, dim);
                    s.bind(3, value);
                }))
                return false;
        }
    }
    if (!entries.isEmpty() && !runCached(db, "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'dlq_entries'",
                                         error, [&](Statement& s) { s.bind(1, key); }))
        return false;
    if (!entries.isEmpty() && db.changes() == 0 &&
        !runCached(db, "INSERT INTO sqlite_sequence (name, seq) VALUES ('dlq_entries', ?1)", error,
                   [&](Statement& s) { s.bind(1, key); }))
        return false;
    if (!addCounter(db, "enqueued", entries.size(), error))
        return false;

    const auto size = queryOne(db, "SELECT sum(n) FROM dlq_counts WHERE dim = 0", error);
    if (!size)
        return false;
    qint64 left = *size;
    // Eviction picks among all entries by age: move the inbox in first (rare: only when full).
    if (left > maxSize && !drain(db, 0, nullptr, error))
        return false;
    for (dlq::DlqStatus status : {dlq::DlqStatus::Archived, dlq::DlqStatus::Completed}) {
        if (left <= maxSize)
            break;
        const auto deleted = evictOldest(db, status, left - maxSize, error);
        if (!deleted)
            return false;
        out.evicted += *deleted;
        left -= *deleted;
    }
    if (!addCounter(db, "evicted", out.evicted, error))
        return false;
    out.sizeAfter = left;
    out.overCapacity = left > maxSize;
    if (result)
        *result = std::move(out);
    return true;
}

bool addCounters(SqliteConnection& db, const dlq::DlqCounters& d, QString* error) {
    return addCounter(db, "enqueued", d.enqueued, error) &&
           addCounter(db, "retry_success", d.retrySuccess, error) &&
           addCounter(db, "retry_failed", d.retryFailed, error) &&
           addCounter(db, "exhausted", d.exhausted, error) &&
           addCounter(db, "manual_retries", d.manualRetries, error) &&
           addCounter(db, "archived", d.archived, error) && addCounter(db, "purged", d.purged, error) &&
           addCounter(db, "evicted", d.evicted, error);
}

namespace {

bool applyOne(SqliteConnection& db, const DlqUpdate& u, QString* error) {
    // The SET list holds only the fields given; its SQL text depends only on which.
    std::string sql = "UPDATE dlq_entries SET ";
    const char* glue = "";
    auto set = [&](bool present, const char* assignment) {
        if (!present)
            return;
        sql += glue;
        sql += assignment;
        glue = ", ";
    };
    set(u.updatedAtMs != 0, "updated_at_ms = ?");
    set(bool(u.status), "status = ?");
    set(bool(u.attempts), "attempts = ?");
    set(bool(u.maxRetries), "max_retries = ?");
    set(bool(u.nextRetryAtMs), "next_retry_at_ms = ?");
    set(bool(u.category), "category = ?");
    set(bool(u.policy), "policy = ?");
    set(bool(u.error), "error = ?");
    set(bool(u.exitCode), "exit_code = ?");
    set(bool(u.signal), "signal = ?");
    set(bool(u.signature), "signature = ?");
    bool exists = false;
    if (*glue) {
        sql += " WHERE key = ?";
        Statement* s = db.cached(sql, error);
        if (!s)
            return false;
        int i = 0;
        if (u.updatedAtMs != 0)
            s->bind(++i, u.updatedAtMs);
        if (u.status)
            s->bind(++i, dlqrows::code(*u.status));
        if (u.attempts)
            s->bind(++i, *u.attempts);
        if (u.maxRetries)
            s->bind(++i, *u.maxRetries);
        if (u.nextRetryAtMs)
            bindOptional(*s, ++i, *u.nextRetryAtMs);
        if (u.category)
            s->bind(++i, dlqrows::code(*u.category));
        if (u.policy)
            s->bind(++i, dlqrows::code(*u.policy));
        if (u.error)
            s->bind(++i, *u.error);
        if (u.exitCode)
            s->bind(++i, *u.exitCode);
        if (u.signal)
            s->bind(++i, *u.signal);
        if (u.signature)
            s->bind(++i, *u.signature);
        s->bind(++i, u.key);
        if (!s->run(error))
            return false;
        exists = db.changes() > 0;
    } else {
        Statement* s = db.cached("SELECT 1 FROM dlq_entries WHERE key = ?1", error);
        if (!s)
            return false;
        s->bind(1, u.key);
        const Statement::Step step = s->step();
        s->reset();
        if (step == Statement::Step::Error) {
            if (error)
                *error = db.errorMessage();
            return false;
        }
        exists = step == Statement::Step::Row;
    }
    if (!exists)
        return true; // gone (purged or evicted): skipped
    const QByteArray edited = u.edited ? dlqrows::recipeJson(*u.edited) : QByteArray();
    if (u.edited &&
        !runCached(db, "UPDATE dlq_details SET edited_recipe = ?1 WHERE key = ?2", error, [&](Statement& s) {
            s.bindStatic(1, edited);
            s.bind(2, u.key);
        }))
        return false;
    if (!u.appendHistory.isEmpty() &&
        !runCached(db,
                   "UPDATE dlq_details SET history = json_insert(history, '$[#]', json(?1)) WHERE key = ?2",
                   error, [&](Statement& s) {
                       s.bindStatic(1, u.appendHistory);
                       s.bind(2, u.key);
                   }))
        return false;
    if (u.outputTail) {
        if (u.outputTail->isEmpty()) {
            if (!runCached(db, "DELETE FROM dlq_tails WHERE key = ?1", error,
                           [&](Statement& s) { s.bind(1, u.key); }))
                return false;
        } else if (!runCached(db, kUpsertTail, error, [&](Statement& s) {
                       s.bind(1, u.key);
                       s.bind(2, *u.outputTail);
                   })) {
            return false;
        }
    }
    return true;
}

} // namespace

bool update(SqliteConnection& db, const QList<DlqUpdate>& updates, const dlq::DlqCounters& deltas,
            QString* error) {
    // Entries still in the inbox become rows these statements can find.
    if (!drain(db, 0, nullptr, error))
        return false;
    for (const DlqUpdate& u : updates) {
        if (!applyOne(db, u, error)) {
            if (error)
                *error = QStringLiteral("update dead letter %1: %2").arg(dlq::entryId(u.key), *error);
            return false;
        }
    }
    return addCounters(db, deltas, error);
}

bool purge(SqliteConnection& db, const QList<qint64>& keys, qint64* deleted, QString* error) {
    // Entries still in the inbox become rows these statements can find.
    if (!drain(db, 0, nullptr, error))
        return false;
    Statement* s = db.cached("DELETE FROM dlq_entries WHERE key = ?1 AND status = ?2", error);
    if (!s)
        return false;
    qint64 n = 0;
    for (qint64 key : keys) {
        s->bind(1, key);
        s->bind(2, dlqrows::code(dlq::DlqStatus::Archived));
        if (!s->run(error))
            return false;
        n += db.changes();
    }
    if (!addCounter(db, "purged", n, error))
        return false;
    if (deleted)
        *deleted = n;
    return true;
}

bool createJob(SqliteConnection& db, dlq::BulkJob* job, const dlq::DlqFilter& filter, QString* error) {
    // Entries still in the inbox become rows these statements can find.
    if (!drain(db, 0, nullptr, error))
        return false;
    if (!runCached(db,
                   "INSERT INTO dlq_jobs (action, state, actor, selector, created_at_ms, updated_at_ms,"
                   " finished_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   error, [&](Statement& s) {
                       s.bind(1, dlqrows::code(job->action));
                       s.bind(2, dlqrows::code(job->state));
                       s.bind(3, job->actor);
                       s.bind(4, job->selector);
                       s.bind(5, job->createdAtMs);
                       s.bind(6, job->updatedAtMs != 0 ? job->updatedAtMs : job->createdAtMs);
                       s.bind(7, job->finishedAtMs);
                   }))
        return false;
    const qint64 key = db.lastInsertRowId();
    const DlqSqlParts where = dlqWhere(filter);
    const std::string sql =
        "INSERT INTO dlq_job_items (job_key, entry_key) SELECT ?, e.key FROM dlq_entries e" + where.sql +
        " ORDER BY e.key";
    Statement* items = db.cached(sql, error);
    if (!items)
        return false;
    items->bind(1, key);
    where.bindTo(*items, 2);
    if (!items->run(error))
        return false;
    const qint64 total = db.changes();
    if (!runCached(db, "UPDATE dlq_jobs SET total = ?1 WHERE key = ?2", error, [&](Statement& s) {
            s.bind(1, total);
            s.bind(2, key);
        }))
        return false;
    job->key = key;
    job->total = total;
    job->done = job->succeeded = job->failed = 0;
    if (job->updatedAtMs == 0)
        job->updatedAtMs = job->createdAtMs;
    return true;
}

bool updateJob(SqliteConnection& db, const dlq::BulkJob& job, QString* error) {
    return runCached(db,
                     "UPDATE dlq_jobs SET state = ?1, updated_at_ms = ?2, finished_at_ms = ?3 WHERE key = ?4",
                     error, [&](Statement& s) {
                         s.bind(1, dlqrows::code(job.state));
                         s.bind(2, job.updatedAtMs);
                         s.bind(3, job.finishedAtMs);
                         s.bind(4, job.key);
                     });
}

bool recordItems(SqliteConnection& db, qint64 jobKey, const QList<dlq::BulkJobItem>& items, QString* error) {
    // Only a pending item takes a result: one already finished is neither changed nor counted again.
    Statement* s = db.cached("UPDATE dlq_job_items SET result = ?1, message = ?2, finished_at_ms = ?3"
                             " WHERE job_key = ?4 AND entry_key = ?5 AND result = 0",
                             error);
    if (!s)
        return false;
    qint64 done = 0, succeeded = 0, failed = 0;
    for (const dlq::BulkJobItem& item : items) {
        if (item.result == dlq::ItemResult::Pending)
            continue;
        s->bind(1, dlqrows::code(item.result));
        s->bind(2, item.message);
        s->bind(3, item.finishedAtMs);
        s->bind(4, jobKey);
        s->bind(5, item.entryKey);
        if (!s->run(error))
            return false;
        if (db.changes() == 0)
            continue;
        ++done;
        if (item.result == dlq::ItemResult::Succeeded)
            ++succeeded;
        else
            ++failed; // failed or skipped
    }
    if (done == 0)
        return true;
    return runCached(db,
                     "UPDATE dlq_jobs SET done = done + ?1, succeeded = succeeded + ?2, failed = failed + ?3"
                     " WHERE key = ?4",
                     error, [&](Statement& st) {
                         st.bind(1, done);
                         st.bind(2, succeeded);
                         st.bind(3, failed);
                         st.bind(4, jobKey);
                     });
}

bool appendAudit(SqliteConnection& db, const dlq::AuditRecord& r, QString* error) {
    return runCached(db,
                     "INSERT INTO audit_log (at_ms, actor, action, target, count, outcome)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                     error, [&](Statement& s) {
                         s.bind(1, r.atMs);
                         s.bind(2, r.actor);
                         s.bind(3, r.action);
                         s.bind(4, r.target);
                         s.bind(5, r.count);
                         s.bind(6, r.outcome);
                     });
}

bool setSetting(SqliteConnection& db, const QString& name, const QByteArray& value, QString* error) {
    if (name.isEmpty()) {
        if (error)
            *error = QStringLiteral("a setting needs a name");
        return false;
    }
    return runCached(db,
                     "INSERT INTO settings (name, value) VALUES (?1, ?2)"
                     " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                     error, [&](Statement& s) {
                         s.bind(1, name);
                         s.bindBlob(2, value.isNull() ? QByteArray("") : value);
                     });
}

} // namespace signalbox::store::dlqwrites
