#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq list (see dlq_list_command.cpp and docs/user/cli.md)
class DlqListCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq list"); }
    QString summary() const override {
        return QStringLiteral("list dead letters (or --group: groups of the same failure)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
