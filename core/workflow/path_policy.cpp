#include "workflow/path_policy.h"

#include <QDir>
#include <QFileInfo>

namespace signalbox::workflow::detail {

QString resolveReal(const QString& absolutePath) {
    QString existing = QDir::cleanPath(absolutePath);
    QString rest;
    while (true) {
        const QString canonical = QFileInfo(existing).canonicalFilePath();
        if (!canonical.isEmpty())
            return rest.isEmpty() ? canonical : QDir::cleanPath(canonical + u'/' + rest);
        const qsizetype slash = existing.lastIndexOf(u'/');
        if (slash <= 0) // nothing on the way up exists
            return QDir::cleanPath(absolutePath);
        rest = rest.isEmpty() ? existing.mid(slash + 1) : existing.mid(slash + 1) + u'/' + rest;
        existing = existing.left(slash);
    }
}

RootPolicy::RootPolicy(const QStringList& roots) : m_enabled(!roots.isEmpty()) {
    for (const QString& root : roots) {
        const QString canonical = QFileInfo(root).canonicalFilePath();
        if (!canonical.isEmpty())
            m_roots.append(canonical);
    }
}

bool RootPolicy::allows(const QString& absolutePath) {
    if (!m_enabled)
        return true;
    const auto cached = m_cache.constFind(absolutePath);
    if (cached != m_cache.cend())
        return *cached;
    const QString real = resolveReal(absolutePath);
    bool inside = false;
    for (const QString& root : m_roots) {
        if (real == root || root == QLatin1StringView("/")
            || (real.startsWith(root) && real.size() > root.size() && real.at(root.size()) == u'/')) {
            inside = true;
            break;
        }
    }
    m_cache.insert(absolutePath, inside);
    return inside;
}

} // namespace signalbox::workflow::detail
