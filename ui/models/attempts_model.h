#pragma once
// The attempts of one instance (Backend::fetchAttempts): in-run retries make several.

#include "domain/records.h"

#include <QAbstractTableModel>

namespace signalbox::ui {

class AttemptsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptsModel)
public:
    enum Column {
        AttemptColumn,
        StartedColumn,
        DurationColumn,
        ExitColumn,
        CategoryColumn,
        ErrorColumn,
        ColumnCount
    };

    explicit AttemptsModel(QObject* parent = nullptr);

    void setAttempts(const QList<AttemptRecord>& attempts);
    void clear() { setAttempts({}); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AttemptRecord> m_attempts;
};

} // namespace signalbox::ui
