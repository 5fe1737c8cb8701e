#pragma once
// The instances of one run (from a RunDetail the run detail fetched): index, task, repo,
// status, attempts, times, exit code, error, then one column per metric name any
// instance reported (the run detail's Metrics pane shows task, repo and those).
// A run has at most a few thousand instances: they arrive whole with the detail.

#include "domain/records.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace signalbox::ui {

class InstancesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InstancesModel)
public:
    enum Column {
        IndexColumn,
        TaskColumn,
        RepoColumn,
        StatusColumn,
        AttemptsColumn,
        StartedColumn,
        DurationColumn,
        ExitColumn,
        ErrorColumn,
        FixedColumnCount
    };
    enum Role { InstanceIndexRole = Qt::UserRole + 1, StatusRole };

    explicit InstancesModel(QObject* parent = nullptr);

    // Replaces the instances; keeps persistent indexes on the same instance index when
    // the run is the same (a refresh), resets otherwise.
    void setInstances(const QList<InstanceRecord>& instances);
    const QList<InstanceRecord>& instances() const { return m_instances; }
    const InstanceRecord* instance(int index) const; // by instance index; nullptr if absent
    int rowOf(int instanceIndex) const;
    const QStringList& metricNames() const { return m_metricNames; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static QStringList metricNamesOf(const QList<InstanceRecord>& instances);

    QList<InstanceRecord> m_instances;
    QStringList m_metricNames;
};

} // namespace signalbox::ui
