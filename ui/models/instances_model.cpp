#include "models/instances_model.h"

#include "models/runs_model.h"
#include "widgets/status_colors.h"

#include <QSet>

namespace signalbox::ui {

InstancesModel::InstancesModel(QObject* parent)
    : QAbstractTableModel(parent) {}

QStringList InstancesModel::metricNamesOf(const QList<InstanceRecord>& instances) {
    QSet<QString> names;
    for (const InstanceRecord& instance : instances) {
        for (auto it = instance.metrics.constBegin(); it != instance.metrics.constEnd(); ++it)
            names.insert(it.key());
    }
    QStringList sorted(names.cbegin(), names.cend());
    sorted.sort();
    return sorted;
}

void InstancesModel::setInstances(const QList<InstanceRecord>& instances) {
    const QStringList metricNames = metricNamesOf(instances);
    const bool sameShape = !m_instances.isEmpty() && instances.size() == m_instances.size() &&
                           instances.constFirst().runId == m_instances.constFirst().runId &&
                           metricNames == m_metricNames;
    if (!sameShape) {
        beginResetModel();
        m_instances = instances;
        m_metricNames = metricNames;
        endResetModel();
        return;
    }
    // Same run, same plan: only values changed (the plan of a run is fixed at creation).
    m_instances = instances;
    if (!m_instances.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

const InstanceRecord* InstancesModel::instance(int index) const {
    const int row = rowOf(index);
    return row < 0 ? nullptr : &m_instances.at(row);
}

int InstancesModel::rowOf(int instanceIndex) const {
    // Instances come by index, usually 0..n-1: try the direct hit first.
    if (instanceIndex >= 0 && instanceIndex < m_instances.size() &&
        m_instances.at(instanceIndex).index == instanceIndex)
        return instanceIndex;
    for (int row = 0; row < m_instances.size(); ++row) {
        if (m_instances.at(row).index == instanceIndex)
            return row;
    }
    return -1;
}

int InstancesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_instances.size());
}

int InstancesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FixedColumnCount + int(m_metricNames.size());
}

QVariant InstancesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const InstanceRecord& instance = m_instances.at(index.row());
    const int column = index.column();
    switch (role) {
    case InstanceIndexRole:
        return instance.index;
    case StatusRole:
        return int(instance.status);
    case Qt::ForegroundRole:
        if (column == StatusColumn)
            return statusColor(instance.status);
        return {};
    case Qt::ToolTipRole:
        if (column == ErrorColumn || column == StatusColumn)
            return instance.error;
        if (column == RepoColumn)
            return instance.repoPath;
        return {};
    case Qt::TextAlignmentRole:
        if (column == IndexColumn || column == AttemptsColumn || column == ExitColumn ||
            column >= FixedColumnCount)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        if (column >= FixedColumnCount) {
            const auto it = instance.metrics.constFind(m_metricNames.at(column - FixedColumnCount));
            return it == instance.metrics.constEnd() ? QVariant() : QVariant(*it);
        }
        switch (Column(column)) {
        case IndexColumn:
            return instance.index;
        case TaskColumn:
            return instance.taskId;
        case RepoColumn:
            return instance.repo;
        case StatusColumn:
            return toString(instance.status);
        case AttemptsColumn:
            return instance.attempts;
        case StartedColumn:
            return timeText(instance.startedAtMs);
        case DurationColumn:
            return durationText(instance.durationMs());
        case ExitColumn:
            if (instance.exitCode)
                return *instance.exitCode;
            if (instance.signal)
                return tr("signal %1").arg(*instance.signal);
            return {};
        case ErrorColumn:
            return instance.error;
        case FixedColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant InstancesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section >= FixedColumnCount)
        return section - FixedColumnCount < m_metricNames.size()
                   ? QVariant(m_metricNames.at(section - FixedColumnCount))
                   : QVariant();
    switch (Column(section)) {
    case IndexColumn:
        return tr("#");
    case TaskColumn:
        return tr("Task");
    case RepoColumn:
        return tr("Repo");
    case StatusColumn:
        return tr("Status");
    case AttemptsColumn:
        return tr("Attempts");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ExitColumn:
        return tr("Exit");
    case ErrorColumn:
        return tr("Error");
    case FixedColumnCount:
        break;
    }
    return {};
}

} // namespace signalbox::ui
