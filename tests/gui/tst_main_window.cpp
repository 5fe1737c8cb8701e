// The main window over a real LocalBackend (real SQLite, real child processes): the
// sidebar lists the seven views in order and Ctrl+1..7 reach them; links from a view are
// routed to the view that owns them; a dropped workflow file goes to the Runs view; view
// and backend errors show in the message bar; the status bar and tray follow a failing
// run; the current view, splitter and geometry persist across windows; the Settings view
// edits the engine's DLQ settings and the theme.

#include "console_fixture.h"
#include "main_window.h"
#include "views/links.h"
#include "views/view.h"
#include "widgets/console_settings.h"
#include "widgets/message_bar.h"
#include "widgets/sidebar.h"
#include "widgets/tray_notifier.h"
#include "widgets/workflow_drop.h"

#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QUrlQuery>
#include <QtTest>

using namespace signalbox;
using signalbox::test::ConsoleFixture;

namespace {

constexpr int kWaitMs = 60000;

const QStringList kViewOrder{
    QStringLiteral("overview"),     QStringLiteral("runs"), QStringLiteral("pools"),   QStringLiteral("dlq"),
    QStringLiteral("repositories"), QStringLiteral("logs"), QStringLiteral("settings")};

QString labelText(const QWidget& window, const char* name) {
    const auto* label = window.findChild<QLabel*>(QLatin1String(name));
    return label ? label->text() : QStringLiteral("<no %1>").arg(QLatin1String(name));
}

} // namespace

class TstMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QString error;
        QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
    }

    void init() { ui::ConsoleSettings::open()->clear(); }

    void sidebarListsTheViewsInOrder() {
        ui::MainWindow window(m_fixture.backend());
        auto* sidebar = window.findChild<ui::Sidebar*>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        QCOMPARE(sidebar->count(), kViewOrder.size());
        for (int row = 0; row < kViewOrder.size(); ++row) {
            QCOMPARE(sidebar->viewIdAt(row), kViewOrder[row]);
            QCOMPARE(window.views()[row]->objectName(), kViewOrder[row]);
            QCOMPARE(sidebar->item(row)->text(), window.views()[row]->title());
        }
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("overview"));

        // Keyboard navigation: Down in the sidebar shows the next view.
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        sidebar->setFocus();
        QTest::keyClick(sidebar, Qt::Key_Down);
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("runs"));

        auto* connection = window.findChild<QComboBox*>(QStringLiteral("connectionSelector"));
        QVERIFY(connection);
        QCOMPARE(connection->currentText(), m_fixture.backend().name());
        QCOMPARE(connection->toolTip(), m_fixture.backend().description());
    }

    void ctrlNumberSwitchesViews() {
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        for (int i = kViewOrder.size() - 1; i >= 0; --i) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(window.currentView()->viewId(), kViewOrder[i]);
            QCOMPARE(window.findChild<ui::Sidebar*>(QStringLiteral("sidebar"))->currentRow(), i);
        }
    }

    void linksAreRoutedToTheirView() {
        ui::MainWindow window(m_fixture.backend());
        QSignalSpy opened(&window, &ui::MainWindow::linkOpened);
        ui::View* runs = window.view(QStringLiteral("runs"));
        QVERIFY(runs);

        Q_EMIT runs->linkActivated(ui::links::deadLetter(42));
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("dlq"));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toUrl(), ui::links::deadLetter(42));

        Q_EMIT window.view(QStringLiteral("dlq"))->linkActivated(ui::links::logs(QStringLiteral("r_1"), 2));
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("logs"));

        // A link no view owns: a clear line, and the window stays where it was.
        Q_EMIT runs->linkActivated(QUrl(QStringLiteral("signalbox://nowhere/1")));
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("logs"));
        QVERIFY(!window.messageBar()->isHidden());
        QVERIFY2(window.messageBar()->text().contains(QStringLiteral("nowhere")),
                 qPrintable(window.messageBar()->text()));
        QCOMPARE(opened.count(), 2);
    }

    void droppedWorkflowGoesToTheRunsView() {
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &ui::MainWindow::linkOpened);
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("dropped flow"), {QStringLiteral("one")}, QStringLiteral("true"));
        const QString text = m_fixture.writeFile(QStringLiteral("notes.txt"), "not a workflow");

        QMimeData notWorkflow;
        notWorkflow.setUrls({QUrl::fromLocalFile(text)});
        QDragEnterEvent refused(QPoint(20, 20), Qt::CopyAction, &notWorkflow, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &refused);
        QVERIFY(!refused.isAccepted());

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(workflow)});
        QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(drop.isAccepted());

        QCOMPARE(window.currentView()->viewId(), QStringLiteral("runs"));
        QCOMPARE(opened.count(), 1);
        const QUrl link = opened.at(0).at(0).toUrl();
        QCOMPARE(link.host(), QStringLiteral("runs"));
        QCOMPARE(link.path(), QStringLiteral("/launch"));
        QCOMPARE(QUrlQuery(link).queryItemValue(QStringLiteral("file"), QUrl::FullyDecoded), workflow);
    }

    void errorsShowInTheMessageBar() {
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::MessageBar* bar = window.messageBar();
        QVERIFY(bar->isHidden());

        Q_EMIT window.view(QStringLiteral("pools"))
            ->errorOccurred(QStringLiteral("capacity must be\n1 or more"));
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(), QStringLiteral("capacity must be 1 or more")); // one line
        QTest::mouseClick(bar->findChild<QWidget*>(QStringLiteral("messageClose")), Qt::LeftButton);
        QVERIFY(bar->isHidden());

        // A query the real backend cannot answer: its failure reaches the window.
        m_fixture.backend().fetchDeadLetter(987654321);
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), kWaitMs);
        QVERIFY(!bar->text().isEmpty());
    }

    void statusBarAndTrayFollowAFailingRun() {
        ui::ConsoleSettings::setDlqNotifyThreshold(1);
        ui::MainWindow window(m_fixture.backend());
        QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "engineStateLabel"), QStringLiteral("Engine: ready"),
                                  kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            labelText(window, "dlqDepthLabel").startsWith(QStringLiteral("Dead letters: ")) &&
                !labelText(window, "dlqDepthLabel").endsWith(QStringLiteral("–")),
            kWaitMs);
        QVERIFY(labelText(window, "runningTasksLabel").startsWith(QStringLiteral("Running: ")));
        const qint64 depthBefore =
            labelText(window, "dlqDepthLabel").section(QLatin1Char(' '), -1).toLongLong();

        ui::TrayNotifier* tray = window.trayNotifier();
        QSignalSpy notified(tray, &ui::TrayNotifier::notified);
        // Let the tray learn which runs had failed before (they are not news).
        QTRY_VERIFY_WITH_TIMEOUT(tray->hasBaseline(), kWaitMs);

        QString error;
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("tray-fails"), {QStringLiteral("left"), QStringLiteral("right")},
            QStringLiteral("echo broken >&2; exit 2"));
        const QString runId = m_fixture.runToEnd(workflow, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));

        const auto notifiedAbout = [&](const QUrl& link) {
            for (const QList<QVariant>& call : notified) {
                if (call.at(2).toUrl() == link)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(notifiedAbout(ui::links::run(runId)), kWaitMs);
        QVERIFY(tray->badgeCount() >= 1);
        // Two more dead letters: past the threshold of 1, once.
        QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "dlqDepthLabel"),
                                  QStringLiteral("Dead letters: %1").arg(depthBefore + 2), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(notifiedAbout(ui::links::view(QStringLiteral("dlq"))), kWaitMs);
        tray->clearBadge();
        QCOMPARE(tray->badgeCount(), 1); // the queue is still over its threshold
    }

    void stateSurvivesANewWindow() {
        {
            ui::MainWindow window(m_fixture.backend());
            window.resize(760, 540); // inside the offscreen screen (800x600)
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setCurrentView(QStringLiteral("dlq"));
            auto* splitter = window.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
            QVERIFY(splitter);
            const int total = splitter->sizes().constFirst() + splitter->sizes().constLast();
            splitter->setSizes({190, total - 190});
            QTRY_COMPARE(splitter->sizes().constFirst(), 190);
        } // destroyed: saves
        ui::MainWindow again(m_fixture.backend());
        QCOMPARE(again.currentView()->viewId(), QStringLiteral("dlq"));
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(760, 540));
        QTRY_COMPARE(again.findChild<QSplitter*>(QStringLiteral("mainSplitter"))->sizes().constFirst(), 190);
    }

    void settingsViewEditsTheEngineAndTheTheme() {
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setCurrentView(QStringLiteral("settings"));
        ui::View* settings = window.view(QStringLiteral("settings"));
        auto* maxSize = settings->findChild<QSpinBox*>(QStringLiteral("dlqMaxSizeSpin"));
        auto* apply = settings->findChild<QPushButton*>(QStringLiteral("applyDlqSettingsButton"));
        QVERIFY(maxSize && apply);
        QTRY_VERIFY_WITH_TIMEOUT(maxSize->isEnabled(), kWaitMs);
        QVERIFY(!apply->isEnabled()); // nothing edited yet
        const int wanted = maxSize->value() == 2500 ? 2600 : 2500;
        maxSize->setValue(wanted);
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);

        // Read back from the engine: stored in the data dir.
        QTRY_VERIFY_WITH_TIMEOUT(!apply->isEnabled(), kWaitMs);
        QObject context;
        int stored = -1;
        ui::Ticket ticket = 0;
        connect(&m_fixture.backend(), &ui::Backend::dlqSettingsFetched, &context,
                [&](ui::Ticket answered, const dlq::DlqSettings& fetched) {
                    if (answered == ticket)
                        stored = fetched.maxSize;
                });
        ticket = m_fixture.backend().fetchDlqSettings();
        QTRY_COMPARE_WITH_TIMEOUT(stored, wanted, kWaitMs);
        QVERIFY(window.messageBar()->isHidden());

        auto* theme = settings->findChild<QComboBox*>(QStringLiteral("themeCombo"));
        QVERIFY(theme);
        theme->setCurrentIndex(theme->findData(int(ui::ThemeMode::Dark)));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        QVERIFY(ui::ConsoleSettings::theme() == ui::ThemeMode::Dark);
        theme->setCurrentIndex(theme->findData(int(ui::ThemeMode::Light)));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() >= 128);
        QVERIFY(ui::ConsoleSettings::theme() == ui::ThemeMode::Light);
    }

private:
    ConsoleFixture m_fixture;
};

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
