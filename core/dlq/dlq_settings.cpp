#include "dlq/dlq_settings.h"

#include <QJsonArray>
#include <QSet>
#include <algorithm>
#include <array>

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

// Reads an integer field; false + error when it is present but not an integer.
bool readInt(const QJsonObject& json, const char* field, qint64* out, QString* error) {
    const QJsonValue value = json.value(QLatin1StringView(field));
    if (value.isUndefined())
        return true;
    const double number = value.toDouble(0.5);
    if (!value.isDouble() || number != static_cast<double>(static_cast<qint64>(number))) {
        *error = QStringLiteral("dlq setting %1 must be an integer").arg(QLatin1StringView(field));
        return false;
    }
    *out = static_cast<qint64>(number);
    return true;
}

} // namespace

QString toString(IntegrationStrategy strategy) {
    return QString::fromUtf16(kStrategyNames[static_cast<std::size_t>(strategy)]);
}

std::optional<IntegrationStrategy> integrationStrategyFromString(const QString& text) {
    for (std::size_t i = 0; i < kStrategyNames.size(); ++i) {
        if (text == QStringView(kStrategyNames[i]))
            return static_cast<IntegrationStrategy>(i);
    }
    return std::nullopt;
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
    if (schedule.linearStepMs < 0 || schedule.exponentialBaseMs < 0 || schedule.exponentialCapMs < 0)
        return QStringLiteral("dlq setting schedule delays must not be negative");
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
    static const QSet<QString> known{
        QStringLiteral("strategy"),         QStringLiteral("selective_categories"),
        QStringLiteral("max_size"),         QStringLiteral("max_retries"),
        QStringLiteral("interval_seconds"), QStringLiteral("processor_enabled"),
        QStringLiteral("parallelism"),      QStringLiteral("linear_step_ms"),
        QStringLiteral("exponential_base_ms"), QStringLiteral("exponential_cap_ms")};
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
        const auto strategy = integrationStrategyFromString(json.value(QStringLiteral("strategy")).toString());
        if (!strategy)
            return fail(QStringLiteral("dlq setting strategy must be automatic, selective, manual or disabled"));
        settings.strategy = *strategy;
    }
    if (json.contains(QStringLiteral("selective_categories"))) {
        settings.selectiveCategories.clear();
        for (const QJsonValue& value : json.value(QStringLiteral("selective_categories")).toArray()) {
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
    if (!readInt(json, "max_size", &maxSize, &why) || !readInt(json, "max_retries", &maxRetries, &why) ||
        !readInt(json, "interval_seconds", &interval, &why) || !readInt(json, "parallelism", &parallelism, &why) ||
        !readInt(json, "linear_step_ms", &settings.schedule.linearStepMs, &why) ||
        !readInt(json, "exponential_base_ms", &settings.schedule.exponentialBaseMs, &why) ||
        !readInt(json, "exponential_cap_ms", &settings.schedule.exponentialCapMs, &why))
        return fail(why);
    // Clamped before narrowing so a huge value cannot wrap into the valid range.
    auto narrow = [](qint64 v) { return static_cast<int>(std::clamp<qint64>(v, -1, 1'000'000'000)); };
    settings.maxSize = narrow(maxSize);
    settings.maxRetries = narrow(maxRetries);
    settings.intervalSeconds = narrow(interval);
    settings.parallelism = narrow(parallelism);
    if (const QString invalid = settings.validate(); !invalid.isEmpty())
        return fail(invalid);
    return settings;
}

} // namespace signalbox::dlq
