#include "commands/engine_host.h"

#include "engine/stored_records.h"
#include "commands/run_view.h"
#include "commands/signal_watcher.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QEventLoop>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace signalbox::cli {

EngineHost::EngineHost(CliContext& context, QObject* parent)
    : QObject(parent)
    , m_context(context) {}

EngineHost::~EngineHost() {
    m_signals.reset();
    m_session.reset(); // cancels what still runs, then releases the lock
}

namespace {

engine::EngineSession::Role sessionRole(EngineHost::Role role) {
    switch (role) {
    case EngineHost::Role::Executor:
        return engine::EngineSession::Role::Executor;
    case EngineHost::Role::Processor:
        return engine::EngineSession::Role::Processor;
    case EngineHost::Role::Foreground:
        break;
    }
    return engine::EngineSession::Role::Foreground;
}

} // namespace

int EngineHost::open(int lockWaitMs, bool recover, QString* busyError) {
    // From here on Ctrl-C/SIGTERM cancel the run instead of killing this process.
    if (!m_signals) {
        m_signals = std::make_unique<SignalWatcher>(QList<int>{SIGINT, SIGTERM});
        connect(m_signals.get(), &SignalWatcher::signalReceived, this, &EngineHost::handleSignal);
    }
    m_session = std::make_unique<engine::EngineSession>(m_context.dataDir(), sessionRole(m_role));
    QString error;
    switch (m_session->open(lockWaitMs, recover, &error)) {
    case engine::EngineSession::OpenResult::Opened:
        break;
    case engine::EngineSession::OpenResult::Busy:
        if (busyError) {
            *busyError = error;
            m_session.reset();
            return kExitCannotProceed;
        }
        [[fallthrough]];
    case engine::EngineSession::OpenResult::Failed:
        m_session.reset();
        return m_context.fail(kExitCannotProceed, error);
    }
    connect(&m_session->engine(), &engine::Engine::instanceChanged, this, &EngineHost::handleInstanceChanged);
    return kExitOk;
}

void EngineHost::addLocalPool(int capacity) {
    m_session->addLocalPool(capacity);
}

void EngineHost::resumeJobs() {
    m_session->resumeJobs();
}

void EngineHost::releaseLock() {
    m_session->releaseLock();
}

engine::Engine& EngineHost::engine() {
    return m_session->engine();
}

store::Store& EngineHost::store() {
    return m_session->store();
}

dlq::DeadLetterQueue& EngineHost::queue() {
    return m_session->queue();
}

dlq::BulkJobRunner& EngineHost::jobRunner() {
    return m_session->jobRunner();
}

void EngineHost::stopAccepting() {
    m_session->stopAccepting();
}

int EngineHost::serve(const QString& runId, StartMode mode) {
    const int code = runForeground(runId, mode);
    // Its own run has ended (or never started). Keep executing what was handed over
    // (runs, dead letter jobs and their retries) until nothing is active. Deciding to exit
    // and closing the channel happen in one event-loop turn, so no `start` can be
    // accepted in between.
    waitUntilIdle();
    stopAccepting();
    logs::info(QStringLiteral("no active runs left; the background executor exits"));
    return code;
}

bool EngineHost::isIdle() const {
    return m_session->isIdle();
}

void EngineHost::waitUntilIdle() {
    bool cancelled = false;
    while (!isIdle()) {
        if (m_interruptSignal != 0) {
            // SIGINT/SIGTERM: cancel what runs and stop waiting for jobs (they stay
            // unfinished in the store and continue in the next host that resumes jobs).
            if (!cancelled) {
                cancelled = true;
                engine().cancelAll();
            }
            if (engine().activeRuns().isEmpty())
                return;
        }
        QEventLoop loop;
        connect(m_session.get(), &engine::EngineSession::maybeIdle, &loop, &QEventLoop::quit);
        connect(this, &EngineHost::interruptRequested, &loop, &QEventLoop::quit);
        // A safety net only: every change that can make the host idle emits one of the above.
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

void EngineHost::handleSignal(int signalNumber) {
    if (m_interruptSignal != 0) {
        logs::warn(QStringLiteral("still cancelling: waiting for the run's processes to end"));
        return;
    }
    m_interruptSignal = signalNumber;
    Q_EMIT interruptRequested(signalNumber);
    if (m_role == Role::Processor)
        return; // `dlq process` shuts down on interruptRequested
    if (m_role == Role::Executor) {
        // SIGTERM to the background executor: take no more runs, cancel what it executes.
        logs::info(QStringLiteral("signal %1: cancelling every run of this executor").arg(signalNumber));
        if (m_session) {
            stopAccepting();
            engine().cancelAll();
        }
        return;
    }
    if (!m_foregroundStarted)
        return; // runForeground records the run cancelled instead of starting it
    logs::info(QStringLiteral("run %1: signal %2, cancelling").arg(m_foregroundRun).arg(signalNumber));
    if (m_progress)
        m_context.note(QStringLiteral("cancelling run %1 ...").arg(m_foregroundRun));
    QString error;
    if (!engine().cancelRun(m_foregroundRun, &error))
        logs::warn(QStringLiteral("cannot cancel run %1: %2").arg(m_foregroundRun, error));
}

void EngineHost::handleInstanceChanged(const InstanceRecord& instance) {
    QString line = QStringLiteral("run %1: %2 %3")
                       .arg(instance.runId, instanceLabel(instance), toString(instance.status));
    if (instance.status == InstanceStatus::Failed) {
        line += QStringLiteral(" (%1%2)").arg(instance.error,
                                              instance.category == ErrorCategory::None
                                                  ? QString()
                                                  : QStringLiteral(", ") + toString(instance.category));
        logs::info(line);
    } else {
        logs::debug(line);
    }
    if (!m_progress || instance.runId != m_foregroundRun)
        return;
    if (isTerminal(instance.status))
        m_done.insert(instance.index);
    if (instance.status == InstanceStatus::Pending)
        return;
    QString shown = toString(instance.status);
    if (instance.status == InstanceStatus::Running && !instance.progress.isEmpty())
        shown += u' ' + instance.progress;
    QString& previous = m_shown[instance.index];
    if (previous == shown)
        return;
    previous = shown;
    QString progress = QStringLiteral("[%1/%2] %3 %4")
                           .arg(m_done.size())
                           .arg(m_total)
                           .arg(instanceLabel(instance), shown);
    if (instance.status == InstanceStatus::Failed && !instance.error.isEmpty())
        progress += QStringLiteral(": ") + instance.error;
    else if (isTerminal(instance.status) && instance.durationMs() > 0)
        progress += QStringLiteral(" (%1)").arg(formatDuration(instance.durationMs()));
    m_context.note(progress);
}

int EngineHost::runForeground(const QString& runId, StartMode mode) {
    m_foregroundRun = runId;
    store().sync(); // the run's records, as createRun queued them
    const QList<InstanceRecord> instances = store().instances(runId);
    m_total = int(instances.size());
    m_done.clear();
    for (const InstanceRecord& instance : instances) {
        if (isTerminal(instance.status) && instance.status != InstanceStatus::Interrupted &&
            instance.status != InstanceStatus::Cancelled)
            m_done.insert(instance.index);
    }
    m_progress = ::isatty(STDERR_FILENO) == 1;

    QEventLoop loop;
    bool finished = false;
    RunStatus finalStatus = RunStatus::Interrupted;
    connect(&engine(), &engine::Engine::runFinished, &loop, [&](const QString& id, RunStatus status) {
        if (id != runId)
            return;
        finished = true;
        finalStatus = status;
        loop.quit();
    });

    if (m_interruptSignal != 0) { // Ctrl-C before the run started: it never starts
        engine::recordCancelled(store(), runId);
        printRun(runId);
        return kExitInterrupted;
    }
    QString error;
    const bool started =
        mode == StartMode::Start ? engine().startRun(runId, &error) : engine().resumeRun(runId, &error);
    if (!started)
        return m_context.fail(kExitBadInput,
                              error.isEmpty() ? QStringLiteral("cannot start run '%1'").arg(runId) : error);
    m_foregroundStarted = true;
    if (m_progress)
        m_context.note(QStringLiteral("run %1: %2 instance(s)").arg(runId).arg(m_total));
    if (!finished)
        loop.exec();
    store().sync();

    printRun(runId);
    bool gateMissed = false;
    if (const auto run = store().run(runId)) {
        finalStatus = run->status;
        // cli.md: exit 1 when "a quality gate was missed", even if every task succeeded.
        gateMissed = run->qualityGate && run->qualityScore && *run->qualityScore < *run->qualityGate;
    }
    switch (finalStatus) {
    case RunStatus::Succeeded:
        return gateMissed ? kExitFailed : kExitOk;
    case RunStatus::Cancelled:
        return kExitInterrupted;
    default:
        return kExitFailed;
    }
}

void EngineHost::printRun(const QString& runId) {
    const auto run = store().run(runId);
    if (!run)
        return;
    const QList<InstanceRecord> instances = store().instances(runId);
    if (m_context.json())
        m_context.printJson(engine::runToJson(*run, &instances));
    else
        m_context.print(formatRunDetails(*run, instances));
}

} // namespace signalbox::cli
