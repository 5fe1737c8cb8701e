#pragma once
// The operating-system half of LocalLauncher: spawning one child in its own process
// group with pipes for stdout/stderr, signalling the group, reading pipes without
// blocking and reaping. local_launcher.cpp holds the Qt half (event loop, lines,
// timers) and only talks to the OS through these functions.
//
// Backends: child_process_linux.cpp (posix_spawn + pidfd). A macOS backend can reuse
// nearly all of it and replace the pidfd with a kqueue EVFILT_PROC descriptor; a
// Windows backend will need its own notifier type and is not covered by this interface.

#include "engine/launcher.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <variant>

namespace signalbox::pools::sys {

using ProcessId = long long;

struct SpawnedChild {
    ProcessId pid = -1;
    ProcessId processGroup = -1; // == pid: the child leads its own group
    int stdoutFd = -1;           // non-blocking read ends
    int stderrFd = -1;
    int exitFd = -1; // readable once the child exited (pidfd); -1: poll tryReap()
};

struct SpawnFailure {
    int error = 0;           // errno value (ENOENT, EACCES, ...)
    QString message;         // one line, names what failed
    bool workingDir = false; // the working dir was missing or unusable
};

// Starts spec.argv in spec.workingDir with exactly spec.env, stdin from /dev/null,
// default signal dispositions and an empty signal mask, in a new process group.
// argv[0] without '/' is looked up in PATH of spec.env (default "/usr/bin:/bin").
std::variant<SpawnedChild, SpawnFailure> spawn(const engine::LaunchSpec& spec);

// Tests only: false makes spawn() return exitFd == -1, to exercise the polling fallback.
void setExitDescriptorsEnabled(bool enabled);

// Makes writes to closed pipes fail with EPIPE instead of killing this process.
// Idempotent; keeps a handler someone else installed.
void ignoreSigpipe();

// kill(-group, sig); errors (the group is gone) are ignored.
void signalGroup(ProcessId processGroup, int signal);

enum class ReadStatus { Data, WouldBlock, EndOfFile };
struct ReadResult {
    ReadStatus status = ReadStatus::WouldBlock;
    qsizetype size = 0; // bytes placed in the buffer (Data)
};
// One non-blocking read; read errors other than EAGAIN/EINTR count as end of file.
ReadResult readSome(int fd, char* buffer, qsizetype capacity);

void closeFd(int fd);

struct ExitStatus {
    bool signaled = false;
    int exitCode = 0;  // !signaled
    int signal = 0;    // signaled
    bool lost = false; // someone else reaped the child (SIGCHLD ignored?); status unknown
};
// Whether the child exited, without reaping it (its pid and group stay reserved).
// For backends/systems without an exit descriptor (exitFd == -1).
bool hasExited(ProcessId pid);
// waitpid(WNOHANG): the status once the child exited, nullopt while it runs.
std::optional<ExitStatus> tryReap(ProcessId pid);
// Blocking waitpid, for shutdown after SIGKILL.
ExitStatus reap(ProcessId pid);

} // namespace signalbox::pools::sys
