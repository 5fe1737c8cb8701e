#include "commands/runs_show_command.h"

#include "commands/run_liveness.h"
#include "commands/run_view.h"
#include "engine/run_json.h"
#include "store/store.h"

namespace signalbox::cli {

int RunsShowCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    auto run = store->run(runId);
    if (!run)
        return context.fail(kExitBadInput, QStringLiteral("unknown run '%1'").arg(runId));
    QList<InstanceRecord> instances = store->instances(runId);
    RunLiveness(context.dataDir(), *store).present(&*run, &instances);
    if (context.json())
        context.printJson(engine::runToJson(*run, &instances));
    else
        context.print(formatRunDetails(*run, instances));
    return kExitOk;
}

} // namespace signalbox::cli
