// Linux backend of child_process.h: posix_spawn (vfork-based in glibc) + pidfd.
//
// Why not QProcess. Measured 2026-11-23 on the 2-core dev VM (Debian 12, Qt 6.4,
// RelWithDebInfo, machine busy with other builds, so +-15%): 2,000 x `true` at
// concurrency 2 took 2.9-3.6 s with `xargs -P 2`, 2.35-2.7 s with this backend and
// 2.0-2.7 s with one QProcess per launch; the parent's own CPU was ~50-100 ms for either.
// Throughput is dominated by exec/startup of the child, so speed is not the reason.
// The reasons are control: the process group is set atomically before exec (timeouts
// and cancel reach grandchildren), signal dispositions and mask are reset, the program
// is looked up in the PATH of the child's own environment so ENOENT vs EACCES is known
// exactly (QProcess only reports FailedToStart with a text), stdin is /dev/null without
// a third pipe, exit is seen through a pidfd (no SIGCHLD handler), and output stays raw
// bytes split by us (no QIODevice buffering, no readLine() size limits).

#include "pools/child_process.h"

#include <QFile>
#include <QMap>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace signalbox::pools::sys {
namespace {

std::atomic<bool> g_exitDescriptors{true};

QString errorText(int error) {
    return QString::fromLocal8Bit(std::strerror(error));
}

SpawnFailure failure(int error, const QString& message, bool workingDir = false) {
    return SpawnFailure{error, message, workingDir};
}

// Relative paths are relative to the child's working dir, where exec will resolve them.
QByteArray inWorkingDir(const QByteArray& path, const QByteArray& workingDir) {
    if (path.startsWith('/') || workingDir.isEmpty())
        return path;
    return workingDir + '/' + path;
}

bool isExecutableFile(const QByteArray& path, int* error) {
    struct stat info {};
    if (::stat(path.constData(), &info) != 0) {
        *error = errno;
        return false;
    }
    if (!S_ISREG(info.st_mode)) {
        *error = EACCES; // what execve says for a directory
        return false;
    }
    if (::access(path.constData(), X_OK) != 0) {
        *error = errno;
        return false;
    }
    return true;
}

// execvp's rules, done before spawning so "not found" and "not executable" are known
// exactly: the first executable match wins; EACCES if only non-executable matches exist.
std::variant<QByteArray, SpawnFailure> resolveProgram(const engine::LaunchSpec& spec,
                                                      const QByteArray& workingDir) {
    const QString& program = spec.argv.constFirst();
    const QByteArray name = QFile::encodeName(program);
    int error = 0;
    // Checked as seen from the working dir, returned as given: exec runs after the chdir,
    // and a script's $0 stays what the task wrote.
    if (name.contains('/')) {
        if (isExecutableFile(inWorkingDir(name, workingDir), &error))
            return name;
        return failure(error, QStringLiteral("cannot execute %1: %2").arg(program, errorText(error)));
    }
    const QByteArray searchPath = spec.env.contains(QStringLiteral("PATH"))
                                      ? QFile::encodeName(spec.env.value(QStringLiteral("PATH")))
                                      : QByteArrayLiteral("/usr/local/bin:/usr/bin:/bin");
    bool sawDenied = false;
    for (const QByteArray& dir : searchPath.split(':')) {
        const QByteArray candidate = dir.isEmpty() ? name : dir + '/' + name;
        if (isExecutableFile(inWorkingDir(candidate, workingDir), &error))
            return dir.isEmpty() ? QByteArray("./" + name) : candidate;
        if (error == EACCES)
            sawDenied = true;
    }
    if (sawDenied)
        return failure(EACCES, QStringLiteral("cannot execute %1: %2").arg(program, errorText(EACCES)));
    return failure(ENOENT, QStringLiteral("command not found: %1").arg(program));
}

std::optional<SpawnFailure> checkWorkingDir(const QString& dir) {
    if (dir.isEmpty())
        return std::nullopt; // inherit ours
    const QByteArray path = QFile::encodeName(dir);
    struct stat info {};
    if (::stat(path.constData(), &info) != 0) {
        const int error = errno;
        return failure(error, QStringLiteral("working directory %1: %2").arg(dir, errorText(error)), true);
    }
    if (!S_ISDIR(info.st_mode))
        return failure(ENOTDIR, QStringLiteral("working directory %1: %2").arg(dir, errorText(ENOTDIR)),
                       true);
    if (::access(path.constData(), X_OK) != 0) {
        const int error = errno;
        return failure(error, QStringLiteral("working directory %1: %2").arg(dir, errorText(error)), true);
    }
    return std::nullopt;
}

// A pipe whose read end (ours) is non-blocking; both ends close-on-exec (the spawn
// dup2s the write end onto 1 or 2, which clears the flag on the copy only).
bool makePipe(int fds[2]) {
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
    const int flags = ::fcntl(fds[0], F_GETFL);
    ::fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
    return true;
}

int openPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    const long fd = ::syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -1 : static_cast<int>(fd);
#else
    Q_UNUSED(pid);
    return -1;
#endif
}

class SpawnAttributes {
public:
    SpawnAttributes() {
        ::posix_spawnattr_init(&m_attr);
        ::posix_spawn_file_actions_init(&m_actions);
    }
    ~SpawnAttributes() {
        ::posix_spawn_file_actions_destroy(&m_actions);
        ::posix_spawnattr_destroy(&m_attr);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;

    posix_spawnattr_t m_attr;
    posix_spawn_file_actions_t m_actions;
};

ExitStatus toExitStatus(int status) {
    ExitStatus result;
    if (WIFSIGNALED(status)) {
        result.signaled = true;
        result.signal = WTERMSIG(status);
    } else {
        result.exitCode = WEXITSTATUS(status);
    }
    return result;
}

} // namespace

std::variant<SpawnedChild, SpawnFailure> spawn(const engine::LaunchSpec& spec) {
    if (spec.argv.isEmpty() || spec.argv.constFirst().isEmpty())
        return failure(ENOENT, QStringLiteral("empty command"));
    if (auto bad = checkWorkingDir(spec.workingDir))
        return *bad;
    const QByteArray workingDir = QFile::encodeName(spec.workingDir);
    auto resolved = resolveProgram(spec, workingDir);
    if (auto* bad = std::get_if<SpawnFailure>(&resolved))
        return *bad;
    const QByteArray& path = std::get<QByteArray>(resolved);

    std::vector<QByteArray> argStorage;
    argStorage.reserve(static_cast<std::size_t>(spec.argv.size()));
    for (const QString& arg : spec.argv)
        argStorage.push_back(arg.toUtf8());
    std::vector<char*> argv;
    for (QByteArray& arg : argStorage)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    std::vector<QByteArray> envStorage;
    envStorage.reserve(static_cast<std::size_t>(spec.env.size()));
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
        envStorage.push_back(it.key().toUtf8() + '=' + it.value().toUtf8());
    std::vector<char*> envp;
    for (QByteArray& entry : envStorage)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (!makePipe(out) || !makePipe(err)) {
        const int error = errno;
        for (int fd : {out[0], out[1], err[0], err[1]})
            closeFd(fd);
        return failure(error, QStringLiteral("cannot create pipes: %1").arg(errorText(error)));
    }

    SpawnAttributes sa;
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    // Every signal back to SIG_DFL. Not sigfillset(): glibc leaves its internal signals
    // (32, 33) out of it, and posix_spawn then sets those to SIG_IGN, which survives exec.
    std::memset(&all, 0xff, sizeof all);
    ::posix_spawnattr_setflags(&sa.m_attr,
                               POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    ::posix_spawnattr_setpgroup(&sa.m_attr, 0);
    ::posix_spawnattr_setsigmask(&sa.m_attr, &none);
    ::posix_spawnattr_setsigdefault(&sa.m_attr, &all);
    ::posix_spawn_file_actions_addopen(&sa.m_actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&sa.m_actions, out[1], STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(&sa.m_actions, err[1], STDERR_FILENO);
    if (!workingDir.isEmpty())
        ::posix_spawn_file_actions_addchdir_np(&sa.m_actions, workingDir.constData());

    pid_t pid = -1;
    const int error =
        ::posix_spawn(&pid, path.constData(), &sa.m_actions, &sa.m_attr, argv.data(), envp.data());
    closeFd(out[1]);
    closeFd(err[1]);
    if (error != 0) {
        closeFd(out[0]);
        closeFd(err[0]);
        return failure(error,
                       QStringLiteral("cannot execute %1: %2").arg(spec.argv.constFirst(), errorText(error)));
    }

    SpawnedChild child;
    child.pid = pid;
    child.processGroup = pid;
    child.stdoutFd = out[0];
    child.stderrFd = err[0];
    child.exitFd = g_exitDescriptors.load(std::memory_order_relaxed) ? openPidfd(pid) : -1;
    return child;
}

void setExitDescriptorsEnabled(bool enabled) {
    g_exitDescriptors.store(enabled, std::memory_order_relaxed);
}

void ignoreSigpipe() {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL &&
        !(current.sa_flags & SA_SIGINFO)) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        ::sigaction(SIGPIPE, &ignore, nullptr);
    }
}

void signalGroup(ProcessId processGroup, int signal) {
    if (processGroup > 1)
        ::kill(-static_cast<pid_t>(processGroup), signal);
}

ReadResult readSome(int fd, char* buffer, qsizetype capacity) {
    for (;;) {
        const ssize_t n = ::read(fd, buffer, static_cast<size_t>(capacity));
        if (n > 0)
            return {ReadStatus::Data, static_cast<qsizetype>(n)};
        if (n == 0)
            return {ReadStatus::EndOfFile, 0};
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return {ReadStatus::WouldBlock, 0};
        return {ReadStatus::EndOfFile, 0};
    }
}

void closeFd(int fd) {
    if (fd >= 0)
        ::close(fd); // not retried on EINTR: Linux always releases the descriptor
}

bool hasExited(ProcessId pid) {
    siginfo_t info{};
    for (;;) {
        const int rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
        if (rc == 0)
            return info.si_pid != 0;
        if (errno != EINTR)
            return true; // ECHILD: reaped elsewhere; tryReap reports it
    }
}

std::optional<ExitStatus> tryReap(ProcessId pid) {
    for (;;) {
        int status = 0;
        const pid_t rc = ::waitpid(static_cast<pid_t>(pid), &status, WNOHANG);
        if (rc == 0)
            return std::nullopt;
        if (rc > 0)
            return toExitStatus(status);
        if (errno != EINTR) {
            ExitStatus lost;
            lost.lost = true;
            return lost;
        }
    }
}

ExitStatus reap(ProcessId pid) {
    for (;;) {
        int status = 0;
        const pid_t rc = ::waitpid(static_cast<pid_t>(pid), &status, 0);
        if (rc > 0)
            return toExitStatus(status);
        if (errno != EINTR) {
            ExitStatus lost;
            lost.lost = true;
            return lost;
        }
    }
}

} // namespace signalbox::pools::sys
