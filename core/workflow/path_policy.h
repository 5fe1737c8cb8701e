#pragma once
// Allowed roots: is a path (after following symlinks) inside one of a set of folders?

#include <QHash>
#include <QString>
#include <QStringList>

namespace signalbox::workflow::detail {

// The canonical form of path with symlinks resolved. For a path that does not exist
// (yet), the nearest existing ancestor is resolved and the rest appended.
QString resolveReal(const QString& absolutePath);

class RootPolicy final {
public:
    explicit RootPolicy(const QStringList& roots);
    bool enabled() const { return m_enabled; }
    // True when the check is off or path resolves inside a root. Results are cached.
    bool allows(const QString& absolutePath);

private:
    bool m_enabled = false;
    QStringList m_roots; // canonical
    QHash<QString, bool> m_cache;
};

} // namespace signalbox::workflow::detail
