#pragma once
// The run detail's timeline: one bar per instance from its start to its end (now while
// it runs), colored by status, on a time axis from the run's first start to its last
// end. Painted directly (a run has at most a few thousand instances); lives in a scroll
// area. A click on a bar selects that instance.

#include "domain/records.h"

#include <QWidget>

namespace signalbox::ui {

class GanttChart final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GanttChart)
public:
    explicit GanttChart(QWidget* parent = nullptr);

    void setInstances(const QList<InstanceRecord>& instances, qint64 nowMs);
    void setSelectedInstance(int instanceIndex);
    QSize sizeHint() const override;

Q_SIGNALS:
    void instanceSelected(int instanceIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    static constexpr int rowHeight = 20;
    static constexpr int labelWidth = 200;
    static constexpr int axisHeight = 22;

    QRectF barRect(int row) const;
    QString labelOf(const InstanceRecord& instance) const;

    QList<InstanceRecord> m_instances; // only those that started, by start time
    qint64 m_firstMs = 0;
    qint64 m_lastMs = 0;
    qint64 m_nowMs = 0;
    int m_selected = -1;
};

} // namespace signalbox::ui
