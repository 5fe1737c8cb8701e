#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq stats (see dlq_stats_command.cpp and docs/user/cli.md)
class DlqStatsCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq stats"); }
    QString summary() const override {
        return QStringLiteral("queue size, capacity, counts and lifetime counters");
    }
    QString description() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
