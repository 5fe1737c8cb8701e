#include "engine/output_protocol.h"

#include <array>
#include <cmath>
#include <utility>

namespace signalbox::engine {
namespace {

using Kind = OutputDirective::Kind;

constexpr QStringView kMetric = u"::metric";
constexpr QStringView kError = u"::error";
constexpr QStringView kProgress = u"::progress";

constexpr std::array<std::pair<QStringView, ErrorCategory>, 6> kCategories{{
    {u"transient", ErrorCategory::Transient},
    {u"network", ErrorCategory::Network},
    {u"resource", ErrorCategory::Resource},
    {u"permission", ErrorCategory::Permission},
    {u"validation", ErrorCategory::Validation},
    {u"permanent", ErrorCategory::Permanent},
}};

bool isBlank(QChar c) {
    return c == u' ' || c == u'\t';
}

OutputDirective malformed(const QString& why) {
    OutputDirective d;
    d.kind = Kind::Malformed;
    d.message = why;
    return d;
}

// What follows the keyword: at least one blank, then the arguments (outer blanks dropped).
std::optional<QStringView> arguments(QStringView line, QStringView keyword) {
    const QStringView rest = line.mid(keyword.size());
    if (rest.isEmpty() || !isBlank(rest.front()))
        return std::nullopt;
    return rest.trimmed();
}

bool isNameChar(QChar c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' ||
           c == u'.' || c == u'-';
}

bool isDigits(QStringView text) {
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

OutputDirective parseMetric(QStringView line) {
    const auto args = arguments(line, kMetric);
    if (!args || args->isEmpty())
        return malformed(QStringLiteral("::metric: expected '::metric NAME=VALUE'"));
    const qsizetype eq = args->indexOf(u'=');
    if (eq < 0)
        return malformed(QStringLiteral("::metric: expected NAME=VALUE, got '%1'").arg(*args));
    const QStringView name = args->left(eq);
    const QStringView value = args->mid(eq + 1);
    if (name.isEmpty())
        return malformed(QStringLiteral("::metric: missing metric name"));
    for (QChar c : name) {
        if (!isNameChar(c))
            return malformed(
                QStringLiteral("::metric: invalid metric name '%1' (allowed: A-Z a-z 0-9 _ . -)").arg(name));
    }
    if (value.isEmpty())
        return malformed(QStringLiteral("::metric: missing value for '%1'").arg(name));
    bool ok = false;
    const double number = value.toDouble(&ok);
    for (QChar c : value) {
        if (c.isSpace())
            ok = false;
    }
    if (!ok || !std::isfinite(number))
        return malformed(
            QStringLiteral("::metric: value '%1' of '%2' is not a finite number").arg(value, name));
    OutputDirective d;
    d.kind = Kind::Metric;
    d.name = name.toString();
    d.value = number;
    return d;
}

OutputDirective parseError(QStringView line) {
    const auto args = arguments(line, kError);
    constexpr QStringView prefix = u"category=";
    if (!args || !args->startsWith(prefix))
        return malformed(QStringLiteral("::error: expected '::error category=CATEGORY MESSAGE'"));
    QStringView rest = args->mid(prefix.size());
    qsizetype end = 0;
    while (end < rest.size() && !isBlank(rest[end]))
        ++end;
    const QStringView categoryName = rest.left(end);
    const QStringView message = rest.mid(end).trimmed();
    for (const auto& [name, category] : kCategories) {
        if (categoryName == name) {
            OutputDirective d;
            d.kind = Kind::Error;
            d.category = category;
            d.message = message.toString();
            return d;
        }
    }
    return malformed(
        QStringLiteral("::error: unknown category '%1' "
                       "(expected transient, network, resource, permission, validation or permanent)")
            .arg(categoryName));
}

OutputDirective parseProgress(QStringView line) {
    const auto args = arguments(line, kProgress);
    if (!args)
        return malformed(QStringLiteral("::progress: expected '::progress N/M'"));
    const qsizetype slash = args->indexOf(u'/');
    const QStringView doneText = slash < 0 ? QStringView() : args->left(slash);
    const QStringView totalText = slash < 0 ? QStringView() : args->mid(slash + 1);
    bool doneOk = false;
    bool totalOk = false;
    const int done = isDigits(doneText) ? doneText.toInt(&doneOk) : 0;
    const int total = isDigits(totalText) ? totalText.toInt(&totalOk) : 0;
    if (!doneOk || !totalOk)
        return malformed(
            QStringLiteral("::progress: expected '::progress N/M' with whole numbers, got '%1'").arg(*args));
    if (total <= 0 || done > total)
        return malformed(QStringLiteral("::progress: %1/%2 is out of range (need 0 <= N <= M, M > 0)")
                             .arg(done)
                             .arg(total));
    OutputDirective d;
    d.kind = Kind::Progress;
    d.done = done;
    d.total = total;
    return d;
}

} // namespace

OutputDirective parseOutputLine(QStringView line) {
    if (!line.startsWith(u"::"))
        return {};
    if (line.startsWith(kMetric))
        return parseMetric(line);
    if (line.startsWith(kError))
        return parseError(line);
    if (line.startsWith(kProgress))
        return parseProgress(line);
    return {};
}

} // namespace signalbox::engine
