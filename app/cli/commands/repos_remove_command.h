#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// repos remove NAME
class ReposRemoveCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("repos remove"); }
    QString arguments() const override { return QStringLiteral("NAME"); }
    QString summary() const override { return QStringLiteral("remove a repository from the catalog"); }
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
