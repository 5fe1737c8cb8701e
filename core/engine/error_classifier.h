#pragma once
// Assigns the error category of a failed attempt, per workflow.md's table.

#include "domain/status.h"
#include "engine/launcher.h"

#include <QString>

namespace signalbox::engine {

struct Classification {
    ErrorCategory category = ErrorCategory::None; // None when the attempt succeeded
    QString error;                                // one line, e.g. "exit code 1"
};

// declared: the category from the task's last "::error category=..." line (None if none),
// declaredMessage: that line's message.
Classification classify(const LaunchResult& result, ErrorCategory declared, const QString& declaredMessage);

// "SIGSEGV", "SIGKILL", ...; "signal N" for numbers without a portable name.
QString signalName(int signal);

} // namespace signalbox::engine
