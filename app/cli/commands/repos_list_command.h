#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// repos list [--tag T]... [--role R]: the catalog; repos whose path is gone are reported.
class ReposListCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("repos list"); }
    QString summary() const override { return QStringLiteral("list the repository catalog"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
