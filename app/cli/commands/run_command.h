#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// run FILE [--repo PATH]... [--tag T]... [--set NAME=VALUE]... [--max-concurrent N]
//          [--pool NAME] [--detach]
class RunCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("run"); }
    QString arguments() const override { return QStringLiteral("FILE"); }
    QString summary() const override {
        return QStringLiteral("run a workflow (in the foreground, or --detach)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
