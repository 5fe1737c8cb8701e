#pragma once
// Turns a DlqFilter and a page request into SQL over dlq_entries (alias e). User text is
// only ever bound as a parameter, never spliced into the SQL: the SQL text depends only on
// which fields are set and how many values the lists hold, so statements cache well.

#include "dlq/dlq_query.h"

#include <QList>
#include <QString>
#include <string>

namespace signalbox::store {

class Statement;

struct DlqSqlParam {
    bool isText = false;
    QString text;
    qint64 number = 0;
};

struct DlqSqlParts {
    std::string sql;           // the built clause or statement
    QList<DlqSqlParam> params; // bound in order to its '?' placeholders

    void addNumber(qint64 value) { params.append(DlqSqlParam{false, {}, value}); }
    void addText(const QString& value) { params.append(DlqSqlParam{true, value, 0}); }
    // Binds params to statement's parameters first.. first + params.size() - 1.
    void bindTo(Statement& statement, int first = 1) const;
};

// " WHERE ..." (with a leading space) for the filter; empty for an empty filter.
// Columns are qualified with `e.`. errorContains is a plain substring, ASCII
// case-insensitive (instr(lower(error), lower(?))): % and _ are ordinary characters.
DlqSqlParts dlqWhere(const dlq::DlqFilter& filter);

// The whole page query: kEntryColumns FROM dlq_entries e, the filter, the keyset condition
// after page.after, ORDER BY the sort key then key (both in the page's direction), LIMIT
// (clamped to 1..10000). Enqueued sorts by key: keys are assigned at enqueue, in order.
// NextRetry puts entries without a next retry last in both directions.
DlqSqlParts dlqPageSql(const dlq::DlqFilter& filter, const dlq::DlqPageRequest& page);

int clampPageLimit(int limit);

} // namespace signalbox::store
