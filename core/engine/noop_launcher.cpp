#include "engine/noop_launcher.h"

#include "domain/clock.h"

#include <QMetaObject>
#include <cerrno>
#include <csignal>

namespace signalbox::engine {

NoopLauncher::NoopLauncher(int capacity, QObject* parent)
    : Launcher(parent)
    , m_capacity(capacity) {}

NoopLauncher::~NoopLauncher() = default;

void NoopLauncher::setScript(const QString& key, const Script& script) {
    m_scripts.insert(key, script);
}

void NoopLauncher::setScriptForToken(quint64 token, const Script& script) {
    m_tokenScripts.insert(token, script);
}

void NoopLauncher::clearScripts() {
    m_scripts.clear();
    m_tokenScripts.clear();
}

int NoopLauncher::capacity() const {
    return m_capacity;
}

int NoopLauncher::held() const {
    return static_cast<int>(m_held.size());
}

const NoopLauncher::Script* NoopLauncher::scriptFor(quint64 token, const LaunchSpec& spec) const {
    if (!m_tokenScripts.isEmpty()) {
        const auto it = m_tokenScripts.constFind(token);
        if (it != m_tokenScripts.constEnd())
            return &it.value();
    }
    if (m_scripts.isEmpty())
        return nullptr;
    for (const QString& arg : spec.argv) {
        const auto it = m_scripts.constFind(arg);
        if (it != m_scripts.constEnd())
            return &it.value();
    }
    return nullptr;
}

void NoopLauncher::start(quint64 token, const LaunchSpec& spec) {
    ++m_started;
    ++m_inFlight;
    if (m_inFlight > m_maxInFlight)
        m_maxInFlight = m_inFlight;
    if (m_recording)
        m_history.append(spec);

    Pending pending;
    pending.token = token;
    pending.startedAtMs = Clock::instance().nowMs();
    if (const Script* script = scriptFor(token, spec)) {
        pending.scripted = true;
        pending.script = *script;
    }
    if (pending.scripted && pending.script.failFirst > 0) {
        const QString identity = spec.argv.join(QChar(0x1f)) + QChar(0x1e) + spec.workingDir;
        const int attempt = ++m_attemptsByIdentity[identity];
        pending.fail = attempt <= pending.script.failFirst;
    }
    if (pending.scripted && pending.script.hold) {
        m_held.insert(token, pending);
        return;
    }
    m_queue.append(pending);
    scheduleDrain();
}

void NoopLauncher::cancel(quint64 token) {
    const auto held = m_held.find(token);
    if (held != m_held.end()) {
        const Pending pending = held.value();
        m_held.erase(held);
        // Like a real pool: the finish is reported asynchronously.
        QMetaObject::invokeMethod(
            this, [this, pending] { finish(pending, LaunchResult::End::Cancelled, std::nullopt, SIGTERM); },
            Qt::QueuedConnection);
        return;
    }
    for (Pending& pending : m_queue) {
        if (pending.token == token)
            pending.cancelled = true; // finishes as cancelled in the drain
    }
}

void NoopLauncher::releaseHeld() {
    const auto held = m_held.values();
    m_held.clear();
    for (Pending pending : held) {
        pending.scripted = false; // plain success unless forced to fail
        m_queue.append(pending);
    }
    scheduleDrain();
}

void NoopLauncher::scheduleDrain() {
    if (m_drainPosted || m_queue.isEmpty())
        return;
    m_drainPosted = true;
    QMetaObject::invokeMethod(this, &NoopLauncher::handleDrain, Qt::QueuedConnection);
}

void NoopLauncher::handleDrain() {
    m_drainPosted = false;
    // Launches started while draining finish on the next turn.
    const QVector<Pending> batch = std::exchange(m_queue, {});
    for (const Pending& pending : batch) {
        if (pending.cancelled) {
            finish(pending, LaunchResult::End::Cancelled, std::nullopt, SIGTERM);
            continue;
        }
        const Script* script = pending.scripted ? &pending.script : nullptr;
        if (script) {
            if (!script->stdoutLines.isEmpty())
                Q_EMIT linesRead(pending.token, 0, script->stdoutLines);
            if (!script->stderrLines.isEmpty())
                Q_EMIT linesRead(pending.token, 1, script->stderrLines);
            if (script->spawnFails) {
                finish(pending, LaunchResult::End::SpawnFailed, std::nullopt, std::nullopt);
                continue;
            }
        }
        int code = 0;
        if (pending.fail)
            code = script ? script->failExitCode : 1;
        else if (script)
            code = script->exitCode;
        finish(pending, LaunchResult::End::Exited, code, std::nullopt);
    }
    scheduleDrain();
}

void NoopLauncher::finish(const Pending& pending, LaunchResult::End end, std::optional<int> exitCode,
                          std::optional<int> signal) {
    LaunchResult result;
    result.end = end;
    result.exitCode = exitCode;
    result.signal = signal;
    result.startedAtMs = pending.startedAtMs;
    result.finishedAtMs = Clock::instance().nowMs();
    if (end == LaunchResult::End::SpawnFailed) {
        result.spawnErrno = ENOENT;
        result.message = QStringLiteral("exec: No such file or directory");
    } else if (end == LaunchResult::End::Cancelled) {
        result.message = QStringLiteral("cancelled");
    }
    --m_inFlight;
    Q_EMIT launchFinished(pending.token, result);
}

} // namespace signalbox::engine
