#include "workflow/suggest.h"

#include <algorithm>
#include <vector>

namespace signalbox::workflow::detail {

int editDistance(QStringView a, QStringView b) {
    // Damerau-Levenshtein (optimal string alignment): a swapped pair counts as one edit.
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (qsizetype j = 0; j <= m; ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

QString closestMatch(const QString& word, const QStringList& candidates) {
    QString best;
    int bestDistance = 0;
    for (const QString& candidate : candidates) {
        const int d = editDistance(word, candidate);
        // Close enough to be a typo, and not a rewrite of a short word.
        const int limit = std::max<int>(1, int(std::min(word.size(), candidate.size())) / 3);
        if (d == 0 || d > std::min(limit, 2))
            continue;
        if (best.isEmpty() || d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

QString didYouMean(const QString& word, const QStringList& candidates) {
    const QString match = closestMatch(word, candidates);
    if (match.isEmpty())
        return {};
    return QStringLiteral(" (did you mean '%1'?)").arg(match);
}

} // namespace signalbox::workflow::detail
