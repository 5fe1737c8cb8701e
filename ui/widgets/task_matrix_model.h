#pragma once
// The task x repo matrix of a run: rows are tasks (file order), columns repos (first
// appearance order; tasks without for_each share one column). A cell is the instance
// of that task on that repo, colored by its status (status_colors.h).

#include "domain/records.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

namespace signalbox::ui {

class TaskMatrixModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskMatrixModel)
public:
    enum Role { InstanceIndexRole = Qt::UserRole + 1 }; // -1 = no instance in that cell

    explicit TaskMatrixModel(QObject* parent = nullptr);

    void setInstances(const QStringList& taskOrder, const QList<InstanceRecord>& instances);
    QModelIndex indexOfInstance(int instanceIndex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static QString cellKey(int row, int column) {
        return QString::number(row) + QLatin1Char(':') + QString::number(column);
    }

    QStringList m_tasks;
    QStringList m_repos;                    // "" = the column of tasks without a repo
    QHash<QString, InstanceRecord> m_cells; // "row:column" -> instance
};

} // namespace signalbox::ui
