// The Runs model over a real LocalBackend: more runs than one page (keyset paging via
// canFetchMore/fetchMore), newest first, an answer for an old filter dropped, and a
// refresh that keeps the selection on the same run. QAbstractItemModelTester watches.

#include "backend/local_backend.h"
#include "models/attempts_model.h"
#include "models/instances_model.h"
#include "models/runs_model.h"
#include "support/console_fixture.h"
#include "widgets/dag_view.h"
#include "widgets/status_colors.h"
#include "widgets/task_matrix_model.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

constexpr int kWait = 60000;
constexpr int kPagedRuns = RunsModel::pageSize + 5;

// Launches `count` runs of a workflow file; waits until every launch is answered.
bool launchRuns(Backend& backend, const QString& workflow, int count, QStringList* runIds = nullptr) {
    QObject context;
    QSet<Ticket> tickets;
    int ok = 0;
    int answered = 0;
    QObject::connect(&backend, &Backend::commandFinished, &context,
                     [&](Ticket ticket, const CommandResult& result) {
                         if (!tickets.contains(ticket))
                             return;
                         ++answered;
                         if (result.ok) {
                             ++ok;
                             if (runIds)
                                 runIds->append(result.id);
                         }
                     });
    QObject::connect(&backend, &Backend::failed, &context, [&](Ticket ticket, const QString&) {
        if (tickets.contains(ticket))
            ++answered;
    });
    engine::RunRequest request;
    request.workflowPath = workflow;
    for (int i = 0; i < count; ++i)
        tickets.insert(backend.launchRun(request));
    return QTest::qWaitFor([&] { return answered == count; }, kWait) && ok == count;
}

} // namespace

class TestRunsModel final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_fixture.open(4, &error), qPrintable(error));
        const QString paging = m_fixture.writeFanOutWorkflow(QStringLiteral("paging"), {QStringLiteral("p")},
                                                             QStringLiteral("true"));
        const QString alpha = m_fixture.writeFanOutWorkflow(QStringLiteral("alpha"), {QStringLiteral("a")},
                                                            QStringLiteral("true"));
        const QString beta = m_fixture.writeFanOutWorkflow(QStringLiteral("beta"), {QStringLiteral("b")},
                                                           QStringLiteral("true"));
        QVERIFY(launchRuns(m_fixture.backend(), paging, kPagedRuns));
        QVERIFY(launchRuns(m_fixture.backend(), alpha, 3));
        QVERIFY(launchRuns(m_fixture.backend(), beta, 2, &m_betaRuns));
    }

    void pagesThroughMoreThanOnePage() {
        RunsModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &RunsModel::loaded);
        RunQuery query;
        query.workflow = QStringLiteral("paging");
        model.setQuery(query);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(model.rowCount(), RunsModel::pageSize); // one keyset page, not everything

        // The rest arrives through fetchMore, as a view asks while it scrolls (the model
        // tester asks too): one page in flight at a time, and then no more to fetch.
        const auto scrolledToTheEnd = [&] {
            if (model.canFetchMore({}))
                model.fetchMore({});
            return model.rowCount() == kPagedRuns;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(scrolledToTheEnd(),
                                  qPrintable(QStringLiteral("%1 rows, canFetchMore %2, loading %3")
                                                 .arg(model.rowCount())
                                                 .arg(model.canFetchMore({}))
                                                 .arg(model.isLoading())),
                                  kWait);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(!model.isLoading());

        // Newest first, no run twice across the page boundary.
        QSet<QString> ids;
        for (int row = 0; row < model.rowCount(); ++row) {
            const RunRecord& run = model.runAt(row).run;
            QCOMPARE(run.workflow, QStringLiteral("paging"));
            ids.insert(run.id);
            if (row > 0)
                QVERIFY(model.runAt(row - 1).run.createdAtMs >= run.createdAtMs);
        }
        QCOMPARE(ids.size(), kPagedRuns);
        QCOMPARE(model.index(0, RunsModel::WorkflowColumn).data().toString(), QStringLiteral("paging"));
        QVERIFY(model.index(0, RunsModel::ProgressColumn).data().toString().endsWith(QStringLiteral("/1")));
    }

    void dropsTheAnswerForAnOlderFilter() {
        RunsModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &RunsModel::loaded);
        RunQuery alpha;
        alpha.workflow = QStringLiteral("alpha");
        RunQuery beta;
        beta.workflow = QStringLiteral("beta");
        model.setQuery(alpha);
        model.setQuery(beta); // before alpha's answer: that one is stale now
        QVERIFY(loaded.wait(kWait));

        // The backend answers in order: once a later query is answered, alpha's answer
        // has been delivered too, and the model must have ignored it.
        Backend& backend = m_fixture.backend();
        const Ticket sentinel = backend.fetchRuns(alpha);
        QSignalSpy answers(&backend, &Backend::runsFetched);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(answers.cbegin(), answers.cend(),
                        [&](const QList<QVariant>& args) { return args.at(0).value<Ticket>() == sentinel; }),
            kWait);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(m_betaRuns.contains(model.runAt(row).run.id));
    }

    void refreshKeepsTheSelectedRun() {
        RunsModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QItemSelectionModel selection(&model);
        QSignalSpy loaded(&model, &RunsModel::loaded);
        RunQuery query;
        query.workflow = QStringLiteral("beta");
        model.setQuery(query);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(model.rowCount(), 2);
        const QString selected = model.runAt(1).run.id;
        selection.setCurrentIndex(model.index(1, 0),
                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

        // A newer run lands on top: the selected run moves down a row and stays selected.
        QStringList newer;
        QVERIFY(launchRuns(m_fixture.backend(),
                           m_fixture.writeFanOutWorkflow(QStringLiteral("beta"), {QStringLiteral("b")},
                                                         QStringLiteral("true")),
                           1, &newer));
        model.refresh();
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.runAt(0).run.id, newer.constFirst());
        QCOMPARE(selection.currentIndex().row(), 2);
        QCOMPARE(selection.currentIndex().data(RunsModel::RunIdRole).toString(), selected);
        QVERIFY(selection.isRowSelected(2, {}));
    }

    // The run detail's models over a real run: one repo of three fails.
    void instanceModelsFollowARealRun() {
        QString error;
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("detail"), {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")},
            QStringLiteral("[ \"$SIGNALBOX_REPO_NAME\" != y ] || { echo broken >&2; exit 2; }"));
        const QString runId = m_fixture.runToEnd(workflow, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        Backend& backend = m_fixture.backend();
        QSignalSpy details(&backend, &Backend::runFetched);
        const Ticket ticket = backend.fetchRun(runId);
        QVERIFY(details.wait(kWait));
        QCOMPARE(details.constLast().at(0).value<Ticket>(), ticket);
        const RunDetail detail = details.constLast().at(1).value<RunDetail>();
        QCOMPARE(detail.instances.size(), 3);

        InstancesModel instances;
        QAbstractItemModelTester instancesTester(&instances,
                                                 QAbstractItemModelTester::FailureReportingMode::QtTest);
        instances.setInstances(detail.instances);
        instances.setInstances(detail.instances); // a refresh of the same run: values only
        QCOMPARE(instances.rowCount(), 3);
        int failedRow = -1;
        for (int row = 0; row < instances.rowCount(); ++row) {
            if (instances.index(row, InstancesModel::StatusColumn).data().toString() ==
                QStringLiteral("failed"))
                failedRow = row;
        }
        QVERIFY(failedRow >= 0);
        QCOMPARE(instances.index(failedRow, InstancesModel::RepoColumn).data().toString(),
                 QStringLiteral("y"));
        QCOMPARE(instances.index(failedRow, InstancesModel::ExitColumn).data().toInt(), 2);

        TaskMatrixModel matrix;
        QAbstractItemModelTester matrixTester(&matrix,
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        matrix.setInstances({QStringLiteral("check")}, detail.instances);
        QCOMPARE(matrix.rowCount(), 1);
        QCOMPARE(matrix.columnCount(), 3);
        const int failedIndex = instances.index(failedRow, 0).data(InstancesModel::InstanceIndexRole).toInt();
        const QModelIndex failedCell = matrix.indexOfInstance(failedIndex);
        QCOMPARE(matrix.headerData(failedCell.column(), Qt::Horizontal).toString(), QStringLiteral("y"));
        QCOMPARE(failedCell.data(Qt::BackgroundRole).value<QColor>(), statusColor(InstanceStatus::Failed));

        AttemptsModel attempts;
        QAbstractItemModelTester attemptsTester(&attempts,
                                                QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy attemptAnswers(&backend, &Backend::attemptsFetched);
        backend.fetchAttempts(runId, failedIndex);
        QVERIFY(attemptAnswers.wait(kWait));
        attempts.setAttempts(attemptAnswers.constLast().at(1).value<QList<AttemptRecord>>());
        QVERIFY(attempts.rowCount() >= 1);
        QCOMPARE(attempts.index(0, AttemptsModel::ExitColumn).data().toInt(), 2);
    }

    void dagLayersFollowNeeds() {
        DagView dag;
        dag.setGraph({TaskNode{QStringLiteral("build"), {}, {}},
                      TaskNode{QStringLiteral("test"), {QStringLiteral("build")}, {}},
                      TaskNode{QStringLiteral("lint"), {}, {}},
                      TaskNode{QStringLiteral("ship"), {QStringLiteral("test"), QStringLiteral("lint")}, {}}},
                     {});
        QCOMPARE(dag.layers().value(QStringLiteral("build")), 0);
        QCOMPARE(dag.layers().value(QStringLiteral("lint")), 0);
        QCOMPARE(dag.layers().value(QStringLiteral("test")), 1);
        QCOMPARE(dag.layers().value(QStringLiteral("ship")), 2);
    }

private:
    test::ConsoleFixture m_fixture;
    QStringList m_betaRuns;
};

QTEST_MAIN(TestRunsModel)
#include "tst_runs_model.moc"
