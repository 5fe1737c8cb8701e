#include "store/store_reads.h"

#include "store/log_query.h"
#include "store/read_connections.h"
#include "store/row_mappers.h"
#include "store/sqlite_connection.h"

#include <string>

namespace signalbox::store::reads {

namespace {

std::string select(const char* columns, const char* rest) {
    return std::string("SELECT ") + columns + rest;
}

} // namespace

std::optional<RunRecord> run(SqliteConnection& db, const QString& runId, QString* error) {
    static const std::string sql = select(rows::kRunColumns, " FROM runs WHERE id = ?1");
    Statement* s = db.cached(sql, error);
    if (!s)
        return std::nullopt;
    s->bind(1, runId);
    std::optional<RunRecord> result;
    forEachRow(*s, error, [&](const Statement& row) { result = rows::readRun(row); });
    return result;
}

QList<RunRecord> runs(SqliteConnection& db, const RunFilter& filter, QString* error) {
    std::string sql = select(rows::kRunColumns, " FROM runs");
    const char* glue = " WHERE ";
    if (filter.status) {
        sql += glue;
        sql += "status = ?1";
        glue = " AND ";
    }
    if (!filter.workflow.isEmpty()) {
        sql += glue;
        sql += "workflow = ?2";
    }
    sql += " ORDER BY created_at_ms DESC, id DESC LIMIT ?3";
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    if (filter.status)
        s->bind(1, toString(*filter.status));
    if (!filter.workflow.isEmpty())
        s->bind(2, filter.workflow);
    s->bind(3, filter.limit > 0 ? filter.limit : -1);
    QList<RunRecord> result;
    forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readRun(row)); });
    return result;
}

QList<InstanceRecord> instances(SqliteConnection& db, const QString& runId, QString* error) {
    static const std::string instancesSql =
        select(rows::kInstanceColumns, " FROM task_instances WHERE run_id = ?1 ORDER BY idx");
    static const std::string metricsSql =
        "SELECT idx, name, value FROM metrics WHERE run_id = ?1 ORDER BY idx, name";
    ReadTransaction snapshot(db);
    Statement* s = db.cached(instancesSql, error);
    if (!s)
        return {};
    s->bind(1, runId);
    QList<InstanceRecord> result;
    if (!forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readInstance(row)); }))
        return result;
    Statement* m = db.cached(metricsSql, error);
    if (!m)
        return result;
    m->bind(1, runId);
    qsizetype at = 0; // both are ordered by idx: walk them together
    forEachRow(*m, error, [&](const Statement& row) {
        const int index = row.int32(0);
        while (at < result.size() && result[at].index < index)
            ++at;
        if (at < result.size() && result[at].index == index)
            result[at].metrics.insert(row.text(1), row.real(2));
    });
    return result;
}

QList<InstanceRecord> leftoverProcesses(SqliteConnection& db, QString* error) {
    static const std::string sql = select(
        rows::kInstanceColumns,
        " FROM task_instances WHERE status = 'running' AND pid IS NOT NULL"
        " AND run_id IN (SELECT id FROM runs WHERE status IN ('queued', 'running')) ORDER BY run_id, idx");
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    QList<InstanceRecord> result;
    forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readInstance(row)); });
    return result;
}

QList<AttemptRecord> attempts(SqliteConnection& db, const QString& runId, int index, QString* error) {
    static const std::string sql =
        select(rows::kAttemptColumns, " FROM attempts WHERE run_id = ?1 AND idx = ?2 ORDER BY attempt");
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    s->bind(1, runId);
    s->bind(2, index);
    QList<AttemptRecord> result;
    forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readAttempt(row)); });
    return result;
}

QList<LogLine> logs(SqliteConnection& db, const LogQuery& query, QString* error) {
    const LogSql built = buildLogSql(query);
    Statement* s = db.cached(built.sql, error);
    if (!s)
        return {};
    for (int i = 0; i < built.params.size(); ++i) {
        const auto& param = built.params[i];
        if (param.isText)
            s->bind(i + 1, param.text);
        else
            s->bind(i + 1, param.number);
    }
    QList<LogLine> result;
    if (query.limit > 0)
        result.reserve(query.limit);
    if (!forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readLogLine(row)); }))
        return {}; // e.g. a match FTS5 cannot parse: no lines rather than a partial answer
    return result;
}

qint64 logLineCount(SqliteConnection& db, const QString& runId, QString* error) {
    Statement* s = runId.isEmpty()
                       ? db.cached("SELECT count(*) FROM log_lines", error)
                       : db.cached("SELECT count(*) FROM log_lines"
                                   " WHERE run_key = (SELECT key FROM log_runs WHERE run_id = ?1)",
                                   error);
    if (!s)
        return 0;
    if (!runId.isEmpty())
        s->bind(1, runId);
    qint64 count = 0;
    forEachRow(*s, error, [&](const Statement& row) { count = row.int64(0); });
    return count;
}

QList<CatalogRepo> catalog(SqliteConnection& db, QString* error) {
    static const std::string sql = select(rows::kCatalogColumns, " FROM catalog_repos ORDER BY name");
    Statement* s = db.cached(sql, error);
    if (!s)
        return {};
    QList<CatalogRepo> result;
    forEachRow(*s, error, [&](const Statement& row) { result.append(rows::readCatalogRepo(row)); });
    return result;
}

} // namespace signalbox::store::reads
