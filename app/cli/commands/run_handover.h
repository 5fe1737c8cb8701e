#pragma once
// Going through the process that holds a data dir's lock instead of refusing (exit 3):
// when the holder is the background executor (`__execute`, started by `run --detach`),
// another `run`, `run --detach` or `runs resume` records its run in the shared store
// and hands it over with the control request `start RUN_ID` (`resume RUN_ID`); the
// executor reads it from the store and executes it. A foreground holder (`run`,
// `runs resume`) refuses ("busy"): the caller then exits 3 naming it.
// A holder that is exiting does not answer (or answers "closing"): the caller retries,
// taking the lock itself once it is free.

#include "commands/cli_context.h"
#include "domain/records.h"
#include "engine/engine.h"
#include "workflow/diagnostic.h"

#include <QString>
#include <memory>
#include <optional>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

enum class HolderKind {
    Executor,    // accepts runs
    Foreground,  // refuses them
    Unreachable, // does not answer (starting, exiting, or not a Signalbox engine)
};

// Asks the lock holder of dataDir who it is (control request `ping`).
HolderKind probeHolder(const QString& dataDir);

enum class HandoverResult {
    Accepted, // the holder executes the run now
    Busy,     // the holder is a foreground run: it takes no other runs
    Retry,    // nobody answered, or the holder is exiting
    Failed,   // the holder cannot execute this run (*error says why)
};

// Hands runId to the lock holder: `start` for a queued run, `resume` otherwise.
HandoverResult handOver(const QString& dataDir, const QString& cmd, const QString& runId, QString* error);

// While a process hands a run over, SIGINT/SIGTERM only raise a flag: the run must end
// up handed over (then cancelled through the holder) or recorded cancelled, never left
// queued by a process that died half-way. Restores the previous handlers when destroyed;
// the flag stays raised.
class InterruptGuard final {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    static bool raised();
};

// Everything a process needs to work on a data dir without holding its lock: the
// store, and an engine that only plans runs (its "local" pool starts nothing).
class LocklessEngine final {
public:
    explicit LocklessEngine(CliContext& context);
    ~LocklessEngine();
    LocklessEngine(const LocklessEngine&) = delete;
    LocklessEngine& operator=(const LocklessEngine&) = delete;

    // Opens the store; on failure prints the error and returns its exit code.
    int open();
    store::Store& store() { return *m_store; }

    // Records the run `queued` (as Engine::createRun), committed when it returns.
    std::optional<QString> createRun(const engine::RunRequest& request, workflow::Diagnostics* diagnostics);

    // A run this process recorded but could not hand over: recorded cancelled when it
    // is still queued (or interrupted by crash recovery): nothing executes it.
    void abandon(const QString& runId);

    // Follows a run the lock holder executes, from the store, until it ends: progress
    // on stderr when it is a terminal, SIGINT/SIGTERM send `cancel RUN_ID` through the
    // control channel. Prints the run (text or --json) and returns the exit code of a
    // foreground run: 0 succeeded, 1 failed/interrupted or quality gate missed, 130
    // cancelled. `before`: the run as read before it was handed over.
    int follow(const QString& runId, const std::optional<RunRecord>& before);

private:
    CliContext& m_context;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<engine::Engine> m_engine;
};

} // namespace signalbox::cli
