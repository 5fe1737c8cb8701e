#pragma once
// The engine: turns run requests into plans, schedules task instances onto pools,
// records every state change in the store and announces it after it committed.
// Lives on one thread with an event loop (the thread it was created on); every
// public method must be called on that thread.

#include "domain/records.h"
#include "dlq/dead_letter.h"
#include "engine/instance_outcome.h"
#include "engine/launcher.h"
#include "workflow/diagnostic.h"
#include "workflow/workflow.h"

#include <QHash>
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

// Live load of one pool (not persisted): what the console's Pools view shows.
struct PoolLoad {
    int capacity = 0; // the launcher's capacity (<= 0 = unlimited)
    int busy = 0;     // launches running on it now
    int queued = 0;   // ready instances (dependencies met) waiting for a slot on it
    bool paused = false;
};

struct EngineOptions {
    qint64 killGraceMs = 5000;       // SIGTERM -> SIGKILL on timeout/cancel
    QStringList allowedRoots;        // repo paths and working dirs must lie inside (empty = anywhere)
};

class Engine final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)
public:
    explicit Engine(store::Store& store, EngineOptions options = {}, QObject* parent = nullptr);
    // Runs still executing become `interrupted` (their pending/running instances too), the
    // pools are destroyed (LocalLauncher kills its children), and it waits until all of
    // that is committed. No signals are emitted from here on.
    ~Engine() override;

    // Registers a pool by name ("local" is the default pool). The engine takes ownership.
    // Registering a name again replaces that pool (only while none of its launches run).
    void addPool(const QString& name, Launcher* launcher);
    QStringList pools() const;                     // registered pool names, sorted
    Launcher* pool(const QString& name) const;     // nullptr when unknown

    // A paused pool gets no new launches: running ones finish, ready instances wait as
    // pending until it is unpaused. Unknown pools are ignored (isPoolPaused: false).
    void setPoolPaused(const QString& pool, bool paused);
    bool isPoolPaused(const QString& pool) const;
    // Capacity, running launches and ready instances waiting for that pool (zeros when
    // unknown). A launcher that declares a `capacityChanged()` signal (LocalLauncher) is
    // followed: a larger capacity starts waiting instances at once, a smaller one lets
    // running launches finish.
    PoolLoad poolLoad(const QString& pool) const;

    // The parent environment tasks inherit (default: this process's environment at
    // construction). The planned env (workflow env, task env, SIGNALBOX_*) goes on top.
    void setDefaultEnvironment(const QMap<QString, QString>& environment);

    // Crash recovery, for the process that owns the data dir: every run left
    // queued/running by a dead process (and its pending/running instances) becomes
    // `interrupted`. Returns the ids changed. Not called implicitly.
    // First, the process groups such instances recorded (their pid) are terminated when
    // they are provably theirs (SIGTERM, SIGKILL after options.killGraceMs; blocks up to
    // about that long), each with a system log line on the instance.
    QStringList recoverInterrupted();

    // Validates and expands the request, records the run as `queued` with all its
    // instances `pending`, and returns its id. On bad input returns nullopt and fills
    // diagnostics (FILE:LINE:COL form).
    std::optional<QString> createRun(const RunRequest& request, workflow::Diagnostics* diagnostics);

    // Starts executing a queued run. Returns false with *error for an unknown run or
    // one that is not queued.
    bool startRun(const QString& runId, QString* error);

    // Continues an interrupted, cancelled or failed run (re-planned from its YAML snapshot
    // and recorded request, never from the file): interrupted/cancelled/pending/running
    // instances and skipped ones whose failed upstream is gone run again; `succeeded`
    // ones never do; `failed` ones stay failed (dead letter queue: retryInstances).
    // A queued run simply starts. False with *error for unknown/running/succeeded runs.
    bool resumeRun(const QString& runId, QString* error);

    // Cancels a run this engine is executing: running instances get SIGTERM (SIGKILL
    // after the grace period), pending ones become `cancelled`, the run `cancelled`.
    bool cancelRun(const QString& runId, QString* error);
    void cancelAll();

    // Dead letter retry: the given `failed` instances (plan indexes; also `cancelled` or
    // `interrupted` ones, a retry cut short by a cancel or a crash) run again, and the
    // dependents they had skipped become pending. Works on a run this engine is executing
    // and on a finished (failed/cancelled/interrupted) run, which then resumes like
    // resumeRun. Succeeded instances never run again.
    // `recipes` replaces what runs for those instances in this retry (edit-and-retry):
    // argv, environment on top of the parent's, working dir and pool (which must exist).
    bool retryInstances(const QString& runId, const QList<int>& indexes, QString* error,
                        const QHash<int, dlq::LaunchRecipe>& recipes = {});

    // A failed instance of a recorded run described as the outcome sink would have heard
    // of it (recipe from the run's snapshot; no output tail): for enqueueing it by hand.
    std::optional<FailedInstance> describeFailed(const QString& runId, int index, QString* error) const;

    // Receives failed and finished instances (the dead letter queue). Not owned; must
    // outlive the engine or be unset first. nullptr = none.
    void setOutcomeSink(OutcomeSink* sink);

    // The live status of an instance of a run this engine is executing; nullopt otherwise.
    std::optional<InstanceStatus> liveStatus(const QString& runId, int index) const;

    // Runs this engine is executing right now.
    QStringList activeRuns() const;
    bool isActive(const QString& runId) const;

Q_SIGNALS:
    // All emitted only after the change is committed to the store. Changes are written
    // and announced in batches (once per event-loop turn): an instance that passes
    // through several states within one turn is announced once, in its latest state.
    void runStatusChanged(const QString& runId, signalbox::RunStatus status);
    void instanceChanged(const signalbox::InstanceRecord& instance);
    void logLinesAppended(const QString& runId, int count);
    void runFinished(const QString& runId, signalbox::RunStatus status);
    // Live pool state (capacity, pause, busy or queued of some pool) changed. Not tied to a
    // commit; emitted at most once per event-loop turn.
    void poolsChanged();

private Q_SLOTS:
    // A launcher's capacityChanged(): re-reads every pool's capacity.
    void syncPoolCapacities();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::engine
