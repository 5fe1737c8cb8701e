#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// dlq jobs [--all] [--limit N]: bulk jobs, newest first (unfinished ones unless --all).
class DlqJobsCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq jobs"); }
    QString summary() const override { return QStringLiteral("list bulk jobs (unfinished ones, or --all)"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int execute(CliContext& context, const ParsedArgs& args) override;
};

// dlq job JOB_ID [--items] | dlq job pause|resume|cancel JOB_ID
class DlqJobCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("dlq job"); }
    QString arguments() const override { return QStringLiteral("[pause|resume|cancel] JOB_ID"); }
    QString summary() const override { return QStringLiteral("show a bulk job, or pause/resume/cancel it"); }
    QString description() const override;
    QList<OptionSpec> options() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return 2; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
