// The command palette on its own (plain actions) and inside the window over a real
// LocalBackend: typing a view's title and pressing Enter makes that view current, for
// every view; Esc closes without acting; shortcuts are listed next to the actions.

#include "console_fixture.h"
#include "main_window.h"
#include "views/view.h"
#include "widgets/command_palette.h"
#include "widgets/console_settings.h"

#include <QAction>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTreeView>
#include <QtTest>

using namespace signalbox;
using signalbox::test::ConsoleFixture;

class TstCommandPalette : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        ui::ConsoleSettings::open()->clear();
    }

    void filtersByEveryWordAndTriggersTheSelection() {
        QWidget host;
        host.resize(800, 600);
        QAction retry(QStringLiteral("Retry dead letters"));
        QAction archive(QStringLiteral("&Archive dead letters"));
        QAction disabled(QStringLiteral("Purge dead letters"));
        disabled.setEnabled(false);
        QSignalSpy retried(&retry, &QAction::triggered);
        QSignalSpy archived(&archive, &QAction::triggered);

        ui::CommandPalette palette(&host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        palette.popup({&retry, &archive, &disabled});
        QVERIFY(palette.isVisible());
        QCOMPARE(palette.visibleCount(), 2); // the disabled one is not offered

        // Words in any order, case-insensitive; the mnemonic '&' is not part of the text.
        QTest::keyClicks(palette.filterEdit(), QStringLiteral("letters arch"));
        QCOMPARE(palette.visibleCount(), 1);
        QTest::keyClick(palette.filterEdit(), Qt::Key_Return);
        QCOMPARE(archived.count(), 1);
        QCOMPARE(retried.count(), 0);
        QVERIFY(!palette.isVisible());

        // Down moves the selection; Enter triggers the selected row, not the first.
        palette.popup({&retry, &archive});
        QTest::keyClick(palette.filterEdit(), Qt::Key_Down);
        QTest::keyClick(palette.filterEdit(), Qt::Key_Return);
        QCOMPARE(archived.count(), 2);
        QCOMPARE(retried.count(), 0);

        // Nothing matches: Enter keeps it open so the text can be corrected.
        palette.popup({&retry, &archive});
        QTest::keyClicks(palette.filterEdit(), QStringLiteral("no such thing"));
        QCOMPARE(palette.visibleCount(), 0);
        QTest::keyClick(palette.filterEdit(), Qt::Key_Return);
        QVERIFY(palette.isVisible());
        QTest::keyClick(palette.filterEdit(), Qt::Key_Escape);
        QVERIFY(!palette.isVisible());
        QCOMPARE(retried.count(), 0);
    }

    void reachesEveryViewOfTheWindow() {
        QString error;
        QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* palette = window.findChild<ui::CommandPalette*>(QStringLiteral("commandPalette"));
        QVERIFY(palette);
        QCOMPARE(window.views().size(), 7);

        for (ui::View* view : window.views()) {
            // Start elsewhere so reaching the view is the palette's doing.
            window.setCurrentView(view->viewId() == QLatin1String("overview") ? QStringLiteral("logs")
                                                                              : QStringLiteral("overview"));
            QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
            QTRY_VERIFY(palette->isVisible());
            QTest::keyClicks(palette->filterEdit(), view->title());
            QVERIFY2(palette->visibleCount() >= 1, qPrintable(view->title()));
            QTest::keyClick(palette->filterEdit(), Qt::Key_Return);
            QVERIFY(!palette->isVisible());
            QCOMPARE(window.currentView()->viewId(), view->viewId());
        }
    }

    void listsShortcutsAndEscCloses() {
        QVERIFY(m_fixture.backend().state() == ui::Backend::State::Ready);
        ui::MainWindow window(m_fixture.backend());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.setCurrentView(QStringLiteral("pools"));
        window.showCommandPalette();
        auto* palette = window.commandPalette();
        auto* list = palette->findChild<QTreeView*>(QStringLiteral("paletteList"));
        QVERIFY(list);
        QTest::keyClicks(palette->filterEdit(), QStringLiteral("go to runs"));
        QCOMPARE(palette->visibleCount(), 1);
        QCOMPARE(list->model()->index(0, 1).data().toString(),
                 QKeySequence(Qt::CTRL | Qt::Key_2).toString(QKeySequence::NativeText));
        QTest::keyClick(palette->filterEdit(), Qt::Key_Escape);
        QVERIFY(!palette->isVisible());
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("pools"));

        // A view's own action chosen from another view shows that view and acts there.
        auto* reload = window.view(QStringLiteral("settings"))
                           ->findChild<QAction*>(QStringLiteral("reloadDlqSettingsAction"));
        QVERIFY(reload);
        QSignalSpy reloaded(reload, &QAction::triggered);
        window.showCommandPalette();
        QTest::keyClicks(palette->filterEdit(), reload->text());
        QTest::keyClick(palette->filterEdit(), Qt::Key_Return);
        QCOMPARE(reloaded.count(), 1);
        QCOMPARE(window.currentView()->viewId(), QStringLiteral("settings"));

        // Every view's own palette actions are offered, each with text.
        const QList<QAction*> actions = window.paletteActions();
        for (ui::View* view : window.views()) {
            for (QAction* action : view->paletteActions()) {
                QVERIFY(actions.contains(action));
                QVERIFY2(!action->text().isEmpty(), qPrintable(view->viewId()));
            }
        }
    }

private:
    ConsoleFixture m_fixture;
};

QTEST_MAIN(TstCommandPalette)
#include "tst_command_palette.moc"
