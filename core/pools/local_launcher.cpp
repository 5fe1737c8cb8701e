// The event-loop half of the local pool. The OS half (spawn, signals, reaping) is in
// child_process_<os>.cpp behind child_process.h.
//
// One launch = one Child object owning a QSocketNotifier per pipe and one for the exit
// descriptor (a pidfd on Linux), plus timers only when a timeout or cancel needs them.
// Nothing blocks and nothing polls (except the fallback when no exit descriptor exists).
//
// Lifecycle of a launch:
//   start -> spawn -> [pipes readable: read, split, emit linesRead per read]
//         -> exit descriptor readable (leader is a zombie, its group id still reserved)
//         -> after timeout/cancel: SIGKILL the group so stragglers die too
//         -> reap -> drain both pipes until EAGAIN/EOF -> flush partial lines
//         -> close pipes (grandchildren holding them do not matter) -> launchFinished.
// A group is only ever signalled before its leader is reaped, so a recycled pid is never hit.

#include "pools/local_launcher.h"

#include "domain/clock.h"
#include "engine/error_classifier.h"
#include "pools/child_process.h"
#include "pools/line_splitter.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>
#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <unordered_map>
#include <vector>

namespace signalbox::pools {
namespace {

using engine::LaunchResult;
using End = engine::LaunchResult::End;

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 4;   // then let other children's output in
constexpr int kMaxDrainReads = 256;     // at exit; bounds a grandchild that keeps writing
constexpr int kExitPollIntervalMs = 10; // only without an exit descriptor

QString durationText(qint64 ms) {
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

struct Stream {
    int fd = -1;
    QSocketNotifier* notifier = nullptr;
    LineSplitter lines{LocalLauncher::kMaxLineBytes};
};

class Child final : public QObject {
public:
    using QObject::QObject;

    quint64 token = 0;
    sys::ProcessId pid = -1;
    sys::ProcessId group = -1;
    std::array<Stream, 2> streams;
    int exitFd = -1;
    QSocketNotifier* exitNotifier = nullptr;
    QTimer* exitPoll = nullptr;
    QTimer* timeout = nullptr;
    QTimer* grace = nullptr;
    qint64 startedAtMs = 0;
    qint64 timeoutMs = 0;
    qint64 killGraceMs = 0;
    End stopReason = End::Exited; // TimedOut/Cancelled once a stop was requested
    int lastSignalSent = 0;
    bool reaped = false; // never signal the group after this

    void stopWatching() {
        for (Stream& stream : streams) {
            if (stream.notifier)
                stream.notifier->setEnabled(false);
        }
        if (exitNotifier)
            exitNotifier->setEnabled(false);
        for (QTimer* timer : {exitPoll, timeout, grace}) {
            if (timer)
                timer->stop();
        }
    }
    void closeStream(int index) {
        Stream& stream = streams[static_cast<std::size_t>(index)];
        if (stream.notifier)
            stream.notifier->setEnabled(false); // before close: the fd number may be reused
        sys::closeFd(stream.fd);
        stream.fd = -1;
    }
    void closeAll() {
        stopWatching();
        closeStream(0);
        closeStream(1);
        sys::closeFd(exitFd);
        exitFd = -1;
    }
};

} // namespace

struct LocalLauncher::Impl {
    LocalLauncher* q = nullptr;
    int capacity = 0;
    std::unordered_map<quint64, Child*> children; // owned through QObject parenthood
    int pendingFailures = 0;
    QByteArray buffer = QByteArray(kReadChunk, Qt::Uninitialized);

    Child* find(quint64 token) const {
        auto it = children.find(token);
        return it == children.end() ? nullptr : it->second;
    }

    void failLater(quint64 token, LaunchResult result) {
        ++pendingFailures;
        QMetaObject::invokeMethod(
            q,
            [this, token, result] {
                --pendingFailures;
                Q_EMIT q->launchFinished(token, result);
            },
            Qt::QueuedConnection);
    }

    // Reads what is there now (at most maxReads chunks); emits one batch per read.
    // Returns false when the child object went away during an emission.
    bool readStream(Child* child, int index, int maxReads) {
        QPointer<Child> alive(child);
        Stream& stream = child->streams[static_cast<std::size_t>(index)];
        for (int i = 0; i < maxReads && stream.fd >= 0; ++i) {
            const sys::ReadResult r = sys::readSome(stream.fd, buffer.data(), buffer.size());
            if (r.status == sys::ReadStatus::WouldBlock)
                break;
            QList<QByteArray> lines;
            if (r.status == sys::ReadStatus::Data) {
                stream.lines.feed(buffer.constData(), r.size, lines);
            } else {
                stream.lines.finish(lines);
                child->closeStream(index);
            }
            if (!lines.isEmpty()) {
                Q_EMIT q->linesRead(child->token, index, lines);
                if (!alive)
                    return false;
            }
        }
        return true;
    }

    void handleReadable(Child* child, int index) {
        if (!child->reaped)
            readStream(child, index, kMaxReadsPerWakeup);
    }

    void handleExitSignalled(Child* child) {
        if (child->reaped)
            return;
        if (child->exitFd < 0 && !sys::hasExited(child->pid))
            return;
        // The leader is a zombie now: its group id cannot be recycled yet.
        if (child->stopReason != End::Exited)
            sys::signalGroup(child->group, SIGKILL);
        std::optional<sys::ExitStatus> status = sys::tryReap(child->pid);
        if (!status)
            return; // spurious wakeup
        finish(child, *status);
    }

    void finish(Child* child, const sys::ExitStatus& status) {
        child->reaped = true;
        child->stopWatching();
        QPointer<Child> alive(child);
        const quint64 token = child->token;
        for (int index = 0; index < 2; ++index) {
            if (!readStream(child, index, kMaxDrainReads))
                return;
            Stream& stream = child->streams[static_cast<std::size_t>(index)];
            QList<QByteArray> rest;
            stream.lines.finish(rest);
            if (!rest.isEmpty()) {
                Q_EMIT q->linesRead(token, index, rest);
                if (!alive)
                    return;
            }
        }
        child->closeAll();

        LaunchResult result;
        result.startedAtMs = child->startedAtMs;
        result.finishedAtMs = Clock::instance().nowMs();
        if (status.signaled)
            result.signal = status.signal;
        else if (!status.lost)
            result.exitCode = status.exitCode;
        if (child->stopReason != End::Exited) {
            result.end = child->stopReason;
            if (!result.signal)
                result.signal = child->lastSignalSent;
            const QString how = status.signaled
                                    ? QStringLiteral("killed by %1").arg(engine::signalName(status.signal))
                                    : QStringLiteral("exited with code %1").arg(status.exitCode);
            if (result.end == End::TimedOut) {
                result.timeoutMs = child->timeoutMs;
                result.message =
                    QStringLiteral("timed out after %1; %2").arg(durationText(child->timeoutMs), how);
            } else {
                result.message = QStringLiteral("cancelled; %1").arg(how);
            }
        } else if (status.lost) {
            result.end = End::Exited;
            result.message = QStringLiteral("exit status unknown (the child was reaped elsewhere)");
        } else if (status.signaled) {
            result.end = End::Signaled;
            result.message = QStringLiteral("killed by %1").arg(engine::signalName(status.signal));
        } else {
            result.end = End::Exited;
            result.message = QStringLiteral("exit code %1").arg(status.exitCode);
        }

        children.erase(token);
        child->deleteLater();
        Q_EMIT q->launchFinished(token, result);
    }

    void requestStop(Child* child, End reason) {
        if (child->reaped || child->stopReason != End::Exited)
            return;
        child->stopReason = reason;
        if (child->timeout)
            child->timeout->stop();
        sys::signalGroup(child->group, SIGTERM);
        child->lastSignalSent = SIGTERM;
        if (!child->grace) {
            child->grace = new QTimer(child);
            child->grace->setSingleShot(true);
            child->grace->setTimerType(Qt::PreciseTimer);
            QObject::connect(child->grace, &QTimer::timeout, child, [child] {
                if (child->reaped)
                    return;
                sys::signalGroup(child->group, SIGKILL);
                child->lastSignalSent = SIGKILL;
            });
        }
        child->grace->start(static_cast<int>(std::clamp<qint64>(child->killGraceMs, 0, INT_MAX)));
    }

    void killAndReapAll() {
        for (auto& [token, child] : children) {
            Q_UNUSED(token);
            child->closeAll();
            if (!child->reaped) {
                sys::signalGroup(child->group, SIGKILL);
                sys::reap(child->pid);
                child->reaped = true;
            }
            delete child;
        }
        children.clear();
    }
};

LocalLauncher::LocalLauncher(int capacity, QObject* parent)
    : engine::Launcher(parent)
    , d(std::make_unique<Impl>()) {
    d->q = this;
    d->capacity = capacity;
    qRegisterMetaType<engine::LaunchResult>();
    sys::ignoreSigpipe();
}

LocalLauncher::~LocalLauncher() {
    d->killAndReapAll();
}

int LocalLauncher::capacity() const {
    return d->capacity;
}

void LocalLauncher::setCapacity(int capacity) {
    if (capacity == d->capacity)
        return;
    d->capacity = capacity;
    Q_EMIT capacityChanged();
}

int LocalLauncher::running() const {
    return static_cast<int>(d->children.size()) + d->pendingFailures;
}

void LocalLauncher::start(quint64 token, const engine::LaunchSpec& spec) {
    const qint64 startedAt = Clock::instance().nowMs();
    LaunchResult failed;
    failed.end = End::SpawnFailed;
    failed.startedAtMs = startedAt;
    if (d->find(token)) {
        qWarning("LocalLauncher: start(%llu): token is already running; reporting a spawn failure", token);
        failed.spawnErrno = EINVAL;
        failed.message = QStringLiteral("launch token %1 is already running").arg(token);
        failed.finishedAtMs = startedAt;
        d->failLater(token, failed);
        return;
    }

    auto spawned = sys::spawn(spec);
    if (auto* bad = std::get_if<sys::SpawnFailure>(&spawned)) {
        failed.spawnErrno = bad->error;
        failed.message = bad->message;
        failed.workingDirFailed = bad->workingDir;
        failed.finishedAtMs = Clock::instance().nowMs();
        d->failLater(token, failed);
        return;
    }
    const sys::SpawnedChild& sc = std::get<sys::SpawnedChild>(spawned);

    auto* child = new Child(this);
    child->token = token;
    child->pid = sc.pid;
    child->group = sc.processGroup;
    child->startedAtMs = startedAt;
    child->timeoutMs = spec.timeoutMs;
    child->killGraceMs = spec.killGraceMs;
    child->streams[0].fd = sc.stdoutFd;
    child->streams[1].fd = sc.stderrFd;
    child->exitFd = sc.exitFd;
    d->children.emplace(token, child);

    Impl* impl = d.get();
    for (int index = 0; index < 2; ++index) {
        Stream& stream = child->streams[static_cast<std::size_t>(index)];
        stream.notifier = new QSocketNotifier(stream.fd, QSocketNotifier::Read, child);
        connect(stream.notifier, &QSocketNotifier::activated, child,
                [impl, child, index] { impl->handleReadable(child, index); });
    }
    if (child->exitFd >= 0) {
        child->exitNotifier = new QSocketNotifier(child->exitFd, QSocketNotifier::Read, child);
        connect(child->exitNotifier, &QSocketNotifier::activated, child,
                [impl, child] { impl->handleExitSignalled(child); });
    } else {
        child->exitPoll = new QTimer(child);
        connect(child->exitPoll, &QTimer::timeout, child,
                [impl, child] { impl->handleExitSignalled(child); });
        child->exitPoll->start(kExitPollIntervalMs);
    }
    if (spec.timeoutMs > 0) {
        child->timeout = new QTimer(child);
        child->timeout->setSingleShot(true);
        child->timeout->setTimerType(Qt::PreciseTimer);
        connect(child->timeout, &QTimer::timeout, child,
                [impl, child] { impl->requestStop(child, End::TimedOut); });
        child->timeout->start(static_cast<int>(std::min<qint64>(spec.timeoutMs, INT_MAX)));
    }
    // Direct, from inside start(): the notifiers above only fire from the event loop, so
    // this always precedes the launch's output and its end.
    Q_EMIT launchStarted(token, static_cast<qint64>(child->pid));
}

void LocalLauncher::cancel(quint64 token) {
    if (Child* child = d->find(token))
        d->requestStop(child, End::Cancelled);
}

void LocalLauncher::cancelAll() {
    std::vector<Child*> all;
    all.reserve(d->children.size());
    for (const auto& entry : d->children)
        all.push_back(entry.second);
    for (Child* child : all)
        d->requestStop(child, End::Cancelled);
}

} // namespace signalbox::pools
