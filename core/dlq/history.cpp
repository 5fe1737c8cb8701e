#include "dlq/history.h"

#include "domain/clock.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace signalbox::dlq {

QJsonObject toJson(const LaunchRecipe& recipe) {
    QJsonObject env;
    for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it)
        env.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("argv"), QJsonArray::fromStringList(recipe.argv)},
                       {QStringLiteral("env"), env},
                       {QStringLiteral("working_dir"), recipe.workingDir},
                       {QStringLiteral("pool"), recipe.pool}};
}

std::optional<LaunchRecipe> recipeFromJson(const QJsonObject& json) {
    const QJsonValue argv = json.value(QStringLiteral("argv"));
    if (!argv.isArray())
        return std::nullopt;
    LaunchRecipe recipe;
    for (const QJsonValue& arg : argv.toArray()) {
        if (!arg.isString())
            return std::nullopt;
        recipe.argv.append(arg.toString());
    }
    const QJsonObject env = json.value(QStringLiteral("env")).toObject();
    for (auto it = env.constBegin(); it != env.constEnd(); ++it)
        recipe.env.insert(it.key(), it.value().toString());
    recipe.workingDir = json.value(QStringLiteral("working_dir")).toString();
    recipe.pool = json.value(QStringLiteral("pool")).toString();
    return recipe;
}

QJsonObject toJson(const HistoryEvent& event) {
    QJsonObject json{{QStringLiteral("at"), isoUtc(event.atMs)}, {QStringLiteral("event"), event.event}};
    if (!event.actor.isEmpty())
        json.insert(QStringLiteral("by"), event.actor);
    if (!event.detail.isEmpty())
        json.insert(QStringLiteral("detail"), event.detail);
    if (event.exitCode)
        json.insert(QStringLiteral("exit_code"), *event.exitCode);
    if (event.recipe)
        json.insert(QStringLiteral("recipe"), toJson(*event.recipe));
    if (!event.runStatus.isEmpty())
        json.insert(QStringLiteral("run_status"), event.runStatus);
    return json;
}

QByteArray toJsonBytes(const HistoryEvent& event) {
    return QJsonDocument(toJson(event)).toJson(QJsonDocument::Compact);
}

QList<HistoryEvent> parseHistory(const QByteArray& historyJson) {
    QList<HistoryEvent> events;
    const QJsonArray array = QJsonDocument::fromJson(historyJson).array();
    for (const QJsonValue& value : array) {
        const QJsonObject json = value.toObject();
        HistoryEvent event;
        event.atMs = parseIsoUtc(json.value(QStringLiteral("at")).toString()).value_or(0);
        event.event = json.value(QStringLiteral("event")).toString();
        event.actor = json.value(QStringLiteral("by")).toString();
        event.detail = json.value(QStringLiteral("detail")).toString();
        if (json.contains(QStringLiteral("exit_code")))
            event.exitCode = json.value(QStringLiteral("exit_code")).toInt();
        if (json.contains(QStringLiteral("recipe")))
            event.recipe = recipeFromJson(json.value(QStringLiteral("recipe")).toObject());
        event.runStatus = json.value(QStringLiteral("run_status")).toString();
        if (!event.event.isEmpty())
            events.append(std::move(event));
    }
    return events;
}

} // namespace signalbox::dlq
