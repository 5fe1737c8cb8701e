#include "commands/dlq_settings_command.h"

#include "commands/dlq_filter_flags.h"
#include "commands/dlq_json.h"
#include "commands/engine_host.h"
#include "dlq/audit.h"
#include "dlq/dead_letter_queue.h"
#include "domain/clock.h"
#include "engine/control_channel.h"
#include "logs/logging.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace signalbox::cli {
namespace {

constexpr int kRequestTimeoutMs = 10'000;

void printSettings(const CliContext& context, const dlq::DlqSettings& settings) {
    if (context.json()) {
        context.printJson(settings.toJson());
        return;
    }
    QStringList categories;
    for (ErrorCategory category : settings.selectiveCategories)
        categories << toString(category);
    context.print(QStringLiteral("strategy:     %1%2")
                      .arg(dlq::toString(settings.strategy),
                           settings.strategy == dlq::IntegrationStrategy::Selective
                               ? QStringLiteral(" (%1)").arg(categories.join(QStringLiteral(", ")))
                               : QString()));
    context.print(QStringLiteral("categories:   %1 (selective strategy)").arg(categories.join(u',')));
    context.print(QStringLiteral("max size:     %1").arg(settings.maxSize));
    context.print(QStringLiteral("max retries:  %1").arg(settings.maxRetries));
    context.print(QStringLiteral("processor:    %1, every %2 s, %3 at once")
                      .arg(settings.processorEnabled ? QStringLiteral("on") : QStringLiteral("off"))
                      .arg(settings.intervalSeconds)
                      .arg(settings.parallelism));
}

std::optional<int> parseIntervalSeconds(const QString& text, QString* error) {
    bool ok = false;
    qint64 seconds = text.trimmed().toLongLong(&ok);
    if (!ok) {
        const auto ms = parseDlqDuration(text);
        if (ms && *ms % 1000 == 0) {
            seconds = *ms / 1000;
            ok = true;
        }
    }
    if (!ok || seconds < dlq::DlqSettings::kMinInterval || seconds > dlq::DlqSettings::kMaxInterval) {
        *error = QStringLiteral("invalid value '%1' for --interval: expected %2s..%3s (60, 30s, 5m, 1h)")
                     .arg(text)
                     .arg(dlq::DlqSettings::kMinInterval)
                     .arg(dlq::DlqSettings::kMaxInterval);
        return std::nullopt;
    }
    return int(seconds);
}

std::optional<int> parseRange(const QString& option, const QString& text, int low, int high, QString* error) {
    bool ok = false;
    const int n = text.trimmed().toInt(&ok);
    if (!ok || n < low || n > high) {
        *error = QStringLiteral("invalid value '%1' for --%2: expected a whole number %3..%4")
                     .arg(text, option)
                     .arg(low)
                     .arg(high);
        return std::nullopt;
    }
    return n;
}

} // namespace

QString DlqSettingsCommand::description() const {
    return QStringLiteral(
        "Without flags prints the settings (--json: the stored object). With flags validates\n"
        "them (exit 2 naming the flag), stores them and applies them: in this process when\n"
        "nobody holds the data dir, else through the process that holds it (a running\n"
        "'dlq process' picks up a new interval at once). Audited as \"settings\".\n"
        "Strategies: automatic (every failure becomes an entry), selective (only the\n"
        "--categories), manual ('dlq enqueue' only), disabled.");
}

QList<OptionSpec> DlqSettingsCommand::options() const {
    return {
        {QStringLiteral("strategy"), QStringLiteral("S"),
         QStringLiteral("automatic|selective|manual|disabled")},
        {QStringLiteral("categories"), QStringLiteral("a,b"),
         QStringLiteral("categories the selective strategy enqueues")},
        {QStringLiteral("max-size"), QStringLiteral("N"), QStringLiteral("capacity, 100..100000")},
        {QStringLiteral("max-retries"), QStringLiteral("N"),
         QStringLiteral("automatic retries of new entries, 0..10")},
        {QStringLiteral("interval"), QStringLiteral("DURATION"),
         QStringLiteral("retry processor period, 10s..1h (60, 30s, 5m)")},
        {QStringLiteral("parallelism"), QStringLiteral("N"), QStringLiteral("retries at once, 1..64")},
        {QStringLiteral("processor"), QStringLiteral("on|off"),
         QStringLiteral("automatic retries on or off")},
    };
}

int DlqSettingsCommand::execute(CliContext& context, const ParsedArgs& args) {
    int code = kExitOk;
    auto store = context.openStore(&code);
    if (!store)
        return code;
    dlq::DlqSettings settings = storedDlqSettings(*store);
    bool changed = false;
    QString error;
    if (args.isSet(QStringLiteral("strategy"))) {
        const QString text = args.value(QStringLiteral("strategy"));
        const auto strategy = dlq::integrationStrategyFromString(text);
        if (!strategy)
            return context.fail(kExitBadInput, QStringLiteral("invalid value '%1' for --strategy: expected "
                                                              "automatic, selective, manual or disabled")
                                                   .arg(text));
        settings.strategy = *strategy;
        changed = true;
    }
    if (args.isSet(QStringLiteral("categories"))) {
        const QString text = args.value(QStringLiteral("categories"));
        settings.selectiveCategories.clear();
        for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
            const auto category = errorCategoryFromString(part.trimmed());
            if (!category || *category == ErrorCategory::None)
                return context.fail(kExitBadInput,
                                    QStringLiteral("invalid value '%1' for --categories: expected transient, "
                                                   "network, resource, permission, validation or permanent")
                                        .arg(part));
            if (!settings.selectiveCategories.contains(*category))
                settings.selectiveCategories.append(*category);
        }
        changed = true;
    }
    struct IntFlag {
        const char* name;
        int low;
        int high;
        int* target;
    };
    const IntFlag intFlags[] = {
        {"max-size", dlq::DlqSettings::kMinMaxSize, dlq::DlqSettings::kMaxMaxSize, &settings.maxSize},
        {"max-retries", dlq::kMinMaxRetries, dlq::kMaxMaxRetries, &settings.maxRetries},
        {"parallelism", 1, dlq::DlqSettings::kMaxParallelism, &settings.parallelism},
    };
    for (const IntFlag& flag : intFlags) {
        const QString option = QLatin1StringView(flag.name);
        if (!args.isSet(option))
            continue;
        const auto n = parseRange(option, args.value(option), flag.low, flag.high, &error);
        if (!n)
            return context.fail(kExitBadInput, error);
        *flag.target = *n;
        changed = true;
    }
    if (args.isSet(QStringLiteral("interval"))) {
        const auto seconds = parseIntervalSeconds(args.value(QStringLiteral("interval")), &error);
        if (!seconds)
            return context.fail(kExitBadInput, error);
        settings.intervalSeconds = *seconds;
        changed = true;
    }
    if (args.isSet(QStringLiteral("processor"))) {
        const QString text = args.value(QStringLiteral("processor"));
        if (text != u"on" && text != u"off")
            return context.fail(
                kExitBadInput,
                QStringLiteral("invalid value '%1' for --processor: expected on or off").arg(text));
        settings.processorEnabled = text == u"on";
        changed = true;
    }
    if (!changed) {
        printSettings(context, settings);
        return kExitOk;
    }
    if (const QString invalid = settings.validate(); !invalid.isEmpty())
        return context.fail(kExitBadInput, invalid);

    const QString actor = dlq::localActor();
    // 1. Nobody holds the data dir: the queue stores, applies and audits them here.
    {
        EngineHost host(context);
        QString busy;
        code = host.open(0, false, &busy);
        if (code != kExitOk && busy.isEmpty())
            return code;
        if (code == kExitOk) {
            if (!host.queue().setSettings(settings, actor, &error))
                return context.fail(kExitBadInput, error);
            host.store().sync();
            printSettings(context, host.queue().settings());
            return kExitOk;
        }
    }
    // 2. Through the holder, which applies them at once.
    const auto reply =
        engine::ControlClient::request(context.dataDir(),
                                       QJsonObject{{QStringLiteral("cmd"), QStringLiteral("dlq_settings")},
                                                   {QStringLiteral("settings"), settings.toJson()},
                                                   {QStringLiteral("actor"), actor}},
                                       kRequestTimeoutMs, &error);
    if (reply && reply->value(QStringLiteral("ok")).toBool()) {
        printSettings(context, settings);
        return kExitOk;
    }
    if (reply &&
        !reply->value(QStringLiteral("error")).toString().startsWith(QStringLiteral("unknown command")))
        return context.fail(kExitBadInput, reply->value(QStringLiteral("error")).toString());
    // 3. The holder does not answer: store them (and audit) directly; it applies them
    //    when it next starts.
    if (!store->setSetting(QStringLiteral("dlq"),
                           QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact), &error))
        return context.fail(kExitCannotProceed,
                            QStringLiteral("cannot store the dlq settings: %1").arg(error));
    dlq::AuditRecord record;
    record.atMs = Clock::instance().nowMs();
    record.actor = actor;
    record.action = QStringLiteral("settings");
    record.target = QStringLiteral("dlq settings");
    record.count = 0;
    record.outcome = QStringLiteral("ok (stored; the running engine applies them when it restarts)");
    store->appendAudit(record);
    store->sync();
    context.warn(
        QStringLiteral("the process holding the data dir did not answer; the settings are stored and "
                       "apply when it restarts"));
    printSettings(context, settings);
    return kExitOk;
}

} // namespace signalbox::cli
