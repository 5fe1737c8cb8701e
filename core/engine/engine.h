#pragma once
// The engine: turns run requests into plans, schedules task instances onto pools,
// records every state change in the store and announces it after it committed.
// Lives on one thread with an event loop (the thread it was created on); every
// public method must be called on that thread.

#include "domain/records.h"
#include "engine/launcher.h"
#include "workflow/diagnostic.h"
#include "workflow/workflow.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace signalbox::store {
class Store;
}

namespace signalbox::engine {

struct RunRequest {
    QString workflowPath;            // file to read; or
    QByteArray workflowYaml;         // text (API); displayName names it in diagnostics
    QString displayName;
    QString baseDir;                 // for text: where relative paths resolve
    QStringList repoPaths;           // --repo: replaces the file's repos when non-empty
    QStringList catalogTags;         // --tag: select catalog repos by tag (added to --repo)
    QMap<QString, QString> params;   // --set NAME=VALUE
    int maxConcurrent = 0;           // --max-concurrent; 0 = the file's value
    QString pool;                    // --pool; empty = each task's own
};

struct EngineOptions {
    qint64 killGraceMs = 5000;       // SIGTERM -> SIGKILL on timeout/cancel
};

class Engine final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)
public:
    explicit Engine(store::Store& store, EngineOptions options = {}, QObject* parent = nullptr);
    ~Engine() override;

    // Registers a pool by name ("local" is the default pool). The engine takes ownership.
    void addPool(const QString& name, Launcher* launcher);

    // Validates and expands the request, records the run as `queued` with all its
    // instances `pending`, and returns its id. On bad input returns nullopt and fills
    // diagnostics (FILE:LINE:COL form).
    std::optional<QString> createRun(const RunRequest& request, workflow::Diagnostics* diagnostics);

    // Starts executing a queued run. Returns false with *error for an unknown run or
    // one that is not queued.
    bool startRun(const QString& runId, QString* error);

    // Continues an interrupted or cancelled run: instances not recorded `succeeded`,
    // `failed` or `skipped`-by-a-failure run again; succeeded ones never do.
    bool resumeRun(const QString& runId, QString* error);

    // Cancels a run this engine is executing: running instances get SIGTERM (SIGKILL
    // after the grace period), pending ones become `cancelled`, the run `cancelled`.
    bool cancelRun(const QString& runId, QString* error);
    void cancelAll();

    // Runs this engine is executing right now.
    QStringList activeRuns() const;

Q_SIGNALS:
    // All emitted only after the change is committed to the store.
    void runStatusChanged(const QString& runId, signalbox::RunStatus status);
    void instanceChanged(const signalbox::InstanceRecord& instance);
    void logLinesAppended(const QString& runId, int count);
    void runFinished(const QString& runId, signalbox::RunStatus status);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::engine
