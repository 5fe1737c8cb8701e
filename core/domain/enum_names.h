#pragma once
// Enum <-> name tables for the contract's vocabularies (statuses, categories, policies...):
// one array of names in enum order per enum, and these two lookups over it.

#include <QString>
#include <QStringView>
#include <cstddef>
#include <optional>

namespace signalbox {

template <typename Enum, typename Names> QString enumName(const Names& names, Enum value) {
    return QString::fromUtf16(names[static_cast<std::size_t>(value)]);
}

template <typename Enum, typename Names>
std::optional<Enum> enumFromName(const Names& names, QStringView text) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (text == QStringView(names[i]))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace signalbox
