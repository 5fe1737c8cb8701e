#pragma once
// Plain records shared by the store, the engine and the front ends.
// Times are Unix milliseconds (UTC); 0 means "not set" (JSON null).

#include "domain/status.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox {

struct RunRecord {
    QString id;
    QString workflow;       // workflow name
    RunStatus status = RunStatus::Queued;
    qint64 createdAtMs = 0;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QString workflowPath;   // absolute path of the file it came from ("" for API-submitted runs)
    QByteArray workflowYaml; // snapshot of the file: resume re-reads this, never the file on disk
    QByteArray requestJson; // repos, params, overrides as given (JSON), to re-plan on resume
    int maxConcurrent = 0;  // 0 = unlimited
    std::optional<double> qualityGate;
    std::optional<double> qualityScore;
};

// One task instance: a task, or one repo's copy of a fanned-out task.
// Identified by (runId, index); index is the position in the expanded plan.
struct InstanceRecord {
    QString runId;
    int index = 0;
    QString taskId;
    QString repo;            // repo name; empty = task without for_each (JSON null)
    QString repoPath;
    InstanceStatus status = InstanceStatus::Pending;
    std::optional<int> exitCode;
    std::optional<int> signal;
    int attempts = 0;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    ErrorCategory category = ErrorCategory::None;
    QString error;           // one line: "exit code 1", "timed out after 10s", ...
    QString progress;        // last ::progress N/M
    QMap<QString, double> metrics;
    // While running: the process id of the current attempt's child, which leads its own
    // process group (pid == process group id). Cleared when the attempt ends. Lets the
    // next process find and stop what a killed engine left running (crash recovery).
    std::optional<qint64> pid;

    qint64 durationMs() const { return finishedAtMs > startedAtMs && startedAtMs > 0 ? finishedAtMs - startedAtMs : 0; }
};

// One execution of an instance (in-run retries create several).
struct AttemptRecord {
    QString runId;
    int index = 0;
    int attempt = 1;         // 1-based
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    std::optional<int> exitCode;
    std::optional<int> signal;
    ErrorCategory category = ErrorCategory::None;
    QString error;
};

enum class LogStream { Stdout = 0, Stderr = 1, System = 2 };

struct LogLine {
    qint64 id = 0;           // assigned by the store; monotonically increasing
    QString runId;
    int index = 0;
    LogStream stream = LogStream::Stdout;
    qint64 tsMs = 0;
    QString text;
};

// A repository in the catalog kept in the data dir.
struct CatalogRepo {
    QString name;
    QString path;
    QStringList tags;
    QString role;
    QString description;
};

} // namespace signalbox
