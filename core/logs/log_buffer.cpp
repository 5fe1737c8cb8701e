#include "logs/log_buffer.h"

#include <QMutexLocker>

namespace signalbox::logs {

LogBuffer::LogBuffer(int capacity, QObject* parent)
    : QObject(parent)
    , m_capacity(qMax(1, capacity)) {
    qRegisterMetaType<signalbox::logs::LogEntry>();
}

LogBuffer& LogBuffer::instance() {
    static LogBuffer buffer;
    return buffer;
}

void LogBuffer::setCapacity(int capacity) {
    QMutexLocker locker(&m_mutex);
    m_capacity = qMax(1, capacity);
    if (m_entries.size() > m_capacity)
        m_entries.remove(0, m_entries.size() - m_capacity);
}

int LogBuffer::capacity() const {
    QMutexLocker locker(&m_mutex);
    return m_capacity;
}

void LogBuffer::append(Level level, const QString& logger, const QString& message, qint64 tsMs) {
    LogEntry entry;
    {
        QMutexLocker locker(&m_mutex);
        entry.id = m_nextId++;
        entry.tsMs = tsMs;
        entry.level = level;
        entry.logger = logger;
        entry.message = message;
        if (m_entries.size() >= m_capacity)
            m_entries.remove(0, m_entries.size() - m_capacity + 1);
        m_entries.append(entry);
    }
    Q_EMIT entryAppended(entry);
}

QList<LogEntry> LogBuffer::entries(qint64 afterId) const {
    QMutexLocker locker(&m_mutex);
    QList<LogEntry> result;
    for (const LogEntry& entry : m_entries) {
        if (entry.id > afterId)
            result.append(entry);
    }
    return result;
}

void LogBuffer::clear() {
    QMutexLocker locker(&m_mutex);
    m_entries.clear();
}

} // namespace signalbox::logs
