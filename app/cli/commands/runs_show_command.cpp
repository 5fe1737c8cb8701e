#include "commands/runs_show_command.h"

#include "commands/run_liveness.h"
#include "commands/run_view.h"
#include "engine/run_json.h"
#include "store/store.h"

namespace signalbox::cli {

int RunsShowCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    int code = kExitOk;
    std::optional<RunRecord> run;
    auto store = context.openStoreForRun(runId, &run, &code);
    if (!store)
        return code;
    QList<InstanceRecord> instances = store->instances(runId);
    RunLiveness(context.dataDir(), *store).present(&*run, &instances);
    if (context.json())
        context.printJson(engine::runToJson(*run, &instances));
    else
        context.print(formatRunDetails(*run, instances));
    return kExitOk;
}

} // namespace signalbox::cli
