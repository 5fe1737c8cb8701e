#include "engine/run_planner.h"

#include "workflow/overrides.h"
#include "workflow/parser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace signalbox::engine {
namespace {

using workflow::Diagnostic;
using workflow::Diagnostics;
using workflow::RepoSpec;

void report(Diagnostics* diagnostics, const QString& file, const QString& message, int line = 0,
            int column = 0) {
    if (diagnostics)
        diagnostics->append(Diagnostic{file, line, column, message});
}

RepoSpec repoFromCatalog(const CatalogRepo& repo) {
    RepoSpec spec;
    spec.name = repo.name;
    spec.path = repo.path;
    spec.tags = repo.tags;
    spec.role = repo.role;
    return spec;
}

bool anyOf(const QStringList& wanted, const QStringList& have) {
    for (const QString& w : wanted) {
        if (have.contains(w))
            return true;
    }
    return false;
}

QStringList toStringList(const QJsonValue& value) {
    QStringList out;
    const QJsonArray array = value.toArray();
    out.reserve(array.size());
    for (const QJsonValue& v : array)
        out.append(v.toString());
    return out;
}

} // namespace

QByteArray PlannedRun::requestJson() const {
    QJsonArray repoArray;
    if (!reposFromFile) {
        for (const RepoSpec& repo : repos) {
            QJsonObject object{{QStringLiteral("name"), repo.name}, {QStringLiteral("path"), repo.path}};
            if (!repo.tags.isEmpty())
                object.insert(QStringLiteral("tags"), QJsonArray::fromStringList(repo.tags));
            if (!repo.role.isEmpty())
                object.insert(QStringLiteral("role"), repo.role);
            repoArray.append(object);
        }
    }
    QJsonObject paramObject;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        paramObject.insert(it.key(), it.value());
    QJsonObject request{{QStringLiteral("display_name"), displayName},
                        {QStringLiteral("base_dir"), baseDir},
                        {QStringLiteral("params"), paramObject},
                        {QStringLiteral("max_concurrent"), maxConcurrent},
                        {QStringLiteral("pool"), poolOverride}};
    if (reposFromFile)
        request.insert(QStringLiteral("repos_from_file"), true);
    else
        request.insert(QStringLiteral("repos"), repoArray);
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

RunPlanner::RunPlanner(QSet<QString> pools, QList<CatalogRepo> catalog, QStringList allowedRoots)
    : m_pools(std::move(pools))
    , m_catalog(std::move(catalog))
    , m_allowedRoots(std::move(allowedRoots)) {}

std::optional<PlannedRun> RunPlanner::plan(const RunRequest& request, const QString& runId,
                                           Diagnostics* diagnostics) const {
    PlannedRun planned;
    Diagnostics found;

    // 1. The workflow: parsed from exactly the bytes that become the run's snapshot.
    workflow::ParseResult parsed;
    // --repo/--tag replace the file's repos: their paths need not exist then (cli.md).
    workflow::ParseOptions parseOptions;
    parseOptions.checkRepoPaths = request.repoPaths.isEmpty() && request.catalogTags.isEmpty();
    if (!request.workflowPath.isEmpty()) {
        planned.displayName = request.displayName.isEmpty() ? request.workflowPath : request.displayName;
        const QFileInfo info(request.workflowPath);
        QFile file(info.absoluteFilePath());
        if (!info.isFile() || !file.open(QIODevice::ReadOnly)) {
            report(diagnostics, planned.displayName,
                   info.exists() ? QStringLiteral("cannot read the workflow file")
                                 : QStringLiteral("no such file"));
            return std::nullopt;
        }
        planned.yaml = file.readAll();
        planned.baseDir = info.absolutePath();
        parsed = workflow::parseWorkflowText(planned.yaml, planned.displayName, planned.baseDir, parseOptions);
        if (parsed.workflow)
            parsed.workflow->filePath = info.absoluteFilePath();
    } else if (!request.workflowYaml.isEmpty()) {
        planned.displayName =
            request.displayName.isEmpty() ? QStringLiteral("<request>") : request.displayName;
        planned.yaml = request.workflowYaml;
        planned.baseDir =
            request.baseDir.isEmpty() ? QDir::currentPath() : QDir(request.baseDir).absolutePath();
        parsed = workflow::parseWorkflowText(planned.yaml, planned.displayName, planned.baseDir, parseOptions);
    } else {
        report(diagnostics, QStringLiteral("<request>"),
               QStringLiteral("no workflow given (neither a file nor text)"));
        return std::nullopt;
    }
    if (!parsed.ok()) {
        if (diagnostics)
            diagnostics->append(parsed.diagnostics);
        if (parsed.diagnostics.isEmpty())
            report(diagnostics, planned.displayName, QStringLiteral("invalid workflow"));
        return std::nullopt;
    }
    planned.workflow = std::move(*parsed.workflow);
    const QString& file = planned.displayName;

    // 2. Repos: --repo and --tag replace the file's list; otherwise the file's list or
    // its catalog selection. A catalog repo whose path is gone is an error naming it.
    auto checkCatalogRepo = [&](const CatalogRepo& repo) {
        if (!QFileInfo(repo.path).isDir()) {
            report(&found, file,
                   QStringLiteral("catalog repository '%1': path '%2' does not exist")
                       .arg(repo.name, repo.path));
            return false;
        }
        return true;
    };
    if (!request.repoPaths.isEmpty() || !request.catalogTags.isEmpty()) {
        QSet<QString> seenPaths;
        for (const QString& given : request.repoPaths) {
            QString why;
            std::optional<RepoSpec> spec = workflow::repoFromPath(given, &why);
            if (!spec) {
                report(&found, file, why);
                continue;
            }
            const QString canonical = QFileInfo(spec->path).canonicalFilePath();
            if (seenPaths.contains(canonical))
                continue;
            seenPaths.insert(canonical);
            planned.repos.append(*spec);
        }
        for (const QString& tag : request.catalogTags) {
            bool any = false;
            for (const CatalogRepo& repo : m_catalog) {
                if (!repo.tags.contains(tag))
                    continue;
                any = true;
                if (!checkCatalogRepo(repo))
                    continue;
                const QString canonical = QFileInfo(repo.path).canonicalFilePath();
                if (seenPaths.contains(canonical))
                    continue;
                seenPaths.insert(canonical);
                planned.repos.append(repoFromCatalog(repo));
            }
            if (!any)
                report(&found, file,
                       QStringLiteral("--tag '%1': no catalog repository has this tag").arg(tag));
        }
    } else if (planned.workflow.catalog.enabled) {
        const workflow::CatalogSelection& selection = planned.workflow.catalog;
        for (const CatalogRepo& repo : m_catalog) {
            if (!selection.tags.isEmpty() && !anyOf(selection.tags, repo.tags))
                continue;
            if (!selection.roles.isEmpty() && !selection.roles.contains(repo.role))
                continue;
            if (checkCatalogRepo(repo))
                planned.repos.append(repoFromCatalog(repo));
        }
    } else {
        planned.repos = planned.workflow.repos;
        planned.reposFromFile = true;
    }

    // 3. Params: --set overrides a param the file declares.
    planned.params = planned.workflow.params;
    for (auto it = request.params.cbegin(); it != request.params.cend(); ++it) {
        QString why;
        if (!workflow::applyParamOverride(it.key() + u'=' + it.value(), planned.workflow, &planned.params,
                                          &why))
            report(&found, file, why);
    }

    // 4. Overrides.
    if (request.maxConcurrent < 0)
        report(&found, file, QStringLiteral("--max-concurrent must be at least 1"));
    planned.maxConcurrent =
        request.maxConcurrent > 0 ? request.maxConcurrent : planned.workflow.maxConcurrent;
    planned.poolOverride = request.pool;
    if (!request.pool.isEmpty() && !m_pools.contains(request.pool))
        report(&found, file, QStringLiteral("--pool '%1': no such pool").arg(request.pool));

    if (!found.isEmpty()) {
        if (diagnostics)
            diagnostics->append(found);
        return std::nullopt;
    }
    return finish(std::move(planned), runId, diagnostics);
}

std::optional<PlannedRun> RunPlanner::replan(const RunRecord& run, Diagnostics* diagnostics) const {
    PlannedRun planned;
    const QJsonObject request = QJsonDocument::fromJson(run.requestJson).object();
    planned.displayName = request.value(QStringLiteral("display_name")).toString();
    if (planned.displayName.isEmpty())
        planned.displayName = run.workflowPath.isEmpty() ? run.workflow : run.workflowPath;
    planned.baseDir = request.value(QStringLiteral("base_dir")).toString();
    if (planned.baseDir.isEmpty() && !run.workflowPath.isEmpty())
        planned.baseDir = QFileInfo(run.workflowPath).absolutePath();
    planned.yaml = run.workflowYaml;

    workflow::ParseOptions parseOptions; // the run's own repo list replaced the file's
    parseOptions.checkRepoPaths = !request.contains(QStringLiteral("repos"));
    workflow::ParseResult parsed =
        workflow::parseWorkflowText(planned.yaml, planned.displayName, planned.baseDir, parseOptions);
    if (!parsed.ok()) {
        if (diagnostics)
            diagnostics->append(parsed.diagnostics);
        if (parsed.diagnostics.isEmpty())
            report(diagnostics, planned.displayName,
                   QStringLiteral("the run's workflow snapshot is invalid"));
        return std::nullopt;
    }
    planned.workflow = std::move(*parsed.workflow);
    planned.workflow.filePath = run.workflowPath;

    if (request.contains(QStringLiteral("repos"))) {
        for (const QJsonValue& value : request.value(QStringLiteral("repos")).toArray()) {
            const QJsonObject object = value.toObject();
            RepoSpec spec;
            spec.name = object.value(QStringLiteral("name")).toString();
            spec.path = object.value(QStringLiteral("path")).toString();
            spec.tags = toStringList(object.value(QStringLiteral("tags")));
            spec.role = object.value(QStringLiteral("role")).toString();
            planned.repos.append(spec);
        }
    } else {
        planned.repos = planned.workflow.repos;
        planned.reposFromFile = true;
    }
    planned.params = planned.workflow.params;
    const QJsonObject params = request.value(QStringLiteral("params")).toObject();
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        planned.params.insert(it.key(), it.value().toString());
    planned.maxConcurrent = run.maxConcurrent;
    planned.poolOverride = request.value(QStringLiteral("pool")).toString();
    return finish(std::move(planned), run.id, diagnostics);
}

std::optional<PlannedRun> RunPlanner::finish(PlannedRun planned, const QString& runId,
                                             Diagnostics* diagnostics) const {
    workflow::ExpansionInput input;
    input.workflow = &planned.workflow;
    input.repos = planned.repos;
    input.params = planned.params;
    input.runId = runId;
    input.allowedRoots = m_allowedRoots;
    workflow::ExpansionResult expanded = workflow::expand(input);
    if (!expanded.plan || !expanded.diagnostics.isEmpty()) {
        if (diagnostics)
            diagnostics->append(expanded.diagnostics);
        if (expanded.diagnostics.isEmpty())
            report(diagnostics, planned.displayName, QStringLiteral("the workflow could not be expanded"));
        return std::nullopt;
    }
    planned.plan = std::move(*expanded.plan);

    // Pools: --pool replaces every task's own; each must be one the engine has.
    Diagnostics found;
    QSet<QString> reported;
    const QString local = QStringLiteral("local");
    QString lastKnownPool; // instances of a task share their pool: look each name up once
    for (workflow::PlannedInstance& instance : planned.plan.instances) {
        if (!planned.poolOverride.isEmpty())
            instance.pool = planned.poolOverride;
        if (instance.pool.isEmpty())
            instance.pool = local;
        if (!lastKnownPool.isNull() && instance.pool == lastKnownPool)
            continue;
        if (m_pools.contains(instance.pool)) {
            lastKnownPool = instance.pool;
            continue;
        }
        if (reported.contains(instance.taskId))
            continue;
        reported.insert(instance.taskId);
        const workflow::TaskSpec* task = planned.workflow.task(instance.taskId);
        report(&found, planned.displayName,
               QStringLiteral("task '%1' uses unknown pool '%2'").arg(instance.taskId, instance.pool),
               task ? task->pos.line : 0, task ? task->pos.column : 0);
    }
    if (!found.isEmpty()) {
        if (diagnostics)
            diagnostics->append(found);
        return std::nullopt;
    }
    return planned;
}

} // namespace signalbox::engine
