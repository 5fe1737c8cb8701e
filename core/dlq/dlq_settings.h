#pragma once
// The queue's settings: stored in the data dir (Store::setting("dlq")) as JSON, edited
// with `dlq settings`, shown by `dlq stats`. Every value is range-checked on the way in.

#include "dlq/retry_policy.h"
#include "domain/status.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace signalbox::dlq {

// Which failures become dead letters.
enum class IntegrationStrategy {
    Automatic, // every failed instance
    Selective, // only those whose category is in DlqSettings::selectiveCategories
    Manual,    // none automatically; an operator enqueues a failed instance explicitly
    Disabled,  // none, and manual enqueue is refused
};
QString toString(IntegrationStrategy strategy);
std::optional<IntegrationStrategy> integrationStrategyFromString(const QString& text);

struct DlqSettings {
    IntegrationStrategy strategy = IntegrationStrategy::Automatic;
    QList<ErrorCategory> selectiveCategories{ErrorCategory::Transient, ErrorCategory::Network,
                                             ErrorCategory::Resource};
    int maxSize = 10'000;                // 100..100000
    int maxRetries = kDefaultMaxRetries; // 0..10, for new entries
    int intervalSeconds = 60;            // retry processor period, 10..3600
    bool processorEnabled = true;
    int parallelism = 4; // entries retrying at once (processor and bulk jobs), 1..64
    RetrySchedule schedule;

    static constexpr int kMinMaxSize = 100;
    static constexpr int kMaxMaxSize = 100'000;
    static constexpr int kMinInterval = 10;
    static constexpr int kMaxInterval = 3600;
    static constexpr int kMaxParallelism = 64;

    bool shouldEnqueue(ErrorCategory category) const; // by strategy (Manual/Disabled: false)

    // One line naming the field and the allowed range, or empty when valid.
    QString validate() const;
    QJsonObject toJson() const;
    // Missing fields keep their defaults; unknown fields, wrong types and out-of-range
    // values are errors (one line naming the field) and return nullopt.
    static std::optional<DlqSettings> fromJson(const QJsonObject& json, QString* error);
};

} // namespace signalbox::dlq
