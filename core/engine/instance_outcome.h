#pragma once
// How the engine tells the dead letter queue (or anyone else) that an instance is
// settled: failed for good (after its in-run retries), or finished otherwise. Called on
// the engine thread from the engine's flush, right after the instance's new state was
// queued for writing, so writes the sink queues land in the same batch (or the next).

#include "dlq/dead_letter.h"
#include "domain/records.h"

#include <QString>

namespace signalbox::engine {

struct FailedInstance {
    InstanceRecord instance;  // final state: failed, category, error, exit code, attempts
    QString workflow;         // workflow name
    dlq::LaunchRecipe recipe; // what ran (the retry's edited recipe when one was given)
    QString dlqPolicy;        // the task's dlq_policy; empty = by category
    QString outputTail;       // last lines of stdout/stderr of the final attempt (<= 4 KiB)
};

class OutcomeSink {
public:
    virtual ~OutcomeSink() = default;
    virtual void instanceFailed(const FailedInstance& failure) = 0;
    // Succeeded, cancelled or interrupted (not skipped dependents: they never ran).
    virtual void instanceFinished(const InstanceRecord& instance) = 0;
};

} // namespace signalbox::engine
