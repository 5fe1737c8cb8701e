#include "models/attempts_model.h"

#include "models/runs_model.h"

namespace signalbox::ui {

AttemptsModel::AttemptsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void AttemptsModel::setAttempts(const QList<AttemptRecord>& attempts) {
    beginResetModel();
    m_attempts = attempts;
    endResetModel();
}

int AttemptsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_attempts.size());
}

int AttemptsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttemptsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AttemptRecord& attempt = m_attempts.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == ErrorColumn)
        return attempt.error;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case AttemptColumn:
        return attempt.attempt;
    case StartedColumn:
        return timeText(attempt.startedAtMs);
    case DurationColumn:
        return attempt.finishedAtMs > attempt.startedAtMs
                   ? durationText(attempt.finishedAtMs - attempt.startedAtMs)
                   : QString();
    case ExitColumn:
        if (attempt.exitCode)
            return *attempt.exitCode;
        if (attempt.signal)
            return tr("signal %1").arg(*attempt.signal);
        return {};
    case CategoryColumn:
        return toString(attempt.category);
    case ErrorColumn:
        return attempt.error;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AttemptsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case AttemptColumn:
        return tr("Attempt");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ExitColumn:
        return tr("Exit");
    case CategoryColumn:
        return tr("Category");
    case ErrorColumn:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace signalbox::ui
