#include "store/dlq_reads.h"

#include "store/dlq_filter_sql.h"
#include "store/dlq_row_mapper.h"
#include "store/read_connections.h"
#include "store/sqlite_connection.h"

#include <QHash>
#include <algorithm>
#include <limits>
#include <string>

namespace signalbox::store::dlqreads {

namespace {

// Entries with their details: kEntryColumns + kDetailColumns, then `rest` (WHERE ...).
// `index` forces an index of dlq_entries where the planner, without statistics, would
// pick a worse one.
std::string withDetails(const char* rest, const char* index = nullptr) {
    return std::string("SELECT ") + dlqrows::kEntryColumns + ", " + dlqrows::kDetailColumns +
           " FROM dlq_entries e" + (index ? std::string(" INDEXED BY ") + index : std::string()) +
           " LEFT JOIN dlq_details d ON d.key = e.key LEFT JOIN dlq_tails t ON t.key = e.key" + rest;
}

QList<dlq::DeadLetter> readWithDetails(Statement& s, QString* error) {
    QList<dlq::DeadLetter> result;
    forEachRow(s, error, [&](const Statement& row) {
        dlq::DeadLetter e = dlqrows::readEntry(row);
        dlqrows::readDetails(row, &e);
        result.append(std::move(e));
    });
    return result;
}

} // namespace

QList<dlq::DeadLetter> entries(SqliteConnection& db, const dlq::DlqFilter& filter,
                               const dlq::DlqPageRequest& page, QString* error) {
    const DlqSqlParts built = dlqPageSql(filter, page);
    Statement* s = db.cached(built.sql, error);
    if (!s)
        return {};
    built.bindTo(*s);
    QList<dlq::DeadLetter> result;
    result.reserve(clampPageLimit(page.limit));
    if (!forEachRow(*s, error, [&](const Statement& row) { result.append(dlqrows::readEntry(row)); }))
        return {};
    return result;
}

std::optional<dlq::DeadLetter> entry(SqliteConnection& db, qint64 key, QString* error) {
    static const std::string sql = withDetails(" WHERE e.key = ?1");
    Statement* s = db.cached(sql, error);
    if (!s)
        return std::nullopt;
    s->bind(1, key);
    const auto found = readWithDetails(*s, error);
    return found.isEmpty() ? std::nullopt : std::optional<dlq::DeadLetter>(found.first());
}

qint64 count(SqliteConnection& db, const dlq::DlqFilter& filter, QString* error) {
    const DlqSqlParts where = dlqWhere(filter);
    Statement* s = db.cached("SELECT count(*) FROM dlq_entries e" + where.sql, error);
    if (!s)
        return 0;
    where.bindTo(*s);
    qint64 n = 0;
    forEachRow(*s, error, [&](const Statement& row) { n = row.int64(0); });
    return n;
}

namespace {

// A group's newest entries matching the filter (sample keys, sample error, task, newest
// time) and its oldest, walking the signature index in key order from either end.
// Returns the newest matching key (0 when none).
qint64 fillGroup(SqliteConnection& db, const dlq::DlqFilter& filter, int samples, dlq::DlqGroup* group,
                 QString* error) {
    dlq::DlqFilter inGroup = filter;
    inGroup.signature = group->signature;
    const DlqSqlParts w = dlqWhere(inGroup);
    const std::string from = "FROM dlq_entries e INDEXED BY dlq_by_signature" + w.sql;
    Statement* newest = db.cached(
        "SELECT e.key, e.task_id, e.error, e.enqueued_at_ms " + from + " ORDER BY e.key DESC LIMIT ?", error);
    if (!newest)
        return 0;
    w.bindTo(*newest);
    newest->bind(static_cast<int>(w.params.size()) + 1, std::max(1, samples));
    qint64 newestKey = 0;
    forEachRow(*newest, error, [&](const Statement& row) {
        if (newestKey == 0) {
            newestKey = row.int64(0);
            group->taskId = row.text(1);
            group->sampleError = row.text(2);
            group->newestEnqueuedAtMs = row.int64(3);
        }
        if (group->sampleKeys.size() < samples)
            group->sampleKeys.append(row.int64(0));
    });
    Statement* oldest = db.cached("SELECT e.enqueued_at_ms " + from + " ORDER BY e.key ASC LIMIT 1", error);
    if (!oldest)
        return newestKey;
    w.bindTo(*oldest);
    forEachRow(*oldest, error, [&](const Statement& row) { group->oldestEnqueuedAtMs = row.int64(0); });
    return newestKey;
}

// True when group sizes can come from dlq_group_counts: the filter narrows by status
// and signature at most.
bool countsFromTable(const dlq::DlqFilter& f) {
    return f.keys.isEmpty() && f.categories.isEmpty() && f.policies.isEmpty() && f.workflow.isEmpty() &&
           f.taskId.isEmpty() && f.repo.isEmpty() && f.runId.isEmpty() && f.enqueuedFromMs == 0 &&
           f.enqueuedBeforeMs == 0 && f.errorContains.isEmpty();
}

} // namespace

QList<dlq::DlqGroup> groups(SqliteConnection& db, const dlq::DlqFilter& filter,
                            const dlq::DlqGroupRequest& request, QString* error) {
    const int limit = std::max(1, request.limit);
    const int samples = std::max(0, request.sampleKeys);
    ReadTransaction snapshot(db); // counts and samples from the same state
    QList<dlq::DlqGroup> result;

    if (!countsFromTable(filter)) {
        // Group sizes and newest keys from the matching entries, largest first, then newest.
        const DlqSqlParts where = dlqWhere(filter);
        Statement* counts = db.cached("SELECT e.signature, count(*), max(e.key) FROM dlq_entries e" +
                                          where.sql + " GROUP BY e.signature ORDER BY 2 DESC, 3 DESC LIMIT ?",
                                      error);
        if (!counts)
            return {};
        where.bindTo(*counts);
        counts->bind(static_cast<int>(where.params.size()) + 1, limit);
        if (!forEachRow(*counts, error, [&](const Statement& row) {
                dlq::DlqGroup group;
                group.signature = row.text(0);
                group.count = row.int64(1);
                result.append(std::move(group));
            }))
            return {};
        for (dlq::DlqGroup& group : result)
            fillGroup(db, filter, samples, &group, error);
        return result;
    }

    // Group sizes from dlq_group_counts (a few rows per signature): no entry is read.
    std::string sql = "SELECT signature, sum(n) FROM dlq_group_counts WHERE n > 0";
    DlqSqlParts params;
    if (!filter.signature.isEmpty()) {
        sql += " AND signature = ?";
        params.addText(filter.signature);
    }
    QList<int> statuses;
    for (dlq::DlqStatus status : filter.statuses) {
        if (!statuses.contains(dlqrows::code(status)))
            statuses.append(dlqrows::code(status));
    }
    std::sort(statuses.begin(), statuses.end());
    if (!statuses.isEmpty()) {
        sql += " AND status IN (?";
        for (qsizetype i = 1; i < statuses.size(); ++i)
            sql += ", ?";
        sql += ")";
        for (int status : statuses)
            params.addNumber(status);
    }
    sql += " GROUP BY signature HAVING sum(n) > 0";
    Statement* counts = db.cached(sql, error);
    if (!counts)
        return {};
    params.bindTo(*counts);
    if (!forEachRow(*counts, error, [&](const Statement& row) {
            dlq::DlqGroup group;
            group.signature = row.text(0);
            group.count = row.int64(1);
            result.append(std::move(group));
        }))
        return {};
    std::stable_sort(result.begin(), result.end(),
                     [](const dlq::DlqGroup& a, const dlq::DlqGroup& b) { return a.count > b.count; });
    // Ties at the limit are broken by the newest entry: fill every group as large as the
    // last one that fits, then order and cut.
    if (result.size() > limit) {
        const qint64 smallest = result[limit - 1].count;
        qsizetype keep = limit;
        while (keep < result.size() && result[keep].count == smallest)
            ++keep;
        result.resize(keep);
    }
    QHash<QString, qint64> newest;
    for (dlq::DlqGroup& group : result)
        newest.insert(group.signature, fillGroup(db, filter, samples, &group, error));
    std::stable_sort(result.begin(), result.end(), [&](const dlq::DlqGroup& a, const dlq::DlqGroup& b) {
        return a.count != b.count ? a.count > b.count : newest.value(a.signature) > newest.value(b.signature);
    });
    if (result.size() > limit)
        result.resize(limit);
    return result;
}

dlq::DlqStats stats(SqliteConnection& db, QString* error) {
    dlq::DlqStats stats;
    ReadTransaction snapshot(db);
    for (int i = 0; i <= 4; ++i)
        stats.byStatus.insert(dlq::toString(static_cast<dlq::DlqStatus>(i)), 0);
    for (int i = 1; i <= 6; ++i)
        stats.byCategory.insert(signalbox::toString(static_cast<ErrorCategory>(i)), 0);
    for (int i = 0; i <= 3; ++i)
        stats.byPolicy.insert(dlq::toString(static_cast<dlq::RetryPolicy>(i)), 0);
    Statement* s = db.cached("SELECT dim, value, n FROM dlq_counts", error);
    if (!s)
        return stats;
    forEachRow(*s, error, [&](const Statement& row) {
        const qint64 value = row.int64(1);
        const qint64 n = row.int64(2);
        switch (row.int32(0)) {
        case 0:
            stats.byStatus[dlq::toString(dlqrows::statusFromCode(value))] += n;
            stats.size += n;
            break;
        case 1:
            if (value == 0) { // not a failure category; only listed when some entry has it
                if (n != 0)
                    stats.byCategory.insert(QStringLiteral("none"), n);
            } else {
                stats.byCategory[signalbox::toString(dlqrows::categoryFromCode(value))] += n;
            }
            break;
        case 2:
            stats.byPolicy[dlq::toString(dlqrows::policyFromCode(value))] += n;
            break;
        default:
            break;
        }
    });
    Statement* c = db.cached("SELECT name, value FROM dlq_counters", error);
    if (!c)
        return stats;
    forEachRow(*c, error, [&](const Statement& row) {
        const QString name = row.text(0);
        const qint64 v = row.int64(1);
        dlq::DlqCounters& l = stats.lifetime;
        if (name == u"enqueued")
            l.enqueued = v;
        else if (name == u"retry_success")
            l.retrySuccess = v;
        else if (name == u"retry_failed")
            l.retryFailed = v;
        else if (name == u"exhausted")
            l.exhausted = v;
        else if (name == u"manual_retries")
            l.manualRetries = v;
        else if (name == u"archived")
            l.archived = v;
        else if (name == u"purged")
            l.purged = v;
        else if (name == u"evicted")
            l.evicted = v;
    });
    return stats;
}

QList<dlq::DeadLetter> due(SqliteConnection& db, qint64 nowMs, int limit, QString* error) {
    // The partial index dlq_due holds exactly the pending entries with a next retry.
    static const std::string sql =
        withDetails(" WHERE e.status = 0 AND e.next_retry_at_ms IS NOT NULL AND e.next_retry_at_ms <= ?1"
                    " ORDER BY e.next_retry_at_ms, e.key LIMIT ?2",
                    "dlq_due");
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    s->bind(1, nowMs);
    s->bind(2, limit > 0 ? limit : -1);
    return readWithDetails(*s, error);
}

std::optional<dlq::DeadLetter> activeEntryFor(SqliteConnection& db, const QString& runId, int index,
                                              QString* error) {
    static const std::string sql = withDetails(
        " WHERE e.run_id = ?1 AND e.idx = ?2 AND e.status IN (0, 1, 2) ORDER BY e.key DESC LIMIT 1");
    Statement* s = db.cached(sql, error);
    if (!s)
        return std::nullopt;
    s->bind(1, runId);
    s->bind(2, index);
    const auto found = readWithDetails(*s, error);
    return found.isEmpty() ? std::nullopt : std::optional<dlq::DeadLetter>(found.first());
}

QList<dlq::DeadLetter> retrying(SqliteConnection& db, QString* error) {
    static const std::string sql = withDetails(" WHERE e.status = 1 ORDER BY e.key");
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    return readWithDetails(*s, error);
}

std::optional<dlq::BulkJob> job(SqliteConnection& db, qint64 key, QString* error) {
    static const std::string sql =
        std::string("SELECT ") + dlqrows::kJobColumns + " FROM dlq_jobs WHERE key = ?1";
    Statement* s = db.cached(sql, error);
    if (!s)
        return std::nullopt;
    s->bind(1, key);
    std::optional<dlq::BulkJob> result;
    forEachRow(*s, error, [&](const Statement& row) { result = dlqrows::readJob(row); });
    return result;
}

QList<dlq::BulkJob> jobs(SqliteConnection& db, bool unfinishedOnly, int limit, QString* error) {
    static const std::string all =
        std::string("SELECT ") + dlqrows::kJobColumns + " FROM dlq_jobs ORDER BY key DESC LIMIT ?1";
    static const std::string unfinished =
        std::string("SELECT ") + dlqrows::kJobColumns +
        " FROM dlq_jobs WHERE state IN (0, 1, 2) ORDER BY key DESC LIMIT ?1";
    Statement* s = db.cached(unfinishedOnly ? unfinished : all, error);
    if (!s)
        return {};
    s->bind(1, limit > 0 ? limit : -1);
    QList<dlq::BulkJob> result;
    forEachRow(*s, error, [&](const Statement& row) { result.append(dlqrows::readJob(row)); });
    return result;
}

QList<dlq::BulkJobItem> jobItems(SqliteConnection& db, qint64 jobKey, std::optional<dlq::ItemResult> result,
                                 qint64 afterEntryKey, int limit, QString* error) {
    static const std::string all = std::string("SELECT ") + dlqrows::kJobItemColumns +
                                   " FROM dlq_job_items WHERE job_key = ?1 AND entry_key > ?2"
                                   " ORDER BY entry_key LIMIT ?3";
    static const std::string byResult =
        std::string("SELECT ") + dlqrows::kJobItemColumns +
        " FROM dlq_job_items WHERE job_key = ?1 AND entry_key > ?2 AND result = ?4"
        " ORDER BY entry_key LIMIT ?3";
    Statement* s = db.cached(result ? byResult : all, error);
    if (!s)
        return {};
    s->bind(1, jobKey);
    s->bind(2, afterEntryKey);
    s->bind(3, limit > 0 ? limit : -1);
    if (result)
        s->bind(4, dlqrows::code(*result));
    QList<dlq::BulkJobItem> items;
    forEachRow(*s, error, [&](const Statement& row) { items.append(dlqrows::readJobItem(row)); });
    return items;
}

QList<dlq::AuditRecord> audit(SqliteConnection& db, int limit, qint64 beforeKey, QString* error) {
    static const std::string sql = std::string("SELECT ") + dlqrows::kAuditColumns +
                                   " FROM audit_log WHERE key < ?1 ORDER BY key DESC LIMIT ?2";
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    s->bind(1, beforeKey > 0 ? beforeKey : std::numeric_limits<qint64>::max());
    s->bind(2, limit > 0 ? limit : -1);
    QList<dlq::AuditRecord> records;
    forEachRow(*s, error, [&](const Statement& row) { records.append(dlqrows::readAudit(row)); });
    return records;
}

std::optional<QByteArray> setting(SqliteConnection& db, const QString& name, QString* error) {
    Statement* s = db.cached("SELECT value FROM settings WHERE name = ?1", error);
    if (!s)
        return std::nullopt;
    s->bind(1, name);
    std::optional<QByteArray> value;
    forEachRow(*s, error, [&](const Statement& row) { value = row.blob(0); });
    return value;
}

} // namespace signalbox::store::dlqreads
