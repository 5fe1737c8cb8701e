#include "workflow/schema.h"

#include "workflow/string_hash.h"
#include "workflow/suggest.h"

#include <QSet>
#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace signalbox::workflow::detail {

void Checker::error(SourcePos pos, const QString& message) {
    m_diagnostics.append(Diagnostic{m_file, pos.line, pos.column, message});
}

Diagnostics Checker::takeSorted() {
    Diagnostics sorted = std::move(m_diagnostics);
    m_diagnostics.clear();
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    // The same error can come from a default inherited by several tasks: report it once.
    Diagnostics unique;
    unique.reserve(sorted.size());
    QSet<QString> seen;
    for (const Diagnostic& d : sorted) {
        const QString key = QString::number(d.line) + u':' + QString::number(d.column) + u':' + d.message;
        if (!seen.contains(key)) {
            seen.insert(key);
            unique.append(d);
        }
    }
    return unique;
}

void Checker::checkKeys(const YamlNode& map, const QStringList& allowed, const QStringList& forbidden,
                        const QString& forbiddenMessage) {
    // Small maps (a task's keys) are checked for duplicates by scanning the keys before;
    // large ones (env, params) with a set.
    constexpr std::size_t kScanLimit = 16;
    const bool scan = map.entries.size() <= kScanLimit;
    std::unordered_set<QString, StringHash> seen;
    for (auto it = map.entries.cbegin(); it != map.entries.cend(); ++it) {
        const YamlEntry& entry = *it;
        if (!entry.keyIsScalar) {
            error(entry.keyPos, QStringLiteral("keys must be plain strings"));
            continue;
        }
        const bool duplicate =
            scan ? std::any_of(map.entries.cbegin(), it,
                               [&](const YamlEntry& e) { return e.keyIsScalar && e.key == entry.key; })
                 : !seen.insert(entry.key).second;
        if (duplicate) {
            error(entry.keyPos, QStringLiteral("duplicate key '%1'").arg(entry.key));
            continue;
        }
        if (forbidden.contains(entry.key))
            error(entry.keyPos, forbiddenMessage.arg(entry.key));
        else if (!allowed.contains(entry.key))
            error(entry.keyPos, QStringLiteral("unknown key '%1'").arg(entry.key) + didYouMean(entry.key, allowed));
    }
}

const YamlEntry* Checker::find(const YamlNode& map, QLatin1StringView key) {
    for (const YamlEntry& entry : map.entries) {
        if (entry.keyIsScalar && entry.key == key)
            return &entry;
    }
    return nullptr;
}

void Checker::typeError(const YamlNode& node, const QString& what, const QString& expected) {
    if (node.isNull())
        error(node.pos, QStringLiteral("%1 has no value (expected %2)").arg(what, expected));
    else
        error(node.pos, QStringLiteral("%1 must be %2, got %3").arg(what, expected, node.kindName()));
}

std::optional<QString> Checker::string(const YamlNode& node, const QString& what, bool allowEmpty) {
    if (!node.isScalar()) {
        typeError(node, what, QStringLiteral("a string"));
        return std::nullopt;
    }
    if (!allowEmpty && node.scalar.trimmed().isEmpty()) {
        error(node.pos, QStringLiteral("%1 must not be empty").arg(what));
        return std::nullopt;
    }
    return node.scalar;
}

std::optional<qint64> Checker::integer(const YamlNode& node, const QString& what) {
    if (!node.isScalar()) {
        typeError(node, what, QStringLiteral("an integer"));
        return std::nullopt;
    }
    bool ok = false;
    const qint64 value = node.scalar.trimmed().toLongLong(&ok);
    if (!ok) {
        error(node.pos, QStringLiteral("%1 must be an integer, got '%2'").arg(what, node.scalar));
        return std::nullopt;
    }
    return value;
}

std::optional<double> Checker::number(const YamlNode& node, const QString& what) {
    if (!node.isScalar()) {
        typeError(node, what, QStringLiteral("a number"));
        return std::nullopt;
    }
    bool ok = false;
    const double value = node.scalar.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        error(node.pos, QStringLiteral("%1 must be a number, got '%2'").arg(what, node.scalar));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> Checker::boolean(const YamlNode& node, const QString& what) {
    if (node.isScalar() && !node.quoted) {
        const QString s = node.scalar;
        if (s == QLatin1StringView("true") || s == QLatin1StringView("True") || s == QLatin1StringView("TRUE"))
            return true;
        if (s == QLatin1StringView("false") || s == QLatin1StringView("False") || s == QLatin1StringView("FALSE"))
            return false;
    }
    if (node.isScalar())
        error(node.pos, QStringLiteral("%1 must be true or false, got '%2'").arg(what, node.scalar));
    else
        typeError(node, what, QStringLiteral("true or false"));
    return std::nullopt;
}

std::optional<QStringList> Checker::stringList(const YamlNode& node, const QString& what) {
    if (!node.isSequence()) {
        typeError(node, what, QStringLiteral("a list of strings"));
        return std::nullopt;
    }
    QStringList out;
    bool ok = true;
    for (const YamlNode& item : node.items) {
        const std::optional<QString> s = string(item, QStringLiteral("items of %1").arg(what));
        if (s)
            out.append(*s);
        else
            ok = false;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

bool Checker::expectMap(const YamlNode& node, const QString& what) {
    if (node.isMap())
        return true;
    typeError(node, what, QStringLiteral("a mapping"));
    return false;
}

bool Checker::expectList(const YamlNode& node, const QString& what) {
    if (node.isSequence())
        return true;
    typeError(node, what, QStringLiteral("a list"));
    return false;
}

} // namespace signalbox::workflow::detail
