#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq process (see dlq_process_command.cpp and docs/user/cli.md)
class DlqProcessCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq process"); }
    QString summary() const override {
        return QStringLiteral("run the retry processor (until Ctrl-C, or --once)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
