#pragma once
// Turns a RunRequest into everything a run needs: the parsed workflow, the repos it
// runs over, its params, and the expanded plan. Also re-plans a recorded run from its
// YAML snapshot and request JSON (resume never re-reads the workflow file).

#include "domain/records.h"
#include "engine/engine.h"
#include "workflow/diagnostic.h"
#include "workflow/expansion.h"
#include "workflow/workflow.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <optional>

namespace signalbox::engine {

struct PlannedRun {
    workflow::Workflow workflow;
    workflow::Plan plan;
    QList<workflow::RepoSpec> repos; // what the run fans out over
    bool reposFromFile = false;      // repos are the file's own list (not recorded again)
    QMap<QString, QString> params;   // file params with --set applied
    int maxConcurrent = 0;           // 0 = unlimited
    QString poolOverride;            // --pool
    QByteArray yaml;                 // the snapshot the workflow was parsed from
    QString displayName;
    QString baseDir;

    // The request JSON recorded with the run: resolved repos (unless they are the file's
    // own list, which the snapshot already holds), params, overrides.
    QByteArray requestJson() const;
};

class RunPlanner final {
public:
    // pools: the names of the engine's pools (a task naming another one is an error).
    // catalog: the repository catalog (Store::catalog()), used for --tag and catalog: true.
    // allowedRoots: see EngineOptions.
    RunPlanner(QSet<QString> pools, QList<CatalogRepo> catalog, QStringList allowedRoots = {});

    // A new run. Every problem found goes to *diagnostics, one line each.
    std::optional<PlannedRun> plan(const RunRequest& request, const QString& runId,
                                   workflow::Diagnostics* diagnostics) const;

    // A recorded run, from its snapshot and request JSON (repos as they were resolved).
    std::optional<PlannedRun> replan(const RunRecord& run, workflow::Diagnostics* diagnostics) const;

private:
    std::optional<PlannedRun> finish(PlannedRun planned, const QString& runId,
                                     workflow::Diagnostics* diagnostics) const;

    QSet<QString> m_pools;
    QList<CatalogRepo> m_catalog;
    QStringList m_allowedRoots;
};

} // namespace signalbox::engine
