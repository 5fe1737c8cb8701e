#pragma once
// What --smoke-test reports about this process (Linux /proc; elsewhere best effort).

#include <QtGlobal>

namespace signalbox::gui::process_stats {

// Call first thing in main(): remembers how long the process had lived before main.
void markMainStarted();
// Milliseconds since the process started (exec), not since main().
qint64 msSinceProcessStart();
// Peak resident set size (VmHWM) in KiB; 0 when unknown.
qint64 peakRssKb();

} // namespace signalbox::gui::process_stats
