#pragma once
// The command line of `signalbox`, the desktop console:
//   signalbox [--data-dir DIR] [--demo] [--smoke-test] [--screenshots OUTDIR] [--theme system|light|dark]

#include <QString>
#include <QStringList>
#include <optional>

namespace signalbox::gui {

struct GuiOptions {
    QString dataDir;   // empty = the default (see data_dir.h)
    bool demo = false; // a fresh temporary data dir filled with demo data
    bool smokeTest = false;
    int settleMs = 0; // --smoke-test: let each view load its data this long (memory benchmark)
    QString screenshotsDir; // non-empty: write screenshots there and exit
    QString theme;          // empty = the saved preference
};

// Parses the arguments (argv[0] first). On bad input: nullopt and *error is one line.
// --help and --version print and exit inside, as usual for Qt tools.
std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error);

} // namespace signalbox::gui
