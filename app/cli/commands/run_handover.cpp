#include "commands/run_handover.h"

#include "engine/stored_records.h"
#include "commands/run_view.h"
#include "commands/signal_watcher.h"
#include "engine/control_channel.h"
#include "engine/data_dir_lock.h"
#include "engine/noop_launcher.h"
#include "engine/run_json.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonObject>
#include <QTimer>
#include <csignal>
#include <unistd.h>

namespace signalbox::cli {
namespace {

constexpr int kRequestTimeoutMs = 10'000;
constexpr int kFollowIntervalMs = 100;
// A followed run whose executor is gone (no live lock holder) is given this long to
// be recorded ended before it is reported interrupted.
constexpr qint64 kOwnerlessGraceMs = 5'000;

volatile std::sig_atomic_t g_interrupted = 0;
struct sigaction g_previousInt = {};
struct sigaction g_previousTerm = {};

void raiseInterrupted(int) {
    g_interrupted = 1;
}

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

InterruptGuard::InterruptGuard() {
    struct sigaction action = {};
    action.sa_handler = raiseInterrupted;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &g_previousInt);
    ::sigaction(SIGTERM, &action, &g_previousTerm);
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &g_previousInt, nullptr);
    ::sigaction(SIGTERM, &g_previousTerm, nullptr);
}

bool InterruptGuard::raised() {
    return g_interrupted != 0;
}

HolderKind probeHolder(const QString& dataDir) {
    QString error;
    const auto reply = engine::ControlClient::request(
        dataDir, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("ping")}}, kRequestTimeoutMs, &error);
    if (!reply || !reply->value(QStringLiteral("ok")).toBool()) {
        logs::debug(QStringLiteral("the engine's control channel does not answer: %1").arg(error));
        return HolderKind::Unreachable;
    }
    if (reply->value(QStringLiteral("closing")).toBool())
        return HolderKind::Unreachable;
    // The desktop console takes runs and jobs like the background executor.
    const QString role = reply->value(QStringLiteral("role")).toString();
    return role == u"executor" || role == u"console" ? HolderKind::Executor : HolderKind::Foreground;
}

HandoverResult handOver(const QString& dataDir, const QString& cmd, const QString& runId, QString* error) {
    QString why;
    const auto reply = engine::ControlClient::request(
        dataDir, QJsonObject{{QStringLiteral("cmd"), cmd}, {QStringLiteral("run"), runId}}, kRequestTimeoutMs,
        &why);
    if (!reply) {
        logs::debug(QStringLiteral("run %1: hand-over not answered: %2").arg(runId, why));
        return HandoverResult::Retry;
    }
    if (reply->value(QStringLiteral("ok")).toBool()) {
        logs::info(QStringLiteral("run %1 handed over to the background executor").arg(runId));
        return HandoverResult::Accepted;
    }
    if (error)
        *error = reply->value(QStringLiteral("error")).toString();
    if (reply->value(QStringLiteral("busy")).toBool())
        return HandoverResult::Busy;
    if (reply->value(QStringLiteral("closing")).toBool())
        return HandoverResult::Retry;
    return HandoverResult::Failed;
}

LocklessEngine::LocklessEngine(CliContext& context)
    : m_context(context) {}

LocklessEngine::~LocklessEngine() {
    m_engine.reset();
    m_store.reset();
}

int LocklessEngine::open() {
    int code = kExitOk;
    m_store = m_context.openStore(&code);
    if (!m_store)
        return code;
    m_engine = std::make_unique<engine::Engine>(*m_store);
    // Pool names only matter for planning (a task's `pool:` must exist); nothing runs here.
    m_engine->addPool(QStringLiteral("local"), new engine::NoopLauncher());
    return kExitOk;
}

std::optional<QString> LocklessEngine::createRun(const engine::RunRequest& request,
                                                 workflow::Diagnostics* diagnostics) {
    auto runId = m_engine->createRun(request, diagnostics);
    if (runId)
        m_store->sync(); // visible to the executor before it is asked to start it
    return runId;
}

void LocklessEngine::abandon(const QString& runId) {
    const auto run = m_store->run(runId);
    // Interrupted: an engine that took the lock meanwhile recorded it so; it never ran.
    if (run && (run->status == RunStatus::Queued || run->status == RunStatus::Interrupted))
        engine::recordCancelled(*m_store, runId);
}

int LocklessEngine::follow(const QString& runId, const std::optional<RunRecord>& before) {
    SignalWatcher watcher({SIGINT, SIGTERM});
    int interrupts = 0;
    bool cancelSent = false;
    QObject::connect(&watcher, &SignalWatcher::signalReceived, &watcher, [&](int) { ++interrupts; });
    const bool progress = ::isatty(STDERR_FILENO) == 1;

    QHash<int, InstanceStatus> seen;
    int total = 0;
    bool first = true;
    QElapsedTimer ownerless;
    std::optional<RunRecord> run;
    for (;;) {
        if ((interrupts > 0 || InterruptGuard::raised()) && !cancelSent) {
            cancelSent = true;
            if (progress)
                m_context.note(QStringLiteral("cancelling run %1 ...").arg(runId));
            QString error;
            const auto reply =
                engine::ControlClient::request(m_context.dataDir(),
                                               QJsonObject{{QStringLiteral("cmd"), QStringLiteral("cancel")},
                                                           {QStringLiteral("run"), runId}},
                                               kRequestTimeoutMs, &error);
            if (!reply || !reply->value(QStringLiteral("ok")).toBool())
                logs::warn(QStringLiteral("cannot cancel run %1: %2")
                               .arg(runId, reply ? reply->value(QStringLiteral("error")).toString() : error));
        }
        run = m_store->run(runId);
        if (!run)
            return m_context.fail(kExitFailed,
                                  QStringLiteral("run '%1' disappeared from the store").arg(runId));
        if (progress) {
            const QList<InstanceRecord> instances = m_store->instances(runId);
            if (first) {
                total = int(instances.size());
                m_context.note(QStringLiteral("run %1: %2 instance(s), executed by the background process")
                                   .arg(runId)
                                   .arg(total));
            }
            int done = 0;
            for (const InstanceRecord& instance : instances)
                done += isTerminal(instance.status) ? 1 : 0;
            for (const InstanceRecord& instance : instances) {
                const auto known = seen.constFind(instance.index);
                if ((known == seen.constEnd() && (first || instance.status == InstanceStatus::Pending)) ||
                    (known != seen.constEnd() && known.value() == instance.status)) {
                    seen.insert(instance.index, instance.status);
                    continue;
                }
                seen.insert(instance.index, instance.status);
                QString line = QStringLiteral("[%1/%2] %3 %4")
                                   .arg(done)
                                   .arg(total)
                                   .arg(instanceLabel(instance), toString(instance.status));
                if (instance.status == InstanceStatus::Failed && !instance.error.isEmpty())
                    line += QStringLiteral(": ") + instance.error;
                else if (isTerminal(instance.status) && instance.durationMs() > 0)
                    line += QStringLiteral(" (%1)").arg(formatDuration(instance.durationMs()));
                m_context.note(line);
            }
            first = false;
        }
        if (isTerminal(run->status)) {
            // A resumed run still shows how it ended before until the executor records
            // it running: that is not its end (unless no engine is left to record one:
            // an engine records everything before it lets the lock go).
            const bool unchanged =
                before && before->status == run->status && before->finishedAtMs == run->finishedAtMs;
            if (!unchanged || !engine::DataDirLock(m_context.dataDir()).holder())
                break;
        }
        // Still queued/running: is anything executing it?
        if (engine::DataDirLock(m_context.dataDir()).holder()) {
            ownerless.invalidate();
        } else if (!ownerless.isValid()) {
            ownerless.start();
        } else if (ownerless.elapsed() > kOwnerlessGraceMs) {
            m_context.warn(QStringLiteral("run %1: the process executing it is gone").arg(runId));
            run->status = RunStatus::Interrupted;
            break;
        }
        waitMs(kFollowIntervalMs);
    }

    QList<InstanceRecord> instances = m_store->instances(runId);
    if (run->status == RunStatus::Interrupted) {
        for (InstanceRecord& instance : instances) {
            if (instance.status == InstanceStatus::Pending || instance.status == InstanceStatus::Running)
                instance.status = InstanceStatus::Interrupted;
        }
    }
    if (m_context.json())
        m_context.printJson(engine::runToJson(*run, &instances));
    else
        m_context.print(formatRunDetails(*run, instances));
    switch (run->status) {
    case RunStatus::Succeeded: {
        // cli.md: exit 1 when "a quality gate was missed", even if every task succeeded.
        const bool gateMissed =
            run->qualityGate && run->qualityScore && *run->qualityScore < *run->qualityGate;
        return gateMissed ? kExitFailed : kExitOk;
    }
    case RunStatus::Cancelled:
        return kExitInterrupted;
    default:
        return kExitFailed;
    }
}

} // namespace signalbox::cli
