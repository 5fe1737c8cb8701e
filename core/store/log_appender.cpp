#include "store/log_appender.h"

#include "store/sqlite_connection.h"

namespace signalbox::store {

std::optional<qint64> LogAppender::runKey(SqliteConnection& db, const QString& runId, QStringList* added,
                                          QString* error) {
    if (auto it = m_runKeys.constFind(runId); it != m_runKeys.cend())
        return *it;
    if (auto it = m_newRunKeys.constFind(runId); it != m_newRunKeys.cend())
        return *it;
    Statement* select = db.cached("SELECT key FROM log_runs WHERE run_id = ?1", error);
    if (!select)
        return std::nullopt;
    select->bind(1, runId);
    const Statement::Step step = select->step();
    if (step == Statement::Step::Row) {
        const qint64 key = select->int64(0);
        select->reset();
        m_runKeys.insert(runId, key); // existed before this batch: committed
        return key;
    }
    if (step == Statement::Step::Error) {
        if (error)
            *error = select->errorMessage();
        select->reset();
        return std::nullopt;
    }
    select->reset();
    Statement* insert = db.cached("INSERT INTO log_runs (run_id) VALUES (?1)", error);
    if (!insert)
        return std::nullopt;
    insert->bind(1, runId);
    if (!insert->run(error))
        return std::nullopt;
    const qint64 key = db.lastInsertRowId();
    m_newRunKeys.insert(runId, key);
    added->append(runId);
    return key;
}

bool LogAppender::append(SqliteConnection& db, QList<LogLine>& lines, QString* error) {
    Statement* insert = db.cached(
        "INSERT INTO log_lines (run_key, idx, stream, ts_ms, text) VALUES (?1, ?2, ?3, ?4, ?5)", error);
    if (!insert)
        return false;
    QStringList added;
    auto fail = [&](const QString& runId) {
        for (const QString& id : std::as_const(added))
            m_newRunKeys.remove(id);
        if (error)
            *error = QStringLiteral("append log lines of %1: %2").arg(runId, *error);
        return false;
    };
    QString currentRun;
    qint64 key = -1;
    for (LogLine& line : lines) {
        if (key < 0 || line.runId != currentRun) { // a batch usually holds one run's lines
            const auto found = runKey(db, line.runId, &added, error);
            if (!found)
                return fail(line.runId);
            currentRun = line.runId;
            key = *found;
        }
        const QByteArray text = line.text.toUtf8();
        insert->bind(1, key);
        insert->bind(2, line.index);
        insert->bind(3, static_cast<int>(line.stream));
        insert->bind(4, line.tsMs);
        insert->bindStatic(5, text);
        if (!insert->run(error))
            return fail(line.runId);
        line.id = db.lastInsertRowId();
    }
    if (!lines.isEmpty() && (m_firstUnindexedId == 0 || lines.front().id < m_firstUnindexedId))
        m_firstUnindexedId = lines.front().id;
    return true;
}

bool LogAppender::indexPending(SqliteConnection& db, QString* error) {
    if (m_firstUnindexedId == 0)
        return true;
    const qint64 first = m_firstUnindexedId;
    m_firstUnindexedId = 0; // committed or rolled back with the lines: never indexed twice
    Statement* index = db.cached(
        "INSERT INTO log_lines_fts (rowid, text) SELECT id, text FROM log_lines WHERE id >= ?1", error);
    if (!index)
        return false;
    index->bind(1, first);
    if (!index->run(error)) {
        if (error)
            *error = QStringLiteral("index log lines from id %1: %2").arg(first).arg(*error);
        return false;
    }
    return true;
}

void LogAppender::batchEnded(bool committed) {
    if (committed)
        m_runKeys.insert(m_newRunKeys);
    m_newRunKeys.clear();
    m_firstUnindexedId = 0;
}

} // namespace signalbox::store
