#include "charts/dlq_stats_chart.h"

#include "models/dlq_format.h"
#include "widgets/status_colors.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QPieSeries>
#include <QPieSlice>
#include <QVBoxLayout>
#include <QValueAxis>

namespace signalbox::ui {

namespace {

QChartView* makeView(const QString& objectName, QWidget* parent) {
    auto* view = new QChartView(parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

// Categories have no status color of their own: a fixed, readable order of hues.
QColor categoryColor(int index) {
    static const QColor colors[] = {QColor(0x2f, 0x7d, 0xd1), QColor(0xe0, 0xa8, 0x2e),
                                    QColor(0x8e, 0x5c, 0xc2), QColor(0x2e, 0x9e, 0x5b),
                                    QColor(0xd6, 0x3b, 0x3b), QColor(0x3b, 0xa8, 0xb0),
                                    QColor(0x9a, 0x9a, 0x9a)};
    return colors[index % int(std::size(colors))];
}

} // namespace

DlqStatsChart::DlqStatsChart(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("dlqStats"));
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("Loading statistics…"), this);
    m_summary->setObjectName(QStringLiteral("dlqStatsSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_byStatus = makeView(QStringLiteral("dlqStatsByStatus"), this);
    layout->addWidget(m_byStatus, 1);
    m_byCategory = makeView(QStringLiteral("dlqStatsByCategory"), this);
    layout->addWidget(m_byCategory, 1);
    m_lifetime = new QLabel(this);
    m_lifetime->setObjectName(QStringLiteral("dlqStatsLifetime"));
    m_lifetime->setWordWrap(true);
    m_lifetime->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_lifetime);
}

void DlqStatsChart::setStats(const dlq::DlqStats& stats) {
    m_stats = stats;
    rebuild();
}

void DlqStatsChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_stats)
        rebuild();
}

void DlqStatsChart::rebuild() {
    const dlq::DlqStats& stats = *m_stats;
    const QChart::ChartTheme theme = palette().color(QPalette::Window).lightness() < 128
                                         ? QChart::ChartThemeDark
                                         : QChart::ChartThemeLight;

    m_summary->setText(tr("%1 stored, limit %2 (%3% used)")
                           .arg(dlqformat::entryCount(stats.size), dlqformat::count(stats.maxSize))
                           .arg(QString::number(stats.utilization * 100.0, 'f', 1)));

    // The theme is set before the series get their colors: setTheme recolors series.
    auto* statusChart = new QChart;
    statusChart->setTheme(theme);
    statusChart->setTitle(tr("By status"));
    // Stacked with one set per status, each set non-zero only in its own row: every
    // status gets its own colored bar, with its name on the axis (horizontal: names fit).
    auto* bars = new QHorizontalStackedBarSeries(statusChart);
    const QStringList statuses = stats.byStatus.keys();
    qint64 highest = 0;
    for (int column = 0; column < statuses.size(); ++column) {
        const QString& name = statuses.at(column);
        auto* set = new QBarSet(name, bars);
        for (int other = 0; other < statuses.size(); ++other)
            *set << (other == column ? double(stats.byStatus.value(name)) : 0.0);
        if (const std::optional<dlq::DlqStatus> status = dlq::dlqStatusFromString(name))
            set->setColor(statusColor(*status));
        bars->append(set);
        highest = std::max(highest, stats.byStatus.value(name));
    }
    statusChart->addSeries(bars);
    auto* statusAxis = new QBarCategoryAxis(statusChart);
    statusAxis->append(statuses);
    statusChart->addAxis(statusAxis, Qt::AlignLeft);
    bars->attachAxis(statusAxis);
    auto* countAxis = new QValueAxis(statusChart);
    const qint64 top = std::max<qint64>(highest, 1);
    countAxis->setRange(0, double(top));
    // Whole entries only: ticks at multiples of a whole step, never "0.75".
    countAxis->setTickType(QValueAxis::TicksDynamic);
    countAxis->setTickAnchor(0);
    countAxis->setTickInterval(double(std::max<qint64>(1, (top + 3) / 4)));
    countAxis->setLabelFormat(QStringLiteral("%d"));
    statusChart->addAxis(countAxis, Qt::AlignBottom);
    bars->attachAxis(countAxis);
    statusChart->legend()->hide();
    QChart* oldStatus = m_byStatus->chart();
    m_byStatus->setChart(statusChart);
    delete oldStatus;

    auto* categoryChart = new QChart;
    categoryChart->setTheme(theme);
    categoryChart->setTitle(tr("By error category"));
    auto* pie = new QPieSeries(categoryChart);
    int index = 0;
    for (auto it = stats.byCategory.cbegin(); it != stats.byCategory.cend(); ++it, ++index) {
        if (it.value() <= 0)
            continue;
        QPieSlice* slice =
            pie->append(it.key() + QStringLiteral(" (") + dlqformat::count(it.value()) + QLatin1Char(')'),
                        double(it.value()));
        slice->setColor(categoryColor(index));
    }
    categoryChart->addSeries(pie);
    categoryChart->legend()->setAlignment(Qt::AlignBottom);
    QChart* oldCategory = m_byCategory->chart();
    m_byCategory->setChart(categoryChart);
    delete oldCategory;

    const dlq::DlqCounters& life = stats.lifetime;
    m_lifetime->setText(tr("Lifetime: %1 enqueued, %2 retries succeeded, %3 retries failed, %4 exhausted, "
                           "%5 manual retries, %6 archived, %7 purged, %8 evicted")
                            .arg(dlqformat::count(life.enqueued), dlqformat::count(life.retrySuccess),
                                 dlqformat::count(life.retryFailed), dlqformat::count(life.exhausted),
                                 dlqformat::count(life.manualRetries), dlqformat::count(life.archived),
                                 dlqformat::count(life.purged), dlqformat::count(life.evicted)));
}

} // namespace signalbox::ui
