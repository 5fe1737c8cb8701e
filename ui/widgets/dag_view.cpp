#include "widgets/dag_view.h"

#include "widgets/status_colors.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>
#include <functional>

namespace signalbox::ui {

namespace {

// Which status a task shows when its instances differ: a failure wins, then running.
int severity(InstanceStatus status) {
    switch (status) {
    case InstanceStatus::Failed:
        return 6;
    case InstanceStatus::Interrupted:
        return 5;
    case InstanceStatus::Cancelled:
        return 4;
    case InstanceStatus::Running:
        return 3;
    case InstanceStatus::Pending:
        return 2;
    case InstanceStatus::Skipped:
        return 1;
    case InstanceStatus::Succeeded:
        return 0;
    }
    return 0;
}

} // namespace

DagView::DagView(QWidget* parent)
    : QWidget(parent) {
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void DagView::setGraph(const QList<TaskNode>& tasks, const QList<InstanceRecord>& instances) {
    m_tasks = tasks;
    m_status.clear();
    m_counts.clear();
    QHash<QString, int> done;
    QHash<QString, int> total;
    for (const InstanceRecord& instance : instances) {
        const auto it = m_status.constFind(instance.taskId);
        if (it == m_status.constEnd() || severity(instance.status) > severity(*it))
            m_status.insert(instance.taskId, instance.status);
        ++total[instance.taskId];
        if (isTerminal(instance.status))
            ++done[instance.taskId];
    }
    for (auto it = total.constBegin(); it != total.constEnd(); ++it)
        m_counts.insert(it.key(), QStringLiteral("%1/%2").arg(done.value(it.key())).arg(*it));
    layOut();
    updateGeometry();
    resize(sizeHint().expandedTo(size()));
    update();
}

void DagView::layOut() {
    m_layer.clear();
    m_slot.clear();
    QHash<QString, const TaskNode*> byId;
    for (const TaskNode& task : m_tasks)
        byId.insert(task.id, &task);
    QHash<QString, bool> visiting;
    // Longest path from a root; a cycle (the workflow validator refuses them) or an
    // unknown need counts as a root instead of recursing forever.
    std::function<int(const QString&)> layerOf = [&](const QString& id) -> int {
        const auto known = m_layer.constFind(id);
        if (known != m_layer.constEnd())
            return *known;
        const TaskNode* task = byId.value(id);
        if (!task || visiting.value(id))
            return 0;
        visiting.insert(id, true);
        int layer = 0;
        for (const QString& need : task->needs) {
            if (byId.contains(need))
                layer = std::max(layer, layerOf(need) + 1);
        }
        visiting.insert(id, false);
        m_layer.insert(id, layer);
        return layer;
    };
    QHash<int, int> slotsUsed;
    m_layers = 0;
    m_maxSlots = 0;
    for (const TaskNode& task : m_tasks) {
        const int layer = layerOf(task.id);
        const int slot = slotsUsed.value(layer);
        m_slot.insert(task.id, slot);
        slotsUsed.insert(layer, slot + 1);
        m_layers = std::max(m_layers, layer + 1);
        m_maxSlots = std::max(m_maxSlots, slot + 1);
    }
}

QSize DagView::sizeHint() const {
    return {2 * margin + m_layers * boxWidth + std::max(0, m_layers - 1) * columnGap,
            2 * margin + m_maxSlots * boxHeight + std::max(0, m_maxSlots - 1) * rowGap};
}

QRect DagView::boxOf(const QString& taskId) const {
    return {margin + m_layer.value(taskId) * (boxWidth + columnGap),
            margin + m_slot.value(taskId) * (boxHeight + rowGap), boxWidth, boxHeight};
}

void DagView::paintEvent(QPaintEvent* event) {
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    if (m_tasks.isEmpty()) {
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(rect(), Qt::AlignCenter, tr("No tasks."));
        return;
    }
    // Edges first so boxes sit on top of them.
    painter.setPen(QPen(pal.color(QPalette::Mid), 1.5));
    for (const TaskNode& task : m_tasks) {
        const QRect to = boxOf(task.id);
        for (const QString& need : task.needs) {
            if (!m_layer.contains(need))
                continue;
            const QRect from = boxOf(need);
            const QPointF start(from.right(), from.center().y());
            const QPointF end(to.left(), to.center().y());
            QPainterPath path(start);
            const double bend = (end.x() - start.x()) / 2;
            path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end);
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(path);
            // Arrow head.
            QPolygonF head;
            head << end << end + QPointF(-8, -4) << end + QPointF(-8, 4);
            painter.setBrush(pal.color(QPalette::Mid));
            painter.drawPolygon(head);
        }
    }
    for (const TaskNode& task : m_tasks) {
        const QRect box = boxOf(task.id);
        const QColor fill = statusColor(m_status.value(task.id, InstanceStatus::Pending));
        painter.setPen(QPen(fill.darker(130), 1));
        painter.setBrush(fill);
        painter.drawRoundedRect(box, 6, 6);
        painter.setPen(textOn(fill));
        QString text = task.id;
        const QString counts = m_counts.value(task.id);
        if (!counts.isEmpty())
            text += QStringLiteral("  ") + counts;
        painter.drawText(box.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                         painter.fontMetrics().elidedText(text, Qt::ElideMiddle, box.width() - 12));
    }
}

} // namespace signalbox::ui
