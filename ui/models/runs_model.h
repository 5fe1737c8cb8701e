#pragma once
// The Runs table: one row per run, newest first (the server's order), loaded in keyset
// pages of 200 through Backend::fetchRuns as the view scrolls (canFetchMore/fetchMore).
// Filters go to SQL through RunQuery; a new filter drops whatever page is in flight.
// refresh() re-fetches the loaded range and keeps persistent indexes (the selection) on
// the same run ids.

#include "backend/backend_types.h"
#include "models/paged_loader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>

namespace signalbox::ui {

class Backend;

class RunsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsModel)
public:
    enum Column {
        StatusColumn,
        IdColumn,
        WorkflowColumn,
        StartedColumn,
        DurationColumn,
        ProgressColumn,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, StatusRole, WorkflowPathRole };
    static constexpr int pageSize = 200;

    explicit RunsModel(Backend& backend, QObject* parent = nullptr);

    // Filters (statuses, workflow, search): resets the rows and loads the first page.
    void setQuery(const RunQuery& query);
    RunQuery query() const { return m_query; }
    // Re-fetches the rows loaded so far (at least one page), e.g. after runChanged.
    void refresh();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Running runs' durations grow with the clock: repaints that column (no query).
    void tickRunning();

    const RunSummary& runAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString& runId) const; // -1 when not loaded
    bool isLoading() const { return m_pages.isLoading() || m_refreshTicket != 0; }

Q_SIGNALS:
    // A page or a refresh was applied (tests and the view's "loading" hint wait on it).
    void loaded();
    void errorOccurred(const QString& message);

private:
    void handleRunsFetched(Ticket ticket, const RunPage& page);
    void handleFailed(Ticket ticket, const QString& message);
    void appendPage(const QList<RunSummary>& runs);
    void replaceRows(const QList<RunSummary>& runs);
    QIcon statusIcon(RunStatus status) const;

    Backend& m_backend;
    RunQuery m_query;
    PagedLoader m_pages;
    Ticket m_refreshTicket = 0;
    QList<RunSummary> m_rows;
    mutable QHash<int, QIcon> m_icons;
};

// "12/30 (3 failed)": the progress column's text (shared with the run detail header).
QString runProgressText(const RunSummary& summary);
// "1h 02m", "3m 05s", "12s"
QString durationText(qint64 ms);
QString timeText(qint64 ms);

} // namespace signalbox::ui
