#include "store/dlq_filter_sql.h"

#include "store/dlq_row_mapper.h"
#include "store/sqlite_connection.h"

#include <algorithm>
#include <limits>

namespace signalbox::store {

namespace {

constexpr qint64 kMaxInt64 = std::numeric_limits<qint64>::max();
constexpr qint64 kMinInt64 = std::numeric_limits<qint64>::min();

class WhereBuilder {
public:
    explicit WhereBuilder(DlqSqlParts* parts)
        : m_parts(parts) {}
    void add(const char* condition) {
        m_parts->sql += m_glue;
        m_parts->sql += condition;
        m_glue = " AND ";
        m_any = true;
    }
    // "column IN (?, ?, ...)" or "column = ?" for one value.
    template <typename List> void addIn(const char* column, const List& values) {
        if (values.isEmpty())
            return;
        m_parts->sql += m_glue;
        m_parts->sql += column;
        // Duplicates are removed first, so the SQL (and the statement cache) depends
        // only on how many distinct values there are.
        QList<int> codes;
        for (const auto& value : values) {
            const int c = dlqrows::code(value);
            if (!codes.contains(c))
                codes.append(c);
        }
        std::sort(codes.begin(), codes.end());
        if (codes.size() == 1) {
            m_parts->sql += " = ?";
        } else {
            m_parts->sql += " IN (?";
            for (qsizetype i = 1; i < codes.size(); ++i)
                m_parts->sql += ", ?";
            m_parts->sql += ")";
        }
        for (int c : codes)
            m_parts->addNumber(c);
        m_glue = " AND ";
        m_any = true;
    }

    bool any() const { return m_any; }

private:
    DlqSqlParts* m_parts;
    bool m_any = false;
    const char* m_glue = " WHERE ";
};

struct SortColumn {
    const char* expression; // over e.*
    bool isText;
};

SortColumn sortColumn(dlq::DlqSortKey key, bool descending) {
    switch (key) {
    case dlq::DlqSortKey::Enqueued:
        return {nullptr, false}; // key order
    case dlq::DlqSortKey::Updated:
        return {"e.updated_at_ms", false};
    case dlq::DlqSortKey::NextRetry:
        // No next retry sorts last either way: the largest value ascending, the smallest descending.
        return {descending ? "coalesce(e.next_retry_at_ms, -9223372036854775807 - 1)"
                           : "coalesce(e.next_retry_at_ms, 9223372036854775807)",
                false};
    case dlq::DlqSortKey::Workflow:
        return {"e.workflow", true};
    case dlq::DlqSortKey::Task:
        return {"e.task_id", true};
    case dlq::DlqSortKey::Repo:
        return {"e.repo", true};
    case dlq::DlqSortKey::Category:
        return {"e.category", false};
    case dlq::DlqSortKey::Status:
        return {"e.status", false};
    case dlq::DlqSortKey::Attempts:
        return {"e.attempts", false};
    }
    return {nullptr, false};
}

// The after entry's value of the sort column, as bound in the keyset condition.
DlqSqlParam sortValue(dlq::DlqSortKey key, bool descending, const dlq::DeadLetter& e) {
    switch (key) {
    case dlq::DlqSortKey::Enqueued:
        return {false, {}, e.key};
    case dlq::DlqSortKey::Updated:
        return {false, {}, e.updatedAtMs};
    case dlq::DlqSortKey::NextRetry:
        return {false, {}, e.nextRetryAtMs.value_or(descending ? kMinInt64 : kMaxInt64)};
    case dlq::DlqSortKey::Workflow:
        return {true, e.workflow, 0};
    case dlq::DlqSortKey::Task:
        return {true, e.taskId, 0};
    case dlq::DlqSortKey::Repo:
        return {true, e.repo, 0};
    case dlq::DlqSortKey::Category:
        return {false, {}, dlqrows::code(e.category)};
    case dlq::DlqSortKey::Status:
        return {false, {}, dlqrows::code(e.status)};
    case dlq::DlqSortKey::Attempts:
        return {false, {}, e.attempts};
    }
    return {false, {}, e.key};
}

// Returns whether it added a WHERE clause.
bool appendWhere(DlqSqlParts* parts, const dlq::DlqFilter& filter) {
    WhereBuilder where(parts);
    if (!filter.keys.isEmpty()) {
        // One parameter whatever the number of keys: a JSON array of integers.
        QString json = QStringLiteral("[");
        for (qsizetype i = 0; i < filter.keys.size(); ++i) {
            if (i)
                json += u',';
            json += QString::number(filter.keys[i]);
        }
        json += u']';
        where.add("e.key IN (SELECT value FROM json_each(?))");
        parts->addText(json);
    }
    where.addIn("e.status", filter.statuses);
    where.addIn("e.category", filter.categories);
    where.addIn("e.policy", filter.policies);
    auto text = [&](const char* condition, const QString& value) {
        if (value.isEmpty())
            return;
        where.add(condition);
        parts->addText(value);
    };
    text("e.workflow = ?", filter.workflow);
    text("e.task_id = ?", filter.taskId);
    text("e.repo = ?", filter.repo);
    text("e.run_id = ?", filter.runId);
    text("e.signature = ?", filter.signature);
    if (filter.enqueuedFromMs != 0) {
        where.add("e.enqueued_at_ms >= ?");
        parts->addNumber(filter.enqueuedFromMs);
    }
    if (filter.enqueuedBeforeMs != 0) {
        where.add("e.enqueued_at_ms < ?");
        parts->addNumber(filter.enqueuedBeforeMs);
    }
    // instr() on lowered text: a plain substring, % and _ are not wildcards.
    text("instr(lower(e.error), lower(?)) > 0", filter.errorContains);
    return where.any();
}

// For a page in key order: true when walking the table itself newest (or oldest) first
// and testing each entry beats any index. That is when no selective field (keys, run,
// signature, workflow, task, repo) is set and the status/category index cannot give key
// order (it does for exactly one status with exactly one category): a status or category
// alone matches a good share of the queue, so a page is found after a few hundred rows,
// where the index would sort every match first. Not when a time bound keeps only the far
// end of the walk (entries enqueued before X, walked newest first).
bool walkInKeyOrder(const dlq::DlqFilter& f, bool descending) {
    if (!f.keys.isEmpty() || !f.runId.isEmpty() || !f.signature.isEmpty() || !f.workflow.isEmpty() ||
        !f.taskId.isEmpty() || !f.repo.isEmpty())
        return false;
    if (descending ? f.enqueuedBeforeMs != 0 : f.enqueuedFromMs != 0)
        return false;
    return !(f.statuses.size() == 1 && f.categories.size() == 1);
}

} // namespace

void DlqSqlParts::bindTo(Statement& statement, int first) const {
    for (qsizetype i = 0; i < params.size(); ++i) {
        const int index = first + static_cast<int>(i);
        if (params[i].isText)
            statement.bind(index, params[i].text);
        else
            statement.bind(index, params[i].number);
    }
}

int clampPageLimit(int limit) {
    return std::clamp(limit, 1, 10'000);
}

DlqSqlParts dlqWhere(const dlq::DlqFilter& filter) {
    DlqSqlParts parts;
    appendWhere(&parts, filter);
    return parts;
}

DlqSqlParts dlqPageSql(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page) {
    DlqSqlParts parts;
    parts.sql = std::string("SELECT ") + dlqrows::kEntryColumns + " FROM dlq_entries e";
    if (page.sort.key == dlq::DlqSortKey::Enqueued && walkInKeyOrder(filter, page.sort.descending))
        parts.sql += " NOT INDEXED";
    const bool hasWhere = appendWhere(&parts, filter);
    const bool desc = page.sort.descending;
    const SortColumn column = sortColumn(page.sort.key, desc);
    if (page.after) {
        parts.sql += hasWhere ? " AND " : " WHERE ";
        if (column.expression) {
            parts.sql += "(";
            parts.sql += column.expression;
            parts.sql += desc ? ", e.key) < (?, ?)" : ", e.key) > (?, ?)";
            parts.params.append(sortValue(page.sort.key, desc, *page.after));
        } else {
            parts.sql += desc ? "e.key < ?" : "e.key > ?";
        }
        parts.addNumber(page.after->key);
    }
    const char* dir = desc ? " DESC" : " ASC";
    parts.sql += " ORDER BY ";
    if (column.expression) {
        parts.sql += column.expression;
        parts.sql += dir;
        parts.sql += ", ";
    }
    parts.sql += "e.key";
    parts.sql += dir;
    parts.sql += " LIMIT ?";
    parts.addNumber(clampPageLimit(page.limit));
    return parts;
}

} // namespace signalbox::store
