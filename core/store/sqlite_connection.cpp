#include "store/sqlite_connection.h"

#include <sqlite3.h>

namespace signalbox::store {

namespace {

QString lastError(sqlite3* db) {
    return QString::fromUtf8(sqlite3_errmsg(db));
}

void setError(QString* error, const QString& message) {
    if (error)
        *error = message;
}

} // namespace

// ---- Statement -------------------------------------------------------------------

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

void Statement::bindNull(int index) {
    sqlite3_bind_null(m_stmt, index);
}
void Statement::bind(int index, qint64 value) {
    sqlite3_bind_int64(m_stmt, index, value);
}
void Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt, index, value);
}

void Statement::bind(int index, const QString& value) {
    if (index < 1) { // out of range: let SQLite report it
        sqlite3_bind_text(m_stmt, index, "", 0, SQLITE_STATIC);
        return;
    }
    if (static_cast<std::size_t>(index) > m_text.size())
        m_text.resize(static_cast<std::size_t>(index));
    QByteArray& utf8 = m_text[static_cast<std::size_t>(index) - 1];
    // SQLite still points at the old bytes (as static text) until the bind below replaces
    // them; it never reads them in between.
    const qsizetype size = value.size();
    const QChar* in = value.constData();
    bool ascii = true;
    for (qsizetype i = 0; i < size; ++i) {
        if (in[i].unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        utf8.resize(size); // keeps its capacity: no allocation once big enough
        char* out = utf8.data();
        for (qsizetype i = 0; i < size; ++i)
            out[i] = static_cast<char>(in[i].unicode());
    } else {
        utf8 = value.toUtf8();
    }
    sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_STATIC);
}

void Statement::bindBlob(int index, const QByteArray& value) {
    if (value.isNull()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    // A zero-length blob needs a non-null pointer to stay an empty blob rather than NULL.
    static const char empty = 0;
    sqlite3_bind_blob(m_stmt, index, value.isEmpty() ? &empty : value.constData(),
                      static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

void Statement::bindStatic(int index, const QByteArray& utf8) {
    sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_STATIC);
}

void Statement::bind(int index, std::optional<int> value) {
    if (value)
        bind(index, static_cast<qint64>(*value));
    else
        bindNull(index);
}

void Statement::bind(int index, std::optional<double> value) {
    if (value)
        bind(index, *value);
    else
        bindNull(index);
}

void Statement::bindTextOrNull(int index, const QString& value) {
    if (value.isEmpty())
        bindNull(index);
    else
        bind(index, value);
}

Statement::Step Statement::step() {
    switch (sqlite3_step(m_stmt)) {
    case SQLITE_ROW:
        return Step::Row;
    case SQLITE_DONE:
        return Step::Done;
    default:
        return Step::Error;
    }
}

bool Statement::run(QString* error) {
    const Step result = step();
    if (result == Step::Error)
        setError(error, errorMessage());
    reset();
    return result != Step::Error;
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
qint64 Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}
int Statement::int32(int column) const {
    return sqlite3_column_int(m_stmt, column);
}
double Statement::real(int column) const {
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return data ? QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column)) : QString();
}

QByteArray Statement::blob(int column) const {
    if (isNull(column))
        return {};
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArray(data, size) : QByteArray("", 0);
}

std::optional<int> Statement::optionalInt(int column) const {
    if (isNull(column))
        return std::nullopt;
    return int32(column);
}

std::optional<double> Statement::optionalReal(int column) const {
    if (isNull(column))
        return std::nullopt;
    return real(column);
}

QString Statement::errorMessage() const {
    return lastError(m_db);
}

// ---- SqliteConnection -------------------------------------------------------------

std::unique_ptr<SqliteConnection> SqliteConnection::open(const QString& path, Mode mode, QString* error) {
    // No global memory statistics: they take a process-wide mutex on every allocation.
    // Only possible before SQLite initialises; if something else initialised it, no harm.
    static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    Q_UNUSED(configured);
    sqlite3* db = nullptr;
    const int flags =
        (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = db ? lastError(db) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close(db);
        setError(error, QStringLiteral("cannot open database %1: %2").arg(path, message));
        return nullptr;
    }
    sqlite3_extended_result_codes(db, 1);
    return std::unique_ptr<SqliteConnection>(new SqliteConnection(db, path));
}

SqliteConnection::~SqliteConnection() {
    m_statements.clear(); // finalize before closing
    sqlite3_close(m_db);
}

bool SqliteConnection::exec(const char* sql, QString* error) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        setError(error, message ? QString::fromUtf8(message) : lastError(m_db));
        sqlite3_free(message);
        return false;
    }
    return true;
}

bool SqliteConnection::exec(const QString& sql, QString* error) {
    return exec(sql.toUtf8().constData(), error);
}

Statement* SqliteConnection::cached(const std::string& sql, QString* error) {
    auto it = m_statements.find(sql);
    if (it != m_statements.end()) {
        it->second->reset();
        return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK) {
        setError(error, lastError(m_db));
        sqlite3_finalize(stmt);
        return nullptr;
    }
    auto inserted = m_statements.emplace(sql, std::make_unique<Statement>(m_db, stmt));
    return inserted.first->second.get();
}

std::optional<qint64> SqliteConnection::queryInt(const char* sql, QString* error) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        setError(error, lastError(m_db));
        sqlite3_finalize(stmt);
        return std::nullopt;
    }
    std::optional<qint64> value;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    else if (rc == SQLITE_DONE)
        setError(error, QStringLiteral("no result from: %1").arg(QString::fromUtf8(sql)));
    else
        setError(error, lastError(m_db));
    sqlite3_finalize(stmt);
    return value;
}

qint64 SqliteConnection::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int SqliteConnection::changes() const {
    return sqlite3_changes(m_db);
}
QString SqliteConnection::errorMessage() const {
    return lastError(m_db);
}

} // namespace signalbox::store
