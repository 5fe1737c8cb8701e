#pragma once
// The console's icons (resources/icons/*.svg, compiled in as :/icons/NAME.svg).

#include <QIcon>

namespace signalbox::ui {

// The icon with a Selected mode in the palette's highlighted-text color: the SVGs are
// drawn in a mid gray that would vanish on the selection color of a list.
QIcon consoleIcon(const QString& name);

} // namespace signalbox::ui
