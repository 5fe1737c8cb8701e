#pragma once
// What the demo history is made of: the catalog, the four workflows, the ways a task
// fails and the lines it prints. Plain tables, so the generator (demo_data.cpp) only
// decides *when* and *how often*, and a reader sees at a glance what the demo shows.

#include "domain/status.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::demo {

struct DemoRepo {
    QString name;
    QStringList tags; // team-*, language, "critical"
    QString role;
    QString description;
};

struct DemoTask {
    QString id;
    QString needs;      // the task this one waits for in the same repo; empty = none
    int minSeconds = 1; // realistic duration range of one instance
    int maxSeconds = 10;
    double failRate = 0.0; // per instance, in a run that has trouble
    QString command;       // what the workflow file runs (sh -c)
    QString metric;        // metric it reports ("" = none)
};

struct DemoWorkflow {
    QString name;
    QStringList tagChoices; // each run selects its repos by one of these catalog tags ("" = all)
    QList<DemoTask> tasks;
    int maxConcurrent = 4;
    int weight = 1; // how often it runs, relative to the others
};

// One realistic way to fail: what the engine would have recorded.
struct FailureSample {
    ErrorCategory category = ErrorCategory::Permanent;
    QString error; // the instance's one-line error
    std::optional<int> exitCode;
    std::optional<int> signal;
    QStringList output; // the last lines it printed before failing
    QStringList tasks;  // the tasks that fail this way; empty = any

    bool fits(const QString& taskId) const { return tasks.isEmpty() || tasks.contains(taskId); }
};

const QList<DemoRepo>& demoRepos();         // ~30 repos
const QList<DemoWorkflow>& demoWorkflows(); // lint, test, audit, migrate
// Every category at least once, several samples for the common ones.
const QList<FailureSample>& failureSamples();

// The YAML snapshot of a workflow over `repoPaths` (what a run stores, and the file the
// demo writes so resume and re-run work on the demo data).
QByteArray workflowYaml(const DemoWorkflow& workflow, const QStringList& repoNames,
                        const QStringList& repoPaths);

// Line `line` of `count` that `task` prints in `repo` (a realistic mix of progress,
// tool output and summary lines; deterministic in its arguments).
QString outputLine(const DemoTask& task, const QString& repo, int line, int count, quint64 salt);

} // namespace signalbox::demo
