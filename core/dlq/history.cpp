#include "dlq/history.h"

#include "domain/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <limits>

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

namespace {

// The elements of a JSON array that does not parse as a whole (cut short by a crash, or
// damaged in the middle), as separate texts: splits at top-level commas, tracking strings
// and nesting. Each element is parsed on its own later; broken ones are dropped.
QList<QByteArray> salvageElements(const QByteArray& text) {
    QList<QByteArray> elements;
    const qsizetype open = text.indexOf('[');
    if (open < 0)
        return elements;
    int depth = 0;
    bool inString = false, escaped = false;
    qsizetype start = open + 1;
    for (qsizetype i = open + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0) { // the array's own end
                elements.append(text.mid(start, i - start));
                return elements;
            }
            --depth;
        } else if (c == ',' && depth == 0) {
            elements.append(text.mid(start, i - start));
            start = i + 1;
        }
    }
    elements.append(text.mid(start)); // cut short: the last element is likely broken
    return elements;
}

std::optional<HistoryEvent> eventFromJson(const QJsonValue& value) {
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject json = value.toObject();
    HistoryEvent event;
    event.atMs = parseIsoUtc(json.value(QStringLiteral("at")).toString()).value_or(0);
    event.event = json.value(QStringLiteral("event")).toString();
    if (event.event.isEmpty())
        return std::nullopt;
    event.actor = json.value(QStringLiteral("by")).toString();
    event.detail = json.value(QStringLiteral("detail")).toString();
    // A wrong type or a fraction is no exit code (toInt would make it 0, "success").
    if (const QJsonValue code = json.value(QStringLiteral("exit_code")); code.isDouble()) {
        const qint64 integer = code.toInteger(std::numeric_limits<qint64>::min());
        if (integer >= std::numeric_limits<int>::min() && integer <= std::numeric_limits<int>::max())
            event.exitCode = static_cast<int>(integer);
    }
    if (json.contains(QStringLiteral("recipe")))
        event.recipe = recipeFromJson(json.value(QStringLiteral("recipe")).toObject());
    event.runStatus = json.value(QStringLiteral("run_status")).toString();
    return event;
}

} // namespace

QList<HistoryEvent> parseHistory(const QByteArray& historyJson) {
    QList<HistoryEvent> events;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(historyJson, &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        const QJsonArray array = document.array(); // not an array: no events
        events.reserve(array.size());
        for (const QJsonValue& value : array) {
            if (auto event = eventFromJson(value))
                events.append(std::move(*event));
        }
        return events;
    }
    for (const QByteArray& element : salvageElements(historyJson)) {
        // An object parses as a document of its own; anything else is no event anyway.
        const QJsonDocument one = QJsonDocument::fromJson(element.trimmed());
        if (one.isObject()) {
            if (auto event = eventFromJson(one.object()))
                events.append(std::move(*event));
        }
    }
    return events;
}

} // namespace signalbox::dlq
