#pragma once
// Typed access to YAML nodes for the validator: every accessor reports what is wrong
// (at the node's position) and returns nullopt, so validation continues and collects
// all errors instead of stopping at the first one.

#include "workflow/diagnostic.h"
#include "workflow/yaml_reader.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::workflow::detail {

class Checker final {
public:
    explicit Checker(QString file) : m_file(std::move(file)) {}

    void error(SourcePos pos, const QString& message);
    const Diagnostics& diagnostics() const { return m_diagnostics; }
    // Sorted by position, exact duplicates removed.
    Diagnostics takeSorted();
    int errorCount() const { return int(m_diagnostics.size()); }

    // Reports non-string keys, duplicate keys and keys not in allowed ("unknown key 'X'").
    // Keys in `forbidden` get forbiddenMessage (with %1 = key) instead.
    void checkKeys(const YamlNode& map, const QStringList& allowed, const QStringList& forbidden = {},
                   const QString& forbiddenMessage = {});
    // Only for maps; the first entry with this key, or nullptr.
    static const YamlEntry* find(const YamlNode& map, QLatin1StringView key);

    // `what` names the value in messages, e.g. "'name'" or "env 'CI'".
    std::optional<QString> string(const YamlNode& node, const QString& what, bool allowEmpty = false);
    std::optional<qint64> integer(const YamlNode& node, const QString& what);
    std::optional<double> number(const YamlNode& node, const QString& what);
    std::optional<bool> boolean(const YamlNode& node, const QString& what);
    // A list of non-empty strings.
    std::optional<QStringList> stringList(const YamlNode& node, const QString& what);
    bool expectMap(const YamlNode& node, const QString& what);
    bool expectList(const YamlNode& node, const QString& what);

    // Whether repo paths in `repos:` must exist (off when the run's --repo/--tag replace
    // the file's list: cli.md).
    bool checkRepoPaths() const { return m_checkRepoPaths; }
    void setCheckRepoPaths(bool on) { m_checkRepoPaths = on; }

private:
    void typeError(const YamlNode& node, const QString& what, const QString& expected);

    QString m_file;
    Diagnostics m_diagnostics;
    bool m_checkRepoPaths = true;
};

// Quotes a key for messages: 'key'.
inline QString quoted(const QString& s) { return u'\'' + s + u'\''; }

} // namespace signalbox::workflow::detail
