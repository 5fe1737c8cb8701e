#include "commands/dlq_audit_command.h"

#include "commands/dlq_json.h"
#include "store/store.h"

#include <QJsonArray>

namespace signalbox::cli {

QString DlqAuditCommand::description() const {
    return QStringLiteral("Every manual action on the dead letter queue (retry, edit-retry, archive, purge,\n"
                          "enqueue, settings, bulk jobs): when, who (the local user), what, on how many\n"
                          "entries and how it came out. --json: an array of\n"
                          "{\"at\",\"actor\",\"action\",\"target\",\"count\",\"outcome\"}, newest first.");
}

QList<OptionSpec> DlqAuditCommand::options() const {
    return {{QStringLiteral("limit"), QStringLiteral("N"), QStringLiteral("at most N records (default 50)")}};
}

int DlqAuditCommand::execute(CliContext& context, const ParsedArgs& args) {
    int limit = 50;
    QString error;
    if (args.isSet(QStringLiteral("limit"))) {
        const auto n = parsePositiveInt(QStringLiteral("limit"), args.value(QStringLiteral("limit")), &error);
        if (!n)
            return context.fail(kExitBadInput, error);
        limit = *n;
    }
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const QList<dlq::AuditRecord> records = store->audit(limit);
    if (context.json()) {
        QJsonArray array;
        for (const dlq::AuditRecord& record : records)
            array.append(dlqAuditToJson(record));
        context.printJson(array);
    } else if (records.isEmpty()) {
        context.note(QStringLiteral("no audit records"));
    } else {
        context.print(formatDlqAudit(records));
    }
    return kExitOk;
}

} // namespace signalbox::cli
