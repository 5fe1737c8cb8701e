#pragma once
// Command-line overrides of a workflow: --repo PATH and --set NAME=VALUE, checked the
// same way the file itself is.

#include "workflow/workflow.h"

#include <QMap>
#include <QString>
#include <optional>

namespace signalbox::workflow {

// A repo given as --repo PATH: the path must exist and be a directory; relative paths
// resolve against the current directory; the name is the last path component.
// On failure returns nullopt and sets *error (e.g. "--repo: path 'x' does not exist").
std::optional<RepoSpec> repoFromPath(const QString& path, QString* error);

// Applies one --set NAME=VALUE to params. NAME must be a param the workflow declares;
// on failure returns false and sets *error, e.g.
// "--set: unknown param 'brnch' (did you mean 'branch'?)".
bool applyParamOverride(const QString& assignment, const Workflow& workflow, QMap<QString, QString>* params,
                        QString* error);

} // namespace signalbox::workflow
