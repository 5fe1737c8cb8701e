#include "commands/dlq_list_command.h"

#include "commands/dlq_filter_flags.h"
#include "commands/dlq_json.h"
#include "store/store.h"

#include <QJsonArray>

namespace signalbox::cli {
namespace {

constexpr int kMaxLimit = 10'000;

std::optional<dlq::DlqSortKey> sortKeyFromString(const QString& text) {
    static const QList<std::pair<QString, dlq::DlqSortKey>> keys{
        {QStringLiteral("enqueued"), dlq::DlqSortKey::Enqueued},
        {QStringLiteral("updated"), dlq::DlqSortKey::Updated},
        {QStringLiteral("next_retry"), dlq::DlqSortKey::NextRetry},
        {QStringLiteral("workflow"), dlq::DlqSortKey::Workflow},
        {QStringLiteral("task"), dlq::DlqSortKey::Task},
        {QStringLiteral("repo"), dlq::DlqSortKey::Repo},
        {QStringLiteral("category"), dlq::DlqSortKey::Category},
        {QStringLiteral("status"), dlq::DlqSortKey::Status},
        {QStringLiteral("attempts"), dlq::DlqSortKey::Attempts},
    };
    for (const auto& [name, key] : keys) {
        if (name == text)
            return key;
    }
    return std::nullopt;
}

} // namespace

QString DlqListCommand::description() const {
    return QStringLiteral(
        "Entries newest first (--sort/--asc to change), --limit per page (default 50, at most\n"
        "10000; 0 = 10000); --after ID continues after the last id of the previous page (keyset paging).\n"
        "--group lists groups of the same failure (task + error with volatile parts removed),\n"
        "largest first: count, signature, task, newest/oldest, a sample error and up to 20 ids.\n"
        "--json: an array of entries (cli.md), or with --group an array of\n"
        "{\"signature\",\"sample_error\",\"count\",\"ids\",\"task\",\"newest\",\"oldest\"}.\n"
        "Reads the store only: works while another process holds the data dir.");
}

QList<OptionSpec> DlqListCommand::options() const {
    QList<OptionSpec> options = dlqListFilterOptions();
    options << OptionSpec{QStringLiteral("group"), {}, QStringLiteral("list groups of the same failure")}
            << OptionSpec{QStringLiteral("limit"), QStringLiteral("N"),
                          QStringLiteral("at most N entries/groups (default 50, 0 = 10000)")}
            << OptionSpec{QStringLiteral("after"), QStringLiteral("ENTRY_ID"),
                          QStringLiteral("the page after this entry (keyset paging)")}
            << OptionSpec{QStringLiteral("sort"), QStringLiteral("KEY"),
                          QStringLiteral(
                              "enqueued|updated|next_retry|workflow|task|repo|category|status|attempts")}
            << OptionSpec{QStringLiteral("asc"), {}, QStringLiteral("ascending order (default descending)")};
    return options;
}

int DlqListCommand::execute(CliContext& context, const ParsedArgs& args) {
    QString error;
    dlq::DlqFilter filter;
    if (!parseDlqListFilters(args, &filter, &error))
        return context.fail(kExitBadInput, error);
    int limit = 50;
    if (args.isSet(QStringLiteral("limit"))) {
        const auto n =
            parseNonNegativeInt(QStringLiteral("limit"), args.value(QStringLiteral("limit")), &error);
        if (!n)
            return context.fail(kExitBadInput, error);
        if (*n > kMaxLimit)
            return context.fail(kExitBadInput, QStringLiteral("invalid value '%1' for --limit: at most %2")
                                                   .arg(args.value(QStringLiteral("limit")))
                                                   .arg(kMaxLimit));
        limit = *n == 0 ? kMaxLimit : *n; // 0: as many as one page can hold
    }
    const bool group = args.isSet(QStringLiteral("group"));
    dlq::DlqPageRequest page;
    page.limit = limit;
    if (args.isSet(QStringLiteral("sort"))) {
        const auto key = sortKeyFromString(args.value(QStringLiteral("sort")));
        if (!key)
            return context.fail(
                kExitBadInput,
                QStringLiteral("invalid value '%1' for --sort: expected enqueued, updated, "
                               "next_retry, workflow, task, repo, category, status or attempts")
                    .arg(args.value(QStringLiteral("sort"))));
        page.sort.key = *key;
    }
    page.sort.descending = !args.isSet(QStringLiteral("asc"));
    if (group && (args.isSet(QStringLiteral("after")) || args.isSet(QStringLiteral("sort"))))
        return context.fail(kExitBadInput,
                            QStringLiteral("--group lists groups largest first; --after and --sort "
                                           "apply to entries"));

    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    if (args.isSet(QStringLiteral("after"))) {
        const QString id = args.value(QStringLiteral("after"));
        const auto key = dlq::entryKeyFromId(id);
        std::optional<dlq::DeadLetter> after = key ? store->dlqEntry(*key) : std::nullopt;
        if (!after)
            return context.fail(kExitBadInput,
                                QStringLiteral("unknown dead letter '%1' for --after").arg(id));
        page.after = after;
    }

    if (group) {
        dlq::DlqGroupRequest request;
        request.limit = limit;
        const QList<dlq::DlqGroup> groups = store->dlqGroups(filter, request);
        if (context.json()) {
            QJsonArray array;
            for (const dlq::DlqGroup& g : groups)
                array.append(dlqGroupToJson(g));
            context.printJson(array);
        } else if (groups.isEmpty()) {
            context.note(QStringLiteral("no dead letters"));
        } else {
            context.print(formatDlqGroups(groups));
        }
        return kExitOk;
    }
    const QList<dlq::DeadLetter> entries = store->dlqEntries(filter, page);
    if (context.json()) {
        QJsonArray array;
        for (const dlq::DeadLetter& entry : entries)
            array.append(dlqEntryToJson(entry));
        context.printJson(array);
    } else if (entries.isEmpty()) {
        context.note(QStringLiteral("no dead letters"));
    } else {
        context.print(formatDlqEntries(entries));
        if (entries.size() == limit)
            context.note(QStringLiteral("(more may follow: --after %1)").arg(entries.last().id()));
    }
    return kExitOk;
}

} // namespace signalbox::cli
