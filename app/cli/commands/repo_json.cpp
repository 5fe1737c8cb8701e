#include "commands/repo_json.h"

#include <QFileInfo>
#include <QJsonArray>

namespace signalbox::cli {

QJsonObject repoToJson(const CatalogRepo& repo) {
    return QJsonObject{
        {QStringLiteral("name"), repo.name},
        {QStringLiteral("path"), repo.path},
        {QStringLiteral("tags"), QJsonArray::fromStringList(repo.tags)},
        {QStringLiteral("role"), repo.role.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(repo.role)},
        {QStringLiteral("description"),
         repo.description.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(repo.description)},
        {QStringLiteral("exists"), QFileInfo(repo.path).isDir()},
    };
}

} // namespace signalbox::cli
