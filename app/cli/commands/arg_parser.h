#pragma once
// A small long-option parser for the CLI: "--name VALUE", "--name=VALUE", flags,
// repeatable options, "--" to end options. Every problem is one line for the user.

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::cli {

struct OptionSpec {
    QString name;      // without dashes: "max-concurrent"
    QString valueName; // empty = a flag that takes no value
    QString help;
    bool repeatable = false;
    bool hidden = false;

    bool takesValue() const { return !valueName.isEmpty(); }
};

class ParsedArgs final {
public:
    bool isSet(const QString& name) const { return m_values.contains(name); }
    // The last value given (empty when not set).
    QString value(const QString& name) const;
    QStringList values(const QString& name) const { return m_values.value(name); }
    const QStringList& positional() const { return m_positional; }

    void add(const QString& name, const QString& value) { m_values[name].append(value); }
    void addPositional(const QString& value) { m_positional.append(value); }

private:
    QMap<QString, QStringList> m_values;
    QStringList m_positional;
};

// Parses args against specs. Unknown options, missing values and values given to
// flags fail with *error set to one line. "-h" is accepted as "--help" when a
// "help" spec exists.
std::optional<ParsedArgs> parseArgs(const QStringList& args, const QList<OptionSpec>& specs, QString* error);

// Value checks shared by the verbs; on failure *error names the option and the value.
std::optional<int> parseNonNegativeInt(const QString& option, const QString& value, QString* error);
std::optional<int> parsePositiveInt(const QString& option, const QString& value, QString* error);

} // namespace signalbox::cli
