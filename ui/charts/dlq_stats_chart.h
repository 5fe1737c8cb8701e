#pragma once
// The Dead Letters view's statistics: entries by status (bars, in the status colors),
// by error category (pie) and the queue's lifetime counters, from Backend::fetchDlqStats.
// Follows the theme: a dark chart on a dark window.

#include "dlq/dlq_query.h"

#include <QWidget>
#include <optional>

class QChartView;
class QLabel;

namespace signalbox::ui {

class DlqStatsChart final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DlqStatsChart)
public:
    explicit DlqStatsChart(QWidget* parent = nullptr);

    void setStats(const dlq::DlqStats& stats);
    const std::optional<dlq::DlqStats>& stats() const { return m_stats; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    std::optional<dlq::DlqStats> m_stats;
    QChartView* m_byStatus = nullptr;
    QChartView* m_byCategory = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_lifetime = nullptr;
};

} // namespace signalbox::ui
