#pragma once

#include "workflow/diagnostic.h"
#include "workflow/workflow.h"

#include <QByteArray>
#include <optional>

namespace signalbox::workflow {

struct ParseOptions {
    // false: repo paths of `repos:` need not exist (the run replaces the file's list
    // with --repo/--tag); everything else is still checked.
    bool checkRepoPaths = true;
};

struct ParseResult {
    std::optional<Workflow> workflow; // set only when diagnostics is empty
    Diagnostics diagnostics;          // every error found, in file order
    bool ok() const { return workflow.has_value() && diagnostics.isEmpty(); }
};

// Reads, parses and validates a workflow file. displayName is what diagnostics print
// as FILE (defaults to the path as given).
ParseResult parseWorkflowFile(const QString& path, const QString& displayName = {},
                              const ParseOptions& options = {});

// Same, from text already in memory (API submissions, resume from a run's snapshot).
// baseDir is where relative repo paths resolve.
ParseResult parseWorkflowText(const QByteArray& yaml, const QString& displayName, const QString& baseDir,
                              const ParseOptions& options = {});

} // namespace signalbox::workflow
