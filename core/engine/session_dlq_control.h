#pragma once
// The dead letter commands of the control channel ("dlq_settings", "dlq_enqueue",
// "dlq_edit", "dlq_job", "dlq_job_pause", "dlq_job_resume", "dlq_job_cancel"), answered
// by an EngineSession for other processes. Kept apart from the session's lifecycle.

#include <QJsonObject>
#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::dlq {
class BulkJobRunner;
class DeadLetterQueue;
} // namespace signalbox::dlq

namespace signalbox::engine {

struct DlqControlTarget {
    store::Store& store;
    dlq::DeadLetterQueue& queue;
    dlq::BulkJobRunner& runner;
    // A foreground holder exits when its own run ends: it takes no work that outlives it.
    bool foreground = false;
    // The session no longer accepts work from other processes.
    bool closing = false;
};

QJsonObject handleDlqControl(const DlqControlTarget& target, const QString& cmd, const QJsonObject& request);

} // namespace signalbox::engine
