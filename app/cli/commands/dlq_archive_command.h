#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq archive [ENTRY_ID...] (see dlq_archive_command.cpp and docs/user/cli.md)
class DlqArchiveCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq archive"); }
    QString arguments() const override { return QStringLiteral("[ENTRY_ID...]"); }
    QString summary() const override {
        return QStringLiteral("archive dead letters (ids, or --filter-* with --yes)");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int maxPositional() const override { return -1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
