#pragma once
// One time series over a time axis (the Overview's tasks finished per minute, failure
// rate and DLQ depth): a QChartView with a line or filled area, a QDateTimeAxis and a
// value axis that starts at zero. Follows the application theme: dark chart theme when
// the window color is dark, light otherwise, re-applied when the palette changes.

#include "backend/backend_types.h"

#include <QChartView>
#include <QColor>

class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace signalbox::ui {

class TimeSeriesChart final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)
public:
    enum class Style { Line, Area };

    TimeSeriesChart(const QString& title, Style style, const QColor& color, QWidget* parent = nullptr);

    // Replaces the points; each value is multiplied by `scale` (e.g. 100 for a rate shown
    // in %). The time axis covers [fromMs, toMs] even where there are no points.
    void setPoints(const QList<TimePoint>& points, qint64 fromMs, qint64 toMs, double scale = 1.0);
    void setValueTitle(const QString& title);
    // The value axis never goes above this (a rate in % stops at 100); <= 0 = no ceiling.
    void setValueCeiling(double ceiling);

    int pointCount() const;
    double maxValue() const { return m_max; }
    bool isDarkTheme() const { return m_dark; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyTheme();
    void updateValueRange();

    QColor m_color;
    Style m_style;
    QLineSeries* m_line = nullptr;
    QAreaSeries* m_area = nullptr;
    QDateTimeAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    double m_max = 0.0;
    double m_ceiling = 0.0;
    bool m_dark = false;
};

} // namespace signalbox::ui
