// Task-level settings shared by tasks and `defaults:`.
#include "workflow/readers.h"

#include "workflow/duration.h"
#include "workflow/suggest.h"

#include <QRegularExpression>

namespace signalbox::workflow::detail {

namespace {

const QStringList& dlqPolicies() {
    static const QStringList values = {QStringLiteral("never"), QStringLiteral("immediate"),
                                       QStringLiteral("linear"), QStringLiteral("exponential")};
    return values;
}

const QStringList& qualityCategories() {
    static const QStringList values = {QStringLiteral("security"),     QStringLiteral("performance"),
                                       QStringLiteral("testing"),      QStringLiteral("architecture"),
                                       QStringLiteral("code_quality"), QStringLiteral("documentation")};
    return values;
}

const QStringList& reportKinds() {
    static const QStringList values = {QStringLiteral("junit"), QStringLiteral("cobertura"), QStringLiteral("sarif")};
    return values;
}

// "a, b or c"
QString oneOf(const QStringList& values) {
    QString out;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += i == values.size() - 1 ? QStringLiteral(" or ") : QStringLiteral(", ");
        out += values.at(i);
    }
    return out;
}

std::optional<QString> enumValue(Checker& checker, const YamlNode& node, const QString& what,
                                 const QStringList& values) {
    const std::optional<QString> value = checker.string(node, quoted(what));
    if (!value)
        return std::nullopt;
    if (!values.contains(*value)) {
        const QString suggestion = didYouMean(*value, values);
        checker.error(node.pos, QStringLiteral("invalid %1 '%2'").arg(what, *value)
                                    + (suggestion.isEmpty() ? QStringLiteral(" (expected %1)").arg(oneOf(values)) : suggestion));
        return std::nullopt;
    }
    return value;
}

QMap<QString, QString> readScalarMap(Checker& checker, const YamlNode& node, const QString& what,
                                     const QString& valueWhat) {
    QMap<QString, QString> out;
    if (!checker.expectMap(node, what))
        return out;
    for (const YamlEntry& entry : node.entries) {
        if (!entry.keyIsScalar) {
            checker.error(entry.keyPos, QStringLiteral("keys must be plain strings"));
            continue;
        }
        if (out.contains(entry.key)) {
            checker.error(entry.keyPos, QStringLiteral("duplicate key '%1'").arg(entry.key));
            continue;
        }
        const std::optional<QString> value =
            checker.string(entry.value, QStringLiteral("%1 '%2'").arg(valueWhat, entry.key), true);
        if (value)
            out.insert(entry.key, *value);
    }
    return out;
}

QMap<QString, QString> readReports(Checker& checker, const YamlNode& node) {
    QMap<QString, QString> out;
    if (!checker.expectMap(node, QStringLiteral("'reports'")))
        return out;
    checker.checkKeys(node, reportKinds());
    for (const YamlEntry& entry : node.entries) {
        if (!entry.keyIsScalar || !reportKinds().contains(entry.key) || out.contains(entry.key))
            continue;
        const std::optional<QString> path = checker.string(entry.value, QStringLiteral("report path '%1'").arg(entry.key));
        if (path)
            out.insert(entry.key, *path);
    }
    return out;
}

QList<QualityRule> readQuality(Checker& checker, const YamlNode& node) {
    QList<QualityRule> rules;
    if (!checker.expectList(node, QStringLiteral("'quality'")))
        return rules;
    static const QStringList keys = {QStringLiteral("metric"), QStringLiteral("category"), QStringLiteral("min"),
                                     QStringLiteral("max")};
    for (const YamlNode& item : node.items) {
        if (!checker.expectMap(item, QStringLiteral("quality rule")))
            continue;
        checker.checkKeys(item, keys);
        QualityRule rule;
        bool ok = true;
        if (const YamlEntry* e = Checker::find(item, QLatin1StringView("metric"))) {
            const std::optional<QString> metric = checker.string(e->value, QStringLiteral("'metric'"));
            ok = ok && metric.has_value();
            rule.metric = metric.value_or(QString());
        } else {
            checker.error(item.pos, QStringLiteral("missing required key 'metric' in quality rule"));
            ok = false;
        }
        if (const YamlEntry* e = Checker::find(item, QLatin1StringView("category"))) {
            const std::optional<QString> category =
                enumValue(checker, e->value, QStringLiteral("category"), qualityCategories());
            ok = ok && category.has_value();
            rule.category = category.value_or(QString());
        } else {
            checker.error(item.pos, QStringLiteral("missing required key 'category' in quality rule"));
            ok = false;
        }
        const YamlEntry* minEntry = Checker::find(item, QLatin1StringView("min"));
        const YamlEntry* maxEntry = Checker::find(item, QLatin1StringView("max"));
        if (minEntry) {
            rule.min = checker.number(minEntry->value, QStringLiteral("'min'"));
            ok = ok && rule.min.has_value();
        }
        if (maxEntry) {
            rule.max = checker.number(maxEntry->value, QStringLiteral("'max'"));
            ok = ok && rule.max.has_value();
        }
        if (!minEntry && !maxEntry) {
            checker.error(item.pos, QStringLiteral("quality rule needs 'min' or 'max'"));
            ok = false;
        }
        if (rule.min && rule.max && *rule.min > *rule.max) {
            checker.error(minEntry->value.pos,
                          QStringLiteral("quality rule 'min' (%1) is greater than 'max' (%2)")
                              .arg(QString::number(*rule.min), QString::number(*rule.max)));
            ok = false;
        }
        if (ok)
            rules.append(rule);
    }
    return rules;
}

} // namespace

const QStringList& settingsKeys() {
    static const QStringList keys = {
        QStringLiteral("for_each"), QStringLiteral("where_tags"), QStringLiteral("working_dir"),
        QStringLiteral("timeout"),  QStringLiteral("retries"),    QStringLiteral("pool"),
        QStringLiteral("env"),      QStringLiteral("dlq_policy"), QStringLiteral("reports"),
        QStringLiteral("labels"),   QStringLiteral("quality")};
    return keys;
}

const QStringList& taskKeys() {
    static const QStringList keys =
        QStringList{QStringLiteral("id"), QStringLiteral("needs"), QStringLiteral("run")} + settingsKeys();
    return keys;
}

QMap<QString, QString> readEnv(Checker& checker, const YamlNode& node, const QString& what,
                               QMap<QString, SourcePos>* valuePos) {
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QMap<QString, QString> env;
    if (!checker.expectMap(node, what))
        return env;
    for (const YamlEntry& entry : node.entries) {
        if (!entry.keyIsScalar) {
            checker.error(entry.keyPos, QStringLiteral("keys must be plain strings"));
            continue;
        }
        if (env.contains(entry.key)) {
            checker.error(entry.keyPos, QStringLiteral("duplicate key '%1'").arg(entry.key));
            continue;
        }
        if (!namePattern.match(entry.key).hasMatch()) {
            checker.error(entry.keyPos, QStringLiteral("invalid environment variable name '%1'").arg(entry.key));
            continue;
        }
        const std::optional<QString> value =
            checker.string(entry.value, QStringLiteral("env '%1'").arg(entry.key), true);
        if (!value)
            continue;
        env.insert(entry.key, *value);
        if (valuePos)
            valuePos->insert(entry.key, entry.value.pos);
    }
    return env;
}

void readSettings(Checker& checker, const YamlNode& map, TaskSettings* settings, SettingsSource* source) {
    QStringList done; // duplicates are reported by checkKeys; read the first only
    for (const YamlEntry& entry : map.entries) {
        if (!entry.keyIsScalar || done.contains(entry.key))
            continue;
        done.append(entry.key);
        const QString& key = entry.key;
        const YamlNode& value = entry.value;
        if (key == QLatin1StringView("pool")) {
            settings->pool = checker.string(value, QStringLiteral("'pool'"));
        } else if (key == QLatin1StringView("timeout")) {
            if (const std::optional<QString> text = checker.string(value, QStringLiteral("'timeout'"))) {
                settings->timeoutMs = parseDuration(text->trimmed());
                if (!settings->timeoutMs)
                    checker.error(value.pos, QStringLiteral("invalid duration '%1' for 'timeout' "
                                                            "(expected a positive number and a unit: "
                                                            "250ms, 30s, 10m, 2h)")
                                                 .arg(*text));
            }
        } else if (key == QLatin1StringView("retries")) {
            if (const std::optional<qint64> n = checker.integer(value, QStringLiteral("'retries'"))) {
                if (*n < 0 || *n > 10)
                    checker.error(value.pos, QStringLiteral("'retries' must be between 0 and 10, got %1").arg(*n));
                else
                    settings->retries = int(*n);
            }
        } else if (key == QLatin1StringView("working_dir")) {
            settings->workingDir = checker.string(value, QStringLiteral("'working_dir'"));
            source->workingDir = value.pos;
        } else if (key == QLatin1StringView("dlq_policy")) {
            settings->dlqPolicy = enumValue(checker, value, QStringLiteral("dlq_policy"), dlqPolicies());
        } else if (key == QLatin1StringView("env")) {
            settings->env = readEnv(checker, value, QStringLiteral("'env'"), &source->env);
        } else if (key == QLatin1StringView("labels")) {
            settings->labels = readScalarMap(checker, value, QStringLiteral("'labels'"), QStringLiteral("label"));
        } else if (key == QLatin1StringView("reports")) {
            settings->reports = readReports(checker, value);
        } else if (key == QLatin1StringView("quality")) {
            settings->quality = readQuality(checker, value);
            source->qualitySet = true;
        } else if (key == QLatin1StringView("for_each")) {
            if (const std::optional<QString> what = checker.string(value, QStringLiteral("'for_each'"))) {
                if (*what == QLatin1StringView("repos"))
                    settings->forEachRepos = true;
                else
                    checker.error(value.pos, QStringLiteral("invalid for_each '%1' (only 'repos' is supported)").arg(*what));
            }
        } else if (key == QLatin1StringView("where_tags")) {
            settings->whereTags = checker.stringList(value, QStringLiteral("'where_tags'")).value_or(QStringList());
            source->whereTags = entry.keyPos;
            source->whereTagsSet = true;
        }
    }
}

void mergeDefaults(const TaskSettings& defaults, const SettingsSource& defaultsSource, TaskSettings* task,
                   SettingsSource* taskSource) {
    if (!task->pool)
        task->pool = defaults.pool;
    if (!task->timeoutMs)
        task->timeoutMs = defaults.timeoutMs;
    if (!task->retries)
        task->retries = defaults.retries;
    if (!task->workingDir && defaults.workingDir) {
        task->workingDir = defaults.workingDir;
        taskSource->workingDir = defaultsSource.workingDir;
    }
    if (!task->dlqPolicy)
        task->dlqPolicy = defaults.dlqPolicy;
    if (!task->forEachRepos)
        task->forEachRepos = defaults.forEachRepos;
    for (auto it = defaults.env.cbegin(); it != defaults.env.cend(); ++it) {
        if (!task->env.contains(it.key())) {
            task->env.insert(it.key(), it.value());
            taskSource->env.insert(it.key(), defaultsSource.env.value(it.key()));
        }
    }
    for (auto it = defaults.labels.cbegin(); it != defaults.labels.cend(); ++it) {
        if (!task->labels.contains(it.key()))
            task->labels.insert(it.key(), it.value());
    }
    for (auto it = defaults.reports.cbegin(); it != defaults.reports.cend(); ++it) {
        if (!task->reports.contains(it.key()))
            task->reports.insert(it.key(), it.value());
    }
    if (!taskSource->qualitySet)
        task->quality = defaults.quality;
    if (!taskSource->whereTagsSet)
        task->whereTags = defaults.whereTags;
}

} // namespace signalbox::workflow::detail
