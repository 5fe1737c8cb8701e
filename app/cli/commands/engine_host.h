#pragma once
// The CLI's wrapper of an engine::EngineSession (which owns the data dir lock, the
// store, crash recovery, the control channel, the local pool, the dead letter queue and
// its runner, and answers the control requests described below): adds what is about a
// terminal: running one run in the foreground (progress, SIGINT -> cancel, exit code),
// printing, and SIGINT/SIGTERM handling. Used by `run`, `runs resume`, the hidden
// `__execute` of `run --detach`, `dlq process` and the dlq verbs that host the engine.
//
// Two roles. A foreground holder (`run`, `runs resume`) executes its own run and exits
// when it ends: it refuses runs of other processes (control request `start`/`resume`
// -> "busy"). The background executor (`__execute`) also executes runs other processes
// hand it (`start RUN_ID`, `resume RUN_ID`) and keeps the lock until its engine has no
// active run left; it then stops accepting (closes the control channel; a request that
// still reaches it gets "closing") before it decides to exit, so a handed-over run is
// never dropped: the client falls back to starting an executor of its own.
//
// Dead letters: every host creates, after the engine, a dlq::DeadLetterQueue (the
// engine's outcome sink: failures of any run become dead letters) and a
// dlq::BulkJobRunner; both are destroyed before the engine. A recovering host also
// recovers the queue (retries left `retrying` by a dead process: pending, due now).
// The retry processor only runs in `dlq process`
// (Role::Processor); unfinished jobs continue in hosts that call resumeJobs() (the dlq
// verbs). Control request "dlq_job" {"job":"j_N"} runs a job recorded by
// another process: accepted by an executor or processor, "busy" from a foreground
// holder. Every host also answers "dlq_job_pause"/"dlq_job_cancel" {"job","actor"},
// "dlq_settings" {"settings":{...},"actor"} and "dlq_enqueue" {"run","index","actor"};
// "dlq_job_resume" {"job","actor"} and "dlq_edit" {"entry","argv"?,"env"?,
// "working_dir"?,"actor"} (edit-and-retry) only an executor or processor (a foreground
// holder would cut the work short when its run ends: "busy").

#include "commands/cli_context.h"
#include "domain/records.h"

#include <QObject>
#include <QHash>
#include <QSet>
#include <memory>

namespace signalbox::dlq {
class BulkJobRunner;
class DeadLetterQueue;
} // namespace signalbox::dlq

namespace signalbox::engine {
class Engine;
class EngineSession;
} // namespace signalbox::engine

namespace signalbox::cli {

class SignalWatcher;

class EngineHost final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineHost)
public:
    explicit EngineHost(CliContext& context, QObject* parent = nullptr);
    ~EngineHost() override;

    // Takes the lock (waiting up to lockWaitMs), opens the store, with `recover`
    // records runs left queued/running by a dead process as interrupted, listens on
    // the control channel and creates the engine. On failure prints the one-line
    // error and returns its exit code (3); kExitOk otherwise.
    // With busyError set, a lock held by another live process is not printed: the
    // message (naming the holder) goes to *busyError and 3 is returned.
    int open(int lockWaitMs, bool recover, QString* busyError = nullptr);

    // Executor: `__execute`; Processor: `dlq process` (accepts runs and bulk jobs like an
    // executor; SIGINT/SIGTERM announce interruptRequested() for it to shut down).
    enum class Role { Foreground, Executor, Processor };
    void setRole(Role role) { m_role = role; }
    // Registers the local pool ("local") with this capacity (<= 0: one per CPU).
    void addLocalPool(int capacity);
    // A host opened with `recover` continues the bulk jobs left queued/running (once; after
    // addLocalPool: retries need the pool). Called by the `dlq` verbs that host the engine.
    // Not by `run`/`runs resume`: they exit when their own run ends, and would cut the
    // jobs' retries short (their runs recorded cancelled), nor by `run --detach`, which
    // only hands its run over.
    void resumeJobs();
    // Gives the lock up (run --detach hands the run to a child process).
    void releaseLock();

    engine::Engine& engine();
    store::Store& store();
    dlq::DeadLetterQueue& queue();
    dlq::BulkJobRunner& jobRunner();
    // SIGINT/SIGTERM received (0 = none).
    int interruptSignal() const { return m_interruptSignal; }
    // Takes no more runs or jobs from other processes (closes the control channel).
    void stopAccepting();

    enum class StartMode { Start, Resume };
    // Starts (or resumes) the run and waits for it to end. Progress goes to stderr when
    // it is a terminal; SIGINT/SIGTERM cancel the run. Prints the run (text or --json)
    // and returns 0 succeeded, 1 failed/interrupted or quality gate missed, 130 cancelled,
    // 2 when it cannot start.
    int runForeground(const QString& runId, StartMode mode);

    // The background executor: runs (or resumes) its own run like runForeground, then
    // keeps executing the runs handed to it until none is active; then it stops
    // accepting runs and returns (the caller releases the lock by destroying the host).
    int serve(const QString& runId, StartMode mode);

    // Prints the run as `runs show` does.
    void printRun(const QString& runId);

    // No active run, no bulk job running here, no dead letter retry in flight.
    bool isIdle() const;
    // Runs the event loop until isIdle(), or, after SIGINT/SIGTERM, until the runs it
    // cancels have ended (bulk jobs stay unfinished).
    void waitUntilIdle();

Q_SIGNALS:
    // SIGINT/SIGTERM (the first one): whoever drives a dlq action or `dlq process` reacts.
    void interruptRequested(int signalNumber);

private:
    void handleInstanceChanged(const InstanceRecord& instance);
    void handleSignal(int signalNumber);

    CliContext& m_context;
    std::unique_ptr<engine::EngineSession> m_session;
    std::unique_ptr<SignalWatcher> m_signals;
    int m_interruptSignal = 0; // SIGINT/SIGTERM received
    bool m_foregroundStarted = false;
    Role m_role = Role::Foreground;
    // Foreground progress.
    QString m_foregroundRun;
    int m_total = 0;
    QSet<int> m_done;
    // What the progress display last showed per instance (status and ::progress), so a
    // re-announcement that changes neither prints nothing.
    QHash<int, QString> m_shown;
    bool m_progress = false;
};

} // namespace signalbox::cli
