#include "dlq/dead_letter.h"

#include "domain/enum_names.h"

#include <array>

namespace signalbox::dlq {
namespace {

constexpr std::array kStatusNames{u"pending", u"retrying", u"exhausted", u"completed", u"archived"};

// "<prefix><positive decimal>" -> the number. Only the canonical form that entryId()
// and jobId() write is accepted: ASCII digits, no sign, no leading zero, every qint64 key
// up to INT64_MAX (19 digits; toLongLong rejects what overflows).
std::optional<qint64> keyAfterPrefix(const QString& id, QStringView prefix) {
    if (!id.startsWith(prefix) || id.size() == prefix.size() || id.size() > prefix.size() + 19)
        return std::nullopt;
    const QStringView digits = QStringView(id).mid(prefix.size());
    if (digits.front() == u'0')
        return std::nullopt;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 key = digits.toLongLong(&ok);
    return ok && key > 0 ? std::optional<qint64>(key) : std::nullopt;
}

} // namespace

QString toString(DlqStatus status) {
    return enumName(kStatusNames, status);
}

std::optional<DlqStatus> dlqStatusFromString(const QString& text) {
    return enumFromName<DlqStatus>(kStatusNames, text);
}

bool isActive(DlqStatus status) {
    return status == DlqStatus::Pending || status == DlqStatus::Retrying || status == DlqStatus::Exhausted;
}

QString entryId(qint64 key) {
    return u"d_" + QString::number(key);
}

std::optional<qint64> entryKeyFromId(const QString& id) {
    return keyAfterPrefix(id, u"d_");
}

// Shared with bulk_job.cpp (job ids use the same shape).
std::optional<qint64> prefixedKey(const QString& id, QStringView prefix) {
    return keyAfterPrefix(id, prefix);
}

} // namespace signalbox::dlq
