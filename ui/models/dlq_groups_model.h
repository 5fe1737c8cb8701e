#pragma once
// Dead letters grouped by error signature ("the same problem"): Backend::fetchDlqGroups,
// largest group first. A few hundred groups at most, so one request, no paging; the
// answer to the latest request replaces the rows.

#include "backend/backend.h"

#include <QAbstractTableModel>
#include <QList>

namespace signalbox::ui {

class DlqGroupsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DlqGroupsModel)
public:
    enum Column { Signature, Task, Count, SampleError, Newest, ColumnCount };
    enum Role { SignatureRole = Qt::UserRole + 1 };

    explicit DlqGroupsModel(Backend& backend, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The groups of the entries matching `filter` (its signature is ignored: the groups
    // are what one picks a signature from).
    void setFilter(const dlq::DlqFilter& filter);
    void reload();
    const dlq::DlqGroup& groupAt(int row) const { return m_rows.at(row); }
    int rowOfSignature(const QString& signature) const; // -1 when absent
    bool isLoading() const { return m_pending != 0; }

Q_SIGNALS:
    void rowsLoaded();
    void loadFailed(const QString& message);

private:
    void handleFetched(Ticket ticket, const QList<dlq::DlqGroup>& groups);
    void handleFailed(Ticket ticket, const QString& message);

    Backend& m_backend;
    dlq::DlqFilter m_filter;
    QList<dlq::DlqGroup> m_rows;
    Ticket m_pending = 0;
};

} // namespace signalbox::ui
