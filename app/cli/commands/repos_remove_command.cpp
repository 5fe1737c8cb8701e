#include "commands/repos_remove_command.h"

#include "logs/logging.h"
#include "store/store.h"

#include <QJsonObject>

namespace signalbox::cli {

int ReposRemoveCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString name = args.positional().constFirst();
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    bool known = false;
    for (const CatalogRepo& repo : store->catalog())
        known = known || repo.name == name;
    if (!known)
        return context.fail(kExitBadInput, QStringLiteral("unknown repo '%1'").arg(name));
    QString error;
    if (!store->removeCatalogRepo(name, &error))
        return context.fail(kExitBadInput, QStringLiteral("repos remove: %1").arg(error));
    logs::info(QStringLiteral("catalog: removed repo '%1'").arg(name));
    if (context.json())
        context.printJson(QJsonObject{{QStringLiteral("removed"), name}});
    else
        context.print(QStringLiteral("removed repo '%1'").arg(name));
    return kExitOk;
}

} // namespace signalbox::cli
