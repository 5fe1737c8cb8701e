#include "charts/gantt_chart.h"

#include "models/runs_model.h"
#include "widgets/status_colors.h"

#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <algorithm>

namespace signalbox::ui {

GanttChart::GanttChart(QWidget* parent)
    : QWidget(parent) {
    setFocusPolicy(Qt::ClickFocus);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void GanttChart::setInstances(const QList<InstanceRecord>& instances, qint64 nowMs) {
    m_instances.clear();
    m_nowMs = nowMs;
    m_firstMs = 0;
    m_lastMs = 0;
    for (const InstanceRecord& instance : instances) {
        if (instance.startedAtMs <= 0)
            continue; // never started (pending, skipped): no bar
        m_instances.append(instance);
        const qint64 end = instance.finishedAtMs > 0 ? instance.finishedAtMs : nowMs;
        m_firstMs = m_firstMs == 0 ? instance.startedAtMs : std::min(m_firstMs, instance.startedAtMs);
        m_lastMs = std::max({m_lastMs, end, instance.startedAtMs});
    }
    std::stable_sort(
        m_instances.begin(), m_instances.end(),
        [](const InstanceRecord& a, const InstanceRecord& b) { return a.startedAtMs < b.startedAtMs; });
    updateGeometry();
    resize(width(), sizeHint().height());
    update();
}

void GanttChart::setSelectedInstance(int instanceIndex) {
    m_selected = instanceIndex;
    update();
}

QSize GanttChart::sizeHint() const {
    return {labelWidth + 400, axisHeight + int(m_instances.size()) * rowHeight + 4};
}

QString GanttChart::labelOf(const InstanceRecord& instance) const {
    return instance.repo.isEmpty() ? instance.taskId
                                   : instance.taskId + QStringLiteral(" @ ") + instance.repo;
}

QRectF GanttChart::barRect(int row) const {
    const InstanceRecord& instance = m_instances.at(row);
    const double span = double(std::max<qint64>(1, m_lastMs - m_firstMs));
    const double plotWidth = std::max(10, width() - labelWidth - 8);
    const qint64 end = instance.finishedAtMs > 0 ? instance.finishedAtMs : m_nowMs;
    const double x0 = labelWidth + (instance.startedAtMs - m_firstMs) / span * plotWidth;
    const double x1 = labelWidth + (std::max(end, instance.startedAtMs) - m_firstMs) / span * plotWidth;
    return {x0, double(axisHeight + row * rowHeight + 3), std::max(2.0, x1 - x0), double(rowHeight - 6)};
}

void GanttChart::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    painter.setClipRect(event->rect());
    const QPalette& pal = palette();
    painter.setPen(pal.color(QPalette::Text));
    if (m_instances.isEmpty()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No instance has started yet."));
        return;
    }
    // Axis: the run's span, with start and end labels.
    painter.drawText(QRect(labelWidth, 0, width() - labelWidth - 8, axisHeight),
                     Qt::AlignLeft | Qt::AlignVCenter, timeText(m_firstMs));
    painter.drawText(QRect(labelWidth, 0, width() - labelWidth - 8, axisHeight),
                     Qt::AlignRight | Qt::AlignVCenter,
                     QStringLiteral("+") + durationText(m_lastMs - m_firstMs));
    const int firstRow = std::max(0, (event->rect().top() - axisHeight) / rowHeight);
    const int lastRow =
        std::min(int(m_instances.size()) - 1, (event->rect().bottom() - axisHeight) / rowHeight);
    for (int row = firstRow; row <= lastRow; ++row) {
        const InstanceRecord& instance = m_instances.at(row);
        const QRect labelRect(4, axisHeight + row * rowHeight, labelWidth - 8, rowHeight);
        if (instance.index == m_selected)
            painter.fillRect(QRect(0, labelRect.top(), width(), rowHeight),
                             pal.color(QPalette::Highlight).lighter(170));
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(
            labelRect, Qt::AlignLeft | Qt::AlignVCenter,
            painter.fontMetrics().elidedText(labelOf(instance), Qt::ElideMiddle, labelRect.width()));
        painter.fillRect(barRect(row), statusColor(instance.status));
    }
}

void GanttChart::mousePressEvent(QMouseEvent* event) {
    const int row = (int(event->position().y()) - axisHeight) / rowHeight;
    if (event->position().y() >= axisHeight && row >= 0 && row < m_instances.size()) {
        m_selected = m_instances.at(row).index;
        update();
        Q_EMIT instanceSelected(m_selected);
    }
    QWidget::mousePressEvent(event);
}

} // namespace signalbox::ui
