#include "dlq/signature.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <vector>

using namespace Qt::StringLiterals;

namespace signalbox::dlq {
namespace {

struct Rule {
    QRegularExpression pattern;
    QString replacement;
};

// Order matters: wider shapes (timestamps, UUIDs, hex) must go before the bare-number
// rule eats their digits.
const std::vector<Rule>& rules() {
    static const std::vector<Rule> kRules = [] {
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        std::vector<Rule> r;
        r.push_back(
            {QRegularExpression(
                 uR"(\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"_s,
                 ci),
             u"<time>"_s});
        r.push_back({QRegularExpression(uR"(\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b)"_s), u"<time>"_s});
        r.push_back(
            {QRegularExpression(uR"(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)"_s, ci),
             u"<uuid>"_s});
        r.push_back({QRegularExpression(uR"(\b0x[0-9a-f]+\b)"_s, ci), u"<hex>"_s});
        // A digit and a letter are both required so words like "defaced" and plain
        // numbers (handled below) are not taken for shas.
        r.push_back({QRegularExpression(uR"(\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b)"_s, ci),
                     u"<sha>"_s});
        // Compound forms like 2m30s count as one duration.
        r.push_back({QRegularExpression(
                         uR"((?<![\p{L}_\d.])(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+(?![\p{L}_\d]))"_s),
                     u"<duration>"_s});
        r.push_back(
            {QRegularExpression(
                 uR"((?<![\p{L}_\d.])\d+(?:\.\d+)?\s+(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?)\b)"_s,
                 ci),
             u"<duration>"_s});
        // Standalone numbers only: digits inside identifiers (python3, utf8) are not volatile.
        r.push_back(
            {QRegularExpression(
                 uR"((?<!exit code )(?<!exit status )(?<!signal )(?<![\p{L}_\d.])\d+(?:\.\d+)*(?![\p{L}_\d]))"_s,
                 ci),
             u"<n>"_s});
        r.push_back({QRegularExpression(uR"(\s+)"_s), u" "_s});
        // Compile now, inside the static's thread-safe initialization, so threads that
        // share these patterns later only ever read them.
        for (Rule& rule : r)
            rule.pattern.optimize();
        return r;
    }();
    return kRules;
}

// The repo path, only where it ends at a path boundary, so /repos/app does not
// swallow the prefix of /repos/app2.
QString replaceRepoPath(QString text, QString repoPath) {
    while (repoPath.size() > 1 && (repoPath.endsWith(u'/') || repoPath.endsWith(u'\\')))
        repoPath.chop(1);
    if (repoPath.isEmpty())
        return text;
    const QRegularExpression prefix(QRegularExpression::escape(repoPath) + uR"((?![^\s/\\:'"`,;)\]}]))"_s);
    return text.replace(prefix, u"<repo>"_s);
}

} // namespace

QString normalizeError(const QString& error, const QString& repoPath) {
    QString text = replaceRepoPath(error, repoPath);
    for (const Rule& rule : rules())
        text.replace(rule.pattern, rule.replacement);
    return text.trimmed();
}

QString errorSignature(const QString& taskId, const QString& error, const QString& repoPath) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(taskId.toUtf8());
    // A separator that cannot occur in a task id keeps ("ab", "c") apart from ("a", "bc").
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(normalizeError(error, repoPath).toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace signalbox::dlq
