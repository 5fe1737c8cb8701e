#pragma once
// The run's task graph: tasks in layers (a task sits one layer right of the deepest task
// it needs), arrows from each need to its task, painted with QPainter. Each box is
// colored by the worst status among the task's instances. Lives in a scroll area.

#include "backend/backend_types.h"

#include <QHash>
#include <QWidget>

namespace signalbox::ui {

class DagView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DagView)
public:
    explicit DagView(QWidget* parent = nullptr);

    void setGraph(const QList<TaskNode>& tasks, const QList<InstanceRecord>& instances);
    QSize sizeHint() const override;
    // Layer of each task (0 = needs nothing); exposed for tests.
    const QHash<QString, int>& layers() const { return m_layer; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    static constexpr int boxWidth = 160;
    static constexpr int boxHeight = 36;
    static constexpr int columnGap = 60;
    static constexpr int rowGap = 18;
    static constexpr int margin = 12;

    void layOut();
    QRect boxOf(const QString& taskId) const;

    QList<TaskNode> m_tasks;
    QHash<QString, int> m_layer;
    QHash<QString, int> m_slot; // position within its layer
    QHash<QString, InstanceStatus> m_status;
    QHash<QString, QString> m_counts; // "3/5"
    int m_layers = 0;
    int m_maxSlots = 0;
};

} // namespace signalbox::ui
