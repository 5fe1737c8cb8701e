#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq enqueue RUN_ID TASK_ID (see dlq_enqueue_command.cpp and docs/user/cli.md)
class DlqEnqueueCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq enqueue"); }
    QString arguments() const override { return QStringLiteral("RUN_ID TASK_ID"); }
    QString summary() const override {
        return QStringLiteral("make a dead letter of a failed instance (manual strategy)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 2; }
    int maxPositional() const override { return 2; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
