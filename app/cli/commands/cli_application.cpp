#include "commands/cli_application.h"

#include "commands/command_registry.h"
#include "logs/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <algorithm>

namespace signalbox::cli {
namespace {

QList<OptionSpec> globalOptions() {
    return {
        {QStringLiteral("data-dir"), QStringLiteral("DIR"),
         QStringLiteral("data dir (database, logs); env SIGNALBOX_DATA_DIR; created if missing")},
        {QStringLiteral("json"), {}, QStringLiteral("machine-readable output on stdout")},
        {QStringLiteral("log-level"), QStringLiteral("LEVEL"),
         QStringLiteral("stderr log level: trace|debug|info|warn|error|off (default warn)")},
        {QStringLiteral("remote"), QStringLiteral("URL"),
         QStringLiteral("act on a server (env SIGNALBOX_URL)")},
        {QStringLiteral("token"), QStringLiteral("TOKEN"),
         QStringLiteral("API token for --remote (env SIGNALBOX_TOKEN)")},
        {QStringLiteral("help"), {}, QStringLiteral("show help (also per command)")},
        {QStringLiteral("version"), {}, QStringLiteral("show the version")},
    };
}

QString optionLine(const OptionSpec& spec) {
    QString left = QStringLiteral("  --") + spec.name;
    if (spec.takesValue())
        left += u' ' + spec.valueName;
    if (spec.repeatable)
        left += QStringLiteral(" (repeatable)");
    return left.leftJustified(34) + u' ' + spec.help;
}

QString usageOf(const Command& command) {
    QString usage = QStringLiteral("signalbox-cli ") + command.name();
    if (!command.arguments().isEmpty())
        usage += u' ' + command.arguments();
    if (!command.options().isEmpty())
        usage += QStringLiteral(" [OPTIONS]");
    return usage;
}

QString generalHelp() {
    QStringList lines;
    lines << QStringLiteral("Usage: signalbox-cli [GLOBAL OPTIONS] COMMAND [ARGS] [OPTIONS]") << QString()
          << QStringLiteral("Signalbox: run multi-repo workflows and inspect their runs.") << QString()
          << QStringLiteral("Commands:");
    for (Command* command : builtinCommands().all()) {
        if (command->hidden())
            continue;
        QString left = QStringLiteral("  ") + command->name();
        if (!command->arguments().isEmpty())
            left += u' ' + command->arguments();
        lines << left.leftJustified(34) + u' ' + command->summary();
    }
    lines << QString() << QStringLiteral("Global options:");
    for (const OptionSpec& spec : globalOptions())
        lines << optionLine(spec);
    lines << QString()
          << QStringLiteral("Exit codes: 0 success, 1 the work failed, 2 bad input, 3 cannot proceed "
                            "(data dir locked or unwritable), 130 interrupted.")
          << QStringLiteral("Run 'signalbox-cli COMMAND --help' for a command's options.");
    return lines.join(u'\n');
}

QString commandHelp(const Command& command) {
    QStringList lines;
    lines << QStringLiteral("Usage: ") + usageOf(command) << QString() << command.summary();
    if (!command.description().isEmpty())
        lines << QString() << command.description();
    QList<OptionSpec> visible;
    for (const OptionSpec& spec : command.options()) {
        if (!spec.hidden)
            visible << spec;
    }
    if (!visible.isEmpty()) {
        lines << QString() << QStringLiteral("Options:");
        for (const OptionSpec& spec : visible)
            lines << optionLine(spec);
    }
    lines << QString() << QStringLiteral("Global options:");
    for (const OptionSpec& spec : globalOptions())
        lines << optionLine(spec);
    return lines.join(u'\n');
}

QString groupHelp(const QString& group) {
    QStringList lines;
    lines << QStringLiteral("Usage: signalbox-cli %1 SUBCOMMAND ...").arg(group) << QString()
          << QStringLiteral("Subcommands:");
    for (Command* command : builtinCommands().group(group)) {
        if (command->hidden())
            continue;
        QString left = QStringLiteral("  ") + command->name();
        if (!command->arguments().isEmpty())
            left += u' ' + command->arguments();
        lines << left.leftJustified(34) + u' ' + command->summary();
    }
    return lines.join(u'\n');
}

void printOut(const QString& text) {
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

int usageError(const QString& message) {
    const QByteArray bytes = (QStringLiteral("signalbox-cli: error: ") + message).toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
    std::fflush(stderr);
    return kExitBadInput;
}

QStringList subcommandNames(const QString& group) {
    QStringList names;
    for (Command* command : builtinCommands().group(group)) {
        if (!command->hidden())
            names << command->name().mid(group.size() + 1);
    }
    return names;
}

} // namespace

int runCliApplication(const QStringList& arguments) {
    const QList<OptionSpec> globals = globalOptions();

    // 1. Global options before the command word.
    QStringList leading;
    qsizetype i = 0;
    for (; i < arguments.size(); ++i) {
        const QString& arg = arguments.at(i);
        if (!arg.startsWith(u'-') || arg == u"-")
            break;
        if (arg == u"--") {
            ++i;
            break;
        }
        leading << arg;
        const QString name = arg.startsWith(u"--") ? arg.mid(2).section(u'=', 0, 0) : QString();
        const auto spec =
            std::find_if(globals.begin(), globals.end(), [&](const OptionSpec& s) { return s.name == name; });
        if (spec != globals.end() && spec->takesValue() && !arg.contains(u'=') && i + 1 < arguments.size())
            leading << arguments.at(++i);
    }
    QString error;
    const auto leadingParsed = parseArgs(leading, globals, &error);
    if (!leadingParsed)
        return usageError(error);

    // 2. The command (one word, or group + subcommand).
    Command* command = nullptr;
    QStringList rest;
    if (i < arguments.size()) {
        const QString word = arguments.at(i);
        command = builtinCommands().find(word);
        if (command) {
            rest = arguments.mid(i + 1);
        } else if (!builtinCommands().group(word).empty()) {
            // The subcommand is the next word; global options may sit in between.
            qsizetype j = i + 1;
            QStringList between;
            while (j < arguments.size() && arguments.at(j).startsWith(u"--") &&
                   arguments.at(j) != u"--help") {
                const QString name = arguments.at(j).mid(2).section(u'=', 0, 0);
                const auto spec = std::find_if(globals.begin(), globals.end(),
                                               [&](const OptionSpec& s) { return s.name == name; });
                if (spec == globals.end())
                    break;
                between << arguments.at(j);
                if (spec->takesValue() && !arguments.at(j).contains(u'=') && j + 1 < arguments.size())
                    between << arguments.at(++j);
                ++j;
            }
            const QString sub = j < arguments.size() ? arguments.at(j) : QString();
            if (sub.isEmpty() || sub == u"--help" || sub == u"-h") {
                if (sub.isEmpty())
                    return usageError(QStringLiteral("'%1' needs a subcommand: %2")
                                          .arg(word, subcommandNames(word).join(QStringLiteral(", "))));
                printOut(groupHelp(word));
                return kExitOk;
            }
            command = builtinCommands().find(word + u' ' + sub);
            if (!command)
                return usageError(QStringLiteral("unknown command '%1 %2' (expected one of: %3)")
                                      .arg(word, sub, subcommandNames(word).join(QStringLiteral(", "))));
            rest = between + arguments.mid(j + 1);
        } else {
            return usageError(QStringLiteral("unknown command '%1' (see 'signalbox-cli --help')").arg(word));
        }
    }

    // 3. The command's own options (global options are accepted there too).
    ParsedArgs parsed = *leadingParsed;
    if (command) {
        QList<OptionSpec> specs = command->options();
        specs += globals;
        const auto commandParsed = parseArgs(rest, specs, &error);
        if (!commandParsed)
            return usageError(QStringLiteral("%1: %2").arg(command->name(), error));
        for (const OptionSpec& spec : specs) {
            for (const QString& value : commandParsed->values(spec.name))
                parsed.add(spec.name, value);
        }
        for (const QString& value : commandParsed->positional())
            parsed.addPositional(value);
    }

    if (parsed.isSet(QStringLiteral("version"))) {
        printOut(QStringLiteral("signalbox-cli " SIGNALBOX_VERSION));
        return kExitOk;
    }
    if (parsed.isSet(QStringLiteral("help")) || !command) {
        if (!command && !parsed.isSet(QStringLiteral("help"))) {
            return usageError(QStringLiteral("no command given (see 'signalbox-cli --help')"));
        }
        printOut(command ? commandHelp(*command) : generalHelp());
        return kExitOk;
    }

    GlobalOptions options;
    options.json = parsed.isSet(QStringLiteral("json"));
    if (parsed.isSet(QStringLiteral("log-level"))) {
        const auto level = logs::levelFromString(parsed.value(QStringLiteral("log-level")));
        if (!level)
            return usageError(
                QStringLiteral("invalid value '%1' for --log-level: expected trace, debug, info, warn, "
                               "error or off")
                    .arg(parsed.value(QStringLiteral("log-level"))));
        options.logLevel = *level;
        options.logLevelGiven = true;
    }
    options.remoteUrl = parsed.isSet(QStringLiteral("remote")) ? parsed.value(QStringLiteral("remote"))
                                                               : qEnvironmentVariable("SIGNALBOX_URL");
    options.token = parsed.isSet(QStringLiteral("token")) ? parsed.value(QStringLiteral("token"))
                                                          : qEnvironmentVariable("SIGNALBOX_TOKEN");

    const qsizetype count = parsed.positional().size();
    if (count < command->minPositional() ||
        (command->maxPositional() >= 0 && count > command->maxPositional())) {
        if (count < command->minPositional())
            return usageError(QStringLiteral("%1: missing argument %2 (usage: %3)")
                                  .arg(command->name(), command->arguments(), usageOf(*command)));
        return usageError(
            QStringLiteral("%1: unexpected argument '%2' (usage: %3)")
                .arg(command->name(), parsed.positional().at(command->maxPositional()), usageOf(*command)));
    }

    logs::LoggingOptions logging;
    logging.consolePrefix = QStringLiteral("signalbox-cli");
    logging.consoleLevel = options.logLevel;
    logging.fileLevel = options.logLevel < logs::Level::Info ? options.logLevel : logs::Level::Info;

    if (!options.remoteUrl.isEmpty()) {
        logs::initLogging(logging);
        const QByteArray line =
            QStringLiteral("signalbox-cli: error: remote mode (--remote %1) is not available in "
                           "this version; use a local --data-dir")
                .arg(options.remoteUrl)
                .toUtf8() +
            '\n';
        std::fwrite(line.constData(), 1, std::size_t(line.size()), stderr);
        return kExitCannotProceed;
    }

    if (command->needsDataDir()) {
        options.dataDir = resolveDataDir(parsed.value(QStringLiteral("data-dir")));
        if (!prepareDataDir(options.dataDir, &error)) {
            logs::initLogging(logging);
            const QByteArray line = (QStringLiteral("signalbox-cli: error: ") + error).toUtf8() + '\n';
            std::fwrite(line.constData(), 1, std::size_t(line.size()), stderr);
            logs::shutdownLogging();
            return kExitCannotProceed;
        }
        logging.logDir = QDir(options.dataDir).absoluteFilePath(QStringLiteral("logs"));
    }
    QString logError;
    if (!logs::initLogging(logging, &logError))
        logs::warn(logError);
    logs::debug(QStringLiteral("signalbox-cli %1 (pid %2): %3")
                    .arg(command->name())
                    .arg(QCoreApplication::applicationPid())
                    .arg(arguments.join(u' ')));

    CliContext context(options, QCoreApplication::applicationFilePath());
    const int code = command->execute(context, parsed);
    context.flushOut();
    logs::debug(QStringLiteral("signalbox-cli %1 exited with %2").arg(command->name()).arg(code));
    logs::shutdownLogging();
    return code;
}

} // namespace signalbox::cli
