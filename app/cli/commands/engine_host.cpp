#include "commands/engine_host.h"

#include "commands/run_records.h"
#include "commands/run_view.h"
#include "commands/signal_watcher.h"
#include "domain/clock.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "engine/engine.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "pools/local_launcher.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QThread>
#include <csignal>
#include <unistd.h>

namespace signalbox::cli {

EngineHost::EngineHost(CliContext& context, QObject* parent)
    : QObject(parent)
    , m_context(context) {}

EngineHost::~EngineHost() {
    if (m_engine)
        m_engine->cancelAll();
    m_signals.reset();
    m_control.reset();
    m_engine.reset(); // kills whatever still runs (pool destructor)
    m_store.reset();  // drains queued writes
    m_lock.reset();
}

int EngineHost::open(int lockWaitMs, bool recover, QString* busyError) {
    // From here on Ctrl-C/SIGTERM cancel the run instead of killing this process.
    if (!m_signals) {
        m_signals = std::make_unique<SignalWatcher>(QList<int>{SIGINT, SIGTERM});
        connect(m_signals.get(), &SignalWatcher::signalReceived, this, &EngineHost::handleSignal);
    }
    m_lock = std::make_unique<engine::DataDirLock>(m_context.dataDir());
    QString error;
    bool locked = m_lock->tryLock(lockWaitMs, &error);
    // The holder may let the lock go between the attempt and the look at who holds it:
    // try again then (it is not an I/O problem).
    for (int attempt = 0; !locked && busyError && attempt < 5 && !m_lock->holder(); ++attempt)
        locked = m_lock->tryLock(0, &error);
    if (!locked) {
        // Held by a live process (or being taken: the file exists before its content).
        if (busyError && (m_lock->holder() || QFileInfo::exists(m_lock->lockPath()))) {
            *busyError = error;
            return kExitCannotProceed;
        }
        return m_context.fail(kExitCannotProceed, error);
    }

    int code = kExitOk;
    m_store = m_context.openStore(&code);
    if (!m_store)
        return code;

    m_engine = std::make_unique<engine::Engine>(*m_store);
    if (recover) {
        const QStringList recovered = m_engine->recoverInterrupted();
        for (const QString& id : recovered)
            logs::info(QStringLiteral(
                           "run %1 was left unfinished by a process that is gone; recorded as interrupted "
                           "(resume it with 'signalbox-cli runs resume %1')")
                           .arg(id));
    }

    m_control = std::make_unique<engine::ControlServer>();
    m_control->setHandler([this](const QJsonObject& request) { return handleControlRequest(request); });
    if (!m_control->listen(m_context.dataDir(), &error))
        logs::warn(QStringLiteral("control channel unavailable, 'runs cancel' cannot reach this process: %1")
                       .arg(error));

    connect(m_engine.get(), &engine::Engine::runStatusChanged, this,
            [](const QString& runId, RunStatus status) {
                logs::info(QStringLiteral("run %1: %2").arg(runId, toString(status)));
            });
    connect(m_engine.get(), &engine::Engine::instanceChanged, this, &EngineHost::handleInstanceChanged);
    logs::info(QStringLiteral("engine started on %1 (pid %2)").arg(m_context.dataDir()).arg(::getpid()));
    return kExitOk;
}

void EngineHost::addLocalPool(int capacity) {
    const int slotCount = capacity > 0 ? capacity : qMax(1, QThread::idealThreadCount());
    m_engine->addPool(QStringLiteral("local"), new pools::LocalLauncher(slotCount));
    logs::debug(QStringLiteral("local pool: %1 slot(s)").arg(slotCount));
}

void EngineHost::releaseLock() {
    m_control.reset();
    if (m_store)
        m_store->sync();
    if (m_lock)
        m_lock->unlock();
}

QJsonObject EngineHost::handleControlRequest(const QJsonObject& request) {
    const QString cmd = request.value(QStringLiteral("cmd")).toString();
    auto error = [](const QString& message) {
        return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
    };
    if (cmd == u"ping") {
        return QJsonObject{{QStringLiteral("ok"), true},
                           {QStringLiteral("pid"), qint64(::getpid())},
                           {QStringLiteral("role"), m_role == Role::Executor ? QStringLiteral("executor")
                                                                             : QStringLiteral("foreground")},
                           {QStringLiteral("closing"), m_closing},
                           {QStringLiteral("active"), QJsonArray::fromStringList(m_engine->activeRuns())}};
    }
    if (cmd == u"start" || cmd == u"resume") {
        const QString runId = request.value(QStringLiteral("run")).toString();
        if (m_role != Role::Executor)
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("busy"), true},
                {QStringLiteral("error"),
                 QStringLiteral("pid %1 executes a foreground run and takes no other runs").arg(::getpid())}};
        if (m_closing)
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("closing"), true},
                               {QStringLiteral("error"), QStringLiteral("the engine is exiting")}};
        // The run was recorded by another process: startRun/resumeRun read it from the
        // store and check its status there (only a queued run starts; a run is
        // executed by one engine only).
        QString why;
        const bool started =
            cmd == u"start" ? m_engine->startRun(runId, &why) : m_engine->resumeRun(runId, &why);
        if (!started) {
            const auto run = m_store->run(runId);
            QJsonObject reply =
                error(why.isEmpty() ? QStringLiteral("cannot start run '%1'").arg(runId) : why);
            if (run)
                reply.insert(QStringLiteral("status"), toString(run->status));
            return reply;
        }
        logs::info(QStringLiteral("run %1: handed over through the control channel (%2)").arg(runId, cmd));
        return QJsonObject{{QStringLiteral("ok"), true},
                           {QStringLiteral("status"), QStringLiteral("running")}};
    }
    if (cmd == u"cancel") {
        const QString runId = request.value(QStringLiteral("run")).toString();
        const auto run = m_store->run(runId);
        if (!run)
            return error(QStringLiteral("unknown run '%1'").arg(runId));
        logs::info(QStringLiteral("run %1: cancel requested through the control channel").arg(runId));
        if (m_engine->isActive(runId)) {
            QString why;
            if (!m_engine->cancelRun(runId, &why))
                return error(why);
            return QJsonObject{{QStringLiteral("ok"), true},
                               {QStringLiteral("status"), QStringLiteral("cancelling")}};
        }
        if (run->status == RunStatus::Queued || run->status == RunStatus::Running ||
            run->status == RunStatus::Interrupted) {
            recordCancelled(*m_store, runId);
            return QJsonObject{{QStringLiteral("ok"), true},
                               {QStringLiteral("status"), QStringLiteral("cancelled")}};
        }
        return QJsonObject{
            {QStringLiteral("ok"), false},
            {QStringLiteral("status"), toString(run->status)},
            {QStringLiteral("error"),
             QStringLiteral("run '%1' has already ended (%2)").arg(runId, toString(run->status))}};
    }
    return error(QStringLiteral("unknown command '%1'").arg(cmd));
}

void EngineHost::stopAccepting() {
    m_closing = true;
    m_control.reset(); // new connections fail; clients fall back to an executor of their own
}

int EngineHost::serve(const QString& runId, StartMode mode) {
    const int code = runForeground(runId, mode);
    // Its own run has ended (or never started). Keep executing what was handed over
    // until nothing is active. Deciding to exit and closing the channel happen in one
    // event-loop turn, so no `start` can be accepted in between.
    while (!m_engine->activeRuns().isEmpty()) {
        QEventLoop loop;
        connect(m_engine.get(), &engine::Engine::runFinished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    stopAccepting();
    logs::info(QStringLiteral("no active runs left; the background executor exits"));
    return code;
}

void EngineHost::handleSignal(int signalNumber) {
    if (m_interruptSignal != 0) {
        logs::warn(QStringLiteral("still cancelling: waiting for the run's processes to end"));
        return;
    }
    m_interruptSignal = signalNumber;
    if (m_role == Role::Executor) {
        // SIGTERM to the background executor: take no more runs, cancel what it executes.
        logs::info(QStringLiteral("signal %1: cancelling every run of this executor").arg(signalNumber));
        stopAccepting();
        if (m_engine)
            m_engine->cancelAll();
        return;
    }
    if (!m_foregroundStarted)
        return; // runForeground records the run cancelled instead of starting it
    logs::info(QStringLiteral("run %1: signal %2, cancelling").arg(m_foregroundRun).arg(signalNumber));
    if (m_progress)
        m_context.note(QStringLiteral("cancelling run %1 ...").arg(m_foregroundRun));
    QString error;
    if (!m_engine->cancelRun(m_foregroundRun, &error))
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
    m_store->sync(); // the run's records, as createRun queued them
    const QList<InstanceRecord> instances = m_store->instances(runId);
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
    connect(m_engine.get(), &engine::Engine::runFinished, &loop, [&](const QString& id, RunStatus status) {
        if (id != runId)
            return;
        finished = true;
        finalStatus = status;
        loop.quit();
    });

    if (m_interruptSignal != 0) { // Ctrl-C before the run started: it never starts
        recordCancelled(*m_store, runId);
        printRun(runId);
        return kExitInterrupted;
    }
    QString error;
    const bool started =
        mode == StartMode::Start ? m_engine->startRun(runId, &error) : m_engine->resumeRun(runId, &error);
    if (!started)
        return m_context.fail(kExitBadInput,
                              error.isEmpty() ? QStringLiteral("cannot start run '%1'").arg(runId) : error);
    m_foregroundStarted = true;
    if (m_progress)
        m_context.note(QStringLiteral("run %1: %2 instance(s)").arg(runId).arg(m_total));
    if (!finished)
        loop.exec();
    m_store->sync();

    printRun(runId);
    bool gateMissed = false;
    if (const auto run = m_store->run(runId)) {
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
    const auto run = m_store->run(runId);
    if (!run)
        return;
    const QList<InstanceRecord> instances = m_store->instances(runId);
    if (m_context.json())
        m_context.printJson(engine::runToJson(*run, &instances));
    else
        m_context.print(formatRunDetails(*run, instances));
}

} // namespace signalbox::cli
