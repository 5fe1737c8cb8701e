#pragma once
// The Overview's "latest failures": a short list (newest first) of failed instances,
// replaced as a whole on every refresh.

#include "backend/backend_types.h"

#include <QAbstractTableModel>

namespace signalbox::ui {

class OverviewFailuresModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewFailuresModel)
public:
    enum Column { When, Workflow, Task, Repo, Category, Error, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setFailures(const QList<FailureItem>& failures);
    const FailureItem* failureAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<FailureItem> m_failures;
};

} // namespace signalbox::ui
