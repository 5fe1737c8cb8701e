// `repos:` — a list of paths / {path, name, tags, role}, or {catalog: true, tags, roles}.
#include "workflow/readers.h"

#include "workflow/string_hash.h"

#include <QDir>
#include <QFileInfo>
#include <unordered_map>

namespace signalbox::workflow::detail {

namespace {

void readCatalog(Checker& checker, const YamlNode& node, CatalogSelection* catalog) {
    static const QStringList keys = {QStringLiteral("catalog"), QStringLiteral("tags"), QStringLiteral("roles")};
    checker.checkKeys(node, keys);
    const YamlEntry* enabled = Checker::find(node, QLatin1StringView("catalog"));
    if (!enabled) {
        checker.error(node.pos, QStringLiteral("missing required key 'catalog' (repos is a list of repos or "
                                               "{catalog: true, tags, roles})"));
        return;
    }
    if (const std::optional<bool> on = checker.boolean(enabled->value, QStringLiteral("'catalog'"))) {
        if (!*on)
            checker.error(enabled->value.pos, QStringLiteral("'catalog' must be true (remove 'repos' to use none)"));
        catalog->enabled = *on;
    }
    if (const YamlEntry* tags = Checker::find(node, QLatin1StringView("tags")))
        catalog->tags = checker.stringList(tags->value, QStringLiteral("'tags'")).value_or(QStringList());
    if (const YamlEntry* roles = Checker::find(node, QLatin1StringView("roles")))
        catalog->roles = checker.stringList(roles->value, QStringLiteral("'roles'")).value_or(QStringList());
}

// Resolves and checks one path; returns false (after reporting) when unusable.
bool resolvePath(Checker& checker, const QString& written, SourcePos pos, const QDir& baseDir, RepoSpec* repo) {
    const QString absolute = QDir::cleanPath(baseDir.absoluteFilePath(written));
    if (!checker.checkRepoPaths()) { // the file's list is replaced (run --repo/--tag)
        repo->path = absolute;
        return true;
    }
    const QFileInfo info(absolute);
    if (info.isDir()) { // the usual case: one stat
        repo->path = absolute;
        return true;
    }
    if (!info.exists()) {
        checker.error(pos, QStringLiteral("repo path '%1' does not exist").arg(written));
        return false;
    }
    if (!info.isDir()) {
        checker.error(pos, QStringLiteral("repo path '%1' is not a directory").arg(written));
        return false;
    }
    repo->path = absolute;
    return true;
}

} // namespace

void readRepos(Checker& checker, const YamlNode& node, const QString& baseDir, QList<RepoSpec>* repos,
               CatalogSelection* catalog) {
    if (node.isMap()) {
        readCatalog(checker, node, catalog);
        return;
    }
    if (!node.isSequence()) {
        if (node.isNull())
            checker.error(node.pos, QStringLiteral("'repos' has no value (expected a list of repos or "
                                                   "{catalog: true, tags, roles})"));
        else
            checker.error(node.pos, QStringLiteral("'repos' must be a list of repos or {catalog: true, tags, roles}, "
                                                   "got %1")
                                        .arg(node.kindName()));
        return;
    }
    static const QStringList keys = {QStringLiteral("path"), QStringLiteral("name"), QStringLiteral("tags"),
                                     QStringLiteral("role")};
    const QDir base(baseDir);
    std::unordered_map<QString, int, StringHash> firstLine; // repo name -> line of its first definition
    firstLine.reserve(node.items.size());
    for (const YamlNode& item : node.items) {
        RepoSpec repo;
        repo.pos = item.pos;
        SourcePos namePos = item.pos;
        bool ok = true;
        bool explicitName = false;
        if (item.isScalar()) {
            const std::optional<QString> path = checker.string(item, QStringLiteral("repo path"));
            ok = path && resolvePath(checker, *path, item.pos, base, &repo);
        } else if (item.isMap()) {
            checker.checkKeys(item, keys);
            if (const YamlEntry* path = Checker::find(item, QLatin1StringView("path"))) {
                const std::optional<QString> written = checker.string(path->value, QStringLiteral("'path'"));
                ok = written && resolvePath(checker, *written, path->value.pos, base, &repo);
                namePos = path->value.pos;
            } else {
                checker.error(item.pos, QStringLiteral("missing required key 'path' in repo"));
                ok = false;
            }
            if (const YamlEntry* name = Checker::find(item, QLatin1StringView("name"))) {
                const std::optional<QString> value = checker.string(name->value, QStringLiteral("'name'"));
                if (value) {
                    repo.name = *value;
                    explicitName = true;
                    namePos = name->value.pos;
                } else {
                    ok = false;
                }
            }
            if (const YamlEntry* tags = Checker::find(item, QLatin1StringView("tags")))
                repo.tags = checker.stringList(tags->value, QStringLiteral("'tags'")).value_or(QStringList());
            if (const YamlEntry* role = Checker::find(item, QLatin1StringView("role")))
                repo.role = checker.string(role->value, QStringLiteral("'role'")).value_or(QString());
        } else {
            checker.error(item.pos, QStringLiteral("repo must be a path or a mapping with 'path', got %1")
                                        .arg(item.kindName()));
            continue;
        }
        if (!explicitName && !repo.path.isEmpty()) {
            repo.name = QFileInfo(repo.path).fileName();
            if (repo.name.isEmpty()) {
                checker.error(namePos, QStringLiteral("cannot derive a repo name from '%1'; set 'name'").arg(repo.path));
                ok = false;
            }
        }
        if (ok && !repo.name.isEmpty()) {
            const auto [seen, inserted] = firstLine.try_emplace(repo.name, item.pos.line);
            if (!inserted) {
                checker.error(namePos, QStringLiteral("duplicate repo name '%1' (first defined at line %2)")
                                           .arg(repo.name)
                                           .arg(seen->second));
                ok = false;
            }
        }
        if (ok)
            repos->append(repo);
    }
}

} // namespace signalbox::workflow::detail
