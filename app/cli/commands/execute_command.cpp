#include "commands/execute_command.h"

#include "commands/engine_host.h"
#include "commands/run_handover.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace signalbox::cli {
namespace {

// `run --detach` lets the lock go just before this process takes it. Should another
// process take it in between, this one waits: a background executor gets the run
// handed over; a foreground holder is waited for (the run stays queued; `runs cancel`
// still works on it), but only while the run is still queued.
constexpr int kRetryIntervalMs = 200;
constexpr int kUnreachableMs = 60'000; // a holder that never answers

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int ExecuteCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    // Leave the terminal's process group and session: Ctrl-C in the shell that ran
    // `run --detach` must not reach this process.
    ::setsid();
    ::signal(SIGHUP, SIG_IGN);

    EngineHost host(context);
    host.setRole(EngineHost::Role::Executor);
    std::unique_ptr<LocklessEngine> lockless;
    QDeadlineTimer unreachable(QDeadlineTimer::Forever);
    for (;;) {
        QString busy;
        // No crash recovery here: it would mark this very run (still queued) interrupted.
        const int code = host.open(0, false, &busy);
        if (code == kExitOk)
            break;
        if (busy.isEmpty())
            return code;
        if (!lockless) {
            lockless = std::make_unique<LocklessEngine>(context);
            if (const int openCode = lockless->open(); openCode != kExitOk)
                return openCode;
        }
        const auto run = lockless->store().run(runId);
        if (!run)
            return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
        if (run->status != RunStatus::Queued && run->status != RunStatus::Interrupted) {
            logs::info(QStringLiteral("run %1 is %2; nothing to execute").arg(runId, toString(run->status)));
            return kExitOk;
        }
        const HolderKind holder = probeHolder(context.dataDir());
        if (holder == HolderKind::Executor) {
            QString error;
            const HandoverResult result = handOver(
                context.dataDir(),
                run->status == RunStatus::Queued ? QStringLiteral("start") : QStringLiteral("resume"), runId,
                &error);
            if (result == HandoverResult::Accepted)
                return kExitOk;
            if (result == HandoverResult::Failed)
                return context.fail(kExitCannotProceed, error);
        }
        if (holder == HolderKind::Unreachable) {
            if (unreachable.isForever())
                unreachable.setRemainingTime(kUnreachableMs);
            else if (unreachable.hasExpired())
                return context.fail(
                    kExitCannotProceed,
                    busy + QStringLiteral("; run %1 stays %2").arg(runId, toString(run->status)));
        } else {
            unreachable = QDeadlineTimer(QDeadlineTimer::Forever);
        }
        waitMs(kRetryIntervalMs);
    }
    lockless.reset();

    const auto run = host.store().run(runId);
    if (!run)
        return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
    // Runs handed over later share the pool: one slot per CPU at least (each run keeps
    // its own max_concurrent).
    host.addLocalPool(qMax(run->maxConcurrent, QThread::idealThreadCount()));
    switch (run->status) {
    case RunStatus::Queued:
        return host.serve(runId, EngineHost::StartMode::Start);
    case RunStatus::Interrupted:
        return host.serve(runId, EngineHost::StartMode::Resume);
    default:
        logs::info(QStringLiteral("run %1 is %2; nothing to execute").arg(runId, toString(run->status)));
        return kExitOk;
    }
}

} // namespace signalbox::cli
