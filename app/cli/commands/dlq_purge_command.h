#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq purge [ENTRY_ID...] (see dlq_purge_command.cpp and docs/user/cli.md)
class DlqPurgeCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq purge"); }
    QString arguments() const override { return QStringLiteral("[ENTRY_ID...]"); }
    QString summary() const override { return QStringLiteral("delete archived dead letters for good"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int maxPositional() const override { return -1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
