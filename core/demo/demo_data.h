#pragma once
// A realistic history for a fresh data dir (`signalbox --demo`, screenshots, benchmarks):
// runs of four workflows over ~30 catalog repos spread over the last days, with their
// instances, attempts, output, metrics and dead letters of every status and category.
// Written through the Store's public API only, so it is exactly what an engine would
// have left. Deterministic: the same size gives the same history (relative to now).

#include <QString>

namespace signalbox::demo {

struct DemoSize {
    int runs = 300;
    int deadLetters = 3000;
    int days = 21;
};

// Fills `dataDir` (created if needed). Refuses (false + one line in *error) a data dir
// that already holds runs or dead letters. No run is left running: there is no engine.
bool generate(const QString& dataDir, const DemoSize& size, QString* error);

} // namespace signalbox::demo
