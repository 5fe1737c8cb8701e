#include "workflow/expansion.h"

#include "workflow/path_policy.h"
#include "workflow/string_hash.h"
#include "workflow/template.h"

#include <QDir>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

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
    // repo name -> index (fan-out tasks); built when a dependent task needs it
    std::unordered_map<QString, int, StringHash> byRepo;
    bool byRepoBuilt = false;
};

class Expander final {
public:
    explicit Expander(const ExpansionInput& input)
        : m_input(input), m_wf(*input.workflow), m_roots(input.allowedRoots) {
        m_params = m_wf.params;
        for (auto it = input.params.cbegin(); it != input.params.cend(); ++it)
            m_params.insert(it.key(), it.value());
        m_paramNames = m_params.keys();
        m_baseDir = m_wf.baseDir.isEmpty() ? QDir::currentPath() : m_wf.baseDir;
        m_baseWorkingDir = QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(m_baseDir));
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
        qsizetype expected = 0; // at most
        for (const CompiledTask& task : std::as_const(tasks))
            expected += task.spec->forEach() ? m_input.repos.size() : 1;
        plan.instances.reserve(expected);
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
        std::unordered_set<QString, StringHash> names;
        names.reserve(m_input.repos.size());
        for (qsizetype i = 0; i < m_input.repos.size(); ++i) {
            const RepoSpec& repo = m_input.repos.at(i);
            if (!names.insert(repo.name).second)
                error(repo.pos, QStringLiteral("duplicate repo name '%1'").arg(repo.name));
            if (!m_roots.allows(m_repoPaths.at(i)))
                error(repo.pos, QStringLiteral("repo '%1' path '%2' is outside the allowed roots").arg(repo.name, repo.path));
        }
    }

    Template compileString(const QString& text, const TaskSpec& spec) {
        Template tmpl;
        QString message;
        if (!detail::parseTemplate(text, m_paramNames, &tmpl, &message))
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
            task.env.append({it.key(), compileCached(it.value(), spec)});
        return task;
    }

    // The same few strings (the SIGNALBOX_* values, often the same env values) come up in
    // every task: parse each once. Only templates that parsed cleanly are kept, so errors
    // are still reported for every task.
    Template compileCached(const QString& text, const TaskSpec& spec) {
        const auto it = m_compiled.find(text);
        if (it != m_compiled.end())
            return it->second;
        const qsizetype errorsBefore = m_diagnostics.size();
        Template tmpl = compileString(text, spec);
        if (m_diagnostics.size() == errorsBefore && m_compiled.size() < kCompiledCacheLimit)
            m_compiled.emplace(text, tmpl);
        return tmpl;
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
        instance.workingDir = dir == instance.repoPath ? dir
                              : dir == m_baseDir        ? m_baseWorkingDir
                                                        : QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(dir));
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
        plan->instances.append(std::move(instance));
    }

    // A fan-out task's instances by repo name.
    static const std::unordered_map<QString, int, StringHash>& byRepo(CompiledTask& task, const Plan& plan) {
        if (!task.byRepoBuilt) {
            task.byRepoBuilt = true;
            task.byRepo.reserve(task.instances.size());
            for (int index : std::as_const(task.instances))
                task.byRepo.insert_or_assign(plan.instances.at(index).repo, index);
        }
        return task.byRepo;
    }

    void wire(QList<CompiledTask>& tasks, Plan* plan) {
        std::unordered_map<QString, CompiledTask*, StringHash> byId;
        byId.reserve(tasks.size());
        for (CompiledTask& task : tasks)
            byId.insert_or_assign(task.spec->id, &task);
        for (const CompiledTask& task : std::as_const(tasks)) {
            for (const QString& need : task.spec->needs) {
                const auto found = byId.find(need);
                CompiledTask* upstream = found == byId.end() ? nullptr : found->second;
                if (!upstream) {
                    error(task.spec->pos, QStringLiteral("task '%1' needs unknown task '%2'").arg(task.spec->id, need));
                    continue;
                }
                const bool perRepo = task.spec->forEach() && upstream->spec->forEach();
                for (int index : task.instances) {
                    QList<int>& deps = plan->instances[index].dependsOn;
                    if (perRepo) {
                        const auto& upstreamByRepo = byRepo(*upstream, *plan);
                        const auto it = upstreamByRepo.find(plan->instances.at(index).repo);
                        if (it != upstreamByRepo.cend())
                            deps.append(it->second);
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
    QStringList m_paramNames; // m_params' keys, for parsing templates
    QString m_baseDir;
    QString m_baseWorkingDir; // m_baseDir as a working dir: cleaned, absolute
    static constexpr std::size_t kCompiledCacheLimit = 256;
    std::unordered_map<QString, Template, StringHash> m_compiled; // env value -> its template
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
