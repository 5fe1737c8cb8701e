#include "engine/error_classifier.h"

#include <cerrno>
#include <csignal>
#include <cstring>

namespace signalbox::engine {
namespace {

using End = LaunchResult::End;

QString durationText(qint64 ms) {
    if (ms % 1000 == 0)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1ms").arg(ms);
}

Classification make(ErrorCategory category, const QString& error) {
    return Classification{category, error};
}

Classification classifySpawnFailure(const LaunchResult& result) {
    const QString message = !result.message.isEmpty() ? result.message
                            : result.spawnErrno != 0
                                ? QString::fromLocal8Bit(std::strerror(result.spawnErrno))
                                : QStringLiteral("could not start the process");
    if (result.workingDirFailed)
        return make(ErrorCategory::Validation, message);
    switch (result.spawnErrno) {
    case EACCES:
    case EPERM:
        return make(ErrorCategory::Permission, message);
    case ENOENT:
    case ENOTDIR:
    case ENOEXEC:
    case E2BIG:
        return make(ErrorCategory::Validation, message);
    case ENOSPC:
    case ENOMEM:
    case EAGAIN:
    case EMFILE:
    case ENFILE:
        return make(ErrorCategory::Resource, message);
    default:
        return make(ErrorCategory::Permanent, message);
    }
}

} // namespace

QString signalName(int signal) {
    switch (signal) {
#ifdef SIGHUP
    case SIGHUP:
        return QStringLiteral("SIGHUP");
#endif
    case SIGINT:
        return QStringLiteral("SIGINT");
#ifdef SIGQUIT
    case SIGQUIT:
        return QStringLiteral("SIGQUIT");
#endif
    case SIGILL:
        return QStringLiteral("SIGILL");
#ifdef SIGTRAP
    case SIGTRAP:
        return QStringLiteral("SIGTRAP");
#endif
    case SIGABRT:
        return QStringLiteral("SIGABRT");
#ifdef SIGBUS
    case SIGBUS:
        return QStringLiteral("SIGBUS");
#endif
    case SIGFPE:
        return QStringLiteral("SIGFPE");
#ifdef SIGKILL
    case SIGKILL:
        return QStringLiteral("SIGKILL");
#endif
#ifdef SIGUSR1
    case SIGUSR1:
        return QStringLiteral("SIGUSR1");
#endif
    case SIGSEGV:
        return QStringLiteral("SIGSEGV");
#ifdef SIGUSR2
    case SIGUSR2:
        return QStringLiteral("SIGUSR2");
#endif
#ifdef SIGPIPE
    case SIGPIPE:
        return QStringLiteral("SIGPIPE");
#endif
#ifdef SIGALRM
    case SIGALRM:
        return QStringLiteral("SIGALRM");
#endif
    case SIGTERM:
        return QStringLiteral("SIGTERM");
#ifdef SIGXCPU
    case SIGXCPU:
        return QStringLiteral("SIGXCPU");
#endif
#ifdef SIGXFSZ
    case SIGXFSZ:
        return QStringLiteral("SIGXFSZ");
#endif
#ifdef SIGSYS
    case SIGSYS:
        return QStringLiteral("SIGSYS");
#endif
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

Classification classify(const LaunchResult& result, ErrorCategory declared, const QString& declaredMessage) {
    switch (result.end) {
    case End::TimedOut: {
        const qint64 limit =
            result.timeoutMs > 0 ? result.timeoutMs : result.finishedAtMs - result.startedAtMs;
        return make(ErrorCategory::Transient, QStringLiteral("timed out after %1").arg(durationText(limit)));
    }
    case End::Cancelled:
        return make(ErrorCategory::None, QStringLiteral("cancelled"));
    case End::SpawnFailed:
        return classifySpawnFailure(result);
    case End::Signaled: {
        const int signal = result.signal.value_or(0);
        const QString error = QStringLiteral("killed by signal %1").arg(signalName(signal));
#ifdef SIGKILL
        if (signal == SIGKILL)
            return make(ErrorCategory::Resource, error);
#endif
        return make(ErrorCategory::Permanent, error);
    }
    case End::Exited:
        break;
    }
    const int code = result.exitCode.value_or(-1);
    if (code == 0)
        return {}; // ::error lines describe a failure; they do not cause one
    const QString exitText = QStringLiteral("exit code %1").arg(code);
    if (declared != ErrorCategory::None)
        return make(declared, declaredMessage.isEmpty() ? exitText : declaredMessage);
    switch (code) {
    case 137:
        return make(ErrorCategory::Resource, exitText);
    case 126:
        return make(ErrorCategory::Permission, exitText);
    case 127:
        return make(ErrorCategory::Validation, exitText);
    default:
        return make(ErrorCategory::Permanent, exitText);
    }
}

} // namespace signalbox::engine
