#include "commands/dlq_show_command.h"

#include "commands/dlq_json.h"
#include "store/store.h"

namespace signalbox::cli {

QString DlqShowCommand::description() const {
    return QStringLiteral(
        "Everything about one dead letter: the entry (as dlq list), exit code or signal, the\n"
        "original recipe (command, env, working dir, pool), the edited recipe of an\n"
        "edit-and-retry (or null), the tail of its output, its history (every failure,\n"
        "retry, edit, archive) and the attempts of the instance in its run.\n"
        "Unknown id: exit 2.");
}

QList<OptionSpec> DlqShowCommand::options() const {
    return {};
}

int DlqShowCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString id = args.positional().constFirst();
    const auto key = dlq::entryKeyFromId(id);
    if (!key)
        return context.fail(kExitBadInput, QStringLiteral("unknown dead letter '%1'").arg(id));
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const auto entry = store->dlqEntry(*key);
    if (!entry)
        return context.fail(kExitBadInput, QStringLiteral("unknown dead letter '%1'").arg(id));
    const QList<AttemptRecord> attempts = store->attempts(entry->runId, entry->index);
    if (context.json())
        context.printJson(dlqEntryDetailsToJson(*entry, attempts));
    else
        context.print(formatDlqEntryDetails(*entry, attempts));
    return kExitOk;
}

} // namespace signalbox::cli
