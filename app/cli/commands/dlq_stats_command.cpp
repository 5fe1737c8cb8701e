#include "commands/dlq_stats_command.h"

#include "commands/dlq_json.h"
#include "store/store.h"

namespace signalbox::cli {

QString DlqStatsCommand::description() const {
    return QStringLiteral(
        "--json: {\"size\",\"max_size\",\"utilization\",\"by_status\",\"by_category\",\"by_policy\",\n"
        "\"lifetime\":{\"enqueued\",\"retry_success\",\"retry_failed\",\"exhausted\",\"manual_retries\",\n"
        "\"archived\"},\"removed\":{\"purged\",\"evicted\"},\"strategy\",\"processor\":{\"enabled\",\n"
        "\"interval_seconds\",\"parallelism\"},\"over_capacity\"}. Reads the store only.");
}

int DlqStatsCommand::execute(CliContext& context, const ParsedArgs&) {
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const dlq::DlqSettings settings = storedDlqSettings(*store);
    const dlq::DlqStats stats = dlqStatsFromStore(*store, settings);
    if (context.json())
        context.printJson(dlqStatsToJson(stats, settings));
    else
        context.print(formatDlqStats(stats, settings));
    return kExitOk;
}

} // namespace signalbox::cli
