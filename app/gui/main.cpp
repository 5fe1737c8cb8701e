// signalbox: the desktop console over the embedded engine (a LocalBackend on a data dir).
// See gui_options.h for the command line; everything else lives in ui/.
#include "backend/local_backend.h"
#include "console_tour.h"
#include "data_dir.h"
#include "demo_data_dir.h"
#include "gui_options.h"
#include "main_window.h"
#include "process_stats.h"
#include "widgets/console_settings.h"
#include "widgets/theme.h"

#include <QApplication>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>
#include <cstdio>

namespace {

int fail(const QString& message) {
    std::fprintf(stderr, "signalbox: error: %s\n", qPrintable(message.simplified()));
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    using namespace signalbox;
    gui::process_stats::markMainStarted();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Signalbox"));
    QApplication::setApplicationName(QStringLiteral("signalbox"));
    QApplication::setApplicationDisplayName(QStringLiteral("Signalbox"));
    QApplication::setApplicationVersion(QStringLiteral(SIGNALBOX_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("signalbox"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/signalbox.svg")));

    QString error;
    const auto options = gui::parseGuiOptions(QApplication::arguments(), &error);
    if (!options)
        return fail(error);

    // The smoke test and the screenshots start from default settings and leave the
    // user's alone: the same pictures on every machine, no state saved by a tool run.
    QTemporaryDir toolSettings;
    if (options->smokeTest || !options->screenshotsDir.isEmpty()) {
        if (!toolSettings.isValid())
            return fail(QStringLiteral("cannot create a temporary settings dir"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, toolSettings.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, toolSettings.path());
    }

    const ui::ThemeMode themeMode =
        options->theme.isEmpty() ? ui::ConsoleSettings::theme() : ui::themeModeFromString(options->theme);
    ui::theme::apply(themeMode);

    std::unique_ptr<QTemporaryDir> demoDir;
    QString dataDir;
    if (options->demo) {
        demoDir = gui::createDemoDataDir(&error);
        if (!demoDir)
            return fail(error);
        dataDir = demoDir->path();
    } else {
        dataDir = gui::resolveDataDir(options->dataDir);
        if (!gui::prepareDataDir(dataDir, &error))
            return fail(error);
    }

    ui::LocalBackend::Options backendOptions;
    backendOptions.dataDir = dataDir;
    backendOptions.lockWaitMs = 2000; // a CLI verb finishing up releases it shortly
    ui::LocalBackend backend(backendOptions);
    ui::MainWindow window(backend); // destroyed before the backend: views hold it

    if (options->smokeTest)
        return gui::ConsoleTour(backend, window).runSmokeTest(options->settleMs);
    if (!options->screenshotsDir.isEmpty()) {
        const QString themeName = ui::theme::isDark() ? QStringLiteral("dark") : QStringLiteral("light");
        return gui::ConsoleTour(backend, window).takeScreenshots(options->screenshotsDir, themeName);
    }

    window.show();
    backend.open();
    return QApplication::exec();
}
