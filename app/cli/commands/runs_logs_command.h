#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// runs logs RUN_ID [--task TASK_ID] [--repo NAME] [--follow] [--grep REGEX] [--prefix]
class RunsLogsCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("runs logs"); }
    QString arguments() const override { return QStringLiteral("RUN_ID"); }
    QString summary() const override { return QStringLiteral("print a run's log lines"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
