#include "commands/arg_parser.h"

namespace signalbox::cli {
namespace {

const OptionSpec* findSpec(const QList<OptionSpec>& specs, QStringView name) {
    for (const OptionSpec& spec : specs) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

} // namespace

QString ParsedArgs::value(const QString& name) const {
    const QStringList list = m_values.value(name);
    return list.isEmpty() ? QString() : list.last();
}

std::optional<ParsedArgs> parseArgs(const QStringList& args, const QList<OptionSpec>& specs, QString* error) {
    ParsedArgs parsed;
    bool optionsEnded = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& arg = args.at(i);
        if (optionsEnded || arg == u"-" || !arg.startsWith(u'-')) {
            parsed.addPositional(arg);
            continue;
        }
        if (arg == u"--") {
            optionsEnded = true;
            continue;
        }
        QString name;
        std::optional<QString> inlineValue;
        if (arg == u"-h") {
            name = QStringLiteral("help");
        } else if (arg.startsWith(u"--")) {
            const qsizetype eq = arg.indexOf(u'=');
            name = arg.mid(2, eq < 0 ? -1 : eq - 2);
            if (eq >= 0)
                inlineValue = arg.mid(eq + 1);
        } else {
            *error = QStringLiteral("unknown option '%1'").arg(arg);
            return std::nullopt;
        }
        const OptionSpec* spec = findSpec(specs, name);
        if (!spec || name.isEmpty()) {
            *error = QStringLiteral("unknown option '%1'").arg(arg);
            return std::nullopt;
        }
        if (!spec->takesValue()) {
            if (inlineValue) {
                *error = QStringLiteral("option '--%1' takes no value").arg(name);
                return std::nullopt;
            }
            parsed.add(name, QString());
            continue;
        }
        if (inlineValue) {
            parsed.add(name, *inlineValue);
            continue;
        }
        if (i + 1 >= args.size()) {
            *error = QStringLiteral("option '--%1' needs a value (%2)").arg(name, spec->valueName);
            return std::nullopt;
        }
        parsed.add(name, args.at(++i));
    }
    return parsed;
}

std::optional<int> parseNonNegativeInt(const QString& option, const QString& value, QString* error) {
    bool ok = false;
    const int n = value.trimmed().toInt(&ok);
    if (!ok || n < 0 || value.trimmed().startsWith(u'+')) {
        *error =
            QStringLiteral("invalid value '%1' for --%2: expected a whole number >= 0").arg(value, option);
        return std::nullopt;
    }
    return n;
}

std::optional<int> parsePositiveInt(const QString& option, const QString& value, QString* error) {
    bool ok = false;
    const int n = value.trimmed().toInt(&ok);
    if (!ok || n <= 0 || value.trimmed().startsWith(u'+')) {
        *error =
            QStringLiteral("invalid value '%1' for --%2: expected a whole number >= 1").arg(value, option);
        return std::nullopt;
    }
    return n;
}

} // namespace signalbox::cli
