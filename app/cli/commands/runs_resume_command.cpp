#include "commands/runs_resume_command.h"

#include "commands/engine_host.h"
#include "commands/run_handover.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

namespace signalbox::cli {
namespace {

constexpr int kHandoverDeadlineMs = 10'000; // see run_command.cpp
constexpr int kRetryIntervalMs = 50;

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

QString RunsResumeCommand::description() const {
    return QStringLiteral("Instances recorded succeeded never run again; the others do. Runs in the\n"
                          "foreground like 'run' (same output and exit codes). While a background process\n"
                          "(run --detach) executes runs, the run is handed to it and followed to the end;\n"
                          "while a foreground run executes: exit 3 naming that process.");
}

int RunsResumeCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    std::unique_ptr<LocklessEngine> lockless;
    const QDeadlineTimer deadline(kHandoverDeadlineMs);
    QString busy;
    for (;;) {
        {
            EngineHost host(context);
            busy.clear();
            const int code = host.open(0, true, &busy);
            if (code != kExitOk && busy.isEmpty())
                return code;
            if (busy.isEmpty()) {
                const auto run = host.store().run(runId);
                if (!run)
                    return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
                if (run->status == RunStatus::Succeeded)
                    return context.fail(
                        kExitBadInput,
                        QStringLiteral("run '%1' has already succeeded; nothing to resume").arg(runId));
                host.addLocalPool(run->maxConcurrent);
                return host.runForeground(runId, EngineHost::StartMode::Resume);
            }
        }
        const InterruptGuard interruptGuard;
        if (InterruptGuard::raised())
            return kExitInterrupted; // nothing handed over yet
        if (!lockless) {
            lockless = std::make_unique<LocklessEngine>(context);
            if (const int code = lockless->open(); code != kExitOk)
                return code;
            const auto run = lockless->store().run(runId);
            if (!run)
                return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
            if (run->status == RunStatus::Succeeded)
                return context.fail(
                    kExitBadInput,
                    QStringLiteral("run '%1' has already succeeded; nothing to resume").arg(runId));
        }
        const HolderKind holder = probeHolder(context.dataDir());
        if (holder == HolderKind::Foreground)
            break;
        if (holder == HolderKind::Executor) {
            const auto before = lockless->store().run(runId);
            QString error;
            const HandoverResult result =
                handOver(context.dataDir(), QStringLiteral("resume"), runId, &error);
            if (result == HandoverResult::Accepted)
                return lockless->follow(runId, before);
            if (result == HandoverResult::Busy)
                break;
            if (result == HandoverResult::Failed)
                return context.fail(kExitBadInput, error); // e.g. it is running already
        }
        if (deadline.hasExpired())
            break;
        waitMs(kRetryIntervalMs);
    }
    return context.fail(kExitCannotProceed, busy);
}

} // namespace signalbox::cli
