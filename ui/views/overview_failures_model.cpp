#include "views/overview_failures_model.h"

#include "widgets/status_colors.h"

#include <QDateTime>
#include <QLocale>

namespace signalbox::ui {

namespace {

// Today's failures by time only, older ones with the day: the column stays narrow.
QString shortTime(qint64 ms) {
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms);
    const QLocale locale;
    if (at.date() == QDate::currentDate())
        return locale.toString(at.time(), QStringLiteral("HH:mm"));
    return locale.toString(at, QStringLiteral("d MMM HH:mm"));
}

} // namespace

void OverviewFailuresModel::setFailures(const QList<FailureItem>& failures) {
    beginResetModel();
    m_failures = failures;
    endResetModel();
}

const FailureItem* OverviewFailuresModel::failureAt(int row) const {
    return row >= 0 && row < m_failures.size() ? &m_failures.at(row) : nullptr;
}

int OverviewFailuresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_failures.size());
}

int OverviewFailuresModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OverviewFailuresModel::data(const QModelIndex& index, int role) const {
    const FailureItem* failure = index.isValid() ? failureAt(index.row()) : nullptr;
    if (!failure)
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case When:
            return shortTime(failure->finishedAtMs);
        case Workflow:
            return failure->workflow;
        case Task:
            return failure->taskId;
        case Repo:
            return failure->repo;
        case Category:
            return toString(failure->category);
        case Error:
            return failure->error;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Error)
        return failure->error;
    if (role == Qt::ToolTipRole && index.column() == When)
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(failure->finishedAtMs), QLocale::LongFormat);
    if (role == Qt::DecorationRole && index.column() == When)
        return statusColor(InstanceStatus::Failed);
    return {};
}

QVariant OverviewFailuresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("Finished");
    case Workflow:
        return tr("Workflow");
    case Task:
        return tr("Task");
    case Repo:
        return tr("Repository");
    case Category:
        return tr("Category");
    case Error:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace signalbox::ui
