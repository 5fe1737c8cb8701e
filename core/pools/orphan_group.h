#pragma once
// Crash recovery for the local pool: stopping a process group that an engine killed with
// SIGKILL left running (its children lead their own groups, so they outlive it).
//
// A recorded pid may have been recycled by then, so a group is only signalled when it
// provably belongs to the instance: a live process of the group (the leader when it is
// still alive, otherwise another member) has SIGNALBOX_RUN_ID=<runId> and
// SIGNALBOX_TASK_ID=<taskId> in its environment, as the engine sets them for every task.
// While any member of a group lives, its id cannot be handed to a new process (Linux
// keeps a pid reserved while it is used as a group id), so the check and the signal
// refer to the same group. Processes of another user are never signalled (their
// environment cannot be read).
//
// Linux reads /proc; elsewhere this does nothing (reports NotFound).

#include <QList>
#include <QString>

namespace signalbox::pools {

enum class OrphanOutcome {
    NotFound,   // no live process in that group
    NotOurs,    // the group exists but is not the instance's: left alone
    Terminated, // it belonged to the instance and ended after SIGTERM
    Killed,     // ... and needed SIGKILL after graceMs
    Survived,   // ... and is still there after SIGKILL (e.g. uninterruptible sleep)
};

QString toString(OrphanOutcome outcome);

struct OrphanGroup {
    qint64 processGroup = 0; // the recorded pid of the instance's child (its group id)
    QString runId;
    QString taskId;
};

// For each group: verifies it as above; SIGTERM to every verified group at once, waits
// up to graceMs (polling) for their members to end, SIGKILL to what remains, waits
// briefly for that. Blocks for at most about graceMs + 1 s whatever the number of groups.
// Returns one outcome per group, in order.
QList<OrphanOutcome> terminateOrphanGroups(const QList<OrphanGroup>& groups, qint64 graceMs);

// The same for one group.
OrphanOutcome terminateOrphanGroup(qint64 processGroup, const QString& runId, const QString& taskId,
                                   qint64 graceMs);

// True when it ended or was never there, false when it was left alone or survived.
inline bool isGone(OrphanOutcome outcome) {
    return outcome == OrphanOutcome::NotFound || outcome == OrphanOutcome::Terminated ||
           outcome == OrphanOutcome::Killed;
}

} // namespace signalbox::pools
