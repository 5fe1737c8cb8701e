#include "models/engine_log_model.h"

#include "backend/backend.h"
#include "widgets/status_colors.h"

#include <QDateTime>

namespace signalbox::ui {

EngineLogModel::EngineLogModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::engineLogFetched, this, &EngineLogModel::onFetched);
    connect(&m_backend, &Backend::failed, this, [this](Ticket ticket, const QString&) { onFailed(ticket); });
}

void EngineLogModel::fetchNew() {
    // One request at a time: two in flight with the same afterId would append twice.
    if (m_ticket != 0) {
        m_fetchAgain = true;
        return;
    }
    m_ticket = m_backend.fetchEngineLog(m_lastId);
}

void EngineLogModel::onFailed(Ticket ticket) {
    if (ticket == m_ticket)
        m_ticket = 0;
}

void EngineLogModel::onFetched(Ticket ticket, const QList<logs::LogEntry>& entries) {
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    QList<logs::LogEntry> fresh;
    for (const logs::LogEntry& entry : entries) {
        if (entry.id > m_lastId)
            fresh.append(entry);
    }
    if (!fresh.isEmpty()) {
        m_lastId = fresh.constLast().id;
        m_all.append(fresh);
        if (m_all.size() > MaxEntries + MaxEntries / 10) {
            beginResetModel();
            m_all.remove(0, m_all.size() - MaxEntries);
            m_shown.clear();
            for (const logs::LogEntry& entry : std::as_const(m_all)) {
                if (shows(entry))
                    m_shown.append(entry);
            }
            endResetModel();
        } else {
            QList<logs::LogEntry> shown;
            for (const logs::LogEntry& entry : std::as_const(fresh)) {
                if (shows(entry))
                    shown.append(entry);
            }
            if (!shown.isEmpty()) {
                beginInsertRows({}, int(m_shown.size()), int(m_shown.size() + shown.size() - 1));
                m_shown.append(shown);
                endInsertRows();
            }
        }
        Q_EMIT entriesAppended(int(fresh.size()));
    }
    if (m_fetchAgain) {
        m_fetchAgain = false;
        fetchNew();
    }
}

void EngineLogModel::setMinimumLevel(logs::Level level) {
    if (level == m_minimumLevel)
        return;
    beginResetModel();
    m_minimumLevel = level;
    m_shown.clear();
    for (const logs::LogEntry& entry : std::as_const(m_all)) {
        if (shows(entry))
            m_shown.append(entry);
    }
    endResetModel();
}

QString EngineLogModel::lineText(int row) const {
    if (row < 0 || row >= m_shown.size())
        return {};
    const logs::LogEntry& e = m_shown.at(row);
    return QDateTime::fromMSecsSinceEpoch(e.tsMs).toString(Qt::ISODateWithMs) + QLatin1Char(' ')
        + logs::toString(e.level) + QLatin1Char(' ') + e.logger + QStringLiteral(": ") + e.message;
}

int EngineLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_shown.size());
}

int EngineLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EngineLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const logs::LogEntry& e = m_shown.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return QDateTime::fromMSecsSinceEpoch(e.tsMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        case LevelColumn: return logs::toString(e.level);
        case LoggerColumn: return e.logger;
        case MessageColumn: return e.message;
        default: return {};
        }
    case Qt::ForegroundRole:
        if (e.level >= logs::Level::Error)
            return statusColor(InstanceStatus::Failed);
        if (e.level == logs::Level::Warn)
            return statusColor(InstanceStatus::Interrupted);
        if (e.level <= logs::Level::Debug)
            return statusColor(InstanceStatus::Skipped);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(e.tsMs).toString(Qt::ISODateWithMs);
        return {};
    case LevelRole: return int(e.level);
    default: return {};
    }
}

QVariant EngineLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case LevelColumn: return tr("Level");
    case LoggerColumn: return tr("Logger");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

} // namespace signalbox::ui
