#pragma once
// What the engine needs from a pool that executes task instances. The local pool
// implements it with child processes; benchmarks and scheduler tests use a no-op one.
// All calls and signals happen on the thread the launcher lives on.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QMetaType>
#include <QStringList>
#include <optional>

namespace signalbox::engine {

struct LaunchSpec {
    QStringList argv;               // argv[0] looked up in PATH of `env` when not absolute
    QString workingDir;             // absolute; must exist
    QMap<QString, QString> env;     // the complete environment of the child
    qint64 timeoutMs = 0;           // 0 = none; on expiry SIGTERM, then SIGKILL after killGraceMs
    qint64 killGraceMs = 5000;
};

struct LaunchResult {
    enum class End { Exited, Signaled, TimedOut, Cancelled, SpawnFailed };
    End end = End::Exited;
    std::optional<int> exitCode;    // Exited
    std::optional<int> signal;      // Signaled/TimedOut/Cancelled: the signal that ended it
    int spawnErrno = 0;             // SpawnFailed: ENOENT, EACCES, ... (0 = unknown)
    QString message;                // one line for humans, e.g. "exec: No such file or directory"
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    qint64 timeoutMs = 0;           // TimedOut: the limit that expired (for "timed out after 10s")
    bool workingDirFailed = false;  // SpawnFailed: the working dir was missing or unusable
};

class Launcher : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~Launcher() override = default;

    // How many launches may run at once (the pool's capacity); <= 0 = unlimited.
    virtual int capacity() const = 0;
    // Starts one launch identified by token (unique while it runs). Always ends with
    // exactly one launchFinished(token, ...), also when spawning fails.
    virtual void start(quint64 token, const LaunchSpec& spec) = 0;
    // Asks a running launch to stop: SIGTERM to its process group, SIGKILL after grace.
    // launchFinished follows with End::Cancelled. Unknown tokens are ignored.
    virtual void cancel(quint64 token) = 0;

Q_SIGNALS:
    // Complete lines of output (without the newline), in order, per stream.
    // stream: 0 = stdout, 1 = stderr.
    void linesRead(quint64 token, int stream, const QList<QByteArray>& lines);
    void launchFinished(quint64 token, const signalbox::engine::LaunchResult& result);
    // The launch's process exists: pid leads its own process group (pid == group id).
    // Emitted synchronously from inside start(), right after a successful spawn and before
    // any linesRead/launchFinished of that token; never after a spawn failure. Pools without
    // processes (NoopLauncher) emit nothing. The engine records it so the next process can
    // stop a group a killed engine left running (crash recovery).
    void launchStarted(quint64 token, qint64 pid);
};

} // namespace signalbox::engine

Q_DECLARE_METATYPE(signalbox::engine::LaunchResult)
