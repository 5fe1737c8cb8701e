#include "dlq/retry_policy.h"

#include "domain/enum_names.h"

#include <algorithm>
#include <array>
#include <limits>

namespace signalbox::dlq {
namespace {

constexpr std::array kPolicyNames{u"never", u"immediate", u"linear", u"exponential"};
constexpr qint64 kMaxMs = std::numeric_limits<qint64>::max();

// Timestamps past year 292 million are meaningless; clamping beats wrapping into the past.
// b is a non-negative delay, so only a positive a can overflow.
qint64 saturatingAdd(qint64 a, qint64 b) {
    return a > 0 && b > kMaxMs - a ? kMaxMs : a + b;
}

// Both operands are non-negative.
qint64 saturatingMul(qint64 a, qint64 b) {
    if (a == 0 || b == 0)
        return 0;
    return a > kMaxMs / b ? kMaxMs : a * b;
}

qint64 linearDelay(int retriesDone, const RetrySchedule& schedule) {
    const qint64 step = std::max<qint64>(schedule.linearStepMs, 0);
    return saturatingMul(step, qint64(retriesDone) + 1);
}

qint64 exponentialDelay(int retriesDone, const RetrySchedule& schedule) {
    const qint64 cap = std::max<qint64>(schedule.exponentialCapMs, 0);
    qint64 delay = std::min(std::max<qint64>(schedule.exponentialBaseMs, 0), cap);
    // Doubling stops at the cap, so this runs at most ~63 times even for huge retriesDone.
    for (int i = 0; i < retriesDone && delay > 0 && delay < cap; ++i)
        delay = delay > cap / 2 ? cap : delay * 2;
    return delay;
}

} // namespace

QString toString(RetryPolicy policy) {
    return enumName(kPolicyNames, policy);
}

std::optional<RetryPolicy> retryPolicyFromString(const QString& text) {
    return enumFromName<RetryPolicy>(kPolicyNames, text);
}

RetryPolicy defaultPolicyFor(ErrorCategory category) {
    switch (category) {
    case ErrorCategory::Transient:
    case ErrorCategory::Network:
        return RetryPolicy::Exponential;
    case ErrorCategory::Resource:
        return RetryPolicy::Linear;
    case ErrorCategory::None:
    case ErrorCategory::Permission:
    case ErrorCategory::Validation:
    case ErrorCategory::Permanent:
        return RetryPolicy::Never;
    }
    return RetryPolicy::Never;
}

std::optional<qint64> nextRetryAtMs(RetryPolicy policy, int retriesDone, qint64 nowMs,
                                    const RetrySchedule& schedule) {
    retriesDone = std::max(retriesDone, 0);
    switch (policy) {
    case RetryPolicy::Never:
        return std::nullopt;
    case RetryPolicy::Immediate:
        return nowMs;
    case RetryPolicy::Linear:
        return saturatingAdd(nowMs, linearDelay(retriesDone, schedule));
    case RetryPolicy::Exponential:
        return saturatingAdd(nowMs, exponentialDelay(retriesDone, schedule));
    }
    return std::nullopt;
}

bool isValidMaxRetries(int maxRetries) {
    return maxRetries >= kMinMaxRetries && maxRetries <= kMaxMaxRetries;
}

bool isExhausted(int retriesDone, int maxRetries) {
    return retriesDone >= std::clamp(maxRetries, kMinMaxRetries, kMaxMaxRetries);
}

} // namespace signalbox::dlq
