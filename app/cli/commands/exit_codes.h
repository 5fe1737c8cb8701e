#pragma once
// The exit codes of cli.md.

namespace signalbox::cli {

enum ExitCode : int {
    kExitOk = 0,            // success
    kExitFailed = 1,        // the work ran but failed
    kExitBadInput = 2,      // invalid workflow, unknown id, bad flag or value
    kExitCannotProceed = 3, // data dir locked/unwritable, server unreachable
    kExitInterrupted = 130, // SIGINT: the run was cancelled and recorded `cancelled`
};

} // namespace signalbox::cli
