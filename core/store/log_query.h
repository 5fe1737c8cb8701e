#pragma once
// Turns a LogQuery into SQL. The user's match text is never passed to FTS5 as syntax:
// it is split into the words the FTS tokenizer would index, each quoted, and ANDed. A
// query of several words (or words joined by punctuation, "foo.bar") must also appear as
// typed (LIKE, ASCII case-insensitive), so a phrase search finds the phrase.

#include "store/store.h"

#include <QStringList>
#include <string>

namespace signalbox::store {

struct LogSql {
    std::string sql;
    // Parameters in order: each is a string or an integer.
    struct Param {
        bool isText = false;
        QString text;
        qint64 number = 0;
    };
    QList<Param> params;
};

// The FTS5 tokens of text (unicode61: runs of letters and digits).
QStringList ftsTokens(const QString& text);
// '"a" "b"' for tokens a, b (quotes doubled inside); empty for no tokens.
QString ftsQuery(const QStringList& tokens);
// A LIKE pattern matching text anywhere, with %, _ and \ escaped by backslash.
QString likeContains(const QString& text);

LogSql buildLogSql(const LogQuery& query);

} // namespace signalbox::store
