// The top level of a workflow file: every key, then the cross-task checks.
#include "workflow/readers.h"
#include "workflow/string_hash.h"

#include <QHash>
#include <QRegularExpression>
#include <unordered_map>

namespace signalbox::workflow::detail {

namespace {

const QStringList& topLevelKeys() {
    static const QStringList keys = {
        QStringLiteral("version"), QStringLiteral("name"),           QStringLiteral("description"),
        QStringLiteral("params"),  QStringLiteral("repos"),          QStringLiteral("max_concurrent"),
        QStringLiteral("env"),     QStringLiteral("defaults"),       QStringLiteral("tasks"),
        QStringLiteral("quality_gate")};
    return keys;
}

QMap<QString, QString> readParams(Checker& checker, const YamlNode& node) {
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_-]{0,63}$"));
    QMap<QString, QString> params;
    if (!checker.expectMap(node, QStringLiteral("'params'")))
        return params;
    for (const YamlEntry& entry : node.entries) {
        if (!entry.keyIsScalar) {
            checker.error(entry.keyPos, QStringLiteral("keys must be plain strings"));
            continue;
        }
        if (params.contains(entry.key)) {
            checker.error(entry.keyPos, QStringLiteral("duplicate key '%1'").arg(entry.key));
            continue;
        }
        if (!namePattern.match(entry.key).hasMatch()) {
            checker.error(entry.keyPos, QStringLiteral("invalid param name '%1' (use a letter or _, then letters, "
                                                       "digits, _ or -)")
                                            .arg(entry.key));
            continue;
        }
        if (entry.value.isScalar())
            params.insert(entry.key, entry.value.scalar);
        else if (entry.value.isNull())
            checker.error(entry.value.pos, QStringLiteral("param '%1' has no value (use \"\" for an empty string)")
                                               .arg(entry.key));
        else
            checker.error(entry.value.pos, QStringLiteral("param '%1' must be a scalar value, got %2")
                                               .arg(entry.key, entry.value.kindName()));
    }
    return params;
}

void readDefaults(Checker& checker, const YamlNode& node, TaskSettings* settings, SettingsSource* source) {
    if (!checker.expectMap(node, QStringLiteral("'defaults'")))
        return;
    checker.checkKeys(node, settingsKeys(), {QStringLiteral("id"), QStringLiteral("run"), QStringLiteral("needs")},
                      QStringLiteral("'%1' cannot be set in defaults"));
    readSettings(checker, node, settings, source);
}

} // namespace

Workflow readWorkflow(Checker& checker, const YamlNode& root, const QString& baseDir) {
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    Workflow wf;
    wf.baseDir = baseDir;
    if (root.isNull()) {
        checker.error({}, QStringLiteral("workflow file is empty"));
        return wf;
    }
    if (!root.isMap()) {
        checker.error(root.pos, QStringLiteral("a workflow must be a mapping at the top level, got %1").arg(root.kindName()));
        return wf;
    }
    checker.checkKeys(root, topLevelKeys());

    if (const YamlEntry* version = Checker::find(root, QLatin1StringView("version"))) {
        const YamlNode& value = version->value;
        if (!value.isScalar())
            checker.error(value.pos, QStringLiteral("'version' must be 1, got %1").arg(value.kindName()));
        else if (value.scalar.trimmed() != QLatin1StringView("1"))
            checker.error(value.pos, QStringLiteral("unsupported version '%1' (only version 1 is supported)")
                                         .arg(value.scalar));
    }
    if (const YamlEntry* name = Checker::find(root, QLatin1StringView("name"))) {
        if (const std::optional<QString> value = checker.string(name->value, QStringLiteral("'name'"))) {
            wf.name = *value;
            if (!namePattern.match(*value).hasMatch())
                checker.error(name->value.pos, QStringLiteral("invalid workflow name '%1' (use 1 to 64 of A-Z, a-z, "
                                                              "0-9, _, . and -)")
                                                   .arg(*value));
        }
    } else {
        checker.error(root.pos, QStringLiteral("missing required key 'name'"));
    }
    if (const YamlEntry* description = Checker::find(root, QLatin1StringView("description")))
        wf.description = checker.string(description->value, QStringLiteral("'description'"), true).value_or(QString());
    if (const YamlEntry* params = Checker::find(root, QLatin1StringView("params")))
        wf.params = readParams(checker, params->value);
    if (const YamlEntry* repos = Checker::find(root, QLatin1StringView("repos")))
        readRepos(checker, repos->value, baseDir, &wf.repos, &wf.catalog);
    if (const YamlEntry* max = Checker::find(root, QLatin1StringView("max_concurrent"))) {
        if (const std::optional<qint64> n = checker.integer(max->value, QStringLiteral("'max_concurrent'"))) {
            if (*n < 1)
                checker.error(max->value.pos, QStringLiteral("'max_concurrent' must be at least 1, got %1").arg(*n));
            else if (*n > 100000)
                checker.error(max->value.pos, QStringLiteral("'max_concurrent' must be at most 100000, got %1").arg(*n));
            else
                wf.maxConcurrent = int(*n);
        }
    }
    QMap<QString, SourcePos> envPos;
    if (const YamlEntry* env = Checker::find(root, QLatin1StringView("env")))
        wf.env = readEnv(checker, env->value, QStringLiteral("'env'"), &envPos);
    TaskSettings defaults;
    SettingsSource defaultsSource;
    if (const YamlEntry* entry = Checker::find(root, QLatin1StringView("defaults")))
        readDefaults(checker, entry->value, &defaults, &defaultsSource);
    if (const YamlEntry* gate = Checker::find(root, QLatin1StringView("quality_gate"))) {
        if (const std::optional<double> score = checker.number(gate->value, QStringLiteral("'quality_gate'"))) {
            if (*score < 0 || *score > 100)
                checker.error(gate->value.pos, QStringLiteral("'quality_gate' must be between 0 and 100, got %1")
                                                   .arg(gate->value.scalar.trimmed()));
            else
                wf.qualityGate = *score;
        }
    }

    QList<TaskSource> tasks;
    if (const YamlEntry* entry = Checker::find(root, QLatin1StringView("tasks"))) {
        if (checker.expectList(entry->value, QStringLiteral("'tasks'"))) {
            if (entry->value.items.empty())
                checker.error(entry->value.pos, QStringLiteral("'tasks' must not be empty"));
            int number = 0;
            tasks.reserve(static_cast<qsizetype>(entry->value.items.size()));
            for (const YamlNode& item : entry->value.items)
                tasks.append(readTask(checker, item, ++number));
        }
    } else {
        checker.error(root.pos, QStringLiteral("missing required key 'tasks'"));
    }

    std::unordered_map<QString, int, StringHash> firstLine;
    firstLine.reserve(tasks.size());
    for (TaskSource& task : tasks) {
        if (task.hasId) {
            const auto [seen, inserted] = firstLine.try_emplace(task.spec.id, task.idPos.line);
            if (!inserted)
                checker.error(task.idPos, QStringLiteral("duplicate task id '%1' (first defined at line %2)")
                                              .arg(task.spec.id)
                                              .arg(seen->second));
        }
        if (task.settings.whereTagsSet && !task.spec.settings.forEachRepos.value_or(false)
            && !defaults.forEachRepos.value_or(false))
            checker.error(task.settings.whereTags, QStringLiteral("'where_tags' needs for_each: repos in task '%1'")
                                                       .arg(task.spec.id));
        mergeDefaults(defaults, defaultsSource, &task.spec.settings, &task.settings);
    }
    checkDependencies(checker, tasks);
    checkTemplates(checker, tasks, wf.env, envPos, wf.params.keys());

    wf.tasks.reserve(tasks.size());
    for (TaskSource& task : tasks)
        wf.tasks.append(std::move(task.spec));
    return wf;
}

} // namespace signalbox::workflow::detail
