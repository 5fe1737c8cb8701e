#include "commands/dlq_purge_command.h"

#include "commands/dlq_bulk.h"
#include "commands/dlq_filter_flags.h"
#include "domain/clock.h"
#include "store/store.h"

namespace signalbox::cli {

QString DlqPurgeCommand::description() const {
    return QStringLiteral(
        "Deletes archived entries for good (their history goes with them; the audit journal\n"
        "keeps the action). 'dlq purge --archived' selects every archived entry,\n"
        "--older-than 30d those enqueued more than 30 days ago; --filter-* flags narrow it\n"
        "further. That is a bulk action: without --yes it only says how many entries it would\n"
        "delete. Ids named one by one act at once and must be archived (exit 2 otherwise:\n"
        "archive them first).");
}

QList<OptionSpec> DlqPurgeCommand::options() const {
    QList<OptionSpec> options = dlqBulkActionOptions(false);
    options.prepend(OptionSpec{QStringLiteral("older-than"), QStringLiteral("DURATION"),
                               QStringLiteral("only entries enqueued more than DURATION ago (30d, 12h)")});
    options.prepend(
        OptionSpec{QStringLiteral("archived"), {}, QStringLiteral("every archived entry (bulk)")});
    return options;
}

int DlqPurgeCommand::execute(CliContext& context, const ParsedArgs& args) {
    const bool archived = args.isSet(QStringLiteral("archived"));
    const bool olderThan = args.isSet(QStringLiteral("older-than"));
    if ((archived || olderThan) && !args.positional().isEmpty())
        return context.fail(kExitBadInput, QStringLiteral("give entry ids or --archived, not both"));
    if (args.positional().isEmpty() && !archived && !olderThan) {
        bool anyFilter = false;
        for (const OptionSpec& spec : dlqBulkFilterOptions())
            anyFilter = anyFilter || args.isSet(spec.name);
        if (!anyFilter)
            return context.fail(
                kExitBadInput,
                QStringLiteral("give archived entry ids, or --archived [--older-than DURATION]"));
    }
    DlqBulkRequest request;
    request.action = dlq::BulkAction::Purge;
    // Only archived entries can be purged: a bulk purge selects them whatever else is asked.
    for (const QString& status : args.values(QStringLiteral("filter-status"))) {
        if (status != u"archived")
            return context.fail(
                kExitBadInput,
                QStringLiteral("invalid value '%1' for --filter-status: purge removes archived "
                               "entries only")
                    .arg(status));
    }
    std::optional<qint64> olderThanMs;
    if (olderThan) {
        olderThanMs = parseDlqDuration(args.value(QStringLiteral("older-than")));
        if (!olderThanMs)
            return context.fail(kExitBadInput,
                                QStringLiteral("invalid value '%1' for --older-than: expected a "
                                               "duration (30d, 12h, 90m)")
                                    .arg(args.value(QStringLiteral("older-than"))));
    }
    if (args.positional().isEmpty()) {
        // Bulk: make the filter parser see a filter even when only --archived was given.
        ParsedArgs bulkArgs = args;
        if (!bulkArgs.isSet(QStringLiteral("filter-status")))
            bulkArgs.add(QStringLiteral("filter-status"), QStringLiteral("archived"));
        if (const int code = parseDlqSelection(context, bulkArgs, {dlq::DlqStatus::Archived}, &request);
            code != kExitOk)
            return code;
        if (olderThanMs) {
            const qint64 before = qMax<qint64>(Clock::instance().nowMs() - *olderThanMs, 1);
            request.filter.enqueuedBeforeMs =
                request.filter.enqueuedBeforeMs > 0 ? qMin(request.filter.enqueuedBeforeMs, before) : before;
            request.selector = describeDlqFilter(request.filter);
        }
    } else if (const int code = parseDlqSelection(context, args, {}, &request); code != kExitOk) {
        return code;
    }
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    code = checkDlqIds(context, *store, request.filter.keys, [](const dlq::DeadLetter& entry) {
        if (entry.status != dlq::DlqStatus::Archived)
            return QStringLiteral("%1 is %2; only archived entries can be purged (archive it first)")
                .arg(entry.id(), dlq::toString(entry.status));
        return QString();
    });
    if (code != kExitOk)
        return code;
    return runDlqBulk(context, *store, request);
}

} // namespace signalbox::cli
