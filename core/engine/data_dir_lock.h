#pragma once
// One engine per data dir: whoever executes runs holds DATA_DIR/engine.lock
// (QLockFile: pid, hostname and application name inside; a lock whose process is
// gone, e.g. after kill -9, is detected as stale and taken over).
// Read-only access (listing runs, reading logs) never needs it.

#include <QString>
#include <memory>
#include <optional>

class QLockFile;

namespace signalbox::engine {

class DataDirLock final {
public:
    struct Holder {
        qint64 pid = 0;
        QString hostname;
        QString app;
        QString describe() const; // "signalbox-cli (pid 1234 on host)"
    };

    explicit DataDirLock(const QString& dataDir);
    ~DataDirLock(); // releases the lock if held
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

    static QString lockFileName(); // "engine.lock"

    // Takes the lock, waiting up to timeoutMs (0 = try once). On failure *error is
    // one line naming the data dir and the holder (or the I/O problem).
    bool tryLock(int timeoutMs, QString* error);
    void unlock();
    bool isLocked() const;

    // Who holds the lock right now (nullopt when nobody, or the holder is dead).
    std::optional<Holder> holder() const;
    QString lockPath() const;
    QString dataDir() const;

private:
    QString m_dataDir;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace signalbox::engine
