#include "commands/engine_host.h"

#include "commands/dlq_bulk.h"
#include "commands/run_records.h"
#include "commands/run_view.h"
#include "commands/signal_watcher.h"
#include "dlq/audit.h"
#include "dlq/bulk_job.h"
#include "dlq/bulk_job_runner.h"
#include "dlq/dead_letter_queue.h"
#include "dlq/dlq_settings.h"
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
#include <QTimer>
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
    // The queue and the runner go before the engine: it must not call a gone sink, and
    // retries they leave `retrying` are recovered by the next host.
    m_runner.reset();
    m_queue.reset();
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
    // Same allowed roots as the engine (EngineOptions default: anywhere).
    m_queue = std::make_unique<dlq::DeadLetterQueue>(*m_store, *m_engine, QStringList{});
    m_runner = std::make_unique<dlq::BulkJobRunner>(*m_store, *m_queue);
    if (recover) {
        if (const int retries = m_queue->recover(); retries > 0)
            logs::info(QStringLiteral("%1 dead letter retr%2 left unfinished by a process that is gone: "
                                      "pending again")
                           .arg(retries)
                           .arg(retries == 1 ? QStringLiteral("y") : QStringLiteral("ies")));
        m_resumeJobs = true;
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

void EngineHost::resumeJobs() {
    if (!m_resumeJobs)
        return;
    m_resumeJobs = false;
    if (const int jobs = m_runner->resumeUnfinished(); jobs > 0)
        logs::info(QStringLiteral("%1 unfinished dead letter job(s) resumed").arg(jobs));
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
                           // A `dlq process` host takes runs like the executor.
                           {QStringLiteral("role"), m_role != Role::Foreground ? QStringLiteral("executor")
                                                                               : QStringLiteral("foreground")},
                           {QStringLiteral("processor"), m_role == Role::Processor},
                           {QStringLiteral("closing"), m_closing},
                           {QStringLiteral("active"), QJsonArray::fromStringList(m_engine->activeRuns())}};
    }
    if (cmd == u"start" || cmd == u"resume") {
        const QString runId = request.value(QStringLiteral("run")).toString();
        if (m_role == Role::Foreground)
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
    if (cmd.startsWith(QStringLiteral("dlq_")))
        return handleDlqRequest(cmd, request);
    return error(QStringLiteral("unknown command '%1'").arg(cmd));
}

QJsonObject EngineHost::handleDlqRequest(const QString& cmd, const QJsonObject& request) {
    auto error = [](const QString& message) {
        return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
    };
    QString actor = request.value(QStringLiteral("actor")).toString();
    if (actor.isEmpty())
        actor = dlq::localActor();
    if (cmd == u"dlq_settings") {
        QString why;
        const auto settings =
            dlq::DlqSettings::fromJson(request.value(QStringLiteral("settings")).toObject(), &why);
        if (!settings || !m_queue->setSettings(*settings, actor, &why))
            return error(why);
        logs::info(QStringLiteral("dlq settings changed through the control channel by %1").arg(actor));
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("settings"), settings->toJson()}};
    }
    if (cmd == u"dlq_enqueue") {
        QString why;
        const auto key = m_queue->enqueueInstance(request.value(QStringLiteral("run")).toString(),
                                                  request.value(QStringLiteral("index")).toInt(-1), actor, &why);
        if (!key)
            return error(why.isEmpty() ? QStringLiteral("cannot enqueue it") : why);
        m_store->sync();
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("entry"), dlq::entryId(*key)}};
    }
    if (cmd == u"dlq_edit") {
        // Starts a retry: only a host that stays until its work is done takes it.
        if (m_role == Role::Foreground || m_closing)
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("busy"), true},
                {QStringLiteral("error"),
                 QStringLiteral("pid %1 executes a foreground run and takes no other work").arg(::getpid())}};
        const QString entry = request.value(QStringLiteral("entry")).toString();
        const auto key = dlq::entryKeyFromId(entry);
        if (!key)
            return error(QStringLiteral("unknown dead letter '%1'").arg(entry));
        dlq::RecipeEdit edit;
        if (request.contains(QStringLiteral("argv"))) {
            QStringList argv;
            for (const QJsonValue& arg : request.value(QStringLiteral("argv")).toArray())
                argv << arg.toString();
            edit.argv = argv;
        }
        if (request.contains(QStringLiteral("env"))) {
            QMap<QString, QString> env;
            const QJsonObject json = request.value(QStringLiteral("env")).toObject();
            for (auto it = json.constBegin(); it != json.constEnd(); ++it)
                env.insert(it.key(), it.value().toString());
            edit.env = env;
        }
        if (request.contains(QStringLiteral("working_dir")))
            edit.workingDir = request.value(QStringLiteral("working_dir")).toString();
        QString why;
        if (!m_queue->editAndRetry(*key, edit, actor, &why))
            return error(why.isEmpty() ? QStringLiteral("cannot edit %1").arg(entry) : why);
        m_store->sync();
        return QJsonObject{{QStringLiteral("ok"), true}};
    }
    const QString id = request.value(QStringLiteral("job")).toString();
    const auto key = dlq::jobKeyFromId(id);
    if (!key)
        return error(QStringLiteral("unknown job '%1'").arg(id));
    QString why;
    if (cmd == u"dlq_job") {
        if (m_role == Role::Foreground)
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("busy"), true},
                {QStringLiteral("error"),
                 QStringLiteral("pid %1 executes a foreground run and takes no other work").arg(::getpid())}};
        if (m_closing)
            return QJsonObject{{QStringLiteral("ok"), false},
                               {QStringLiteral("closing"), true},
                               {QStringLiteral("error"), QStringLiteral("the engine is exiting")}};
        if (!m_runner->run(*key, &why))
            return error(why.isEmpty() ? QStringLiteral("cannot run job '%1'").arg(id) : why);
        logs::info(QStringLiteral("dlq job %1: handed over through the control channel").arg(id));
        return QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("state"), QStringLiteral("running")}};
    }
    bool done = false;
    if (cmd == u"dlq_job_pause") {
        done = m_runner->pause(*key, actor, &why);
        if (!done) // not running here (queued): record it paused
            done = pauseJobInStore(*m_store, *key, actor, &why);
    } else if (cmd == u"dlq_job_resume") {
        if (m_role == Role::Foreground) // it would be cut short when the foreground run ends
            return QJsonObject{
                {QStringLiteral("ok"), false},
                {QStringLiteral("busy"), true},
                {QStringLiteral("error"),
                 QStringLiteral("pid %1 executes a foreground run and takes no other work").arg(::getpid())}};
        done = m_runner->resume(*key, actor, &why);
    }
    else if (cmd == u"dlq_job_cancel")
        done = m_runner->cancel(*key, actor, &why);
    else
        return error(QStringLiteral("unknown command '%1'").arg(cmd));
    if (!done)
        return error(why.isEmpty() ? QStringLiteral("cannot change job '%1'").arg(id) : why);
    m_store->sync();
    QJsonObject reply{{QStringLiteral("ok"), true}};
    if (const auto job = m_store->dlqJob(*key))
        reply.insert(QStringLiteral("state"), dlq::toString(job->state));
    return reply;
}

void EngineHost::stopAccepting() {
    m_closing = true;
    m_control.reset(); // new connections fail; clients fall back to an executor of their own
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
    return m_engine->activeRuns().isEmpty() && m_runner->isIdle() && m_queue->retriesInFlight() == 0;
}

void EngineHost::waitUntilIdle() {
    bool cancelled = false;
    while (!isIdle()) {
        if (m_interruptSignal != 0) {
            // SIGINT/SIGTERM: cancel what runs and stop waiting for jobs (they stay
            // unfinished in the store and continue in the next host that resumes jobs).
            if (!cancelled) {
                cancelled = true;
                m_engine->cancelAll();
            }
            if (m_engine->activeRuns().isEmpty())
                return;
        }
        QEventLoop loop;
        connect(m_engine.get(), &engine::Engine::runFinished, &loop, &QEventLoop::quit);
        connect(m_runner.get(), &dlq::BulkJobRunner::jobFinished, &loop, &QEventLoop::quit);
        connect(m_queue.get(), &dlq::DeadLetterQueue::retryFinished, &loop, &QEventLoop::quit);
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
