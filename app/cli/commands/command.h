#pragma once
// One class per CLI verb. A verb declares its name ("runs list"), its options and
// positional arguments; the dispatcher parses, checks counts, prepares the data dir
// and calls execute(). Adding a verb = one new Command subclass + one line in
// command_registry.cpp.

#include "commands/arg_parser.h"
#include "commands/cli_context.h"

#include <QList>
#include <QString>

namespace signalbox::cli {

class Command {
public:
    virtual ~Command() = default;

    virtual QString name() const = 0;                  // "validate", "runs list", ...
    virtual QString arguments() const { return {}; }   // positional synopsis: "FILE..."
    virtual QString summary() const = 0;               // one line for --help listings
    virtual QString description() const { return {}; } // extra help text (may span lines)
    virtual QList<OptionSpec> options() const { return {}; }
    virtual int minPositional() const { return 0; }
    virtual int maxPositional() const { return 0; } // -1 = any number
    virtual bool needsDataDir() const { return true; }
    virtual bool hidden() const { return false; }

    // Returns the process exit code (exit_codes.h).
    virtual int execute(CliContext& context, const ParsedArgs& args) = 0;
};

} // namespace signalbox::cli
