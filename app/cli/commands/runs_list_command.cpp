#include "commands/runs_list_command.h"

#include "commands/run_liveness.h"
#include "commands/run_view.h"
#include "engine/run_json.h"
#include "store/store.h"

#include <QJsonArray>
#include <algorithm>

namespace signalbox::cli {

QString RunsListCommand::description() const {
    return QStringLiteral("--json prints an array of run objects without \"tasks\".\n"
                          "--limit 0 lists every run (default 50).");
}

QList<OptionSpec> RunsListCommand::options() const {
    return {
        {QStringLiteral("status"), QStringLiteral("STATUS"),
         QStringLiteral("queued|running|succeeded|failed|cancelled|interrupted")},
        {QStringLiteral("workflow"), QStringLiteral("NAME"), QStringLiteral("only runs of this workflow")},
        {QStringLiteral("limit"), QStringLiteral("N"),
         QStringLiteral("at most N runs (default 50, 0 = all)")},
    };
}

int RunsListCommand::execute(CliContext& context, const ParsedArgs& args) {
    store::RunFilter filter;
    QString error;
    if (args.isSet(QStringLiteral("status"))) {
        const QString text = args.value(QStringLiteral("status"));
        filter.status = runStatusFromString(text);
        if (!filter.status)
            return context.fail(kExitBadInput,
                                QStringLiteral("invalid value '%1' for --status: expected queued, running, "
                                               "succeeded, failed, cancelled or interrupted")
                                    .arg(text));
    }
    filter.workflow = args.value(QStringLiteral("workflow"));
    if (args.isSet(QStringLiteral("limit"))) {
        const auto limit =
            parseNonNegativeInt(QStringLiteral("limit"), args.value(QStringLiteral("limit")), &error);
        if (!limit)
            return context.fail(kExitBadInput, error);
        filter.limit = *limit;
    }
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    // Runs left `running` by a process that died are shown as interrupted (run_liveness.h).
    RunLiveness liveness(context.dataDir(), *store);
    QList<RunRecord> runs;
    if (filter.status == RunStatus::Running || filter.status == RunStatus::Interrupted) {
        const RunStatus wanted = *filter.status;
        QList<RunRecord> candidates = store->runs(store::RunFilter{RunStatus::Running, filter.workflow, 0});
        if (wanted == RunStatus::Interrupted)
            candidates += store->runs(store::RunFilter{RunStatus::Interrupted, filter.workflow, 0});
        std::sort(candidates.begin(), candidates.end(), [](const RunRecord& a, const RunRecord& b) {
            return a.createdAtMs != b.createdAtMs ? a.createdAtMs > b.createdAtMs : a.id > b.id;
        });
        for (RunRecord run : candidates) {
            liveness.present(&run);
            if (run.status != wanted)
                continue;
            runs.append(run);
            if (filter.limit > 0 && runs.size() >= filter.limit)
                break;
        }
    } else {
        runs = store->runs(filter);
        for (RunRecord& run : runs)
            liveness.present(&run);
    }
    if (context.json()) {
        QJsonArray array;
        for (const RunRecord& run : runs)
            array.append(engine::runToJson(run, nullptr));
        context.printJson(array);
    } else if (runs.isEmpty()) {
        context.note(QStringLiteral("no runs"));
    } else {
        context.print(formatRunList(runs));
    }
    return kExitOk;
}

} // namespace signalbox::cli
