#pragma once
// "Did you mean ...?" suggestions by edit distance.

#include <QString>
#include <QStringList>

namespace signalbox::workflow::detail {

int editDistance(QStringView a, QStringView b);

// The closest candidate within a small distance of word, or "" when none is close.
QString closestMatch(const QString& word, const QStringList& candidates);

// " (did you mean 'X'?)" or "".
QString didYouMean(const QString& word, const QStringList& candidates);

} // namespace signalbox::workflow::detail
