#include "models/repositories_model.h"

#include "backend/backend.h"
#include "widgets/status_colors.h"

#include <QDateTime>
#include <QLocale>

namespace signalbox::ui {

RepositoriesModel::RepositoriesModel(Backend& backend, QObject* parent)
    : QAbstractTableModel(parent)
    , m_backend(backend) {
    connect(&m_backend, &Backend::repositoriesFetched, this, &RepositoriesModel::onFetched);
    connect(&m_backend, &Backend::failed, this, [this](Ticket ticket, const QString& message) {
        if (ticket != m_ticket)
            return;
        m_ticket = 0;
        Q_EMIT loadFailed(message);
    });
}

void RepositoriesModel::refresh() { m_ticket = m_backend.fetchRepositories(); }

void RepositoriesModel::onFetched(Ticket ticket, const QList<RepoSummary>& repos) {
    if (ticket != m_ticket)
        return;
    m_ticket = 0;
    m_all = repos;
    applyFilter();
    Q_EMIT refreshed();
}

void RepositoriesModel::setTagFilter(const QString& tag) {
    if (tag == m_tag)
        return;
    m_tag = tag;
    applyFilter();
}

void RepositoriesModel::applyFilter() {
    QList<RepoSummary> shown;
    for (const RepoSummary& summary : std::as_const(m_all)) {
        if (m_tag.isEmpty() || summary.repo.tags.contains(m_tag))
            shown.append(summary);
    }
    bool sameNames = shown.size() == m_shown.size();
    for (int row = 0; sameNames && row < shown.size(); ++row)
        sameNames = shown[row].repo.name == m_shown[row].repo.name;
    if (sameNames) {
        m_shown = shown;
        if (!m_shown.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_shown = shown;
    endResetModel();
}

QStringList RepositoriesModel::allTags() const {
    QStringList tags;
    for (const RepoSummary& summary : m_all)
        tags += summary.repo.tags;
    tags.removeDuplicates();
    tags.sort(Qt::CaseInsensitive);
    return tags;
}

int RepositoriesModel::rowOf(const QString& name) const {
    for (int row = 0; row < m_shown.size(); ++row) {
        if (m_shown[row].repo.name == name)
            return row;
    }
    return -1;
}

int RepositoriesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_shown.size());
}

int RepositoriesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RepositoriesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RepoSummary& s = m_shown.at(index.row());
    if (role == NameRole)
        return s.repo.name;
    if (index.column() == ResultColumn && s.hasResult) {
        if (role == Qt::BackgroundRole)
            return statusColor(s.lastStatus);
        if (role == Qt::ForegroundRole)
            return textOn(statusColor(s.lastStatus));
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == PathColumn)
            return s.repo.path;
        if (index.column() == NameColumn && !s.repo.description.isEmpty())
            return s.repo.description;
        if ((index.column() == ResultColumn || index.column() == RunColumn) && s.hasResult)
            return tr("Double-click to open the instance");
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return s.repo.name;
    case PathColumn: return s.repo.path;
    case TagsColumn: return s.repo.tags.join(QStringLiteral(", "));
    case RoleColumn: return s.repo.role;
    case ResultColumn: return s.hasResult ? toString(s.lastStatus) : tr("never run");
    case WhenColumn:
        if (!s.hasResult || s.lastFinishedAtMs <= 0)
            return {};
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(s.lastFinishedAtMs), QLocale::ShortFormat);
    case RunColumn:
        if (!s.hasResult)
            return {};
        return QString(s.lastRunId + QStringLiteral(" · ") + s.lastTaskId);
    default: return {};
    }
}

QVariant RepositoriesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case PathColumn: return tr("Path");
    case TagsColumn: return tr("Tags");
    case RoleColumn: return tr("Role");
    case ResultColumn: return tr("Last result");
    case WhenColumn: return tr("When");
    case RunColumn: return tr("Run");
    default: return {};
    }
}

} // namespace signalbox::ui
