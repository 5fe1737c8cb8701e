#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// runs show RUN_ID: the run with its task instances.
class RunsShowCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("runs show"); }
    QString arguments() const override { return QStringLiteral("RUN_ID"); }
    QString summary() const override { return QStringLiteral("show one run and its task instances"); }
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
