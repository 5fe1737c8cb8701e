#include "dlq/dlq_settings.h"

#include "domain/enum_names.h"

#include <QJsonArray>
#include <QLocale>
#include <QSet>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace signalbox::dlq {
namespace {

constexpr std::array kStrategyNames{u"automatic", u"selective", u"manual", u"disabled"};

QString rangeError(const char* field, qint64 low, qint64 high, qint64 got) {
    return QStringLiteral("dlq setting %1 must be %2..%3, got %4")
        .arg(QLatin1StringView(field))
        .arg(low)
        .arg(high)
        .arg(got);
}

// Reads an integer field; false + error when it is present but not an integer, or an
// integer outside low..high (checked on the JSON number itself, so a huge value can
// neither wrap into the range nor hit an undefined double -> integer conversion).
bool readInt(const QJsonObject& json, const char* field, qint64 low, qint64 high, qint64* out,
             QString* error) {
    const QJsonValue value = json.value(QLatin1StringView(field));
    if (value.isUndefined())
        return true;
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || std::trunc(number) != number) {
        *error = QStringLiteral("dlq setting %1 must be an integer").arg(QLatin1StringView(field));
        return false;
    }
    // Exact for integers (JSON text keeps them as qint64) and whole doubles that fit; two
    // different defaults tell "does not fit a qint64" apart from any real value.
    const qint64 integer = value.toInteger(0);
    if (integer != value.toInteger(1)) {
        *error = QStringLiteral("dlq setting %1 must be %2..%3, got %4")
                     .arg(QLatin1StringView(field))
                     .arg(low)
                     .arg(high)
                     .arg(QString::number(number, 'g', QLocale::FloatingPointShortest));
        return false;
    }
    if (integer < low || integer > high) {
        *error = rangeError(field, low, high, integer);
        return false;
    }
    *out = integer;
    return true;
}

} // namespace

QString toString(IntegrationStrategy strategy) {
    return enumName(kStrategyNames, strategy);
}

std::optional<IntegrationStrategy> integrationStrategyFromString(const QString& text) {
    return enumFromName<IntegrationStrategy>(kStrategyNames, text);
}

bool DlqSettings::shouldEnqueue(ErrorCategory category) const {
    switch (strategy) {
    case IntegrationStrategy::Automatic:
        return true;
    case IntegrationStrategy::Selective:
        return selectiveCategories.contains(category);
    case IntegrationStrategy::Manual:
    case IntegrationStrategy::Disabled:
        return false;
    }
    return false;
}

QString DlqSettings::validate() const {
    if (maxSize < kMinMaxSize || maxSize > kMaxMaxSize)
        return rangeError("max_size", kMinMaxSize, kMaxMaxSize, maxSize);
    if (!isValidMaxRetries(maxRetries))
        return rangeError("max_retries", kMinMaxRetries, kMaxMaxRetries, maxRetries);
    if (intervalSeconds < kMinInterval || intervalSeconds > kMaxInterval)
        return rangeError("interval_seconds", kMinInterval, kMaxInterval, intervalSeconds);
    if (parallelism < 1 || parallelism > kMaxParallelism)
        return rangeError("parallelism", 1, kMaxParallelism, parallelism);
    constexpr qint64 kMaxMs = std::numeric_limits<qint64>::max();
    if (schedule.linearStepMs < 0)
        return rangeError("linear_step_ms", 0, kMaxMs, schedule.linearStepMs);
    if (schedule.exponentialBaseMs < 0)
        return rangeError("exponential_base_ms", 0, kMaxMs, schedule.exponentialBaseMs);
    if (schedule.exponentialCapMs < 0)
        return rangeError("exponential_cap_ms", 0, kMaxMs, schedule.exponentialCapMs);
    if (selectiveCategories.contains(ErrorCategory::None))
        return QStringLiteral("dlq setting selective_categories must name error categories");
    return {};
}

QJsonObject DlqSettings::toJson() const {
    QJsonArray categories;
    for (ErrorCategory category : selectiveCategories)
        categories.append(signalbox::toString(category));
    return QJsonObject{
        {QStringLiteral("strategy"), dlq::toString(strategy)},
        {QStringLiteral("selective_categories"), categories},
        {QStringLiteral("max_size"), maxSize},
        {QStringLiteral("max_retries"), maxRetries},
        {QStringLiteral("interval_seconds"), intervalSeconds},
        {QStringLiteral("processor_enabled"), processorEnabled},
        {QStringLiteral("parallelism"), parallelism},
        {QStringLiteral("linear_step_ms"), schedule.linearStepMs},
        {QStringLiteral("exponential_base_ms"), schedule.exponentialBaseMs},
        {QStringLiteral("exponential_cap_ms"), schedule.exponentialCapMs},
    };
}

std::optional<DlqSettings> DlqSettings::fromJson(const QJsonObject& json, QString* error) {
    static const QSet<QString> known{QStringLiteral("strategy"),
                                     QStringLiteral("selective_categories"),
                                     QStringLiteral("max_size"),
                                     QStringLiteral("max_retries"),
                                     QStringLiteral("interval_seconds"),
                                     QStringLiteral("processor_enabled"),
                                     QStringLiteral("parallelism"),
                                     QStringLiteral("linear_step_ms"),
                                     QStringLiteral("exponential_base_ms"),
                                     QStringLiteral("exponential_cap_ms")};
    QString why;
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key()))
            return fail(QStringLiteral("unknown dlq setting '%1'").arg(it.key()));
    }
    DlqSettings settings;
    if (json.contains(QStringLiteral("strategy"))) {
        const auto strategy =
            integrationStrategyFromString(json.value(QStringLiteral("strategy")).toString());
        if (!strategy)
            return fail(
                QStringLiteral("dlq setting strategy must be automatic, selective, manual or disabled"));
        settings.strategy = *strategy;
    }
    if (json.contains(QStringLiteral("selective_categories"))) {
        const QJsonValue categories = json.value(QStringLiteral("selective_categories"));
        if (!categories.isArray())
            return fail(
                QStringLiteral("dlq setting selective_categories must be a list of error categories"));
        settings.selectiveCategories.clear();
        for (const QJsonValue& value : categories.toArray()) {
            const auto category = errorCategoryFromString(value.toString());
            if (!category || *category == ErrorCategory::None)
                return fail(QStringLiteral("dlq setting selective_categories: unknown category '%1'")
                                .arg(value.toString()));
            if (!settings.selectiveCategories.contains(*category))
                settings.selectiveCategories.append(*category);
        }
    }
    if (json.contains(QStringLiteral("processor_enabled"))) {
        const QJsonValue value = json.value(QStringLiteral("processor_enabled"));
        if (!value.isBool())
            return fail(QStringLiteral("dlq setting processor_enabled must be true or false"));
        settings.processorEnabled = value.toBool();
    }
    qint64 maxSize = settings.maxSize, maxRetries = settings.maxRetries, interval = settings.intervalSeconds,
           parallelism = settings.parallelism;
    constexpr qint64 kMaxMs = std::numeric_limits<qint64>::max();
    if (!readInt(json, "max_size", kMinMaxSize, kMaxMaxSize, &maxSize, &why) ||
        !readInt(json, "max_retries", kMinMaxRetries, kMaxMaxRetries, &maxRetries, &why) ||
        !readInt(json, "interval_seconds", kMinInterval, kMaxInterval, &interval, &why) ||
        !readInt(json, "parallelism", 1, kMaxParallelism, &parallelism, &why) ||
        !readInt(json, "linear_step_ms", 0, kMaxMs, &settings.schedule.linearStepMs, &why) ||
        !readInt(json, "exponential_base_ms", 0, kMaxMs, &settings.schedule.exponentialBaseMs, &why) ||
        !readInt(json, "exponential_cap_ms", 0, kMaxMs, &settings.schedule.exponentialCapMs, &why))
        return fail(why);
    // In range (checked above), so narrowing cannot wrap.
    settings.maxSize = static_cast<int>(maxSize);
    settings.maxRetries = static_cast<int>(maxRetries);
    settings.intervalSeconds = static_cast<int>(interval);
    settings.parallelism = static_cast<int>(parallelism);
    if (const QString invalid = settings.validate(); !invalid.isEmpty())
        return fail(invalid);
    return settings;
}

} // namespace signalbox::dlq
