// The Runs view over a real LocalBackend, driven as a person would: launch a workflow
// from the launch dialog and see the run finish in the table; open a run whose repo
// failed, pick the failure and read its output.

#include "backend/local_backend.h"
#include "dialogs/launch_dialog.h"
#include "models/instances_model.h"
#include "models/runs_model.h"
#include "support/console_fixture.h"
#include "views/links.h"
#include "views/run_detail.h"
#include "views/runs_view.h"
#include "widgets/status_colors.h"
#include "widgets/task_matrix.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace signalbox;
using namespace signalbox::ui;

namespace {
constexpr int kWait = 60000;
}

class TestRunsView final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_fixture.open(4, &error), qPrintable(error));
    }

    void launchesFromTheDialogAndSeesTheRunSucceed() {
        RunsView view(m_fixture.backend());
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("hello"), {QStringLiteral("one"), QStringLiteral("two")},
            QStringLiteral("echo hello from $SIGNALBOX_REPO_NAME"));

        LaunchDialog* dialog = view.openLaunchDialog();
        QVERIFY(dialog);
        auto* path = dialog->findChild<QLineEdit*>(QStringLiteral("workflowPath"));
        QVERIFY(path);
        path->setText(workflow);
        QSignalSpy launched(dialog, &LaunchDialog::launched);
        dialog->accept();
        QVERIFY(launched.wait(kWait));
        const QString runId = launched.at(0).at(0).toString();
        QVERIFY(runId.startsWith(QStringLiteral("r_")));

        // The view opens the new run, and the table shows it succeeded.
        QCOMPARE(view.detail()->runId(), runId);
        const auto succeededInTable = [&] {
            const int row = view.model()->rowOf(runId);
            return row >= 0 && view.model()->runAt(row).run.status == RunStatus::Succeeded;
        };
        QTRY_VERIFY_WITH_TIMEOUT(succeededInTable(), kWait);
        const int row = view.model()->rowOf(runId);
        QCOMPARE(view.model()->index(row, RunsModel::StatusColumn).data().toString(),
                 QStringLiteral("succeeded"));
        QCOMPARE(view.model()->index(row, RunsModel::ProgressColumn).data().toString(),
                 QStringLiteral("2/2"));

        // Back to the table: the run is selected there, and Ctrl+C copies its id.
        view.showTable();
        auto* table = view.findChild<QTableView*>(QStringLiteral("runsTable"));
        QVERIFY(table);
        QCOMPARE(table->currentIndex().data(RunsModel::RunIdRole).toString(), runId);
        QApplication::clipboard()->clear();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), runId);
    }

    void offersItsActionsToThePalette() {
        RunsView view(m_fixture.backend());
        QStringList texts;
        for (QAction* action : view.paletteActions()) {
            QVERIFY(!action->text().isEmpty());
            texts << action->text();
            if (action->objectName() == QStringLiteral("newRunAction"))
                QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
            if (action->objectName() == QStringLiteral("refreshRunsAction"))
                QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_F5));
        }
        QCOMPARE(texts.size(), 5);
        QVERIFY(texts.contains(QStringLiteral("Re-run failed")));
        QCOMPARE(view.objectName(), QStringLiteral("runs"));
    }

    void opensAFailedInstanceAndReadsItsOutput() {
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("mixed"), {QStringLiteral("good"), QStringLiteral("bad")},
            QStringLiteral("if [ \"$SIGNALBOX_REPO_NAME\" = bad ]; then echo boom; exit 1; fi; echo fine"));
        QString error;
        const QString runId = m_fixture.runToEnd(workflow, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));

        RunsView view(m_fixture.backend());
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.navigate(links::run(runId));
        QTRY_VERIFY_WITH_TIMEOUT(view.detail()->hasRun() && view.detail()->runId() == runId, kWait);
        QCOMPARE(view.findChild<QStackedWidget*>(QStringLiteral("runsStack"))->currentWidget(),
                 view.detail());

        // The failed repo's cell is red in the matrix.
        auto* matrix = view.findChild<TaskMatrix*>(QStringLiteral("taskMatrix"));
        QVERIFY(matrix);
        int failedCells = 0;
        for (int column = 0; column < matrix->model()->columnCount(); ++column) {
            const QModelIndex cell = matrix->model()->index(0, column);
            if (cell.data(Qt::BackgroundRole).value<QColor>() == statusColor(InstanceStatus::Failed)) {
                ++failedCells;
                QCOMPARE(matrix->model()->headerData(column, Qt::Horizontal).toString(),
                         QStringLiteral("bad"));
            }
        }
        QCOMPARE(failedCells, 1);

        // One click on the failure shows its output.
        auto* tabs = view.findChild<QTabWidget*>(QStringLiteral("detailTabs"));
        auto* failures = view.findChild<QTableView*>(QStringLiteral("failuresTable"));
        QVERIFY(tabs && failures);
        tabs->setCurrentWidget(failures);
        QCOMPARE(failures->model()->rowCount(), 1);
        const QModelIndex failure = failures->model()->index(0, InstancesModel::TaskColumn);
        QTest::mouseClick(failures->viewport(), Qt::LeftButton, {}, failures->visualRect(failure).center());
        const int failedIndex = failure.data(InstancesModel::InstanceIndexRole).toInt();
        QCOMPARE(view.detail()->selectedInstance(), failedIndex);

        auto* output = view.findChild<QPlainTextEdit*>(QStringLiteral("instanceOutput"));
        QVERIFY(output);
        QTRY_VERIFY_WITH_TIMEOUT(output->toPlainText().contains(QStringLiteral("boom")), kWait);
        QVERIFY(!output->toPlainText().contains(QStringLiteral("fine")));
        auto* openInLogs = view.findChild<QLabel*>(QStringLiteral("openInLogs"));
        QVERIFY(openInLogs->text().contains(links::logs(runId, failedIndex).toString()));
        auto* attempts = view.findChild<QTableView*>(QStringLiteral("attemptsTable"));
        QTRY_VERIFY_WITH_TIMEOUT(attempts->model()->rowCount() >= 1, kWait);

        // A link to the other instance shows its output instead.
        const int goodIndex = failedIndex == 0 ? 1 : 0;
        view.navigate(links::instance(runId, goodIndex));
        QTRY_VERIFY_WITH_TIMEOUT(output->toPlainText().contains(QStringLiteral("fine")), kWait);
        QVERIFY(!output->toPlainText().contains(QStringLiteral("boom")));

        // Re-run failed is offered for a failed run; cancel is not.
        QVERIFY(view.detail()->retryFailedAction()->isEnabled());
        QVERIFY(!view.detail()->cancelAction()->isEnabled());
    }

    void showsDiagnosticsOfABadWorkflowInline() {
        RunsView view(m_fixture.backend());
        view.show();
        const QString bad = m_fixture.writeFile(
            QStringLiteral("bad.yaml"),
            "version: 1\nname: bad\ntasks:\n  - id: x\n    needs: [nope]\n    run: [\"true\"]\n");
        view.navigate(QUrl(QStringLiteral("signalbox://runs/launch?file=") +
                           QString::fromUtf8(QUrl::toPercentEncoding(bad))));
        LaunchDialog* dialog = view.launchDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->workflowPath(), bad);
        auto* diagnostics = dialog->findChild<QListWidget*>(QStringLiteral("diagnostics"));
        QVERIFY(diagnostics);
        QTRY_VERIFY_WITH_TIMEOUT(diagnostics->count() > 0, kWait);
        // "LINE:COL message", the line of the bad need.
        QVERIFY2(diagnostics->item(0)->text().startsWith(QStringLiteral("5:")),
                 qPrintable(diagnostics->item(0)->text()));
        QSignalSpy launched(dialog, &LaunchDialog::launched);
        dialog->accept();
        auto* launchError = dialog->findChild<QLabel*>(QStringLiteral("launchError"));
        QTRY_VERIFY_WITH_TIMEOUT(!launchError->isHidden(), kWait);
        QCOMPARE(launched.count(), 0);
        QVERIFY(dialog->isVisible());
    }

    void restoresItsFilters() {
        const QString ini = m_fixture.writeFile(QStringLiteral("state.ini"), {});
        {
            RunsView view(m_fixture.backend());
            view.findChild<QComboBox*>(QStringLiteral("statusFilter"))->setCurrentIndex(4); // failed
            view.findChild<QLineEdit*>(QStringLiteral("searchBox"))->setText(QStringLiteral("mix"));
            QSettings settings(ini, QSettings::IniFormat);
            view.saveState(settings);
        }
        RunsView view(m_fixture.backend());
        QSettings settings(ini, QSettings::IniFormat);
        view.restoreState(settings);
        QCOMPARE(view.findChild<QComboBox*>(QStringLiteral("statusFilter"))->currentText(),
                 QStringLiteral("failed"));
        QCOMPARE(view.findChild<QLineEdit*>(QStringLiteral("searchBox"))->text(), QStringLiteral("mix"));
        // The restored filters reach the query (SQL), not only the widgets.
        QCOMPARE(view.model()->query().search, QStringLiteral("mix"));
        QVERIFY(view.model()->query().statuses == QList<RunStatus>{RunStatus::Failed});
        QTRY_VERIFY_WITH_TIMEOUT(!view.model()->isLoading(), kWait);
        for (int row = 0; row < view.model()->rowCount(); ++row)
            QVERIFY(view.model()->runAt(row).run.status == RunStatus::Failed);
    }

private:
    test::ConsoleFixture m_fixture;
};

QTEST_MAIN(TestRunsView)
#include "tst_runs_view.moc"
