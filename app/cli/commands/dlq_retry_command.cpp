#include "commands/dlq_retry_command.h"

#include "commands/dlq_bulk.h"
#include "store/store.h"

namespace signalbox::cli {

QString DlqRetryCommand::description() const {
    return QStringLiteral(
        "Runs the failed instances again in their original runs (on success the entry is\n"
        "completed, the run's skipped dependents run and the run's status is recomputed).\n"
        "Ids named one by one act at once; --filter-* flags (a bulk action; without\n"
        "--filter-status they select pending and exhausted entries) only say how many entries\n"
        "they would retry unless --yes is given. --dry-run never changes anything.\n"
        "The retries run as a bulk job (throttled by the queue's parallelism) in this process,\n"
        "or in the process that holds the data dir; the per-entry results are printed.\n"
        "Exit 0 when every retry succeeded, 1 when one failed, 2 for an unknown or completed\n"
        "entry or a filter matching nothing, 3 when the data dir's holder takes no jobs.\n"
        "--detach: start the job in the background, print its id (--json: the job) and exit 0.");
}

QList<OptionSpec> DlqRetryCommand::options() const {
    return dlqBulkActionOptions(true);
}

int DlqRetryCommand::execute(CliContext& context, const ParsedArgs& args) {
    DlqBulkRequest request;
    request.action = dlq::BulkAction::Retry;
    if (const int code =
            parseDlqSelection(context, args, {dlq::DlqStatus::Pending, dlq::DlqStatus::Exhausted}, &request);
        code != kExitOk)
        return code;
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    code = checkDlqIds(context, *store, request.filter.keys, [](const dlq::DeadLetter& entry) {
        if (entry.status == dlq::DlqStatus::Completed)
            return QStringLiteral("%1 is completed; there is nothing to retry").arg(entry.id());
        return QString();
    });
    if (code != kExitOk)
        return code;
    return runDlqBulk(context, *store, request);
}

} // namespace signalbox::cli
