#include "dlq/recipe_validation.h"

#include "workflow/path_policy.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace signalbox::dlq {
namespace {

constexpr qsizetype kMaxShown = 200;

// A value as it appears in a message: control characters escaped (one line, no NUL),
// long values cut.
QString shown(const QString& value) {
    QString out;
    out.reserve(std::min(value.size(), kMaxShown) + 8);
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (out.size() >= kMaxShown) {
            out += u"...";
            break;
        }
        const QChar c = value.at(i);
        if (c == u'\0')
            out += u"\\0";
        else if (c == u'\n')
            out += u"\\n";
        else if (c == u'\r')
            out += u"\\r";
        else if (c == u'\t')
            out += u"\\t";
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::LineSeparator ||
                 c == QChar::ParagraphSeparator)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QChar(u'0'));
        else
            out += c;
    }
    return out;
}

bool hasNul(const QString& text) {
    return text.contains(QChar(u'\0'));
}

bool isValidEnvName(const QString& name) {
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool letter = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
        const bool digit = c >= u'0' && c <= u'9';
        if (!(letter || (digit && i > 0)))
            return false;
    }
    return true;
}

bool isAbsolute(const QString& path) {
    // ":/..." is a Qt resource path, which QDir calls absolute; no process can run there.
    return !path.startsWith(u':') && QDir::isAbsolutePath(path);
}

QString check(const LaunchRecipe& recipe, const QStringList& allowedRoots, const QStringList& poolNames,
              const QMap<QString, QString>& engineEnv) {
    if (recipe.argv.isEmpty())
        return QStringLiteral("argv is empty");
    if (recipe.argv.front().isEmpty())
        return QStringLiteral("argv[0] is empty");
    for (qsizetype i = 0; i < recipe.argv.size(); ++i) {
        if (hasNul(recipe.argv.at(i)))
            return QStringLiteral("argv[%1] '%2' contains a NUL character")
                .arg(i)
                .arg(shown(recipe.argv.at(i)));
    }

    for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it) {
        const QString& name = it.key();
        if (hasNul(name))
            return QStringLiteral("env name '%1' contains a NUL character").arg(shown(name));
        if (!isValidEnvName(name))
            return QStringLiteral("env name '%1' is invalid (must match [A-Za-z_][A-Za-z0-9_]*)")
                .arg(shown(name));
        if (hasNul(it.value()))
            return QStringLiteral("env %1 value contains a NUL character").arg(name);
        if (isReservedEnvName(name)) {
            const auto kept = engineEnv.constFind(name);
            if (kept == engineEnv.cend() || *kept != it.value())
                return QStringLiteral(
                           "env name '%1' is reserved (SIGNALBOX_* variables are set by the engine)")
                    .arg(name);
        }
    }

    const QString& dir = recipe.workingDir;
    if (dir.isEmpty())
        return QStringLiteral("working_dir is empty");
    if (hasNul(dir))
        return QStringLiteral("working_dir %1 contains a NUL character").arg(shown(dir));
    if (!isAbsolute(dir))
        return QStringLiteral("working_dir %1 is not an absolute path").arg(shown(dir));
    const QFileInfo info(dir);
    if (!info.exists())
        return QStringLiteral("working_dir %1 does not exist").arg(shown(dir));
    if (!info.isDir())
        return QStringLiteral("working_dir %1 is not a directory").arg(shown(dir));
    workflow::detail::RootPolicy roots(allowedRoots);
    if (!roots.allows(dir)) {
        const QString real = workflow::detail::resolveReal(dir);
        if (real != QDir::cleanPath(dir))
            return QStringLiteral("working_dir %1 (resolves to %2) is outside the allowed roots")
                .arg(shown(dir), shown(real));
        return QStringLiteral("working_dir %1 is outside the allowed roots").arg(shown(dir));
    }

    if (recipe.pool.isEmpty())
        return QStringLiteral("pool is empty");
    if (hasNul(recipe.pool))
        return QStringLiteral("pool '%1' contains a NUL character").arg(shown(recipe.pool));
    if (!poolNames.contains(recipe.pool)) {
        return poolNames.isEmpty()
                   ? QStringLiteral("pool '%1' is unknown (no pools are registered)").arg(shown(recipe.pool))
                   : QStringLiteral("pool '%1' is unknown (known: %2)")
                         .arg(shown(recipe.pool), poolNames.join(QStringLiteral(", ")));
    }
    return {};
}

} // namespace

bool isReservedEnvName(const QString& name) {
    return name.startsWith(QLatin1StringView("SIGNALBOX_"));
}

QString validateRecipe(const LaunchRecipe& recipe, const QStringList& allowedRoots,
                       const QStringList& poolNames, const QString& context,
                       const QMap<QString, QString>& engineEnv) {
    const QString problem = check(recipe, allowedRoots, poolNames, engineEnv);
    if (problem.isEmpty() || context.isEmpty())
        return problem;
    return context + u": " + problem;
}

} // namespace signalbox::dlq
