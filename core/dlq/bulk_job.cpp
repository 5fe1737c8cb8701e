#include "dlq/bulk_job.h"

#include <array>

namespace signalbox::dlq {

std::optional<qint64> prefixedKey(const QString& id, QStringView prefix); // dead_letter.cpp

namespace {

constexpr std::array kActionNames{u"retry", u"archive", u"purge"};
constexpr std::array kStateNames{u"queued", u"running", u"paused", u"cancelled", u"done"};
constexpr std::array kResultNames{u"pending", u"succeeded", u"failed", u"skipped"};

template <typename Enum, typename Names>
std::optional<Enum> lookup(const Names& names, const QString& text) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (text == QStringView(names[i]))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace

QString toString(BulkAction action) { return QString::fromUtf16(kActionNames[static_cast<std::size_t>(action)]); }
std::optional<BulkAction> bulkActionFromString(const QString& text) {
    return lookup<BulkAction>(kActionNames, text);
}
QString toString(JobState state) { return QString::fromUtf16(kStateNames[static_cast<std::size_t>(state)]); }
std::optional<JobState> jobStateFromString(const QString& text) { return lookup<JobState>(kStateNames, text); }
bool isFinished(JobState state) { return state == JobState::Cancelled || state == JobState::Done; }
QString toString(ItemResult result) { return QString::fromUtf16(kResultNames[static_cast<std::size_t>(result)]); }

QString jobId(qint64 key) { return u"j_" + QString::number(key); }
std::optional<qint64> jobKeyFromId(const QString& id) { return prefixedKey(id, u"j_"); }
QString BulkJob::id() const { return jobId(key); }

} // namespace signalbox::dlq
