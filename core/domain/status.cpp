#include "domain/status.h"

#include <array>

namespace signalbox {
namespace {

constexpr std::array kRunNames{u"queued", u"running", u"succeeded", u"failed", u"cancelled", u"interrupted"};
constexpr std::array kInstanceNames{u"pending",   u"running",   u"succeeded",  u"failed",
                                    u"skipped",   u"cancelled", u"interrupted"};
constexpr std::array kCategoryNames{u"",         u"transient",  u"network",  u"resource",
                                    u"permission", u"validation", u"permanent"};

template <typename Enum, typename Names>
std::optional<Enum> lookup(const Names& names, const QString& text) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (text == QStringView(names[i]))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace

QString toString(RunStatus status) { return QString::fromUtf16(kRunNames[static_cast<std::size_t>(status)]); }
QString toString(InstanceStatus status) {
    return QString::fromUtf16(kInstanceNames[static_cast<std::size_t>(status)]);
}
QString toString(ErrorCategory category) {
    return QString::fromUtf16(kCategoryNames[static_cast<std::size_t>(category)]);
}

std::optional<RunStatus> runStatusFromString(const QString& text) { return lookup<RunStatus>(kRunNames, text); }
std::optional<InstanceStatus> instanceStatusFromString(const QString& text) {
    return lookup<InstanceStatus>(kInstanceNames, text);
}
std::optional<ErrorCategory> errorCategoryFromString(const QString& text) {
    return lookup<ErrorCategory>(kCategoryNames, text);
}

bool isTerminal(RunStatus status) { return status != RunStatus::Queued && status != RunStatus::Running; }
bool isTerminal(InstanceStatus status) {
    return status != InstanceStatus::Pending && status != InstanceStatus::Running;
}

} // namespace signalbox
