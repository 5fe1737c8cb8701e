// Checks every {{...}} placeholder where templates are allowed.
#include "workflow/readers.h"
#include "workflow/template.h"

namespace signalbox::workflow::detail {

namespace {

void checkOne(Checker& checker, const QString& text, SourcePos pos, const QStringList& paramNames,
              const TaskSource* task, const QString& where) {
    Template tmpl;
    QString error;
    if (!parseTemplate(text, paramNames, &tmpl, &error)) {
        checker.error(pos, error);
        return;
    }
    for (const TemplatePart& part : tmpl.parts) {
        if (part.kind != TemplatePart::Kind::RepoPath && part.kind != TemplatePart::Kind::RepoName)
            continue;
        if (!task)
            checker.error(pos, QStringLiteral("'%1' cannot be used in %2 (only in tasks with for_each: repos)")
                                   .arg(part.original, where));
        else if (!task->spec.forEach())
            checker.error(pos, QStringLiteral("'%1' used in task '%2', which has no for_each: repos")
                                   .arg(part.original, task->spec.id));
    }
}

} // namespace

void checkTemplates(Checker& checker, const QList<TaskSource>& tasks, const QMap<QString, QString>& workflowEnv,
                    const QMap<QString, SourcePos>& workflowEnvPos, const QStringList& paramNames) {
    for (auto it = workflowEnv.cbegin(); it != workflowEnv.cend(); ++it)
        checkOne(checker, it.value(), workflowEnvPos.value(it.key()), paramNames, nullptr, QStringLiteral("workflow env"));

    for (const TaskSource& task : tasks) {
        if (!task.hasId)
            continue;
        if (task.spec.runIsScript)
            checkOne(checker, task.spec.script, task.scriptPos, paramNames, &task, {});
        for (qsizetype i = 0; i < task.spec.argv.size(); ++i)
            checkOne(checker, task.spec.argv.at(i), task.argvPos.at(i), paramNames, &task, {});
        if (task.spec.settings.workingDir)
            checkOne(checker, *task.spec.settings.workingDir, task.settings.workingDir, paramNames, &task, {});
        const QMap<QString, QString>& env = task.spec.settings.env;
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            checkOne(checker, it.value(), task.settings.env.value(it.key()), paramNames, &task, {});
    }
}

} // namespace signalbox::workflow::detail
