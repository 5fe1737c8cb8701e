#include "widgets/task_matrix_model.h"

#include "widgets/status_colors.h"

namespace signalbox::ui {

TaskMatrixModel::TaskMatrixModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void TaskMatrixModel::setInstances(const QStringList& taskOrder, const QList<InstanceRecord>& instances) {
    QStringList tasks = taskOrder;
    QStringList repos;
    for (const InstanceRecord& instance : instances) {
        if (!tasks.contains(instance.taskId))
            tasks.append(instance.taskId);
        if (!repos.contains(instance.repo))
            repos.append(instance.repo);
    }
    QHash<QString, InstanceRecord> cells;
    for (const InstanceRecord& instance : instances)
        cells.insert(cellKey(int(tasks.indexOf(instance.taskId)), int(repos.indexOf(instance.repo))),
                     instance);

    if (tasks == m_tasks && repos == m_repos) {
        m_cells = cells;
        if (!m_tasks.isEmpty() && !m_repos.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_tasks = tasks;
    m_repos = repos;
    m_cells = cells;
    endResetModel();
}

QModelIndex TaskMatrixModel::indexOfInstance(int instanceIndex) const {
    for (auto it = m_cells.constBegin(); it != m_cells.constEnd(); ++it) {
        if (it->index == instanceIndex)
            return index(int(m_tasks.indexOf(it->taskId)), int(m_repos.indexOf(it->repo)));
    }
    return {};
}

int TaskMatrixModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int TaskMatrixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_repos.size());
}

QVariant TaskMatrixModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto it = m_cells.constFind(cellKey(index.row(), index.column()));
    if (it == m_cells.constEnd())
        return role == InstanceIndexRole ? QVariant(-1) : QVariant();
    const InstanceRecord& instance = *it;
    switch (role) {
    case InstanceIndexRole:
        return instance.index;
    case Qt::DisplayRole:
        return toString(instance.status);
    case Qt::BackgroundRole:
        return statusColor(instance.status);
    case Qt::ForegroundRole:
        return textOn(statusColor(instance.status));
    case Qt::TextAlignmentRole:
        return Qt::AlignCenter;
    case Qt::ToolTipRole: {
        QString tip = instance.taskId;
        if (!instance.repo.isEmpty())
            tip += QStringLiteral(" @ ") + instance.repo;
        tip += QStringLiteral(": ") + toString(instance.status);
        if (!instance.error.isEmpty())
            tip += QLatin1Char('\n') + instance.error;
        return tip;
    }
    default:
        return {};
    }
}

QVariant TaskMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Vertical)
        return section < m_tasks.size() ? QVariant(m_tasks.at(section)) : QVariant();
    if (section >= m_repos.size())
        return {};
    return m_repos.at(section).isEmpty() ? tr("(no repo)") : m_repos.at(section);
}

} // namespace signalbox::ui
