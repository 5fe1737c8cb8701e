#include "store/console_reads.h"

#include "store/log_query.h"
#include "store/read_connections.h"
#include "store/row_mappers.h"
#include "store/sqlite_connection.h"

#include <algorithm>
#include <string>

namespace signalbox::store::consolereads {

namespace {

constexpr qsizetype kMaxStatuses = 10;

// kRunColumns without the two blobs (a list never shows them): same positions, NULLs.
constexpr const char* kRunListColumns =
    "id, workflow, status, created_at_ms, started_at_ms, finished_at_ms, workflow_path, NULL, NULL, "
    "max_concurrent, quality_gate, quality_score";

// The log_runs key of a run; nullopt when it has no lines.
std::optional<qint64> logRunKey(SqliteConnection& db, const QString& runId, QString* error) {
    Statement* s = db.cached("SELECT key FROM log_runs WHERE run_id = ?1", error);
    if (!s)
        return std::nullopt;
    s->bind(1, runId);
    std::optional<qint64> key;
    forEachRow(*s, error, [&](const Statement& row) { key = row.int64(0); });
    return key;
}

void addCounts(RunWithCounts& summary, const QString& status, int n) {
    summary.total += n;
    const auto parsed = instanceStatusFromString(status);
    if (!parsed)
        return;
    if (*parsed == InstanceStatus::Succeeded)
        summary.succeeded += n;
    else if (*parsed == InstanceStatus::Failed)
        summary.failed += n;
    else if (*parsed == InstanceStatus::Running)
        summary.running += n;
    if (isTerminal(*parsed))
        summary.finished += n;
}

} // namespace

std::string runPageSql(const RunPageQuery& query) {
    // Parameters: ?1 workflow, ?2 search pattern, ?3 createdFrom, ?4/?5 keyset, ?6 limit,
    // ?10.. statuses. Only the clauses in use appear, so each filter combination is one
    // cached statement and every plan walks runs_by_created (or _by_status/_by_workflow).
    std::string sql = std::string("SELECT ") + kRunListColumns + " FROM runs";
    const char* glue = " WHERE ";
    auto clause = [&](const std::string& text) {
        sql += glue;
        sql += text;
        glue = " AND ";
    };
    const qsizetype statusCount = std::min<qsizetype>(query.statuses.size(), kMaxStatuses);
    if (statusCount > 0) {
        std::string in = "status IN (";
        for (qsizetype i = 0; i < statusCount; ++i)
            in += (i ? ", ?" : "?") + std::to_string(10 + i);
        clause(in + ")");
    }
    if (!query.workflow.isEmpty())
        clause("workflow = ?1");
    if (!query.search.isEmpty())
        clause("(id LIKE ?2 ESCAPE '\\' OR workflow LIKE ?2 ESCAPE '\\')");
    if (query.createdFromMs > 0)
        clause("created_at_ms >= ?3");
    if (query.afterCreatedAtMs > 0)
        clause("(created_at_ms, id) < (?4, ?5)"); // a row value: one index range, not an OR
    sql += " ORDER BY created_at_ms DESC, id DESC LIMIT ?6";
    return sql;
}

QList<RunWithCounts> runPage(SqliteConnection& db, const RunPageQuery& query, QString* error) {
    const std::string sql = runPageSql(query);
    const qsizetype statusCount = std::min<qsizetype>(query.statuses.size(), kMaxStatuses);
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    for (qsizetype i = 0; i < statusCount; ++i)
        s->bind(static_cast<int>(10 + i), toString(query.statuses[i]));
    if (!query.workflow.isEmpty())
        s->bind(1, query.workflow);
    if (!query.search.isEmpty())
        s->bind(2, likeContains(query.search));
    if (query.createdFromMs > 0)
        s->bind(3, query.createdFromMs);
    if (query.afterCreatedAtMs > 0) {
        s->bind(4, query.afterCreatedAtMs);
        s->bind(5, query.afterId);
    }
    s->bind(6, std::clamp(query.limit, 1, 10000));

    ReadTransaction snapshot(db); // counts from the same state as the page
    QList<RunWithCounts> page;
    if (!forEachRow(*s, error, [&](const Statement& row) { page.append(RunWithCounts{rows::readRun(row)}); }))
        return page;

    // Per run through the primary key (run_id, idx): a page costs its instances, never the table.
    Statement* counts =
        db.cached("SELECT status, count(*) FROM task_instances WHERE run_id = ?1 GROUP BY status", error);
    if (!counts)
        return page;
    for (RunWithCounts& summary : page) {
        counts->bind(1, summary.run.id);
        if (!forEachRow(*counts, error,
                        [&](const Statement& row) { addCounts(summary, row.text(0), row.int32(1)); }))
            break;
    }
    return page;
}

LogBlockScan scanLogBlocks(SqliteConnection& db, const QString& runId, int index, int blockSize,
                           qint64 afterId, qint64 firstLineNumber, qint64 maxLines, QString* error) {
    LogBlockScan scan;
    scan.lastId = afterId;
    const int size = std::max(1, blockSize);
    ReadTransaction snapshot(db);
    const auto key = logRunKey(db, runId, error);
    if (!key)
        return scan;
    // Walks the covering index log_lines_by_run (run_key, id); with an instance, each row is
    // also checked against idx.
    Statement* s =
        index >= 0 ? db.cached("SELECT id FROM log_lines WHERE run_key = ?1 AND id > ?2 AND idx = ?3"
                               " ORDER BY id LIMIT ?4",
                               error)
                   : db.cached("SELECT id FROM log_lines WHERE run_key = ?1 AND id > ?2 ORDER BY id LIMIT ?4",
                               error);
    if (!s)
        return scan;
    s->bind(1, *key);
    s->bind(2, afterId);
    if (index >= 0)
        s->bind(3, index);
    s->bind(4, maxLines > 0 ? maxLines : -1);
    qint64 number = firstLineNumber;
    forEachRow(*s, error, [&](const Statement& row) {
        const qint64 id = row.int64(0);
        if (number % size == 0)
            scan.blockFirstIds.append(id);
        ++number;
        ++scan.lines;
        scan.lastId = id;
    });
    return scan;
}

QList<LogLine> logRange(SqliteConnection& db, const QString& runId, int index, qint64 fromId, qint64 skip,
                        int limit, QString* error) {
    ReadTransaction snapshot(db);
    const auto key = logRunKey(db, runId, error);
    if (!key || limit <= 0)
        return {};
    const std::string columns = "SELECT id, ?5, idx, stream, ts_ms, text FROM log_lines";
    Statement* s =
        index >= 0
            ? db.cached(columns + " WHERE run_key = ?1 AND id >= ?2 AND idx = ?6"
                                  " ORDER BY id LIMIT ?3 OFFSET ?4",
                        error)
            : db.cached(columns + " WHERE run_key = ?1 AND id >= ?2 ORDER BY id LIMIT ?3 OFFSET ?4", error);
    if (!s)
        return {};
    s->bind(1, *key);
    s->bind(2, fromId);
    s->bind(3, limit);
    s->bind(4, std::max<qint64>(0, skip));
    s->bind(5, runId);
    if (index >= 0)
        s->bind(6, index);
    QList<LogLine> lines;
    lines.reserve(std::min(limit, 100000));
    forEachRow(*s, error, [&](const Statement& row) { lines.append(rows::readLogLine(row)); });
    return lines;
}

QList<RepoLastResult> lastResults(SqliteConnection& db, const QStringList& repoNames, QString* error) {
    // task_instances_by_repo (repo, finished_at_ms): one index probe per repo.
    Statement* s = db.cached("SELECT i.run_id, r.workflow, i.task_id, i.status, i.finished_at_ms"
                             " FROM task_instances i JOIN runs r ON r.id = i.run_id"
                             " WHERE i.repo = ?1 AND i.finished_at_ms > 0"
                             " ORDER BY i.finished_at_ms DESC LIMIT 1",
                             error);
    if (!s)
        return {};
    ReadTransaction snapshot(db);
    QList<RepoLastResult> results;
    for (const QString& name : repoNames) {
        s->bind(1, name);
        if (!forEachRow(*s, error, [&](const Statement& row) {
                RepoLastResult last;
                last.repo = name;
                last.runId = row.text(0);
                last.workflow = row.text(1);
                last.taskId = row.text(2);
                last.status = instanceStatusFromString(row.text(3)).value_or(InstanceStatus::Pending);
                last.finishedAtMs = row.int64(4);
                results.append(last);
            }))
            break;
    }
    return results;
}

Activity activity(SqliteConnection& db, const ActivityQuery& query, QString* error) {
    Activity out;
    const qint64 bucketMs = std::max<qint64>(1000, query.bucketMs);
    const qint64 from = query.fromMs;
    const qint64 to = std::max(query.toMs, from + bucketMs);
    const qint64 bucketCount = std::min<qint64>((to - from + bucketMs - 1) / bucketMs, 100000);
    for (qint64 b = 0; b < bucketCount; ++b)
        out.buckets.append(ActivityBucket{from + b * bucketMs, 0, 0, 0});
    auto bucketOf = [&](qint64 bucket) -> ActivityBucket* {
        return bucket >= 0 && bucket < bucketCount ? &out.buckets[bucket] : nullptr;
    };

    ReadTransaction snapshot(db);
    auto scalar = [&](const char* sql, auto bindAll) -> qint64 {
        Statement* s = db.cached(sql, error);
        if (!s)
            return 0;
        bindAll(*s);
        qint64 value = 0;
        forEachRow(*s, error, [&](const Statement& row) { value = row.int64(0); });
        return value;
    };
    auto none = [](Statement&) {};

    out.runningRuns = scalar("SELECT count(*) FROM runs WHERE status = 'running'", none);
    // Through the primary key of the running runs' instances, not a scan of all instances.
    out.runningTasks = scalar("SELECT count(*) FROM task_instances WHERE status = 'running'"
                              " AND run_id IN (SELECT id FROM runs WHERE status IN ('queued', 'running'))",
                              none);

    if (Statement* s =
            db.cached("SELECT status, count(*) FROM runs WHERE created_at_ms >= ?1 AND created_at_ms < ?2"
                      " GROUP BY status",
                      error)) {
        s->bind(1, from);
        s->bind(2, to);
        forEachRow(*s, error, [&](const Statement& row) {
            const qint64 n = row.int64(1);
            out.runsInWindow += n;
            const auto status = runStatusFromString(row.text(0));
            if (!status)
                return;
            if (*status == RunStatus::Succeeded)
                out.succeededInWindow += n;
            if (*status == RunStatus::Failed)
                out.failedInWindow += n;
            if (isTerminal(*status))
                out.finishedInWindow += n;
        });
    }

    // task_instances_by_finished (finished_at_ms, status) covers this GROUP BY.
    if (Statement* s = db.cached("SELECT (finished_at_ms - ?1) / ?3, count(*), sum(status = 'failed')"
                                 " FROM task_instances WHERE finished_at_ms >= ?1 AND finished_at_ms < ?2"
                                 " GROUP BY 1",
                                 error)) {
        s->bind(1, from);
        s->bind(2, to);
        s->bind(3, bucketMs);
        forEachRow(*s, error, [&](const Statement& row) {
            if (ActivityBucket* bucket = bucketOf(row.int64(0))) {
                bucket->finished = row.int64(1);
                bucket->failed = row.int64(2);
            }
        });
    }

    // Dead letter depth (approximate, see the header): +1 at enqueue, -1 when an entry
    // now completed (3) or archived (4) last changed. Only the window's entries are read
    // (indexes dlq_by_enqueued, dlq_by_resolved): the depth at the window's start is the
    // active count now (dlq_counts, dim 0 = status) worked back over the window.
    QList<qint64> delta(bucketCount, 0);
    if (Statement* s = db.cached(
            "SELECT (SELECT coalesce(sum(n), 0) FROM dlq_counts WHERE dim = 0 AND value IN (0, 1, 2))"
            " - (SELECT count(*) FROM dlq_entries WHERE enqueued_at_ms >= ?1)"
            " + (SELECT count(*) FROM dlq_entries WHERE status = 3 AND updated_at_ms >= ?1)"
            " + (SELECT count(*) FROM dlq_entries WHERE status = 4 AND updated_at_ms >= ?1)",
            error)) {
        s->bind(1, from);
        forEachRow(*s, error, [&](const Statement& row) { out.dlqDepthAtStart = row.int64(0); });
    }
    if (Statement* s = db.cached("SELECT (enqueued_at_ms - ?1) / ?3, count(*) FROM dlq_entries"
                                 " WHERE enqueued_at_ms >= ?1 AND enqueued_at_ms < ?2 GROUP BY 1",
                                 error)) {
        s->bind(1, from);
        s->bind(2, to);
        s->bind(3, bucketMs);
        forEachRow(*s, error, [&](const Statement& row) {
            const qint64 b = row.int64(0);
            if (b >= 0 && b < bucketCount)
                delta[b] += row.int64(1);
        });
    }
    if (Statement* s =
            db.cached("SELECT (updated_at_ms - ?1) / ?3, count(*) FROM dlq_entries"
                      " WHERE status IN (3, 4) AND updated_at_ms >= ?1 AND updated_at_ms < ?2 GROUP BY 1",
                      error)) {
        s->bind(1, from);
        s->bind(2, to);
        s->bind(3, bucketMs);
        forEachRow(*s, error, [&](const Statement& row) {
            const qint64 b = row.int64(0);
            if (b >= 0 && b < bucketCount)
                delta[b] -= row.int64(1);
        });
    }
    qint64 depth = out.dlqDepthAtStart;
    for (qint64 b = 0; b < bucketCount; ++b) {
        depth += delta[b];
        out.buckets[b].dlqDepth = std::max<qint64>(0, depth);
    }

    // Newest failures first, walking task_instances_by_finished backwards.
    const std::string failuresSql =
        std::string("SELECT ") +
        "i.run_id, i.idx, i.task_id, i.repo, i.repo_path, "
        "i.status, i.exit_code, i.signal, i.attempts, i.started_at_ms, i.finished_at_ms, "
        "i.category, i.error, i.progress, i.pid, r.workflow"
        " FROM task_instances i JOIN runs r ON r.id = i.run_id"
        " WHERE i.status = 'failed' AND i.finished_at_ms > 0"
        " ORDER BY i.finished_at_ms DESC LIMIT ?1";
    if (query.latestFailures > 0) {
        if (Statement* s = db.cached(failuresSql, error)) {
            s->bind(1, query.latestFailures);
            forEachRow(*s, error, [&](const Statement& row) {
                out.latestFailures.append(InstanceFailure{rows::readInstance(row), row.text(15)});
            });
        }
    }
    return out;
}

} // namespace signalbox::store::consolereads
