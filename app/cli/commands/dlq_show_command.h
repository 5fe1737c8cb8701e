#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq show ENTRY_ID (see dlq_show_command.cpp and docs/user/cli.md)
class DlqShowCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq show"); }
    QString arguments() const override { return QStringLiteral("ENTRY_ID"); }
    QString summary() const override {
        return QStringLiteral("show one dead letter: recipe, output, history");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 1; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
