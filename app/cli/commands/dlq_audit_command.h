#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq audit (see dlq_audit_command.cpp and docs/user/cli.md)
class DlqAuditCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq audit"); }
    QString summary() const override {
        return QStringLiteral("the audit journal of manual actions, newest first");
    }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
