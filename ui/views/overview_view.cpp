#include "views/overview_view.h"

#include "backend/backend.h"
#include "backend/coalescer.h"
#include "charts/time_series_chart.h"
#include "views/links.h"
#include "views/overview_failures_model.h"
#include "widgets/stat_tile.h"
#include "widgets/status_colors.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace signalbox::ui {

namespace {

constexpr qint64 kBucketMs = 10 * 60 * 1000; // 144 points per day: readable, still detailed
constexpr int kChangeCoalesceMs = 2000;
constexpr int kPeriodicMs = 60 * 1000;
constexpr int kLatestFailures = 10;
constexpr qint64 kFreshMs = 10'000;

QString percent(double fraction) {
    return QLocale().toString(fraction * 100.0, 'f', 1) + QLatin1Char('%');
}

} // namespace

OverviewView::OverviewView(Backend& backend, QWidget* parent)
    : View(backend, parent) {
    setObjectName(viewId());

    auto* tiles = new QWidget(this);
    buildTiles(tiles);

    m_tasksChart = new TimeSeriesChart(tr("Tasks finished per minute"), TimeSeriesChart::Style::Area,
                                       statusColor(InstanceStatus::Succeeded), this);
    m_tasksChart->setObjectName(QStringLiteral("tasksFinishedChart"));
    m_failureChart = new TimeSeriesChart(tr("Failure rate (%)"), TimeSeriesChart::Style::Line,
                                         statusColor(InstanceStatus::Failed), this);
    m_failureChart->setObjectName(QStringLiteral("failureRateChart"));
    m_failureChart->setValueCeiling(100.0);
    m_dlqChart = new TimeSeriesChart(tr("Dead letter queue depth"), TimeSeriesChart::Style::Line,
                                     statusColor(dlq::DlqStatus::Pending), this);
    m_dlqChart->setObjectName(QStringLiteral("dlqDepthChart"));

    m_chartSplitter = new QSplitter(Qt::Horizontal, this);
    m_chartSplitter->setObjectName(QStringLiteral("chartSplitter"));
    m_chartSplitter->addWidget(m_tasksChart);
    m_chartSplitter->addWidget(m_failureChart);
    m_chartSplitter->addWidget(m_dlqChart);

    m_failuresModel = new OverviewFailuresModel(this);
    m_failures = new QTreeView(this);
    m_failures->setObjectName(QStringLiteral("latestFailures"));
    m_failures->setModel(m_failuresModel);
    m_failures->setRootIsDecorated(false);
    m_failures->setUniformRowHeights(true);
    m_failures->setAllColumnsShowFocus(true);
    m_failures->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_failures->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_failures->header()->setStretchLastSection(true);
    m_failures->header()->setDefaultSectionSize(110);
    m_failures->header()->setMinimumSectionSize(60);
    m_failures->setToolTip(tr("Click a failure to open its instance"));
    auto* failuresBox = new QWidget(this);
    auto* failuresLayout = new QVBoxLayout(failuresBox);
    failuresLayout->setContentsMargins(0, 0, 0, 0);
    auto* failuresTitle = new QLabel(tr("Latest failures"), failuresBox);
    failuresTitle->setBuddy(m_failures);
    failuresLayout->addWidget(failuresTitle);
    failuresLayout->addWidget(m_failures);

    m_mainSplitter = new QSplitter(Qt::Vertical, this);
    m_mainSplitter->setObjectName(QStringLiteral("overviewSplitter"));
    m_mainSplitter->addWidget(m_chartSplitter);
    m_mainSplitter->addWidget(failuresBox);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tiles);
    layout->addWidget(m_mainSplitter, 1);

    // A click opens the instance; Enter does too. A double click also emits activated()
    // after clicked(): only keyboard activations (no mouse button down) are taken from it.
    connect(m_failures, &QTreeView::clicked, this,
            [this](const QModelIndex& index) { openFailure(index.row()); });
    connect(m_failures, &QTreeView::activated, this, [this](const QModelIndex& index) {
        if (QApplication::mouseButtons() == Qt::NoButton)
            openFailure(index.row());
    });

    m_refreshAction = new QAction(tr("Refresh overview"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshOverview"));
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_refreshAction, &QAction::triggered, this, &OverviewView::refresh);
    addAction(m_refreshAction);
    m_latestFailureAction = new QAction(tr("Show latest failure"), this);
    m_latestFailureAction->setObjectName(QStringLiteral("showLatestFailure"));
    m_latestFailureAction->setEnabled(false);
    connect(m_latestFailureAction, &QAction::triggered, this, [this] { openFailure(0); });

    m_changes = new Coalescer([this] { refreshIfShown(); }, kChangeCoalesceMs, this);
    m_periodic = new QTimer(this);
    m_periodic->setInterval(kPeriodicMs);
    connect(m_periodic, &QTimer::timeout, this, &OverviewView::refreshIfShown);
    m_periodic->start();

    Backend& source = this->backend();
    connect(&source, &Backend::overviewFetched, this, &OverviewView::showOverview);
    connect(&source, &Backend::failed, this, [this](Ticket ticket, const QString& message) {
        if (ticket == m_ticket && ticket != 0) {
            m_ticket = 0;
            Q_EMIT errorOccurred(tr("Could not load the overview: %1").arg(message));
            askAgainIfWanted();
        }
    });
    connect(&source, &Backend::stateChanged, this, [this](Backend::State state, const QString&) {
        // After the other Ready handlers: the backend answers in order, and the overview's
        // aggregate is its slowest first read, so the cheap ones the window paints first
        // (status bar, first pages) go ahead of it.
        if (state == Backend::State::Ready)
            QTimer::singleShot(0, this, &OverviewView::refresh);
    });
    connect(&source, &Backend::runChanged, m_changes, [this] { m_changes->poke(); });
    connect(&source, &Backend::deadLettersChanged, m_changes, [this] { m_changes->poke(); });
    connect(&source, &Backend::poolsChanged, m_changes, [this] { m_changes->poke(); });
    refresh();
}

void OverviewView::buildTiles(QWidget* parent) {
    m_running = new StatTile(tr("Running now"), parent);
    m_running->setObjectName(QStringLiteral("runningTile"));
    m_runs = new StatTile(tr("Runs (24 h)"), parent);
    m_runs->setObjectName(QStringLiteral("runsTile"));
    m_deadLetters = new StatTile(tr("Dead letters"), parent);
    m_deadLetters->setObjectName(QStringLiteral("deadLettersTile"));
    m_pools = new StatTile(tr("Pools"), parent);
    m_pools->setObjectName(QStringLiteral("poolsTile"));
    auto* row = new QHBoxLayout(parent);
    row->setContentsMargins(0, 0, 0, 0);
    for (StatTile* tile : {m_running, m_runs, m_deadLetters, m_pools})
        row->addWidget(tile);
}

QList<QAction*> OverviewView::paletteActions() {
    return {m_refreshAction, m_latestFailureAction};
}

void OverviewView::saveState(QSettings& settings) const {
    settings.setValue(QStringLiteral("splitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("chartSplitter"), m_chartSplitter->saveState());
    settings.setValue(QStringLiteral("failuresHeader"), m_failures->header()->saveState());
}

void OverviewView::restoreState(QSettings& settings) {
    m_mainSplitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray());
    m_chartSplitter->restoreState(settings.value(QStringLiteral("chartSplitter")).toByteArray());
    const QByteArray header = settings.value(QStringLiteral("failuresHeader")).toByteArray();
    if (!header.isEmpty() && m_failures->header()->restoreState(header))
        m_columnsFitted = true;
}

void OverviewView::activated() {
    // The window slid while the view was hidden; a view shown again within a few seconds
    // keeps its numbers (switching views back and forth must not queue aggregates).
    if (m_stale || m_overview.nowMs == 0 || !m_answered.isValid() || m_answered.hasExpired(kFreshMs))
        refresh();
}

void OverviewView::refreshIfShown() {
    // The overview is the backend's most expensive read (an aggregate over the whole
    // queue and 24 h of instances): nobody looking, nothing asked until activated().
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    refresh();
}

void OverviewView::refresh() {
    if (backend().state() != Backend::State::Ready)
        return;
    if (m_ticket != 0) {
        // One aggregate in flight at a time: on a big data dir it takes seconds, and the
        // backend answers in order, so queueing more would only delay every other view.
        m_askAgain = true;
        return;
    }
    OverviewQuery query;
    query.bucketMs = kBucketMs;
    query.latestFailures = kLatestFailures;
    m_stale = false;
    m_ticket = backend().fetchOverview(query);
}

void OverviewView::showOverview(Ticket ticket, const Overview& overview) {
    if (ticket != m_ticket)
        return; // an answer to an older request
    m_ticket = 0;
    m_answered.start();
    m_overview = overview;
    showTiles(overview);
    showCharts(overview);
    m_failuresModel->setFailures(overview.latestFailures);
    if (!m_columnsFitted && !overview.latestFailures.isEmpty()) {
        // Once, so a width the user chose (or restored) is not undone by every refresh.
        m_columnsFitted = true;
        for (int column = 0; column < OverviewFailuresModel::Error; ++column)
            m_failures->resizeColumnToContents(column);
    }
    m_latestFailureAction->setEnabled(!overview.latestFailures.isEmpty());
    askAgainIfWanted();
}

void OverviewView::askAgainIfWanted() {
    if (m_askAgain) {
        m_askAgain = false;
        refresh();
    }
}

void OverviewView::showTiles(const Overview& overview) {
    const QLocale locale;
    m_running->setValue(overview.runningRuns == 1 ? tr("1 run")
                                                  : tr("%1 runs").arg(locale.toString(overview.runningRuns)));
    m_running->setDetail(overview.runningTasks == 1
                             ? tr("1 task running")
                             : tr("%1 tasks running").arg(locale.toString(overview.runningTasks)));
    m_running->setAccent(overview.runningRuns > 0 ? statusColor(RunStatus::Running) : QColor());

    m_runs->setValue(locale.toString(overview.runsInWindow));
    const qint64 finished = overview.succeededInWindow + overview.failedInWindow;
    m_runs->setDetail(
        finished > 0
            ? tr("%1 succeeded, %2 failed").arg(percent(overview.successRate)).arg(overview.failedInWindow)
            : tr("no finished runs"));

    m_deadLetters->setValue(tr("%1 pending").arg(locale.toString(overview.dlqPending)));
    m_deadLetters->setDetail(
        tr("%1 exhausted, %2 active 24 h ago")
            .arg(locale.toString(overview.dlqExhausted), locale.toString(overview.dlqDepthWindowStart)));
    const qint64 depthNow = overview.dlqDepth.isEmpty() ? overview.dlqPending + overview.dlqExhausted
                                                        : qint64(overview.dlqDepth.constLast().value);
    m_deadLetters->setTrend(depthNow > overview.dlqDepthWindowStart   ? StatTile::Trend::Up
                            : depthNow < overview.dlqDepthWindowStart ? StatTile::Trend::Down
                                                                      : StatTile::Trend::Flat);
    m_deadLetters->setAccent(overview.dlqPending > 0 ? statusColor(dlq::DlqStatus::Pending) : QColor());

    int healthy = 0;
    int down = 0;
    int busy = 0;
    int queued = 0;
    QStringList paused;
    for (const PoolInfo& pool : overview.pools) {
        healthy += pool.health == PoolHealth::Healthy ? 1 : 0;
        down += pool.health == PoolHealth::Down ? 1 : 0;
        busy += pool.busy;
        queued += pool.queued;
        if (pool.paused)
            paused.append(pool.name);
    }
    const int total = int(overview.pools.size());
    m_pools->setValue(total == 0 ? tr("none") : tr("%1/%2 healthy").arg(healthy).arg(total));
    QString detail = tr("%1 busy, %2 queued").arg(busy).arg(queued);
    if (!paused.isEmpty())
        detail += QLatin1String(" · ") + tr("paused: %1").arg(paused.join(QLatin1String(", ")));
    m_pools->setDetail(detail);
    m_pools->setAccent(down > 0          ? statusColor(InstanceStatus::Failed)
                       : healthy < total ? statusColor(InstanceStatus::Interrupted)
                                         : QColor());
}

void OverviewView::showCharts(const Overview& overview) {
    const qint64 to = overview.nowMs;
    const qint64 from = to - OverviewQuery{}.windowMs;
    // Buckets count tasks per kBucketMs; the chart says "per minute".
    m_tasksChart->setPoints(overview.tasksFinished, from, to, 60'000.0 / double(kBucketMs));
    m_failureChart->setPoints(overview.failureRate, from, to, 100.0);
    m_dlqChart->setPoints(overview.dlqDepth, from, to);
}

void OverviewView::openFailure(int row) {
    const FailureItem* failure = m_failuresModel->failureAt(row);
    if (!failure)
        return;
    Q_EMIT linkActivated(links::instance(failure->runId, failure->index));
}

} // namespace signalbox::ui
