#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq edit ENTRY_ID [-- ARGV...] (see dlq_edit_command.cpp and docs/user/cli.md)
class DlqEditCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq edit"); }
    QString arguments() const override { return QStringLiteral("ENTRY_ID [-- ARGV...]"); }
    QString summary() const override {
        return QStringLiteral("edit a dead letter's command/env/working dir and retry it");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return -1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
