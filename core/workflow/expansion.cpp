#include "workflow/expansion.h"

#include "workflow/path_policy.h"
#include "workflow/template.h"

#include <QDir>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace signalbox::workflow {

namespace {

using detail::Template;
using detail::TemplateValues;

// A task's strings, parsed once and rendered per instance.
struct CompiledTask {
    const TaskSpec* spec = nullptr;
    QList<Template> argv;
    Template script;
    std::optional<Template> workingDir;
    // The instance env, sorted by name: workflow env, task env over it, then SIGNALBOX_*.
    // Built in key order so each instance's map is filled without searching.
    QList<QPair<QString, Template>> env;
    QList<int> instances;                // indexes in the plan
    QHash<QString, int> byRepo;          // repo name -> index (fan-out tasks)
};

class Expander final {
public:
    explicit Expander(const ExpansionInput& input)
        : m_input(input), m_wf(*input.workflow), m_roots(input.allowedRoots) {
        m_params = m_wf.params;
        for (auto it = input.params.cbegin(); it != input.params.cend(); ++it)
            m_params.insert(it.key(), it.value());
        m_baseDir = m_wf.baseDir.isEmpty() ? QDir::currentPath() : m_wf.baseDir;
        m_repoPaths.reserve(input.repos.size());
        for (const RepoSpec& repo : input.repos)
            m_repoPaths.append(QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(repo.path)));
    }

    ExpansionResult run() {
        ExpansionResult result;
        checkRepos();
        QList<CompiledTask> tasks;
        tasks.reserve(m_wf.tasks.size());
        for (const TaskSpec& spec : m_wf.tasks)
            tasks.append(compile(spec));
        Plan plan;
        for (CompiledTask& task : tasks)
            addInstances(task, &plan);
        wire(tasks, &plan);
        if (m_diagnostics.isEmpty())
            result.plan = std::move(plan);
        std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(), [](const Diagnostic& x, const Diagnostic& y) {
            return x.line != y.line ? x.line < y.line : x.column < y.column;
        });
        result.diagnostics = m_diagnostics;
        return result;
    }

private:
    void error(SourcePos pos, const QString& message) {
        m_diagnostics.append(Diagnostic{m_wf.displayName, pos.line, pos.column, message});
    }

    void checkRepos() {
        QSet<QString> names;
        for (qsizetype i = 0; i < m_input.repos.size(); ++i) {
            const RepoSpec& repo = m_input.repos.at(i);
            if (names.contains(repo.name))
                error(repo.pos, QStringLiteral("duplicate repo name '%1'").arg(repo.name));
            names.insert(repo.name);
            if (!m_roots.allows(m_repoPaths.at(i)))
                error(repo.pos, QStringLiteral("repo '%1' path '%2' is outside the allowed roots").arg(repo.name, repo.path));
        }
    }

    Template compileString(const QString& text, const TaskSpec& spec) {
        Template tmpl;
        QString message;
        if (!detail::parseTemplate(text, m_params.keys(), &tmpl, &message))
            error(spec.pos, QStringLiteral("task '%1': %2").arg(spec.id, message));
        return tmpl;
    }

    CompiledTask compile(const TaskSpec& spec) {
        CompiledTask task;
        task.spec = &spec;
        if (spec.runIsScript)
            task.script = compileString(spec.script, spec);
        for (const QString& arg : spec.argv)
            task.argv.append(compileString(arg, spec));
        if (spec.settings.workingDir)
            task.workingDir = compileString(*spec.settings.workingDir, spec);
        QMap<QString, QString> raw = m_wf.env;
        for (auto it = spec.settings.env.cbegin(); it != spec.settings.env.cend(); ++it)
            raw.insert(it.key(), it.value());
        // Values are templates: {{run.id}} / {{task.id}} render to what SIGNALBOX_* hold.
        raw.insert(QStringLiteral("SIGNALBOX_RUN_ID"), QStringLiteral("{{run.id}}"));
        raw.insert(QStringLiteral("SIGNALBOX_TASK_ID"), QStringLiteral("{{task.id}}"));
        if (spec.forEach())
            raw.insert(QStringLiteral("SIGNALBOX_REPO"), QStringLiteral("{{repo.name}}"));
        task.env.reserve(raw.size());
        for (auto it = raw.cbegin(); it != raw.cend(); ++it)
            task.env.append({it.key(), compileString(it.value(), spec)});
        return task;
    }

    static bool selected(const RepoSpec& repo, const QStringList& whereTags) {
        if (whereTags.isEmpty())
            return true;
        for (const QString& tag : whereTags) {
            if (repo.tags.contains(tag))
                return true;
        }
        return false;
    }

    void addInstances(CompiledTask& task, Plan* plan) {
        const TaskSpec& spec = *task.spec;
        if (!spec.forEach()) {
            addInstance(task, nullptr, {}, plan);
            return;
        }
        for (qsizetype i = 0; i < m_input.repos.size(); ++i) {
            if (selected(m_input.repos.at(i), spec.settings.whereTags))
                addInstance(task, &m_input.repos.at(i), m_repoPaths.at(i), plan);
        }
    }

    void addInstance(CompiledTask& task, const RepoSpec* repo, const QString& repoPath, Plan* plan) {
        const TaskSpec& spec = *task.spec;
        PlannedInstance instance;
        instance.index = int(plan->instances.size());
        instance.taskId = spec.id;
        TemplateValues values;
        values.runId = m_input.runId;
        values.taskId = spec.id;
        values.params = &m_params;
        if (repo) {
            instance.repo = repo->name;
            instance.repoPath = repoPath;
            values.repoName = repo->name;
            values.repoPath = instance.repoPath;
        }
        instance.isScript = spec.runIsScript;
        if (spec.runIsScript) {
            instance.argv = {QStringLiteral("/bin/sh"), QStringLiteral("-e"), QStringLiteral("-c"),
                             detail::renderTemplate(task.script, values)};
        } else {
            instance.argv.reserve(task.argv.size());
            for (const Template& arg : task.argv)
                instance.argv.append(detail::renderTemplate(arg, values));
        }
        QString dir = task.workingDir ? detail::renderTemplate(*task.workingDir, values) : QString();
        if (dir.isEmpty())
            dir = repo ? instance.repoPath : m_baseDir;
        instance.workingDir = dir == instance.repoPath ? dir : QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(dir));
        if (task.workingDir && !m_roots.allows(instance.workingDir)) {
            error(spec.pos, QStringLiteral("working_dir '%1' of task '%2'%3 is outside the allowed roots")
                                .arg(instance.workingDir, spec.id,
                                     repo ? QStringLiteral(" (repo '%1')").arg(repo->name) : QString()));
        }
        std::map<QString, QString> env;
        for (const auto& [name, value] : task.env)
            env.emplace_hint(env.end(), name, detail::renderTemplate(value, values));
        instance.env = QMap<QString, QString>(std::move(env));
        instance.timeoutMs = spec.timeoutMs();
        instance.retries = spec.retries();
        instance.pool = spec.pool();
        instance.dlqPolicy = spec.settings.dlqPolicy.value_or(QString());

        task.instances.append(instance.index);
        if (repo)
            task.byRepo.insert(repo->name, instance.index);
        plan->instances.append(std::move(instance));
    }

    void wire(const QList<CompiledTask>& tasks, Plan* plan) {
        QHash<QString, const CompiledTask*> byId;
        for (const CompiledTask& task : tasks)
            byId.insert(task.spec->id, &task);
        for (const CompiledTask& task : tasks) {
            for (const QString& need : task.spec->needs) {
                const CompiledTask* upstream = byId.value(need);
                if (!upstream) {
                    error(task.spec->pos, QStringLiteral("task '%1' needs unknown task '%2'").arg(task.spec->id, need));
                    continue;
                }
                const bool perRepo = task.spec->forEach() && upstream->spec->forEach();
                for (int index : task.instances) {
                    QList<int>& deps = plan->instances[index].dependsOn;
                    if (perRepo) {
                        const auto it = upstream->byRepo.constFind(plan->instances.at(index).repo);
                        if (it != upstream->byRepo.cend())
                            deps.append(*it);
                    } else {
                        deps.append(upstream->instances);
                    }
                }
            }
        }
    }

    const ExpansionInput& m_input;
    const Workflow& m_wf;
    detail::RootPolicy m_roots;
    QMap<QString, QString> m_params;
    QString m_baseDir;
    QStringList m_repoPaths; // absolute, parallel to m_input.repos
    Diagnostics m_diagnostics;
};

} // namespace

ExpansionResult expand(const ExpansionInput& input) {
    if (!input.workflow) {
        ExpansionResult result;
        result.diagnostics.append(Diagnostic{{}, 0, 0, QStringLiteral("no workflow to expand")});
        return result;
    }
    return Expander(input).run();
}

} // namespace signalbox::workflow
