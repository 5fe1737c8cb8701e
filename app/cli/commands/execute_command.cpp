#include "commands/execute_command.h"

#include "commands/engine_host.h"
#include "logs/logging.h"
#include "store/store.h"

#include <csignal>
#include <unistd.h>

namespace signalbox::cli {
namespace {
constexpr int kLockWaitMs = 60'000;
}

int ExecuteCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    // Leave the terminal's process group and session: Ctrl-C in the shell that ran
    // `run --detach` must not reach this process.
    ::setsid();
    ::signal(SIGHUP, SIG_IGN);

    EngineHost host(context);
    // No crash recovery here: it would mark this very run (still queued) interrupted.
    if (const int code = host.open(kLockWaitMs, false); code != kExitOk)
        return code;
    const auto run = host.store().run(runId);
    if (!run)
        return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
    host.addLocalPool(run->maxConcurrent);
    switch (run->status) {
    case RunStatus::Queued:
        return host.runForeground(runId, EngineHost::StartMode::Start);
    case RunStatus::Interrupted:
        return host.runForeground(runId, EngineHost::StartMode::Resume);
    default:
        logs::info(QStringLiteral("run %1 is %2; nothing to execute").arg(runId, toString(run->status)));
        return kExitOk;
    }
}

} // namespace signalbox::cli
