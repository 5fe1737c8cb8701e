#include "commands/run_records.h"

#include "domain/clock.h"
#include "logs/logging.h"
#include "store/store.h"

namespace signalbox::cli {

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

} // namespace signalbox::cli
