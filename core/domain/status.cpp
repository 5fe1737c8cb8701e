#include "domain/status.h"

#include "domain/enum_names.h"

#include <array>

namespace signalbox {
namespace {

constexpr std::array kRunNames{u"queued", u"running", u"succeeded", u"failed", u"cancelled", u"interrupted"};
constexpr std::array kInstanceNames{u"pending", u"running",   u"succeeded",  u"failed",
                                    u"skipped", u"cancelled", u"interrupted"};
constexpr std::array kCategoryNames{u"",           u"transient",  u"network",  u"resource",
                                    u"permission", u"validation", u"permanent"};

} // namespace

QString toString(RunStatus status) {
    return enumName(kRunNames, status);
}
QString toString(InstanceStatus status) {
    return enumName(kInstanceNames, status);
}
QString toString(ErrorCategory category) {
    return enumName(kCategoryNames, category);
}

std::optional<RunStatus> runStatusFromString(const QString& text) {
    return enumFromName<RunStatus>(kRunNames, text);
}
std::optional<InstanceStatus> instanceStatusFromString(const QString& text) {
    return enumFromName<InstanceStatus>(kInstanceNames, text);
}
std::optional<ErrorCategory> errorCategoryFromString(const QString& text) {
    return enumFromName<ErrorCategory>(kCategoryNames, text);
}

bool isTerminal(RunStatus status) {
    return status != RunStatus::Queued && status != RunStatus::Running;
}
bool isTerminal(InstanceStatus status) {
    return status != InstanceStatus::Pending && status != InstanceStatus::Running;
}

} // namespace signalbox
