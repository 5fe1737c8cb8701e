#pragma once
// Drives the whole window once without a person: --smoke-test (open the engine, paint
// every view, report timings as one JSON line) and --screenshots (every view and the
// command palette, saved as PNG). A tool, not a test: it waits on the event loop.

#include <QString>
#include <QUrl>

namespace signalbox::ui {
class Backend;
class MainWindow;
} // namespace signalbox::ui

namespace signalbox::gui {

class ConsoleTour final {
public:
    ConsoleTour(ui::Backend& backend, ui::MainWindow& window);

    // Exit code: 0 and a JSON line on stdout, or 1 and one line on stderr.
    // settleMs: how long each view stays current (loading its data) before the next one.
    int runSmokeTest(int settleMs = 0);
    int takeScreenshots(const QString& outDir, const QString& themeName);

private:
    // Opens the backend and waits until it is ready and the first data arrived (or 20 s).
    bool openEngine(QString* error);
    // Shows the window and waits for its first paint; the time since process start.
    qint64 showAndWaitForPaint();

    // What the screenshots open besides each view's own page, so that they show a triage:
    // the newest failure's run detail and output, and a pending dead letter's detail.
    struct TourLinks {
        QUrl instance;
        QUrl output;
        QUrl deadLetter;
    };
    TourLinks findTourLinks();

    ui::Backend& m_backend;
    ui::MainWindow& m_window;
};

} // namespace signalbox::gui
