#pragma once
// One color per status, shared by every view (tables, the task matrix, the Gantt chart,
// charts) so "red" means the same thing everywhere. Chosen to stay readable on both the
// light and the dark theme; text on them is drawn in textOn().

#include "dlq/dead_letter.h"
#include "domain/status.h"

#include <QColor>

namespace signalbox::ui {

inline QColor statusColor(InstanceStatus status) {
    switch (status) {
    case InstanceStatus::Succeeded: return QColor(0x2e, 0x9e, 0x5b);
    case InstanceStatus::Failed: return QColor(0xd6, 0x3b, 0x3b);
    case InstanceStatus::Running: return QColor(0x2f, 0x7d, 0xd1);
    case InstanceStatus::Skipped: return QColor(0x9a, 0x9a, 0x9a);
    case InstanceStatus::Cancelled: return QColor(0x7a, 0x6f, 0x9b);
    case InstanceStatus::Interrupted: return QColor(0xc9, 0x9a, 0x2e);
    case InstanceStatus::Pending: break;
    }
    return QColor(0xc4, 0xc9, 0xd0);
}

inline QColor statusColor(RunStatus status) {
    switch (status) {
    case RunStatus::Succeeded: return statusColor(InstanceStatus::Succeeded);
    case RunStatus::Failed: return statusColor(InstanceStatus::Failed);
    case RunStatus::Running: return statusColor(InstanceStatus::Running);
    case RunStatus::Cancelled: return statusColor(InstanceStatus::Cancelled);
    case RunStatus::Interrupted: return statusColor(InstanceStatus::Interrupted);
    case RunStatus::Queued: break;
    }
    return statusColor(InstanceStatus::Pending);
}

inline QColor statusColor(dlq::DlqStatus status) {
    switch (status) {
    case dlq::DlqStatus::Pending: return QColor(0xe0, 0xa8, 0x2e);
    case dlq::DlqStatus::Retrying: return statusColor(InstanceStatus::Running);
    case dlq::DlqStatus::Exhausted: return statusColor(InstanceStatus::Failed);
    case dlq::DlqStatus::Completed: return statusColor(InstanceStatus::Succeeded);
    case dlq::DlqStatus::Archived: return statusColor(InstanceStatus::Skipped);
    }
    return statusColor(InstanceStatus::Pending);
}

// Black or white, whichever reads better on `background`.
inline QColor textOn(const QColor& background) {
    return background.lightnessF() > 0.6 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace signalbox::ui
