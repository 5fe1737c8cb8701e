#include "charts/time_series_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

namespace signalbox::ui {

TimeSeriesChart::TimeSeriesChart(const QString& title, Style style, const QColor& color, QWidget* parent)
    : QChartView(parent)
    , m_color(color)
    , m_style(style) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_line = new QLineSeries(chart);
    m_timeAxis = new QDateTimeAxis(chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(7);
    m_valueAxis = new QValueAxis(chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setMin(0);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    if (style == Style::Area) {
        // The area owns nothing: its upper line is m_line (kept to replace points).
        m_area = new QAreaSeries(m_line);
        chart->addSeries(m_area);
        m_area->attachAxis(m_timeAxis);
        m_area->attachAxis(m_valueAxis);
    } else {
        chart->addSeries(m_line);
        m_line->attachAxis(m_timeAxis);
        m_line->attachAxis(m_valueAxis);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(220, 160);
    setAccessibleName(title);
    applyTheme();
}

void TimeSeriesChart::setPoints(const QList<TimePoint>& points, qint64 fromMs, qint64 toMs, double scale) {
    QList<QPointF> xy;
    xy.reserve(points.size());
    m_max = 0.0;
    for (const TimePoint& point : points) {
        const double value = point.value * scale;
        xy.append(QPointF(double(point.tsMs), value));
        m_max = std::max(m_max, value);
    }
    // One call: replace() repaints once, appending point by point would not.
    m_line->replace(xy);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                         QDateTime::fromMSecsSinceEpoch(std::max(toMs, fromMs + 1)));
    updateValueRange();
}

void TimeSeriesChart::setValueCeiling(double ceiling) {
    m_ceiling = ceiling;
    updateValueRange();
}

// Headroom above the highest point; an empty series still shows a 0..1 axis.
void TimeSeriesChart::updateValueRange() {
    m_valueAxis->setRange(0.0, m_max > 0.0 ? m_max * 1.15 : 1.0);
    m_valueAxis->applyNiceNumbers();
    if (m_ceiling > 0.0 && m_valueAxis->max() > m_ceiling) {
        // Nice numbers went past the ceiling (0..150 for a 100% peak): quarters instead.
        m_valueAxis->setRange(0.0, m_ceiling);
        m_valueAxis->setTickCount(5);
    }
}

void TimeSeriesChart::setValueTitle(const QString& title) {
    m_valueAxis->setTitleText(title);
}

int TimeSeriesChart::pointCount() const {
    return int(m_line->count());
}

void TimeSeriesChart::changeEvent(QEvent* event) {
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTheme();
}

void TimeSeriesChart::applyTheme() {
    m_dark = palette().color(QPalette::Window).lightness() < 128;
    QChart* chart = this->chart();
    const QChart::ChartTheme theme = m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() != theme)
        chart->setTheme(theme);
    // setTheme repaints series in the theme's colors: ours carry meaning (red = failures).
    QPen pen(m_color);
    pen.setWidthF(2.0);
    if (m_area) {
        m_area->setPen(pen);
        QColor fill = m_color;
        fill.setAlpha(110);
        m_area->setBrush(fill);
    } else {
        m_line->setPen(pen);
    }
    chart->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setTitleBrush(palette().color(QPalette::WindowText));
    m_timeAxis->setLabelsBrush(palette().color(QPalette::WindowText));
    m_valueAxis->setLabelsBrush(palette().color(QPalette::WindowText));
    m_valueAxis->setTitleBrush(palette().color(QPalette::WindowText));
}

} // namespace signalbox::ui
