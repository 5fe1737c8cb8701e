#include "gui_options.h"

#include "widgets/console_settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace signalbox::gui {

std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "signalbox",
        "Signalbox desktop console: runs, pools, dead letters and logs of the embedded engine."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("signalbox",
                                    "Engine data directory (default: $SIGNALBOX_DATA_DIR, then the one "
                                    "chosen in Settings, then the per-user data location)."),
        QStringLiteral("DIR"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("signalbox",
                                    "Open a fresh temporary data directory filled with demo data."));
    const QCommandLineOption smoke(
        QStringLiteral("smoke-test"),
        QCoreApplication::translate("signalbox",
                                    "Open, paint every view once, print a JSON line of timings and exit."));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QCoreApplication::translate(
            "signalbox", "Save a screenshot of every view (and the command palette) into OUTDIR and exit."),
        QStringLiteral("OUTDIR"));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QCoreApplication::translate("signalbox", "Theme for this start: system, light or dark."),
        QStringLiteral("THEME"));
    const QCommandLineOption settle(
        QStringLiteral("settle"),
        QCoreApplication::translate("signalbox",
                                    "With --smoke-test: show each view for MS milliseconds so it loads its "
                                    "data before the peak memory is read."),
        QStringLiteral("MS"));
    parser.addOptions({dataDir, demo, smoke, screenshots, theme, settle});
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        *error = QCoreApplication::translate("signalbox", "unexpected argument '%1'")
                     .arg(parser.positionalArguments().constFirst());
        return std::nullopt;
    }

    GuiOptions options;
    options.dataDir = parser.value(dataDir);
    options.demo = parser.isSet(demo);
    options.smokeTest = parser.isSet(smoke);
    options.screenshotsDir = parser.value(screenshots);
    options.theme = parser.value(theme);
    if (parser.isSet(settle)) {
        bool ok = false;
        options.settleMs = parser.value(settle).toInt(&ok);
        if (!ok || options.settleMs < 0 || options.settleMs > 60'000) {
            *error = QCoreApplication::translate("signalbox", "--settle needs milliseconds between 0 and 60000, not '%1'")
                         .arg(parser.value(settle));
            return std::nullopt;
        }
    }
    if (parser.isSet(dataDir) && options.dataDir.trimmed().isEmpty()) {
        *error = QCoreApplication::translate("signalbox", "--data-dir needs a directory");
        return std::nullopt;
    }
    if (parser.isSet(screenshots) && options.screenshotsDir.trimmed().isEmpty()) {
        *error = QCoreApplication::translate("signalbox", "--screenshots needs an output directory");
        return std::nullopt;
    }
    if (!options.theme.isEmpty()) {
        bool known = false;
        ui::themeModeFromString(options.theme, &known);
        if (!known) {
            *error =
                QCoreApplication::translate("signalbox", "--theme must be system, light or dark, not '%1'")
                    .arg(options.theme);
            return std::nullopt;
        }
    }
    if (options.smokeTest && !options.screenshotsDir.isEmpty()) {
        *error =
            QCoreApplication::translate("signalbox", "--smoke-test and --screenshots cannot be combined");
        return std::nullopt;
    }
    return options;
}

} // namespace signalbox::gui
