#pragma once

#include "commands/command.h"

namespace signalbox::cli {

// validate FILE...: every diagnostic of every file on stderr (FILE:LINE:COL form);
// exit 2 when any file is invalid. --json: [{"file","valid","errors":[...]}] on stdout.
class ValidateCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("validate"); }
    QString arguments() const override { return QStringLiteral("FILE..."); }
    QString summary() const override { return QStringLiteral("check workflow files and report every error"); }
    QString description() const override;
    int minPositional() const override { return 1; }
    int maxPositional() const override { return -1; }
    bool needsDataDir() const override { return false; }
    int execute(CliContext& context, const ParsedArgs& args) override;
};

} // namespace signalbox::cli
