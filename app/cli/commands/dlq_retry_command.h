#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq retry [ENTRY_ID...] (see dlq_retry_command.cpp and docs/user/cli.md)
class DlqRetryCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq retry"); }
    QString arguments() const override { return QStringLiteral("[ENTRY_ID...]"); }
    QString summary() const override {
        return QStringLiteral("retry dead letters (ids, or --filter-* with --yes)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int maxPositional() const override { return -1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
