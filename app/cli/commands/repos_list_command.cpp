#include "commands/repos_list_command.h"

#include "commands/repo_json.h"
#include "commands/run_view.h"
#include "store/store.h"

#include <QFileInfo>
#include <QJsonArray>

namespace signalbox::cli {

QString ReposListCommand::description() const {
    return QStringLiteral("A repo whose path no longer exists is listed as MISSING (\"exists\": false in\n"
                          "--json) and named in a warning on stderr. --tag given several times matches\n"
                          "repos with any of the tags.");
}

QList<OptionSpec> ReposListCommand::options() const {
    return {
        {QStringLiteral("tag"), QStringLiteral("T"), QStringLiteral("only repos with this tag"), true},
        {QStringLiteral("role"), QStringLiteral("R"), QStringLiteral("only repos with this role"), true},
    };
}

int ReposListCommand::execute(CliContext& context, const ParsedArgs& args) {
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    const QStringList tags = args.values(QStringLiteral("tag"));
    const QStringList roles = args.values(QStringLiteral("role"));
    QList<CatalogRepo> selected;
    for (const CatalogRepo& repo : store->catalog()) {
        if (!tags.isEmpty()) {
            bool any = false;
            for (const QString& tag : tags)
                any = any || repo.tags.contains(tag);
            if (!any)
                continue;
        }
        if (!roles.isEmpty() && !roles.contains(repo.role))
            continue;
        selected << repo;
    }
    for (const CatalogRepo& repo : selected) {
        if (!QFileInfo(repo.path).isDir())
            context.warn(QStringLiteral("repo '%1': path %2 does not exist").arg(repo.name, repo.path));
    }
    if (context.json()) {
        QJsonArray array;
        for (const CatalogRepo& repo : selected)
            array.append(repoToJson(repo));
        context.printJson(array);
        return kExitOk;
    }
    if (selected.isEmpty()) {
        context.note(QStringLiteral("no repositories in the catalog%1")
                         .arg(tags.isEmpty() && roles.isEmpty() ? QString() : QStringLiteral(" match")));
        return kExitOk;
    }
    QList<QStringList> rows;
    rows << QStringList{QStringLiteral("NAME"), QStringLiteral("ROLE"), QStringLiteral("TAGS"),
                        QStringLiteral("PATH")};
    for (const CatalogRepo& repo : selected) {
        const bool exists = QFileInfo(repo.path).isDir();
        rows << QStringList{repo.name, repo.role.isEmpty() ? QStringLiteral("-") : repo.role,
                            repo.tags.isEmpty() ? QStringLiteral("-") : repo.tags.join(u','),
                            exists ? repo.path : repo.path + QStringLiteral("  (MISSING)")};
    }
    context.print(formatTable(rows));
    return kExitOk;
}

} // namespace signalbox::cli
