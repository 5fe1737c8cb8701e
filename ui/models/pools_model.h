#pragma once
// The engine's worker pools (Backend::fetchPools) as a table. A handful of rows: the
// whole list is replaced on each answer, keeping rows in place when the names match so
// the selection survives a refresh.

#include "backend/backend_types.h"

#include <QAbstractTableModel>

namespace signalbox::ui {

class Backend;

class PoolsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PoolsModel)
public:
    enum Column { NameColumn, KindColumn, WorkersColumn, BusyColumn, QueuedColumn, HealthColumn,
                  CircuitColumn, StateColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit PoolsModel(Backend& backend, QObject* parent = nullptr);

    void refresh();
    const QList<PoolInfo>& pools() const { return m_pools; }
    const PoolInfo* pool(int row) const { return row >= 0 && row < m_pools.size() ? &m_pools[row] : nullptr; }
    int rowOf(const QString& name) const;

    static QString healthText(PoolHealth health);
    static QColor healthColor(PoolHealth health);
    static QString stateText(const PoolInfo& pool);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void refreshed();
    void loadFailed(const QString& message);

private:
    void onFetched(Ticket ticket, const QList<PoolInfo>& pools);

    Backend& m_backend;
    QList<PoolInfo> m_pools;
    Ticket m_ticket = 0;
};

} // namespace signalbox::ui
