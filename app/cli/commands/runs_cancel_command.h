#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// runs cancel RUN_ID: through the control channel of the process executing it, or,
// when no process executes it, recorded cancelled directly.
class RunsCancelCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("runs cancel"); }
    QString arguments() const override { return QStringLiteral("RUN_ID"); }
    QString summary() const override { return QStringLiteral("cancel a run"); }
    QString description() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
