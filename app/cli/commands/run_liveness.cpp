#include "commands/run_liveness.h"

#include "engine/data_dir_lock.h"
#include "store/store.h"

namespace signalbox::cli {

RunLiveness::RunLiveness(QString dataDir, const store::Store& store)
    : m_dataDir(std::move(dataDir))
    , m_store(store) {}

bool RunLiveness::engineAlive() {
    if (m_alive < 0)
        m_alive = engine::DataDirLock(m_dataDir).holder().has_value() ? 1 : 0;
    return m_alive == 1;
}

bool RunLiveness::isOrphaned(const RunRecord& run) {
    if (run.status != RunStatus::Running || engineAlive())
        return false;
    const auto again = m_store.run(run.id);
    return again && again->status == RunStatus::Running;
}

void RunLiveness::present(RunRecord* run, QList<InstanceRecord>* instances) {
    if (!isOrphaned(*run))
        return;
    run->status = RunStatus::Interrupted;
    if (!instances)
        return;
    for (InstanceRecord& instance : *instances) {
        if (instance.status == InstanceStatus::Pending || instance.status == InstanceStatus::Running)
            instance.status = InstanceStatus::Interrupted;
    }
}

} // namespace signalbox::cli
