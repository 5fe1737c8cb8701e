#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// __execute RUN_ID (hidden): the background process of `run --detach`. Waits for the
// data dir lock, then starts the queued run (or resumes it if it was interrupted).
class ExecuteCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("__execute"); }
    QString arguments() const override { return QStringLiteral("RUN_ID"); }
    QString summary() const override { return QStringLiteral("(internal) execute a detached run"); }
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    bool hidden() const override { return true; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
