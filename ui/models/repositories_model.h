#pragma once
// The repository catalog (Backend::fetchRepositories) with each repo's last result.
// The catalog is small (tens to a few thousand repos) and fetchRepositories takes no
// filter, so the tag filter is applied here.

#include "backend/backend_types.h"

#include <QAbstractTableModel>

namespace signalbox::ui {

class Backend;

class RepositoriesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RepositoriesModel)
public:
    enum Column { NameColumn, PathColumn, TagsColumn, RoleColumn, ResultColumn, WhenColumn, RunColumn,
                  ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit RepositoriesModel(Backend& backend, QObject* parent = nullptr);

    void refresh();
    // Shows only repos carrying `tag` (empty = all).
    void setTagFilter(const QString& tag);
    QString tagFilter() const { return m_tag; }
    // Every tag of the catalog, sorted (for the filter's choices).
    QStringList allTags() const;

    const RepoSummary* repo(int row) const { return row >= 0 && row < m_shown.size() ? &m_shown[row] : nullptr; }
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void refreshed();
    void loadFailed(const QString& message);

private:
    void onFetched(Ticket ticket, const QList<RepoSummary>& repos);
    void applyFilter();

    Backend& m_backend;
    QList<RepoSummary> m_all;
    QList<RepoSummary> m_shown;
    QString m_tag;
    Ticket m_ticket = 0;
};

} // namespace signalbox::ui
