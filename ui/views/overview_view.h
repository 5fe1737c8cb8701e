#pragma once
// The Overview: what is running, how the last 24 hours went, the dead letter queue and
// the pools at a glance (stat tiles), three charts (tasks finished per minute, failure
// rate, DLQ depth) and the latest failures, each a link to its instance.
//
// One Backend::fetchOverview answers it all. It is asked on open, after run and dead
// letter changes (coalesced: at most every 2 s) and every 60 s (the window slides), the
// last two only while the view is shown; a hidden view catches up when activated.

#include "backend/backend_types.h"
#include "views/view.h"

#include <QElapsedTimer>

class QAction;
class QSplitter;
class QTimer;
class QTreeView;

namespace signalbox::ui {

class Coalescer;
class OverviewFailuresModel;
class StatTile;
class TimeSeriesChart;

class OverviewView final : public View {
    Q_OBJECT
public:
    explicit OverviewView(Backend& backend, QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("overview"); }
    QString title() const override { return tr("Overview"); }

    QList<QAction*> paletteActions() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void activated() override;

    // Asks the backend now (F5), or right after the answer to a request still in flight.
    void refresh();
    // The latest answer shown (nowMs 0 = none yet).
    const Overview& overview() const { return m_overview; }

private:
    void refreshIfShown();
    void askAgainIfWanted();
    void buildTiles(QWidget* parent);
    void showOverview(Ticket ticket, const Overview& overview);
    void showTiles(const Overview& overview);
    void showCharts(const Overview& overview);
    void openFailure(int row);

    Coalescer* m_changes = nullptr;
    QTimer* m_periodic = nullptr;
    Ticket m_ticket = 0;
    Overview m_overview;

    StatTile* m_running = nullptr;
    StatTile* m_runs = nullptr;
    StatTile* m_deadLetters = nullptr;
    StatTile* m_pools = nullptr;
    TimeSeriesChart* m_tasksChart = nullptr;
    TimeSeriesChart* m_failureChart = nullptr;
    TimeSeriesChart* m_dlqChart = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_chartSplitter = nullptr;
    QTreeView* m_failures = nullptr;
    OverviewFailuresModel* m_failuresModel = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_latestFailureAction = nullptr;
    bool m_columnsFitted = false;
    bool m_stale = false;     // a change arrived while hidden
    bool m_askAgain = false;  // refresh asked while a request was in flight
    QElapsedTimer m_answered; // since the latest answer
};

} // namespace signalbox::ui
