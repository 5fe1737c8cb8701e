#include "models/runs_model.h"

#include "backend/backend.h"
#include "widgets/status_colors.h"

#include <QDateTime>
#include <QPainter>
#include <QPixmap>

namespace signalbox::ui {

QString durationText(qint64 ms) {
    if (ms <= 0)
        return {};
    const qint64 seconds = ms / 1000;
    if (seconds < 1)
        return QObject::tr("%1 ms").arg(ms);
    if (seconds < 60)
        return QObject::tr("%1s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1m %2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QObject::tr("%1h %2m").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString timeText(qint64 ms) {
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString runProgressText(const RunSummary& summary) {
    QString text = QStringLiteral("%1/%2").arg(summary.finished).arg(summary.total);
    if (summary.failed > 0)
        text += QLatin1Char(' ') + QObject::tr("(%1 failed)").arg(summary.failed);
    return text;
}

RunsModel::RunsModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    m_query.limit = pageSize;
    connect(&m_backend, &Backend::runsFetched, this, &RunsModel::handleRunsFetched);
    connect(&m_backend, &Backend::failed, this, &RunsModel::handleFailed);
}

void RunsModel::setQuery(const RunQuery& query) {
    beginResetModel();
    m_query = query;
    m_query.afterCreatedAtMs = 0;
    m_query.afterId.clear();
    m_query.limit = pageSize;
    m_rows.clear();
    m_pages.reset();
    m_refreshTicket = 0; // an answer for the old filter must not land in the new one
    endResetModel();
    fetchMore({});
}

void RunsModel::refresh() {
    if (m_pages.isLoading() && m_rows.isEmpty())
        return; // the first page is on its way and will be fresh
    RunQuery query = m_query;
    query.afterCreatedAtMs = 0;
    query.afterId.clear();
    query.limit = qMax(pageSize, int(m_rows.size()));
    // The refresh covers every loaded row: a page in flight would append after a stale
    // last row, so it is dropped and asked again once the refresh is in.
    m_pages.reset();
    m_refreshTicket = m_backend.fetchRuns(query);
}

int RunsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QIcon RunsModel::statusIcon(RunStatus status) const {
    const int key = int(status);
    auto it = m_icons.constFind(key);
    if (it != m_icons.constEnd())
        return *it;
    QPixmap dot(12, 12);
    dot.fill(Qt::transparent);
    QPainter painter(&dot);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(statusColor(status));
    painter.drawEllipse(1, 1, 10, 10);
    painter.end();
    return *m_icons.insert(key, QIcon(dot));
}

QVariant RunsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunSummary& summary = m_rows.at(index.row());
    const RunRecord& run = summary.run;
    switch (role) {
    case RunIdRole:
        return run.id;
    case StatusRole:
        return int(run.status);
    case WorkflowPathRole:
        return run.workflowPath;
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return statusIcon(run.status);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == WorkflowColumn)
            return run.workflowPath;
        return {};
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case StatusColumn:
            return toString(run.status);
        case IdColumn:
            return run.id;
        case WorkflowColumn:
            return run.workflow;
        case StartedColumn:
            return timeText(run.startedAtMs > 0 ? run.startedAtMs : run.createdAtMs);
        case DurationColumn: {
            if (run.startedAtMs <= 0)
                return QString();
            const qint64 end = run.finishedAtMs > 0 ? run.finishedAtMs : QDateTime::currentMSecsSinceEpoch();
            return durationText(end - run.startedAtMs);
        }
        case ProgressColumn:
            return runProgressText(summary);
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case StatusColumn:
        return tr("Status");
    case IdColumn:
        return tr("Run");
    case WorkflowColumn:
        return tr("Workflow");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ProgressColumn:
        return tr("Progress");
    case ColumnCount:
        break;
    }
    return {};
}

bool RunsModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_refreshTicket == 0 && m_pages.canFetchMore();
}

void RunsModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent))
        return;
    RunQuery query = m_query;
    if (!m_rows.isEmpty()) {
        query.afterCreatedAtMs = m_rows.constLast().run.createdAtMs;
        query.afterId = m_rows.constLast().run.id;
    }
    m_pages.request([this, &query] { return m_backend.fetchRuns(query); });
}

void RunsModel::tickRunning() {
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).run.status == RunStatus::Running) {
            first = first < 0 ? row : first;
            last = row;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, DurationColumn), index(last, DurationColumn), {Qt::DisplayRole});
}

int RunsModel::rowOf(const QString& runId) const {
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).run.id == runId)
            return row;
    }
    return -1;
}

void RunsModel::handleRunsFetched(Ticket ticket, const RunPage& page) {
    // Rows go in while the ticket still counts as in flight: views and the model tester
    // call fetchMore from inside beginInsertRows, and must not ask for this page again.
    if (ticket != 0 && ticket == m_refreshTicket) {
        replaceRows(page.runs);
        m_pages.setLoaded(page.more);
        m_refreshTicket = 0;
        Q_EMIT loaded();
        return;
    }
    if (!m_pages.isPending(ticket))
        return; // stale: an older filter, or a page a refresh replaced
    appendPage(page.runs);
    m_pages.accept(ticket, page.more);
    Q_EMIT loaded();
}

void RunsModel::handleFailed(Ticket ticket, const QString& message) {
    if (ticket != 0 && ticket == m_refreshTicket) {
        m_refreshTicket = 0;
        Q_EMIT errorOccurred(message);
        return;
    }
    if (m_pages.fail(ticket))
        Q_EMIT errorOccurred(message);
}

void RunsModel::appendPage(const QList<RunSummary>& runs) {
    if (runs.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + runs.size() - 1));
    m_rows.append(runs);
    endInsertRows();
}

void RunsModel::replaceRows(const QList<RunSummary>& runs) {
    // Row count first (removals at the end or insertions at the end), then a layout
    // change that moves persistent indexes (the view's selection) to the same run ids.
    const int oldCount = int(m_rows.size());
    const int newCount = int(runs.size());
    if (newCount < oldCount) {
        beginRemoveRows({}, newCount, oldCount - 1);
        m_rows.resize(newCount);
        endRemoveRows();
    } else if (newCount > oldCount) {
        beginInsertRows({}, oldCount, newCount - 1);
        m_rows.append(runs.mid(oldCount));
        endInsertRows();
    }
    if (newCount == 0)
        return;

    Q_EMIT layoutAboutToBeChanged();
    QHash<QString, int> newRowOf;
    newRowOf.reserve(newCount);
    for (int row = 0; row < newCount; ++row)
        newRowOf.insert(runs.at(row).run.id, row);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before) {
        const auto it = newRowOf.constFind(m_rows.at(index.row()).run.id);
        after.append(it == newRowOf.constEnd() ? QModelIndex() : createIndex(*it, index.column()));
    }
    m_rows = runs;
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
    Q_EMIT dataChanged(index(0, 0), index(newCount - 1, ColumnCount - 1));
}

} // namespace signalbox::ui
