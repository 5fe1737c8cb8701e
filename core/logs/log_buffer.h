#pragma once
// The most recent log entries, kept in memory for a GUI log view (qBittorrent's
// Logger, fed by an spdlog sink). Thread-safe: sinks append from any thread;
// entryAppended is emitted from the appending thread (connect queued across threads).

#include "logs/logging.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>

namespace signalbox::logs {

struct LogEntry {
    qint64 id = 0;   // increasing, never reused within a process
    qint64 tsMs = 0; // Unix ms, UTC
    Level level = Level::Info;
    QString logger;
    QString message;
};

class LogBuffer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogBuffer)
public:
    explicit LogBuffer(int capacity = 2000, QObject* parent = nullptr);

    static LogBuffer& instance();

    void setCapacity(int capacity);
    int capacity() const;
    void append(Level level, const QString& logger, const QString& message, qint64 tsMs);
    // Entries with id > afterId, oldest first (all kept entries for 0).
    QList<LogEntry> entries(qint64 afterId = 0) const;
    void clear();

Q_SIGNALS:
    void entryAppended(const signalbox::logs::LogEntry& entry);

private:
    mutable QMutex m_mutex;
    QList<LogEntry> m_entries;
    int m_capacity;
    qint64 m_nextId = 1;
};

} // namespace signalbox::logs

Q_DECLARE_METATYPE(signalbox::logs::LogEntry)
