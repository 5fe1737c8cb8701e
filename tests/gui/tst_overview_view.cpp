// The Overview over a real LocalBackend: a workflow with one failing repo runs to its end
// through the local pool, and the view shows it (tiles, charts, the failure listed);
// clicking the failure, pressing Enter on it and "Show latest failure" link to its
// instance; charts follow a dark or light palette; splitters and header persist; a hidden
// view asks nothing on change events and catches up when activated.

#include "backend/coalescer.h"
#include "charts/time_series_chart.h"
#include "console_fixture.h"
#include "views/links.h"
#include "views/overview_failures_model.h"
#include "views/overview_view.h"
#include "widgets/stat_tile.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace signalbox;
using signalbox::test::ConsoleFixture;

namespace {

constexpr int kWaitMs = 60000;

QPalette paletteWithWindow(const QColor& window, const QColor& text) {
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::Base, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Text, text);
    return palette;
}

} // namespace

class TstOverviewView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
        // Repo "bad" fails, "good" succeeds: one failed instance (index 1), one dead letter.
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("overview-check"), {QStringLiteral("good"), QStringLiteral("bad")},
            QStringLiteral(
                "if [ \"$SIGNALBOX_REPO_NAME\" = bad ]; then echo broken >&2; exit 3; fi; echo fine"));
        m_runId = m_fixture.runToEnd(workflow, &error);
        QVERIFY2(!m_runId.isEmpty(), qPrintable(error));
    }

    void showsTheFailureAndTiles() {
        ui::OverviewView view(m_fixture.backend());
        view.show(); // a hidden overview leaves change events for activated()
        QCOMPARE(view.objectName(), QStringLiteral("overview"));
        auto* tree = view.findChild<QTreeView*>(QStringLiteral("latestFailures"));
        QVERIFY(tree);
        QAbstractItemModelTester tester(tree->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        // The dead letter is listed ~100 ms after the run ends; a change event re-queries.
        QTRY_VERIFY_WITH_TIMEOUT(view.overview().dlqPending + view.overview().dlqExhausted >= 1, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(tree->model()->rowCount() >= 1, kWaitMs);

        const auto* model = qobject_cast<ui::OverviewFailuresModel*>(tree->model());
        QVERIFY(model);
        const ui::FailureItem* failure = model->failureAt(0);
        QVERIFY(failure);
        QCOMPARE(failure->runId, m_runId);
        QCOMPARE(failure->repo, QStringLiteral("bad"));
        QCOMPARE(failure->taskId, QStringLiteral("check"));
        QVERIFY(!failure->error.isEmpty());
        QCOMPARE(tree->model()->index(0, ui::OverviewFailuresModel::Repo).data().toString(),
                 QStringLiteral("bad"));

        QCOMPARE(view.overview().runsInWindow, 1);
        QCOMPARE(view.overview().failedInWindow, 1);
        auto* runsTile = view.findChild<ui::StatTile*>(QStringLiteral("runsTile"));
        QVERIFY(runsTile);
        QCOMPARE(runsTile->value(), QStringLiteral("1"));
        auto* dlqTile = view.findChild<ui::StatTile*>(QStringLiteral("deadLettersTile"));
        QVERIFY(dlqTile);
        QVERIFY2(!dlqTile->value().startsWith(QLatin1Char('0')), qPrintable(dlqTile->value()));
        auto* poolsTile = view.findChild<ui::StatTile*>(QStringLiteral("poolsTile"));
        QVERIFY(poolsTile);
        QVERIFY2(poolsTile->value().contains(QLatin1Char('/')), qPrintable(poolsTile->value()));

        // Two tasks finished in the window, one of them failed.
        auto* tasks = view.findChild<ui::TimeSeriesChart*>(QStringLiteral("tasksFinishedChart"));
        auto* failures = view.findChild<ui::TimeSeriesChart*>(QStringLiteral("failureRateChart"));
        auto* depth = view.findChild<ui::TimeSeriesChart*>(QStringLiteral("dlqDepthChart"));
        QVERIFY(tasks && failures && depth);
        QVERIFY(tasks->pointCount() > 100); // 24 h of 10 min buckets
        QVERIFY(tasks->maxValue() > 0.0);
        // One of two tasks failed: 50% in their bucket (100% if they straddled a boundary).
        QVERIFY2(failures->maxValue() >= 50.0 && failures->maxValue() <= 100.0,
                 qPrintable(QString::number(failures->maxValue())));
    }

    void clickingAFailureLinksToItsInstance() {
        ui::OverviewView view(m_fixture.backend());
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* tree = view.findChild<QTreeView*>(QStringLiteral("latestFailures"));
        QVERIFY(tree);
        QTRY_VERIFY_WITH_TIMEOUT(tree->model()->rowCount() >= 1, kWaitMs);
        QSignalSpy links(&view, &ui::View::linkActivated);

        const QModelIndex first = tree->model()->index(0, ui::OverviewFailuresModel::Task);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(first).center());
        QCOMPARE(links.size(), 1);
        QCOMPARE(links.at(0).at(0).toUrl(), ui::links::instance(m_runId, 1));

        // Keyboard: Enter on the current failure.
        tree->setFocus();
        tree->setCurrentIndex(first);
        QTest::keyClick(tree, Qt::Key_Return);
        QCOMPARE(links.size(), 2);
        QCOMPARE(links.at(1).at(0).toUrl(), ui::links::instance(m_runId, 1));
    }

    void paletteActionsRefreshAndShowLatestFailure() {
        ui::OverviewView view(m_fixture.backend());
        const QList<QAction*> actions = view.paletteActions();
        QCOMPARE(actions.size(), 2);
        for (QAction* action : actions)
            QVERIFY(!action->text().isEmpty());
        QCOMPARE(actions.at(0)->shortcut(), QKeySequence(QKeySequence::Refresh));

        QAction* latest = actions.at(1);
        QTRY_VERIFY_WITH_TIMEOUT(latest->isEnabled(), kWaitMs);
        QSignalSpy links(&view, &ui::View::linkActivated);
        latest->trigger();
        QCOMPARE(links.size(), 1);
        QCOMPARE(links.at(0).at(0).toUrl(), ui::links::instance(m_runId, 1));

        // Refresh asks again and gets an answer (the shown time moves on or stays equal).
        const qint64 before = view.overview().nowMs;
        QSignalSpy answers(&m_fixture.backend(), &ui::Backend::overviewFetched);
        actions.at(0)->trigger();
        QVERIFY(answers.wait(kWaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(view.overview().nowMs >= before && view.overview().nowMs > 0, kWaitMs);
    }

    void chartsFollowTheTheme() {
        ui::OverviewView view(m_fixture.backend());
        auto* chart = view.findChild<ui::TimeSeriesChart*>(QStringLiteral("failureRateChart"));
        QVERIFY(chart);
        view.setPalette(paletteWithWindow(QColor(0x20, 0x22, 0x26), Qt::white));
        QVERIFY(chart->isDarkTheme());
        QCOMPARE(chart->chart()->theme(), QChart::ChartThemeDark);
        view.setPalette(paletteWithWindow(QColor(0xf4, 0xf4, 0xf4), Qt::black));
        QVERIFY(!chart->isDarkTheme());
        QCOMPARE(chart->chart()->theme(), QChart::ChartThemeLight);
    }

    void splittersAndHeaderPersist() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("state.ini")), QSettings::IniFormat);
        QByteArray saved;
        {
            ui::OverviewView view(m_fixture.backend());
            view.resize(1000, 700);
            auto* splitter = view.findChild<QSplitter*>(QStringLiteral("overviewSplitter"));
            QVERIFY(splitter);
            splitter->setSizes({500, 200});
            saved = splitter->saveState();
            view.saveState(settings);
        }
        ui::OverviewView restored(m_fixture.backend());
        restored.resize(1000, 700);
        restored.restoreState(settings);
        auto* splitter = restored.findChild<QSplitter*>(QStringLiteral("overviewSplitter"));
        QVERIFY(splitter);
        QCOMPARE(splitter->saveState(), saved);
    }

    // Last: it adds a second run.
    void hiddenViewWaitsUntilActivated() {
        ui::OverviewView view(m_fixture.backend());                   // never shown
        QTRY_VERIFY_WITH_TIMEOUT(view.overview().nowMs > 0, kWaitMs); // asked once on open
        QCOMPARE(view.overview().runsInWindow, 1);
        auto* changes = view.findChild<ui::Coalescer*>();
        QVERIFY(changes);

        QSignalSpy runEvents(&m_fixture.backend(), &ui::Backend::runChanged); // after the view's slot
        QString error;
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("overview-second"), {QStringLiteral("solo")}, QStringLiteral("exit 0"));
        QVERIFY2(!m_fixture.runToEnd(workflow, &error).isEmpty(), qPrintable(error));
        // The run can end before its change events are delivered: wait for one (the view saw
        // it first), then for the coalesced refresh, which a hidden view drops.
        QTRY_VERIFY_WITH_TIMEOUT(!runEvents.isEmpty(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!changes->isPending(), kWaitMs);
        QCOMPARE(view.overview().runsInWindow, 1);

        view.activated();
        QTRY_COMPARE_WITH_TIMEOUT(view.overview().runsInWindow, 2, kWaitMs);
    }

private:
    ConsoleFixture m_fixture;
    QString m_runId;
};

QTEST_MAIN(TstOverviewView)
#include "tst_overview_view.moc"
