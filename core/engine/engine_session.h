#pragma once
// Owning the engine of a data dir, for any front end (CLI verbs, the desktop console,
// later the server): the data dir lock, the store, crash recovery, the control channel
// other processes hand work to, the local pool, the dead letter queue and its bulk job
// runner, and the dlq_* control commands. Nothing here is about a terminal: the CLI's
// EngineHost wraps a session and adds progress, SIGINT handling and printing.
//
// Lives on one thread with an event loop (the thread it was created on, like the
// engine); every public method must be called there. The desktop console creates it on
// its backend thread.
//
// Roles (who may hand this session work through the control channel):
// - Foreground (`run`, `runs resume`): executes its own run, exits when it ends; refuses
//   runs and jobs of other processes ("busy").
// - Executor (`__execute`): also executes runs handed to it and bulk jobs.
// - Processor (`dlq process`): like Executor; the command drives the retry processor.
// - Console (the desktop GUI): like Processor, never closes on its own (stays open until
//   destroyed) and reports "console" in ping. Whether it resumes unfinished bulk jobs is
//   the caller's choice (resumeJobs(); LocalBackend calls it). The retry processor is not
//   part of the session: `dlq process` and LocalBackend drive it.
//
// Needs no QCoreApplication-only facility (no signal handlers: SIGINT/SIGTERM stay with
// the CLI's EngineHost), so it works on a worker QThread with an event loop.

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <memory>

namespace signalbox::dlq {
class BulkJobRunner;
class DeadLetterQueue;
} // namespace signalbox::dlq

namespace signalbox::store {
class Store;
}

namespace signalbox::pools {
class LocalLauncher;
}

namespace signalbox::engine {

class Engine;

class EngineSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineSession)
public:
    enum class Role { Foreground, Executor, Processor, Console };

    EngineSession(QString dataDir, Role role, QObject* parent = nullptr);
    // Cancels what still runs, destroys runner, queue, engine (kills children), store
    // (drains writes), then releases the lock.
    ~EngineSession() override;

    enum class OpenResult { Opened, Busy, Failed };
    // Takes the lock (waiting up to lockWaitMs), opens the store, with `recover` records
    // runs left queued/running by a dead process as interrupted (and recovers the queue's
    // retries), listens on the control channel, creates the engine, the queue and the
    // runner. Busy: another live process holds the lock (*error names it). Failed: any
    // other reason (*error is one line).
    // A missing data dir is created (owner only).
    OpenResult open(int lockWaitMs, bool recover, QString* error);

    // Registers the local pool ("local") with this capacity (<= 0: one per CPU).
    void addLocalPool(int capacity);
    // Continues the bulk jobs left queued/running (once; after addLocalPool: retries need
    // the pool). Only a session opened with `recover` has any to continue.
    void resumeJobs();
    // Gives the lock up (run --detach hands the run to a child process).
    void releaseLock();
    // Takes no more runs or jobs from other processes (closes the control channel).
    void stopAccepting();
    bool isAccepting() const;

    QString dataDir() const;
    Role role() const;
    Engine& engine();
    store::Store& store();
    dlq::DeadLetterQueue& queue();
    dlq::BulkJobRunner& jobRunner();
    pools::LocalLauncher* localPool(); // nullptr before addLocalPool

    // No active run, no bulk job running here, no dead letter retry in flight.
    bool isIdle() const;

Q_SIGNALS:
    // A run was handed to this session over the control channel ("start"/"resume") and
    // has been started. The CLI executor keeps serving until idle; the console refreshes.
    void runAccepted(const QString& runId);
    // Emitted whenever isIdle() may have become true (a run or job ended).
    void maybeIdle();

private:
    QJsonObject handleControlRequest(const QJsonObject& request);
    QJsonObject handleDlqRequest(const QString& cmd, const QJsonObject& request);

    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::engine
