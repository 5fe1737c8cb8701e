#include "engine/stored_records.h"

#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "domain/clock.h"
#include "logs/logging.h"
#include "store/store.h"

namespace signalbox::engine {

void recordCancelled(store::Store& store, const QString& runId) {
    auto run = store.run(runId);
    if (!run)
        return;
    const qint64 now = Clock::instance().nowMs();
    for (InstanceRecord instance : store.instances(runId)) {
        if (instance.status == InstanceStatus::Pending || instance.status == InstanceStatus::Running ||
            instance.status == InstanceStatus::Interrupted) {
            instance.status = InstanceStatus::Cancelled;
            if (instance.startedAtMs > 0 && instance.finishedAtMs <= 0)
                instance.finishedAtMs = now;
            store.updateInstance(instance);
        }
    }
    run->status = RunStatus::Cancelled;
    if (run->finishedAtMs <= 0)
        run->finishedAtMs = now;
    store.updateRun(*run);
    store.sync();
    logs::info(QStringLiteral("run %1: cancelled (not active in any engine)").arg(runId));
}

bool pauseJobInStore(store::Store& store, qint64 jobKey, const QString& actor, QString* error) {
    auto job = store.dlqJob(jobKey);
    if (!job) {
        *error = QStringLiteral("unknown job '%1'").arg(dlq::jobId(jobKey));
        return false;
    }
    if (job->state != dlq::JobState::Queued && job->state != dlq::JobState::Running) {
        *error = QStringLiteral("job %1 is %2 already").arg(job->id(), dlq::toString(job->state));
        return false;
    }
    job->state = dlq::JobState::Paused;
    job->updatedAtMs = Clock::instance().nowMs();
    store.dlqUpdateJob(*job);
    store.appendAudit(dlq::AuditRecord{0, job->updatedAtMs, actor, QStringLiteral("job-pause"),
                                       job->id() + u' ' + job->selector, job->total, QStringLiteral("ok")});
    store.sync();
    return true;
}

} // namespace signalbox::engine
