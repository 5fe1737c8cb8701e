#include "commands/dlq_archive_command.h"

#include "commands/dlq_bulk.h"
#include "store/store.h"

namespace signalbox::cli {

QString DlqArchiveCommand::description() const {
    return QStringLiteral(
        "Archived entries are kept (and listed with --status archived) but never retried\n"
        "automatically; they are the first to make room when the queue is full, and 'dlq purge'\n"
        "deletes them for good. Ids named one by one act at once; --filter-* flags (without\n"
        "--filter-status: pending, exhausted and completed entries) need --yes.\n"
        "Exit 0 when every entry was archived, 1 when one could not be, 2 for an unknown,\n"
        "already archived or retrying entry or a filter matching nothing.");
}

QList<OptionSpec> DlqArchiveCommand::options() const {
    return dlqBulkActionOptions(false);
}

int DlqArchiveCommand::execute(CliContext& context, const ParsedArgs& args) {
    DlqBulkRequest request;
    request.action = dlq::BulkAction::Archive;
    if (const int code = parseDlqSelection(
            context, args, {dlq::DlqStatus::Pending, dlq::DlqStatus::Exhausted, dlq::DlqStatus::Completed},
            &request);
        code != kExitOk)
        return code;
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    code = checkDlqIds(context, *store, request.filter.keys, [](const dlq::DeadLetter& entry) {
        if (entry.status == dlq::DlqStatus::Archived)
            return QStringLiteral("%1 is already archived").arg(entry.id());
        if (entry.status == dlq::DlqStatus::Retrying)
            return QStringLiteral("%1 is retrying; archive it once the retry has ended").arg(entry.id());
        return QString();
    });
    if (code != kExitOk)
        return code;
    return runDlqBulk(context, *store, request);
}

} // namespace signalbox::cli
