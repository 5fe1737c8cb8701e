#include "models/dlq_entries_model.h"

#include "models/dlq_format.h"
#include "widgets/status_colors.h"

#include <QDateTime>
#include <algorithm>

namespace signalbox::ui {

namespace {
// The store's own cap on one page (DlqPageRequest::limit 1..10000).
constexpr int kMaxPage = 10000;
} // namespace

DlqEntriesModel::DlqEntriesModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::deadLettersFetched, this, &DlqEntriesModel::handleFetched);
    connect(&m_backend, &Backend::failed, this, &DlqEntriesModel::handleFailed);
    m_clock.setInterval(30'000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, NextRetry), index(rowCount() - 1, NextRetry), {Qt::DisplayRole});
    });
    m_clock.start();
}

int DlqEntriesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DlqEntriesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DlqEntriesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const dlq::DeadLetter& entry = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return entry.key;
    case StatusRole:
        return int(entry.status);
    case Qt::DecorationRole:
        if (index.column() == Status)
            return statusColor(entry.status);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Attempts)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Error)
            return entry.error;
        if (index.column() == NextRetry && entry.nextRetryAtMs)
            return dlqformat::timestamp(*entry.nextRetryAtMs);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case Id:
        return entry.id();
    case Status:
        return dlq::toString(entry.status);
    case Category:
        return toString(entry.category);
    case Workflow:
        return entry.workflow;
    case Task:
        return entry.taskId;
    case Repo:
        return entry.repo;
    case Attempts:
        return dlqformat::attempts(entry);
    case NextRetry:
        return dlqformat::nextRetry(entry, QDateTime::currentMSecsSinceEpoch());
    case Error:
        return entry.error.section(QLatin1Char('\n'), 0, 0);
    case Enqueued:
        return dlqformat::timestamp(entry.enqueuedAtMs);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant DlqEntriesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id:
        return tr("Id");
    case Status:
        return tr("Status");
    case Category:
        return tr("Category");
    case Workflow:
        return tr("Workflow");
    case Task:
        return tr("Task");
    case Repo:
        return tr("Repo");
    case Attempts:
        return tr("Retries");
    case NextRetry:
        return tr("Next retry");
    case Error:
        return tr("Error");
    case Enqueued:
        return tr("Enqueued");
    case ColumnCount:
        break;
    }
    return {};
}

bool DlqEntriesModel::canFetchMore(const QModelIndex& parent) const {
    // While a first page or a reload is in flight the rows are about to be replaced:
    // a page after them would belong to the old answer.
    return !parent.isValid() && m_more && m_pending == 0;
}

void DlqEntriesModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent) || m_rows.isEmpty())
        return;
    request(m_pageSize, m_rows.last(), false);
}

std::optional<dlq::DlqSortKey> DlqEntriesModel::sortKeyFor(int column) {
    switch (Column(column)) {
    case Id:
    case Enqueued:
        return dlq::DlqSortKey::Enqueued;
    case Status:
        return dlq::DlqSortKey::Status;
    case Category:
        return dlq::DlqSortKey::Category;
    case Workflow:
        return dlq::DlqSortKey::Workflow;
    case Task:
        return dlq::DlqSortKey::Task;
    case Repo:
        return dlq::DlqSortKey::Repo;
    case Attempts:
        return dlq::DlqSortKey::Attempts;
    case NextRetry:
        return dlq::DlqSortKey::NextRetry;
    case Error:
    case ColumnCount:
        break;
    }
    return std::nullopt;
}

int DlqEntriesModel::columnForSortKey(dlq::DlqSortKey key) {
    for (int column = Id + 1; column < ColumnCount; ++column) {
        if (sortKeyFor(column) == key)
            return column;
    }
    return Enqueued;
}

void DlqEntriesModel::sort(int column, Qt::SortOrder order) {
    const std::optional<dlq::DlqSortKey> key = sortKeyFor(column);
    if (!key)
        return;
    const dlq::DlqSort wanted{*key, order == Qt::DescendingOrder};
    if (wanted.key == m_sort.key && wanted.descending == m_sort.descending)
        return;
    m_sort = wanted;
    request(m_pageSize, std::nullopt, true);
}

void DlqEntriesModel::setFilter(const dlq::DlqFilter& filter) {
    m_filter = filter;
    request(m_pageSize, std::nullopt, true);
}

void DlqEntriesModel::reload() {
    const int loaded = std::clamp(int(m_rows.size()), m_pageSize, kMaxPage);
    request(loaded, std::nullopt, true);
}

int DlqEntriesModel::rowOfKey(qint64 key) const {
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).key == key)
            return row;
    }
    return -1;
}

void DlqEntriesModel::request(int limit, std::optional<dlq::DeadLetter> after, bool replace) {
    dlq::DlqPageRequest page;
    page.sort = m_sort;
    page.after = std::move(after);
    page.limit = std::clamp(limit, 1, kMaxPage);
    m_requested = page.limit;
    m_replace = replace;
    // A new ticket makes any answer still on its way stale.
    m_pending = m_backend.fetchDeadLetters(m_filter, page);
}

void DlqEntriesModel::handleFetched(Ticket ticket, const QList<dlq::DeadLetter>& entries) {
    if (ticket == 0 || ticket != m_pending)
        return;
    m_pending = 0;
    // No fetchMore while the rows change: a view (or the model tester) reacting to
    // rowsAboutToBeInserted would ask for the page after the old last row again.
    m_more = false;
    const bool more = entries.size() >= m_requested;
    if (!m_replace) {
        if (!entries.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + entries.size() - 1));
            m_rows.append(entries);
            endInsertRows();
        }
        m_more = more;
        Q_EMIT rowsLoaded();
        return;
    }
    // Replace in place rather than reset, so the view keeps its scroll position while
    // change events reload what it shows.
    const int oldCount = int(m_rows.size());
    const int newCount = int(entries.size());
    const int common = std::min(oldCount, newCount);
    if (newCount < oldCount) {
        beginRemoveRows({}, newCount, oldCount - 1);
        m_rows.resize(newCount);
        endRemoveRows();
    }
    for (int row = 0; row < common; ++row)
        m_rows[row] = entries.at(row);
    if (common > 0)
        Q_EMIT dataChanged(index(0, 0), index(common - 1, ColumnCount - 1));
    if (newCount > oldCount) {
        beginInsertRows({}, oldCount, newCount - 1);
        m_rows.append(entries.mid(oldCount));
        endInsertRows();
    }
    m_more = more;
    Q_EMIT rowsLoaded();
}

void DlqEntriesModel::handleFailed(Ticket ticket, const QString& message) {
    if (ticket == 0 || ticket != m_pending)
        return;
    m_pending = 0;
    Q_EMIT loadFailed(message);
}

} // namespace signalbox::ui
