#pragma once
// Light, dark or the platform's look, applied to the whole application at once (views
// that draw charts pick their chart theme from the palette's window lightness).

#include "widgets/console_settings.h"

namespace signalbox::ui::theme {

// Applies `mode` now (every open window repaints). The first call remembers the
// platform's own style and palette, which ThemeMode::System goes back to.
void apply(ThemeMode mode);

// True when the current palette is dark (what charts follow).
bool isDark();

} // namespace signalbox::ui::theme
