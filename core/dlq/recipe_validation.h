#pragma once
// Checks a launch recipe (edit-and-retry) the way a workflow file's task is checked
// (workflow.md): the argv, the environment names, the working dir against the allowed
// roots with symlinks resolved, and the pool.

#include "dlq/dead_letter.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace signalbox::dlq {

// Empty when the recipe is valid, else ONE line naming the field and what is wrong,
// after the caller's context: validateRecipe(r, roots, pools, u"edit of d_12"_s) ->
// "edit of d_12: working_dir /x does not exist" (no "context: " when context is empty).
// Values are shown with control characters escaped, so the message stays one line.
//
// Rules, checked in this order (the first failure is reported):
// - argv: not empty, argv[0] not empty, no NUL in any argument ("argv[N]" named);
// - env: names match [A-Za-z_][A-Za-z0-9_]*, no NUL in values; names starting with
//   SIGNALBOX_ are reserved for the engine: refused, except a name present in engineEnv
//   with exactly that value (the SIGNALBOX_* variables the engine put in the original
//   recipe may be kept as they are, not changed or added);
// - working_dir: no NUL, absolute, an existing directory, and inside one of allowedRoots
//   after resolving symlinks (no check when allowedRoots is empty);
// - pool: no NUL, not empty, one of poolNames (an empty poolNames accepts no pool).
QString validateRecipe(const LaunchRecipe& recipe, const QStringList& allowedRoots,
                       const QStringList& poolNames, const QString& context = {},
                       const QMap<QString, QString>& engineEnv = {});

// True for names the engine reserves (SIGNALBOX_RUN_ID, SIGNALBOX_TASK_ID, ...).
bool isReservedEnvName(const QString& name);

} // namespace signalbox::dlq
