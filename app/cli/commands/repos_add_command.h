#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// repos add PATH [--name N] [--tag T]... [--role R] [--description D]
class ReposAddCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("repos add"); }
    QString arguments() const override { return QStringLiteral("PATH"); }
    QString summary() const override { return QStringLiteral("add (or update) a repository in the catalog"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
