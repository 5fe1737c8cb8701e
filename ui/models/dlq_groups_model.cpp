#include "models/dlq_groups_model.h"

#include "models/dlq_format.h"

namespace signalbox::ui {

namespace {
constexpr int kGroupLimit = 500;
} // namespace

DlqGroupsModel::DlqGroupsModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::dlqGroupsFetched, this, &DlqGroupsModel::handleFetched);
    connect(&m_backend, &Backend::failed, this, &DlqGroupsModel::handleFailed);
}

int DlqGroupsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DlqGroupsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DlqGroupsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const dlq::DlqGroup& group = m_rows.at(index.row());
    if (role == SignatureRole)
        return group.signature;
    if (role == Qt::ToolTipRole && index.column() == SampleError)
        return group.sampleError;
    if (role == Qt::TextAlignmentRole && index.column() == Count)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Signature:
        return group.signature;
    case Task:
        return group.taskId;
    case Count:
        return dlqformat::count(group.count);
    case SampleError:
        return group.sampleError.section(QLatin1Char('\n'), 0, 0);
    case Newest:
        return dlqformat::timestamp(group.newestEnqueuedAtMs);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DlqGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Signature:
        return tr("Signature");
    case Task:
        return tr("Task");
    case Count:
        return tr("Count");
    case SampleError:
        return tr("Sample error");
    case Newest:
        return tr("Newest");
    case ColumnCount:
        break;
    }
    return {};
}

void DlqGroupsModel::setFilter(const dlq::DlqFilter& filter) {
    m_filter = filter;
    m_filter.signature.clear();
    reload();
}

void DlqGroupsModel::reload() {
    dlq::DlqGroupRequest request;
    request.limit = kGroupLimit;
    request.sampleKeys = 1;
    m_pending = m_backend.fetchDlqGroups(m_filter, request);
}

int DlqGroupsModel::rowOfSignature(const QString& signature) const {
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).signature == signature)
            return row;
    }
    return -1;
}

void DlqGroupsModel::handleFetched(Ticket ticket, const QList<dlq::DlqGroup>& groups) {
    if (ticket == 0 || ticket != m_pending)
        return;
    m_pending = 0;
    beginResetModel();
    m_rows = groups;
    endResetModel();
    Q_EMIT rowsLoaded();
}

void DlqGroupsModel::handleFailed(Ticket ticket, const QString& message) {
    if (ticket == 0 || ticket != m_pending)
        return;
    m_pending = 0;
    Q_EMIT loadFailed(message);
}

} // namespace signalbox::ui
