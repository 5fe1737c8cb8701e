#include "commands/runs_logs_command.h"

#include "domain/clock.h"
#include "engine/data_dir_lock.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

namespace signalbox::cli {
namespace {

constexpr int kPageSize = 5000;
constexpr int kFollowIntervalMs = 200;
constexpr qint64 kOwnerlessGraceMs = 5000;

QString streamName(LogStream stream) {
    switch (stream) {
    case LogStream::Stdout:
        return QStringLiteral("stdout");
    case LogStream::Stderr:
        return QStringLiteral("stderr");
    case LogStream::System:
        return QStringLiteral("system");
    }
    return {};
}

struct Printer {
    const CliContext& context;
    QHash<int, InstanceRecord> instances;
    std::optional<QRegularExpression> regex;
    bool prefix = false;
    qint64 lastId = 0;
    qint64 printed = 0;

    void print(const QList<LogLine>& lines) {
        QByteArray out;
        for (const LogLine& line : lines) {
            lastId = qMax(lastId, line.id);
            if (regex && !regex->match(line.text).hasMatch())
                continue;
            const InstanceRecord instance = instances.value(line.index);
            if (context.json()) {
                const QJsonObject object{
                    {QStringLiteral("id"), line.id},
                    {QStringLiteral("task"), instance.taskId},
                    {QStringLiteral("repo"),
                     instance.repo.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(instance.repo)},
                    {QStringLiteral("stream"), streamName(line.stream)},
                    {QStringLiteral("ts"), isoUtc(line.tsMs)},
                    {QStringLiteral("text"), line.text},
                };
                out += QJsonDocument(object).toJson(QJsonDocument::Compact);
            } else {
                if (prefix) {
                    out += (instance.repo.isEmpty() ? instance.taskId
                                                    : instance.taskId + u'[' + instance.repo + u']')
                               .toUtf8();
                    out += " | ";
                }
                out += line.text.toUtf8();
            }
            out += '\n';
            ++printed;
        }
        context.writeOut(out);
    }
};

// Prints every line after printer.lastId, page by page.
void drain(const store::Store& store, store::LogQuery query, Printer& printer) {
    for (;;) {
        query.afterId = printer.lastId;
        query.limit = kPageSize;
        const QList<LogLine> lines = store.logs(query);
        printer.print(lines);
        if (lines.size() < kPageSize)
            return;
    }
}

} // namespace

QString RunsLogsCommand::description() const {
    return QStringLiteral(
        "Lines are printed on stdout in the order they were recorded. --grep REGEX keeps the\n"
        "lines a regular expression (Perl syntax, case-sensitive; use (?i) to ignore case)\n"
        "matches anywhere in. --search WORDS uses the full-text index instead: lines that\n"
        "contain the words (whole words, any case; several words must appear as typed), fast\n"
        "on millions of lines. --follow keeps printing new lines until the run has ended.\n"
        "--json prints one object per line: {\"id\",\"task\",\"repo\",\"stream\",\"ts\",\"text\"}.");
}

QList<OptionSpec> RunsLogsCommand::options() const {
    return {
        {QStringLiteral("task"), QStringLiteral("TASK_ID"), QStringLiteral("only lines of this task")},
        {QStringLiteral("repo"), QStringLiteral("NAME"), QStringLiteral("only lines of this repo")},
        {QStringLiteral("follow"), {}, QStringLiteral("wait for new lines until the run ends")},
        {QStringLiteral("grep"), QStringLiteral("REGEX"), QStringLiteral("only matching lines")},
        {QStringLiteral("search"), QStringLiteral("WORDS"),
         QStringLiteral("only lines with these words (full-text index)")},
        {QStringLiteral("prefix"), {}, QStringLiteral("start each line with TASK[REPO] | ")},
    };
}

int RunsLogsCommand::execute(CliContext& context, const ParsedArgs& args) {
    const QString runId = args.positional().constFirst();
    store::LogQuery query;
    query.runId = runId;
    query.taskId = args.value(QStringLiteral("task"));
    query.repo = args.value(QStringLiteral("repo"));

    Printer printer{context, {}, std::nullopt, args.isSet(QStringLiteral("prefix"))};
    if (args.isSet(QStringLiteral("search"))) {
        query.match = args.value(QStringLiteral("search")).trimmed();
        if (query.match.isEmpty())
            return context.fail(kExitBadInput, QStringLiteral("--search needs at least one word"));
    }
    if (args.isSet(QStringLiteral("grep"))) {
        const QString pattern = args.value(QStringLiteral("grep"));
        if (pattern.trimmed().isEmpty())
            return context.fail(kExitBadInput, QStringLiteral("--grep needs a non-empty pattern"));
        // cli.md: --grep REGEX. Always a regular expression (case-sensitive, matching
        // anywhere in the line), never the word-based full-text index, whose whole-word,
        // case-insensitive matches differ from a regex's.
        QRegularExpression regex(pattern);
        if (!regex.isValid())
            return context.fail(kExitBadInput,
                                QStringLiteral("invalid regular expression '%1' for --grep: %2 at offset %3")
                                    .arg(pattern, regex.errorString())
                                    .arg(regex.patternErrorOffset()));
        regex.optimize();
        printer.regex = regex;
    }

    int code = kExitOk;
    std::optional<RunRecord> run;
    auto store = context.openStoreForRun(runId, &run, &code);
    if (!store)
        return code;
    bool taskKnown = query.taskId.isEmpty();
    bool repoKnown = query.repo.isEmpty();
    for (const InstanceRecord& instance : store->instances(runId)) {
        printer.instances.insert(instance.index, instance);
        taskKnown = taskKnown || instance.taskId == query.taskId;
        repoKnown = repoKnown || instance.repo == query.repo;
    }
    if (!taskKnown)
        return context.fail(kExitBadInput,
                            QStringLiteral("run '%1' has no task '%2'").arg(runId, query.taskId));
    if (!repoKnown)
        return context.fail(kExitBadInput,
                            QStringLiteral("run '%1' has no repo '%2'").arg(runId, query.repo));

    if (!args.isSet(QStringLiteral("follow")) || isTerminal(run->status)) {
        drain(*store, query, printer);
        return kExitOk;
    }

    // Follow: poll for lines after the last one printed; once the run is seen terminal,
    // print what is left and stop. (The status is read before the lines, so no line
    // committed before the run ended can be missed.)
    // A run nobody executes (its process died) never ends on its own: stop following
    // once no process has held the data dir's lock for a while.
    QEventLoop loop;
    QTimer timer;
    timer.setInterval(kFollowIntervalMs);
    engine::DataDirLock lock(context.dataDir());
    QElapsedTimer ownerless;
    int exitCode = kExitOk;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        const auto current = store->run(runId);
        const bool ended = !current || isTerminal(current->status);
        drain(*store, query, printer);
        context.flushOut();
        if (ended) {
            loop.quit();
            return;
        }
        if (lock.holder()) {
            ownerless.invalidate();
        } else if (!ownerless.isValid()) {
            ownerless.start();
        } else if (ownerless.elapsed() > kOwnerlessGraceMs) {
            context.warn(QStringLiteral("run %1 is %2 but no process is executing it (resume it with "
                                        "'signalbox-cli runs resume %1'); stopped following")
                             .arg(runId, toString(current->status)));
            exitCode = kExitFailed;
            loop.quit();
        }
    });
    drain(*store, query, printer);
    context.flushOut();
    timer.start();
    loop.exec();
    return exitCode;
}

} // namespace signalbox::cli
