#include "store/log_query.h"

#include "store/row_mappers.h"

namespace signalbox::store {

QStringList ftsTokens(const QString& text) {
    QStringList tokens;
    QString current;
    for (const QChar c : text) {
        if (c.isLetterOrNumber() || c.isMark() || c.category() == QChar::Other_PrivateUse) {
            current.append(c);
        } else if (!current.isEmpty()) {
            tokens.append(current);
            current.clear();
        }
    }
    if (!current.isEmpty())
        tokens.append(current);
    return tokens;
}

QString ftsQuery(const QStringList& tokens) {
    QStringList quoted;
    quoted.reserve(tokens.size());
    for (QString token : tokens)
        quoted.append(QLatin1Char('"') + token.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                      QLatin1Char('"'));
    return quoted.join(QLatin1Char(' '));
}

QString likeContains(const QString& text) {
    QString escaped;
    escaped.reserve(text.size() + 2);
    escaped.append(QLatin1Char('%'));
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped.append(QLatin1Char('\\'));
        escaped.append(c);
    }
    escaped.append(QLatin1Char('%'));
    return escaped;
}

LogSql buildLogSql(const LogQuery& query) {
    LogSql out;
    auto text = [&](const QString& value) { out.params.append({true, value, 0}); };
    auto number = [&](qint64 value) { out.params.append({false, {}, value}); };

    const QString match = query.match.trimmed();
    const QStringList tokens = ftsTokens(match);
    const bool useFts = !tokens.isEmpty();
    const bool useLike = !match.isEmpty() && (tokens.size() != 1 || tokens.front() != match);
    const bool joinInstances = !query.taskId.isEmpty() || !query.repo.isEmpty();

    std::string sql = "SELECT ";
    sql += rows::kLogColumns;
    // With a match, walk the full-text index in rowid order (it stops at the limit);
    // otherwise walk log_lines_by_run (run_key, id).
    if (useFts)
        sql += " FROM log_lines_fts f JOIN log_lines l ON l.id = f.rowid";
    else
        sql += " FROM log_lines l";
    sql += " JOIN log_runs r ON r.key = l.run_key";
    if (joinInstances)
        sql += " JOIN task_instances t ON t.run_id = r.run_id AND t.idx = l.idx";
    if (useFts) {
        sql += " WHERE log_lines_fts MATCH ? AND f.rowid > ?";
        text(ftsQuery(tokens));
    } else {
        sql += " WHERE l.id > ?";
    }
    number(query.afterId);
    if (!query.runId.isEmpty()) {
        sql += " AND r.run_id = ?";
        text(query.runId);
    }
    if (!query.taskId.isEmpty()) {
        sql += " AND t.task_id = ?";
        text(query.taskId);
    }
    if (!query.repo.isEmpty()) {
        sql += " AND t.repo = ?";
        text(query.repo);
    }
    if (useLike) {
        sql += " AND l.text LIKE ? ESCAPE '\\'";
        text(likeContains(match));
    }
    sql += useFts ? " ORDER BY f.rowid" : " ORDER BY l.id";
    sql += " LIMIT ?";
    number(query.limit > 0 ? query.limit : -1);
    out.sql = std::move(sql);
    return out;
}

} // namespace signalbox::store
