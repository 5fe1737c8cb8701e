#include "store/read_connections.h"

#include "store/sqlite_connection.h"

namespace signalbox::store {

ReadConnections::~ReadConnections() = default;

SqliteConnection* ReadConnections::forThisThread(QString* error) {
    const auto self = std::this_thread::get_id();
    std::lock_guard lock(m_mutex);
    auto it = m_connections.find(self);
    if (it != m_connections.end())
        return it->second.get();
    auto db = SqliteConnection::open(m_path, SqliteConnection::Mode::ReadOnly, error);
    if (!db)
        return nullptr;
    db->exec("PRAGMA busy_timeout = 5000", nullptr);
    return m_connections.emplace(self, std::move(db)).first->second.get();
}

ReadTransaction::ReadTransaction(SqliteConnection& db)
    : m_db(db)
    , m_open(db.exec("BEGIN", nullptr)) {}

ReadTransaction::~ReadTransaction() {
    if (m_open)
        m_db.exec("COMMIT", nullptr);
}

} // namespace signalbox::store
