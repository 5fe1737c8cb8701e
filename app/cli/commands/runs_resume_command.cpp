#include "commands/runs_resume_command.h"

#include "commands/engine_host.h"
#include "store/store.h"

namespace signalbox::cli {

QString RunsResumeCommand::description() const {
    return QStringLiteral("Instances recorded succeeded never run again; the others do. Runs in the\n"
                          "foreground like 'run' (same output and exit codes). Needs the data dir's lock:\n"
                          "exit 3 while another process executes runs there.");
}

int RunsResumeCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    EngineHost host(context);
    if (const int code = host.open(0, true); code != kExitOk)
        return code;
    const auto run = host.store().run(runId);
    if (!run)
        return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
    if (run->status == RunStatus::Succeeded)
        return context.fail(kExitBadInput,
                            QStringLiteral("run '%1' has already succeeded; nothing to resume").arg(runId));
    host.addLocalPool(run->maxConcurrent);
    return host.runForeground(runId, EngineHost::StartMode::Resume);
}

} // namespace signalbox::cli
