#include "workflow/overrides.h"

#include "workflow/suggest.h"

#include <QDir>
#include <QFileInfo>

namespace signalbox::workflow {

std::optional<RepoSpec> repoFromPath(const QString& path, QString* error) {
    auto fail = [&](const QString& message) -> std::optional<RepoSpec> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (path.trimmed().isEmpty())
        return fail(QStringLiteral("--repo: empty path"));
    const QString absolute = QDir::cleanPath(QDir::current().absoluteFilePath(path));
    const QFileInfo info(absolute);
    if (!info.exists())
        return fail(QStringLiteral("--repo: path '%1' does not exist").arg(path));
    if (!info.isDir())
        return fail(QStringLiteral("--repo: path '%1' is not a directory").arg(path));
    RepoSpec repo;
    repo.path = absolute;
    repo.name = info.fileName();
    if (repo.name.isEmpty())
        return fail(QStringLiteral("--repo: cannot derive a repo name from '%1'").arg(path));
    return repo;
}

bool applyParamOverride(const QString& assignment, const Workflow& workflow, QMap<QString, QString>* params,
                        QString* error) {
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    const qsizetype eq = assignment.indexOf(u'=');
    if (eq <= 0)
        return fail(QStringLiteral("--set: expected NAME=VALUE, got '%1'").arg(assignment));
    const QString name = assignment.left(eq);
    if (!workflow.params.contains(name)) {
        if (workflow.params.isEmpty())
            return fail(QStringLiteral("--set: unknown param '%1' (the workflow declares no params)").arg(name));
        return fail(QStringLiteral("--set: unknown param '%1'").arg(name)
                    + detail::didYouMean(name, workflow.params.keys()));
    }
    if (params)
        params->insert(name, assignment.mid(eq + 1));
    return true;
}

} // namespace signalbox::workflow
