#include "commands/repos_add_command.h"

#include "commands/repo_json.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace signalbox::cli {

QString ReposAddCommand::description() const {
    return QStringLiteral("PATH must be an existing directory; it is stored absolute and canonical\n"
                          "(symlinks resolved). The name defaults to the last path component. Adding a\n"
                          "name that exists replaces that entry.");
}

QList<OptionSpec> ReposAddCommand::options() const {
    return {
        {QStringLiteral("name"), QStringLiteral("N"),
         QStringLiteral("catalog name ([A-Za-z0-9_.-], 1..64 chars)")},
        {QStringLiteral("tag"), QStringLiteral("T"), QStringLiteral("tag used to select repos"), true},
        {QStringLiteral("role"), QStringLiteral("R"), QStringLiteral("role, e.g. service, library")},
        {QStringLiteral("description"), QStringLiteral("TEXT"), QStringLiteral("free text")},
    };
}

int ReposAddCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString given = args.positional().constFirst();
    const QFileInfo info(given);
    if (!info.exists())
        return context.fail(kExitBadInput, QStringLiteral("repos add: path '%1' does not exist").arg(given));
    if (!info.isDir())
        return context.fail(kExitBadInput,
                            QStringLiteral("repos add: path '%1' is not a directory").arg(given));

    CatalogRepo repo;
    repo.path = info.canonicalFilePath();
    repo.name = args.isSet(QStringLiteral("name")) ? args.value(QStringLiteral("name"))
                                                   : QFileInfo(repo.path).fileName();
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!namePattern.match(repo.name).hasMatch())
        return context.fail(
            kExitBadInput,
            QStringLiteral(
                "repos add: invalid name '%1': use 1..64 of A-Z a-z 0-9 _ . - (set one with --name)")
                .arg(repo.name));
    static const QRegularExpression tagPattern(QStringLiteral("^[A-Za-z0-9_.:/-]{1,64}$"));
    for (const QString& tag : args.values(QStringLiteral("tag"))) {
        if (!tagPattern.match(tag).hasMatch())
            return context.fail(kExitBadInput, QStringLiteral("repos add: invalid tag '%1'").arg(tag));
        if (!repo.tags.contains(tag))
            repo.tags << tag;
    }
    repo.role = args.value(QStringLiteral("role"));
    repo.description = args.value(QStringLiteral("description"));

    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    bool existed = false;
    for (const CatalogRepo& known : store->catalog())
        existed = existed || known.name == repo.name;
    QString error;
    if (!store->upsertCatalogRepo(repo, &error))
        return context.fail(kExitCannotProceed, QStringLiteral("repos add: %1").arg(error));
    logs::info(QStringLiteral("catalog: %1 repo '%2' at %3")
                   .arg(existed ? QStringLiteral("updated") : QStringLiteral("added"), repo.name, repo.path));
    if (context.json())
        context.printJson(repoToJson(repo));
    else
        context.print(
            QStringLiteral("%1 repo '%2' (%3)")
                .arg(existed ? QStringLiteral("updated") : QStringLiteral("added"), repo.name, repo.path));
    return kExitOk;
}

} // namespace signalbox::cli
