#pragma once
// Turns a validated workflow plus the repos and params of one run into the plan of
// task instances: templates substituted, per-repo dependencies wired.

#include "domain/records.h"
#include "workflow/diagnostic.h"
#include "workflow/workflow.h"

#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace signalbox::workflow {

struct PlannedInstance {
    int index = 0;            // position in the plan; stable for a given input
    QString taskId;
    QString repo;             // repo name, empty when the task does not fan out
    QString repoPath;
    bool isScript = false;
    QStringList argv;         // substituted; for scripts: {"/bin/sh", "-e", "-c", SCRIPT}
    QString workingDir;       // absolute
    QMap<QString, QString> env; // workflow env, then task env, then SIGNALBOX_* (not the parent env)
    qint64 timeoutMs = 0;     // 0 = none
    int retries = 0;
    QString pool;
    QString dlqPolicy;        // empty = by category
    QList<int> dependsOn;     // indexes of instances that must succeed first
};

struct Plan {
    QList<PlannedInstance> instances;
};

struct ExpansionInput {
    const Workflow* workflow = nullptr;
    QList<RepoSpec> repos;            // the run's repos (file's list, --repo, or catalog selection)
    QMap<QString, QString> params;    // file params overridden by --set
    QString runId;
    // Folders repo paths and working dirs must resolve into (symlinks followed);
    // empty = no check.
    QStringList allowedRoots;
};

struct ExpansionResult {
    std::optional<Plan> plan;
    Diagnostics diagnostics;          // e.g. {{params.x}} unknown, duplicate repo names
};

ExpansionResult expand(const ExpansionInput& input);

} // namespace signalbox::workflow
