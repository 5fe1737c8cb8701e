#pragma once
// What edit-and-retry changes, as lines one can read before confirming: a recipe becomes
// lines ("argv[1]: --fast", "env CI=1", "working_dir: /src", "pool: local") and the two
// versions are compared line by line (longest common subsequence).

#include "dlq/dead_letter.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace signalbox::ui::editretry {

QStringList recipeLines(const dlq::LaunchRecipe& recipe);

struct DiffLine {
    enum class Kind { Same, Removed, Added };
    Kind kind = Kind::Same;
    QString text;
    bool operator==(const DiffLine&) const = default;
};

QList<DiffLine> diff(const QStringList& before, const QStringList& after);
// "- old" / "+ new" / "  same" lines as HTML, removed red, added green.
QString diffHtml(const QList<DiffLine>& lines);

// Checks that need no I/O (the engine checks the rest: working dir, pool, roots):
// empty when fine, else one line naming the problem ("line 3: ..." for argv lines).
QString checkRecipe(const dlq::LaunchRecipe& edited, const dlq::LaunchRecipe& original);

} // namespace signalbox::ui::editretry
