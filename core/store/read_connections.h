#pragma once
// Read-only connections, one per reading thread, opened on first use and kept until the
// store closes. WAL lets them read the last committed state while the writer writes.

#include <QString>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace signalbox::store {

class SqliteConnection;

class ReadConnections final {
public:
    explicit ReadConnections(QString databasePath)
        : m_path(std::move(databasePath)) {}
    ~ReadConnections();
    ReadConnections(const ReadConnections&) = delete;
    ReadConnections& operator=(const ReadConnections&) = delete;

    // The calling thread's connection; nullptr + error when it cannot be opened.
    SqliteConnection* forThisThread(QString* error);

private:
    QString m_path;
    std::mutex m_mutex;
    std::unordered_map<std::thread::id, std::unique_ptr<SqliteConnection>> m_connections;
};

// A read transaction: every query inside sees the same committed snapshot.
class ReadTransaction final {
public:
    explicit ReadTransaction(SqliteConnection& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    SqliteConnection& m_db;
    bool m_open;
};

} // namespace signalbox::store
