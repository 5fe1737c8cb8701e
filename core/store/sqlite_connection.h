#pragma once
// A thin RAII wrapper over the SQLite C API: one connection, its prepared statements
// (cached by SQL text) and one-line error messages. Not thread-safe: a connection is
// used by one thread at a time (the writer thread, or the reader that owns it).

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace signalbox::store {

class Statement final {
public:
    enum class Step { Row, Done, Error };

    Statement(sqlite3* db, sqlite3_stmt* stmt)
        : m_db(db)
        , m_stmt(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds are 1-based, like SQLite's.
    void bindNull(int index);
    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, static_cast<qint64>(value)); }
    void bind(int index, double value);
    void bind(int index, const QString& value);         // UTF-8, kept by the statement until rebound
    void bindBlob(int index, const QByteArray& value);  // copy; null array -> NULL
    void bindStatic(int index, const QByteArray& utf8); // no copy: must outlive step()
    void bind(int index, std::optional<int> value);
    void bind(int index, std::optional<double> value);
    void bindTextOrNull(int index, const QString& value); // empty -> NULL

    Step step();
    // Runs the statement to completion (for writes); false + error on failure. Resets it.
    bool run(QString* error);
    void reset(); // resets and clears bindings

    bool isNull(int column) const;
    qint64 int64(int column) const;
    int int32(int column) const;
    double real(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    std::optional<int> optionalInt(int column) const;
    std::optional<double> optionalReal(int column) const;

    QString errorMessage() const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt;
    // The UTF-8 of each bound QString parameter (index - 1), bound without a copy
    // (SQLITE_STATIC): valid until that parameter is bound again or the statement is
    // finalised. Reused, so binding a row allocates nothing in the usual case.
    std::vector<QByteArray> m_text;
};

class SqliteConnection final {
public:
    enum class Mode { ReadWriteCreate, ReadOnly };

    // Opens path; nullptr + one-line error naming the path on failure.
    static std::unique_ptr<SqliteConnection> open(const QString& path, Mode mode, QString* error);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    // Executes one or more statements without results; false + error on failure.
    bool exec(const char* sql, QString* error);
    bool exec(const QString& sql, QString* error);
    // A prepared statement cached for the life of the connection (reset before returned).
    // nullptr + error when the SQL does not compile.
    Statement* cached(const std::string& sql, QString* error);
    // A single integer from a query such as "PRAGMA user_version"; nullopt + error on failure.
    std::optional<qint64> queryInt(const char* sql, QString* error);

    qint64 lastInsertRowId() const;
    int changes() const;
    QString errorMessage() const;
    QString path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    SqliteConnection(sqlite3* db, QString path)
        : m_db(db)
        , m_path(std::move(path)) {}
    sqlite3* m_db;
    QString m_path;
    std::unordered_map<std::string, std::unique_ptr<Statement>> m_statements;
};

// Runs body inside BEGIN/COMMIT (ROLLBACK when it returns false or COMMIT fails).
template <typename Body> bool inTransaction(SqliteConnection& db, QString* error, Body&& body) {
    if (!db.exec("BEGIN IMMEDIATE", error))
        return false;
    if (!body()) {
        db.exec("ROLLBACK", nullptr);
        return false;
    }
    if (!db.exec("COMMIT", error)) {
        db.exec("ROLLBACK", nullptr);
        return false;
    }
    return true;
}

// Steps statement to the end, calling onRow for each row, then resets it; false + error
// (the statement's message) on failure.
template <typename OnRow> bool forEachRow(Statement& statement, QString* error, OnRow&& onRow) {
    Statement::Step step;
    while ((step = statement.step()) == Statement::Step::Row)
        onRow(statement);
    if (step == Statement::Step::Error && error)
        *error = statement.errorMessage();
    statement.reset();
    return step != Statement::Step::Error;
}

} // namespace signalbox::store
