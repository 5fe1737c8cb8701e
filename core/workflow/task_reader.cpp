// One entry of `tasks:`: id, needs, run and the task-level settings.
#include "workflow/readers.h"

#include <QRegularExpression>

namespace signalbox::workflow::detail {

namespace {

void readRun(Checker& checker, const YamlNode& node, TaskSource* task) {
    const QString what = QStringLiteral("'run'");
    if (node.isScalar()) {
        if (node.scalar.trimmed().isEmpty()) {
            checker.error(node.pos, QStringLiteral("'run' must not be empty"));
            return;
        }
        task->spec.runIsScript = true;
        task->spec.script = node.scalar;
        task->scriptPos = node.pos;
        task->hasRun = true;
        return;
    }
    if (node.isSequence()) {
        if (node.items.empty()) {
            checker.error(node.pos, QStringLiteral("'run' must not be empty"));
            return;
        }
        bool ok = true;
        for (const YamlNode& item : node.items) {
            if (!item.isScalar()) {
                checker.error(item.pos, QStringLiteral("items of 'run' must be strings, got %1").arg(item.kindName()));
                ok = false;
                continue;
            }
            task->spec.argv.append(item.scalar);
            task->argvPos.append(item.pos);
        }
        if (ok && task->spec.argv.front().isEmpty()) {
            checker.error(node.items.front().pos, QStringLiteral("the program in 'run' must not be empty"));
            ok = false;
        }
        task->hasRun = ok;
        return;
    }
    if (node.isNull())
        checker.error(node.pos, QStringLiteral("'run' has no value (expected a list of strings or a script)"));
    else
        checker.error(node.pos, QStringLiteral("%1 must be a list of strings (argv) or a string (script), got %2")
                                    .arg(what, node.kindName()));
}

void readNeeds(Checker& checker, const YamlNode& node, TaskSource* task) {
    auto add = [&](const YamlNode& item) {
        if (const std::optional<QString> id = checker.string(item, QStringLiteral("items of 'needs'"))) {
            task->spec.needs.append(*id);
            task->needsPos.append(item.pos);
        }
    };
    if (node.isScalar()) {
        add(node);
        return;
    }
    if (!node.isSequence()) {
        if (node.isNull())
            checker.error(node.pos, QStringLiteral("'needs' has no value (expected a list of task ids)"));
        else
            checker.error(node.pos, QStringLiteral("'needs' must be a list of task ids, got %1").arg(node.kindName()));
        return;
    }
    for (const YamlNode& item : node.items)
        add(item);
}

} // namespace

TaskSource readTask(Checker& checker, const YamlNode& node, int number) {
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9_-]{1,64}$"));
    TaskSource task;
    task.spec.pos = node.pos;
    if (!node.isMap()) {
        checker.error(node.pos, QStringLiteral("task #%1 must be a mapping, got %2").arg(number).arg(node.kindName()));
        return task;
    }
    checker.checkKeys(node, taskKeys());

    QString label = QStringLiteral("task #%1").arg(number);
    if (const YamlEntry* id = Checker::find(node, QLatin1StringView("id"))) {
        task.idPos = id->value.pos;
        if (const std::optional<QString> value = checker.string(id->value, QStringLiteral("'id'"))) {
            task.spec.id = *value;
            task.hasId = true;
            label = QStringLiteral("task '%1'").arg(*value);
            if (!idPattern.match(*value).hasMatch())
                checker.error(id->value.pos, QStringLiteral("invalid task id '%1' (use 1 to 64 of a-z, 0-9, _ and -)")
                                                 .arg(*value));
        }
    } else {
        checker.error(node.pos, QStringLiteral("missing required key 'id' in %1").arg(label));
    }

    if (const YamlEntry* run = Checker::find(node, QLatin1StringView("run")))
        readRun(checker, run->value, &task);
    else
        checker.error(node.pos, QStringLiteral("missing required key 'run' in %1").arg(label));

    if (const YamlEntry* needs = Checker::find(node, QLatin1StringView("needs")))
        readNeeds(checker, needs->value, &task);

    readSettings(checker, node, &task.spec.settings, &task.settings);
    return task;
}

} // namespace signalbox::workflow::detail
