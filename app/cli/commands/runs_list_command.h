#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// runs list [--status STATUS] [--workflow NAME] [--limit N]
class RunsListCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("runs list"); }
    QString summary() const override { return QStringLiteral("list runs, newest first"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
