#include "dlq/bulk_job.h"

#include "domain/enum_names.h"

#include <array>

namespace signalbox::dlq {

std::optional<qint64> prefixedKey(const QString& id, QStringView prefix); // dead_letter.cpp

namespace {

constexpr std::array kActionNames{u"retry", u"archive", u"purge"};
constexpr std::array kStateNames{u"queued", u"running", u"paused", u"cancelled", u"done"};
constexpr std::array kResultNames{u"pending", u"succeeded", u"failed", u"skipped"};

} // namespace

QString toString(BulkAction action) {
    return enumName(kActionNames, action);
}
std::optional<BulkAction> bulkActionFromString(const QString& text) {
    return enumFromName<BulkAction>(kActionNames, text);
}
QString toString(JobState state) {
    return enumName(kStateNames, state);
}
std::optional<JobState> jobStateFromString(const QString& text) {
    return enumFromName<JobState>(kStateNames, text);
}
bool isFinished(JobState state) {
    return state == JobState::Cancelled || state == JobState::Done;
}
QString toString(ItemResult result) {
    return enumName(kResultNames, result);
}

QString jobId(qint64 key) {
    return u"j_" + QString::number(key);
}
std::optional<qint64> jobKeyFromId(const QString& id) {
    return prefixedKey(id, u"j_");
}
QString BulkJob::id() const {
    return jobId(key);
}

} // namespace signalbox::dlq
