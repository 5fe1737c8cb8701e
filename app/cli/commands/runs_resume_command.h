#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// runs resume RUN_ID: continue an interrupted (or cancelled/failed) run in the foreground.
class RunsResumeCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("runs resume"); }
    QString arguments() const override { return QStringLiteral("RUN_ID"); }
    QString summary() const override { return QStringLiteral("continue an interrupted or cancelled run"); }
    QString description() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
