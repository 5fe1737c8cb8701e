#include "console_tour.h"

#include "backend/backend.h"
#include "main_window.h"
#include "process_stats.h"
#include "views/links.h"
#include "views/view.h"
#include "widgets/engine_status_bar.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QTimer>
#include <cstdio>
#include <functional>

namespace signalbox::gui {
namespace {

constexpr int kEngineTimeoutMs = 20'000;
constexpr int kPaintTimeoutMs = 5'000;
constexpr int kScreenshotSettleMs = 1'500; // let a view's queries answer and its charts draw

// Runs the event loop until `done` holds or `timeoutMs` passed; whether it holds.
bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

void spinFor(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void printError(const QString& message) {
    const QByteArray line = QStringLiteral("signalbox: error: %1\n").arg(message.simplified()).toUtf8();
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stderr);
    std::fflush(stderr);
}

// Notes the time of the first paint of the watched widget.
class FirstPaintProbe final : public QObject {
public:
    using QObject::QObject;
    qint64 paintedAtMs = -1;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint && paintedAtMs < 0)
            paintedAtMs = process_stats::msSinceProcessStart();
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

ConsoleTour::ConsoleTour(ui::Backend& backend, ui::MainWindow& window)
    : m_backend(backend)
    , m_window(window) {}

bool ConsoleTour::openEngine(QString* error) {
    QString failure;
    QObject context; // ends the connection with this function
    QObject::connect(&m_backend, &ui::Backend::stateChanged, &context,
                     [&failure](ui::Backend::State state, const QString& message) {
                         if (state == ui::Backend::State::Failed)
                             failure = message;
                     });
    m_backend.open();
    const bool settled = spinUntil(
        [this] {
            const auto state = m_backend.state();
            return state == ui::Backend::State::Failed ||
                   (state == ui::Backend::State::Ready && m_window.engineStatusBar()->hasSummary());
        },
        kEngineTimeoutMs);
    if (m_backend.state() == ui::Backend::State::Failed) {
        *error = failure.isEmpty()
                     ? QStringLiteral("the engine failed to open %1").arg(m_backend.description())
                     : failure;
        return false;
    }
    if (m_backend.state() != ui::Backend::State::Ready) {
        *error = QStringLiteral("the engine was not ready after %1 s").arg(kEngineTimeoutMs / 1000);
        return false;
    }
    Q_UNUSED(settled) // ready without data after 20 s: paint what there is
    return true;
}

qint64 ConsoleTour::showAndWaitForPaint() {
    FirstPaintProbe probe;
    m_window.installEventFilter(&probe);
    m_window.show();
    spinUntil([&probe] { return probe.paintedAtMs >= 0; }, kPaintTimeoutMs);
    m_window.removeEventFilter(&probe);
    if (probe.paintedAtMs >= 0)
        return probe.paintedAtMs;
    m_window.grab(); // no expose from the platform: paint it ourselves
    return process_stats::msSinceProcessStart();
}

int ConsoleTour::runSmokeTest(int settleMs) {
    // As a normal start does (main.cpp): the window paints first, the engine opens and
    // the data arrives behind it. first_paint_ms is what a person waits for a window;
    // data_ready_ms until the engine is open and the status bar has its first figures.
    const qint64 firstPaintMs = showAndWaitForPaint();
    QString error;
    if (!openEngine(&error)) {
        printError(error);
        return 1;
    }
    const qint64 dataReadyMs = process_stats::msSinceProcessStart();
    int painted = 0;
    for (ui::View* view : m_window.views()) {
        m_window.setCurrentView(view->viewId());
        QCoreApplication::processEvents();
        if (settleMs > 0)
            spinFor(settleMs);
        if (m_window.currentView() != view || m_window.grab().isNull()) {
            printError(QStringLiteral("the %1 view could not be shown").arg(view->viewId()));
            return 1;
        }
        ++painted;
    }
    const QJsonObject report{{QStringLiteral("first_paint_ms"), firstPaintMs},
                             {QStringLiteral("data_ready_ms"), dataReadyMs},
                             {QStringLiteral("views"), painted},
                             {QStringLiteral("peak_rss_kb"), process_stats::peakRssKb()}};
    const QByteArray line = QJsonDocument(report).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fflush(stdout);
    return 0;
}

ConsoleTour::TourLinks ConsoleTour::findTourLinks() {
    TourLinks found;
    QObject context; // ends the connections with this function
    int answers = 0;
    const ui::Ticket overview = m_backend.fetchOverview(ui::OverviewQuery{});
    dlq::DlqFilter pending;
    pending.statuses = {dlq::DlqStatus::Pending};
    dlq::DlqPageRequest first;
    first.limit = 1;
    const ui::Ticket deadLetters = m_backend.fetchDeadLetters(pending, first);
    QObject::connect(&m_backend, &ui::Backend::overviewFetched, &context,
                     [&](ui::Ticket ticket, const ui::Overview& answer) {
                         if (ticket != overview)
                             return;
                         ++answers;
                         if (answer.latestFailures.isEmpty())
                             return;
                         const ui::FailureItem& failure = answer.latestFailures.constFirst();
                         found.instance = ui::links::instance(failure.runId, failure.index);
                         found.output = ui::links::logs(failure.runId, failure.index);
                     });
    QObject::connect(&m_backend, &ui::Backend::deadLettersFetched, &context,
                     [&](ui::Ticket ticket, const QList<dlq::DeadLetter>& entries) {
                         if (ticket != deadLetters)
                             return;
                         ++answers;
                         if (!entries.isEmpty())
                             found.deadLetter = ui::links::deadLetter(entries.constFirst().key);
                     });
    QObject::connect(&m_backend, &ui::Backend::failed, &context, [&](ui::Ticket ticket, const QString&) {
        if (ticket == overview || ticket == deadLetters)
            ++answers;
    });
    spinUntil([&answers] { return answers == 2; }, kEngineTimeoutMs);
    return found;
}

int ConsoleTour::takeScreenshots(const QString& outDir, const QString& themeName) {
    if (!QDir().mkpath(outDir)) {
        printError(QStringLiteral("cannot create %1").arg(outDir));
        return 1;
    }
    m_window.resize(1400, 900);
    QString error;
    if (!openEngine(&error)) {
        printError(error);
        return 1;
    }
    showAndWaitForPaint();
    const QDir dir(outDir);
    const auto save = [&](const QString& name) {
        const QString path = dir.filePath(name + QLatin1Char('-') + themeName + QStringLiteral(".png"));
        if (!m_window.grab().save(path)) {
            printError(QStringLiteral("cannot write %1").arg(path));
            return false;
        }
        std::printf("%s\n", qPrintable(QDir::toNativeSeparators(path)));
        return true;
    };
    const TourLinks links = findTourLinks();
    // A view's page, then (for some) the detail a triage opens from it.
    const auto openAndSave = [&](const QUrl& link, const QString& name) {
        if (link.isEmpty())
            return true;
        m_window.openLink(link);
        spinFor(kScreenshotSettleMs);
        return save(name);
    };
    for (ui::View* view : m_window.views()) {
        const QString id = view->viewId();
        m_window.setCurrentView(id);
        spinFor(kScreenshotSettleMs);
        if (id == QStringLiteral("logs") && !links.output.isEmpty()) {
            if (!openAndSave(links.output, id))
                return 1;
            continue;
        }
        if (!save(id))
            return 1;
        if (id == QStringLiteral("runs") && !openAndSave(links.instance, QStringLiteral("run-detail")))
            return 1;
        if (id == QStringLiteral("dlq") && !openAndSave(links.deadLetter, QStringLiteral("dlq-detail")))
            return 1;
    }
    m_window.setCurrentView(QStringLiteral("overview"));
    m_window.showCommandPalette();
    spinFor(300);
    return save(QStringLiteral("palette")) ? 0 : 1;
}

} // namespace signalbox::gui
