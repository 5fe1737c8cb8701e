#include "commands/dlq_filter_flags.h"

#include "domain/clock.h"

#include <QRegularExpression>
#include <limits>

namespace signalbox::cli {
namespace {

const QStringList& statusNames() {
    static const QStringList names{QStringLiteral("pending"), QStringLiteral("retrying"),
                                   QStringLiteral("exhausted"), QStringLiteral("completed"),
                                   QStringLiteral("archived")};
    return names;
}

const QStringList& categoryNames() {
    static const QStringList names{QStringLiteral("transient"),  QStringLiteral("network"),
                                   QStringLiteral("resource"),   QStringLiteral("permission"),
                                   QStringLiteral("validation"), QStringLiteral("permanent")};
    return names;
}

const QStringList& policyNames() {
    static const QStringList names{QStringLiteral("never"), QStringLiteral("immediate"),
                                   QStringLiteral("linear"), QStringLiteral("exponential")};
    return names;
}

// "a, b or c"
QString alternatives(const QStringList& names) {
    if (names.size() < 2)
        return names.join(QString());
    return names.mid(0, names.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + names.last();
}

// Every value of a repeatable, comma-separated option.
QStringList splitValues(const ParsedArgs& args, const QString& option) {
    QStringList values;
    for (const QString& value : args.values(option)) {
        for (const QString& part : value.split(u',', Qt::SkipEmptyParts))
            values << part.trimmed();
        if (value.trimmed().isEmpty())
            values << QString(); // an empty value is invalid, not ignored
    }
    return values;
}

template <typename T, typename FromString>
bool parseEnumList(const ParsedArgs& args, const QString& option, const QStringList& allowed,
                   FromString fromString, QList<T>* out, QString* error) {
    for (const QString& value : splitValues(args, option)) {
        const std::optional<T> parsed = value.isEmpty() ? std::nullopt : fromString(value);
        if (!parsed) {
            *error = QStringLiteral("invalid value '%1' for --%2: expected %3")
                         .arg(value, option, alternatives(allowed));
            return false;
        }
        if (!out->contains(*parsed))
            out->append(*parsed);
    }
    return true;
}

bool parseCommon(const ParsedArgs& args, const QString& prefix, dlq::DlqFilter* filter, QString* error) {
    const auto name = [&prefix](const char* base) -> QString { return prefix + QLatin1StringView(base); };
    if (!parseEnumList<dlq::DlqStatus>(args, name("status"), statusNames(), dlq::dlqStatusFromString,
                                       &filter->statuses, error))
        return false;
    if (!parseEnumList<ErrorCategory>(
            args, name("category"), categoryNames(),
            [](const QString& text) -> std::optional<ErrorCategory> {
                const auto category = errorCategoryFromString(text);
                return category && *category != ErrorCategory::None ? category : std::nullopt;
            },
            &filter->categories, error))
        return false;
    if (!parseEnumList<dlq::RetryPolicy>(args, name("policy"), policyNames(), dlq::retryPolicyFromString,
                                         &filter->policies, error))
        return false;
    filter->workflow = args.value(name("workflow"));
    filter->taskId = args.value(name("task"));
    filter->repo = args.value(name("repo"));
    filter->runId = args.value(name("run"));
    filter->errorContains = args.value(name("error"));
    for (const char* option : {"workflow", "task", "repo", "run", "error"}) {
        if (args.isSet(name(option)) && args.value(name(option)).isEmpty()) {
            *error =
                QStringLiteral("invalid value '' for --%1: expected a non-empty value").arg(name(option));
            return false;
        }
    }
    return true;
}

QString listPart(const QString& key, const QStringList& values) {
    return values.isEmpty() ? QString() : key + u'=' + values.join(u',');
}

} // namespace

std::optional<qint64> parseDlqDuration(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,12})(ms|s|m|h|d|w)$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 n = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    qint64 factor = 1;
    if (unit == u"s")
        factor = 1000;
    else if (unit == u"m")
        factor = 60'000;
    else if (unit == u"h")
        factor = 3'600'000;
    else if (unit == u"d")
        factor = 86'400'000;
    else if (unit == u"w")
        factor = 7 * 86'400'000LL;
    if (n <= 0 || n > std::numeric_limits<qint64>::max() / factor)
        return std::nullopt;
    return n * factor;
}

QList<OptionSpec> dlqListFilterOptions() {
    return {
        {QStringLiteral("status"), QStringLiteral("S"),
         QStringLiteral("pending|retrying|exhausted|completed|archived (repeatable, a,b)"), true},
        {QStringLiteral("category"), QStringLiteral("C"),
         QStringLiteral("transient|network|resource|permission|validation|permanent"), true},
        {QStringLiteral("policy"), QStringLiteral("P"), QStringLiteral("never|immediate|linear|exponential"),
         true},
        {QStringLiteral("workflow"), QStringLiteral("W"), QStringLiteral("only entries of this workflow")},
        {QStringLiteral("task"), QStringLiteral("T"), QStringLiteral("only entries of this task id")},
        {QStringLiteral("repo"), QStringLiteral("R"), QStringLiteral("only entries of this repo name")},
        {QStringLiteral("run"), QStringLiteral("RUN_ID"), QStringLiteral("only entries of this run")},
        {QStringLiteral("error"), QStringLiteral("TEXT"),
         QStringLiteral("error contains TEXT (case-insensitive)")},
        {QStringLiteral("since"), QStringLiteral("DUR|ISO"),
         QStringLiteral("enqueued within DUR (30m, 2h, 7d) or since an ISO time")},
    };
}

bool parseDlqListFilters(const ParsedArgs& args, dlq::DlqFilter* filter, QString* error) {
    if (!parseCommon(args, QString(), filter, error))
        return false;
    if (args.isSet(QStringLiteral("since"))) {
        const QString text = args.value(QStringLiteral("since"));
        if (const auto iso = parseIsoUtc(text)) {
            filter->enqueuedFromMs = qMax<qint64>(*iso, 1);
        } else if (const auto duration = parseDlqDuration(text)) {
            filter->enqueuedFromMs = qMax<qint64>(Clock::instance().nowMs() - *duration, 1);
        } else {
            *error = QStringLiteral("invalid value '%1' for --since: expected a duration (30m, 2h, 7d) or an "
                                    "ISO 8601 time")
                         .arg(text);
            return false;
        }
    }
    return true;
}

QList<OptionSpec> dlqBulkFilterOptions() {
    return {
        {QStringLiteral("filter-status"), QStringLiteral("S"),
         QStringLiteral("entries in this status (repeatable, a,b)"), true},
        {QStringLiteral("filter-category"), QStringLiteral("C"), QStringLiteral("entries of this category"),
         true},
        {QStringLiteral("filter-policy"), QStringLiteral("P"), QStringLiteral("entries with this policy"),
         true},
        {QStringLiteral("filter-workflow"), QStringLiteral("W"), QStringLiteral("entries of this workflow")},
        {QStringLiteral("filter-task"), QStringLiteral("T"), QStringLiteral("entries of this task id")},
        {QStringLiteral("filter-repo"), QStringLiteral("R"), QStringLiteral("entries of this repo name")},
        {QStringLiteral("filter-run"), QStringLiteral("RUN_ID"), QStringLiteral("entries of this run")},
        {QStringLiteral("filter-group"), QStringLiteral("SIGNATURE"),
         QStringLiteral("entries of this group (dlq list --group)")},
        {QStringLiteral("filter-error"), QStringLiteral("TEXT"), QStringLiteral("error contains TEXT")},
        {QStringLiteral("filter-older-than"), QStringLiteral("DURATION"),
         QStringLiteral("enqueued more than DURATION ago (30m, 2h, 30d)")},
    };
}

bool parseDlqBulkFilters(const ParsedArgs& args, dlq::DlqFilter* filter, bool* given, QString* error) {
    *given = false;
    for (const OptionSpec& spec : dlqBulkFilterOptions())
        *given = *given || args.isSet(spec.name);
    if (!parseCommon(args, QStringLiteral("filter-"), filter, error))
        return false;
    if (args.isSet(QStringLiteral("filter-group"))) {
        filter->signature = args.value(QStringLiteral("filter-group"));
        if (filter->signature.isEmpty()) {
            *error = QStringLiteral("invalid value '' for --filter-group: expected a group signature "
                                    "(see 'dlq list --group')");
            return false;
        }
    }
    if (args.isSet(QStringLiteral("filter-older-than"))) {
        const QString text = args.value(QStringLiteral("filter-older-than"));
        const auto duration = parseDlqDuration(text);
        if (!duration) {
            *error = QStringLiteral("invalid value '%1' for --filter-older-than: expected a duration "
                                    "(30m, 2h, 30d)")
                         .arg(text);
            return false;
        }
        filter->enqueuedBeforeMs = qMax<qint64>(Clock::instance().nowMs() - *duration, 1);
    }
    return true;
}

QString describeDlqFilter(const dlq::DlqFilter& filter) {
    QStringList parts;
    if (!filter.keys.isEmpty()) {
        QStringList ids;
        for (qint64 key : filter.keys.mid(0, 10))
            ids << dlq::entryId(key);
        if (filter.keys.size() > 10)
            ids << QStringLiteral("... (%1 ids)").arg(filter.keys.size());
        parts << ids.join(u' ');
    }
    QStringList statuses, categories, policies;
    for (dlq::DlqStatus status : filter.statuses)
        statuses << dlq::toString(status);
    for (ErrorCategory category : filter.categories)
        categories << toString(category);
    for (dlq::RetryPolicy policy : filter.policies)
        policies << dlq::toString(policy);
    parts << listPart(QStringLiteral("status"), statuses) << listPart(QStringLiteral("category"), categories)
          << listPart(QStringLiteral("policy"), policies);
    if (!filter.workflow.isEmpty())
        parts << QStringLiteral("workflow=") + filter.workflow;
    if (!filter.taskId.isEmpty())
        parts << QStringLiteral("task=") + filter.taskId;
    if (!filter.repo.isEmpty())
        parts << QStringLiteral("repo=") + filter.repo;
    if (!filter.runId.isEmpty())
        parts << QStringLiteral("run=") + filter.runId;
    if (!filter.signature.isEmpty())
        parts << QStringLiteral("group=") + filter.signature;
    if (!filter.errorContains.isEmpty())
        parts << QStringLiteral("error~'%1'").arg(filter.errorContains);
    if (filter.enqueuedFromMs > 0)
        parts << QStringLiteral("enqueued>=") + isoUtc(filter.enqueuedFromMs);
    if (filter.enqueuedBeforeMs > 0)
        parts << QStringLiteral("enqueued<") + isoUtc(filter.enqueuedBeforeMs);
    parts.removeAll(QString());
    return parts.isEmpty() ? QStringLiteral("all entries") : parts.join(u' ');
}

std::optional<QList<qint64>> parseDlqIds(const QStringList& ids, QString* error) {
    QList<qint64> keys;
    for (const QString& id : ids) {
        const auto key = dlq::entryKeyFromId(id);
        if (!key) {
            *error = QStringLiteral("unknown dead letter '%1'").arg(id);
            return std::nullopt;
        }
        if (!keys.contains(*key))
            keys.append(*key);
    }
    return keys;
}

} // namespace signalbox::cli
