#include "models/pools_model.h"

#include "backend/backend.h"
#include "widgets/status_colors.h"

namespace signalbox::ui {

PoolsModel::PoolsModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::poolsFetched, this, &PoolsModel::onFetched);
    connect(&m_backend, &Backend::failed, this, [this](Ticket ticket, const QString& message) {
        if (ticket != m_ticket)
            return;
        m_ticket = 0;
        Q_EMIT loadFailed(message);
    });
}

void PoolsModel::refresh() { m_ticket = m_backend.fetchPools(); }

int PoolsModel::rowOf(const QString& name) const {
    for (int row = 0; row < m_pools.size(); ++row) {
        if (m_pools[row].name == name)
            return row;
    }
    return -1;
}

void PoolsModel::onFetched(Ticket ticket, const QList<PoolInfo>& pools) {
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    bool sameNames = pools.size() == m_pools.size();
    for (int row = 0; sameNames && row < pools.size(); ++row)
        sameNames = pools[row].name == m_pools[row].name;
    if (sameNames) {
        m_pools = pools;
        if (!m_pools.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    } else {
        beginResetModel();
        m_pools = pools;
        endResetModel();
    }
    Q_EMIT refreshed();
}

QString PoolsModel::healthText(PoolHealth health) {
    switch (health) {
    case PoolHealth::Healthy: return tr("healthy");
    case PoolHealth::Degraded: return tr("degraded");
    case PoolHealth::Down: return tr("down");
    }
    return {};
}

QColor PoolsModel::healthColor(PoolHealth health) {
    switch (health) {
    case PoolHealth::Healthy: return statusColor(InstanceStatus::Succeeded);
    case PoolHealth::Degraded: return statusColor(InstanceStatus::Interrupted);
    case PoolHealth::Down: return statusColor(InstanceStatus::Failed);
    }
    return statusColor(InstanceStatus::Pending);
}

QString PoolsModel::stateText(const PoolInfo& pool) {
    // A paused pool with launches still running is draining, whether or not the backend
    // says so itself.
    if (pool.draining || (pool.paused && pool.busy > 0))
        return tr("draining");
    if (pool.paused)
        return tr("paused");
    return tr("accepting");
}

int PoolsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_pools.size());
}

int PoolsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PoolInfo& pool = m_pools.at(index.row());
    if (role == NameRole)
        return pool.name;
    if (index.column() == HealthColumn) {
        if (role == Qt::BackgroundRole)
            return healthColor(pool.health);
        if (role == Qt::ForegroundRole)
            return textOn(healthColor(pool.health));
    }
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == WorkersColumn || index.column() == BusyColumn || index.column() == QueuedColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return pool.name;
    case KindColumn: return pool.kind;
    case WorkersColumn: return pool.capacity > 0 ? QString::number(pool.capacity) : tr("unlimited");
    case BusyColumn: return pool.busy;
    case QueuedColumn: return pool.queued;
    case HealthColumn: return healthText(pool.health);
    case CircuitColumn: return pool.circuit.isEmpty() ? tr("—") : pool.circuit;
    case StateColumn: return stateText(pool);
    default: return {};
    }
}

QVariant PoolsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case NameColumn: return tr("Pool");
    case KindColumn: return tr("Kind");
    case WorkersColumn: return tr("Workers");
    case BusyColumn: return tr("Busy");
    case QueuedColumn: return tr("Queued");
    case HealthColumn: return tr("Health");
    case CircuitColumn: return tr("Circuit");
    case StateColumn: return tr("State");
    default: return {};
    }
}

} // namespace signalbox::ui
