#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq settings (see dlq_settings_command.cpp and docs/user/cli.md)
class DlqSettingsCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq settings"); }
    QString summary() const override { return QStringLiteral("show or change the queue's settings"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
