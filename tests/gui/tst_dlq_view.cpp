// The Dead Letters view over a real LocalBackend, driven as a person would: retry after
// fixing the cause, bulk-archive a group behind a typed confirmation, follow a link to
// an entry that is not in the loaded page.

#include "backend/local_backend.h"
#include "charts/dlq_stats_chart.h"
#include "dialogs/bulk_action_dialog.h"
#include "dialogs/edit_retry_dialog.h"
#include "models/dlq_entries_model.h"
#include "models/dlq_groups_model.h"
#include "support/console_fixture.h"
#include "views/dead_letter_detail.h"
#include "views/dead_letters_view.h"
#include "views/links.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextEdit>
#include <memory>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

constexpr int kWait = 60000;

bool waitForDeadLetters(Backend& backend, const dlq::DlqFilter& filter, qint64 expected) {
    qint64 seen = -1;
    Ticket ticket = backend.countDeadLetters(filter);
    QObject context;
    QObject::connect(&backend, &Backend::deadLetterCountFetched, &context,
                     [&](Ticket answered, qint64 count) {
                         if (answered != ticket)
                             return;
                         seen = count;
                         if (seen != expected)
                             ticket = backend.countDeadLetters(filter);
                     });
    return QTest::qWaitFor([&] { return seen == expected; }, kWait);
}

std::optional<RunStatus> runStatus(Backend& backend, const QString& runId) {
    std::optional<RunStatus> status;
    const Ticket ticket = backend.fetchRun(runId);
    QObject context;
    QObject::connect(&backend, &Backend::runFetched, &context, [&](Ticket answered, const RunDetail& detail) {
        if (answered == ticket)
            status = detail.run.status;
    });
    if (!QTest::qWaitFor([&] { return status.has_value(); }, kWait))
        return std::nullopt;
    return status;
}

bool allRowsHaveStatus(const DlqEntriesModel& model, int rows, dlq::DlqStatus status) {
    if (model.rowCount() != rows)
        return false;
    for (int row = 0; row < rows; ++row) {
        if (model.entryAt(row).status != status)
            return false;
    }
    return true;
}

} // namespace

class TestDlqView final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        m_fixture = std::make_unique<test::ConsoleFixture>();
        QString error;
        QVERIFY2(m_fixture->open(4, &error), qPrintable(error));
    }
    void cleanup() { m_fixture.reset(); }

    void retryAfterFixingTheCause() {
        const QString fixes = m_fixture->makeDir(QStringLiteral("fixes"));
        const QString workflow = m_fixture->writeFanOutWorkflow(
            QStringLiteral("needs-fix"),
            {QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")},
            QStringLiteral("test -f '%1'/\"$SIGNALBOX_REPO_NAME.fixed\" || { echo \"no fix for "
                           "$SIGNALBOX_REPO_NAME\" >&2; exit 2; }")
                .arg(fixes));
        QString error;
        const QString runId = m_fixture->runToEnd(workflow, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        QCOMPARE(runStatus(m_fixture->backend(), runId), std::optional<RunStatus>(RunStatus::Failed));
        QVERIFY(waitForDeadLetters(m_fixture->backend(), {}, 3));

        DeadLettersView view(m_fixture->backend());
        QSignalSpy errors(&view, &View::errorOccurred);
        QSignalSpy messages(&view, &View::statusMessage);
        view.resize(1200, 800);
        view.show();
        view.findChild<QAction*>(QStringLiteral("dlqRefreshAction"))->trigger();
        DlqEntriesModel& model = *view.entriesModel();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(view.findChild<QLabel*>(QStringLiteral("dlqTotal"))->text(),
                                  QStringLiteral("3 dead letters"), kWait);

        for (const QString& repo : {QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")})
            m_fixture->writeFile(QStringLiteral("fixes/") + repo + QStringLiteral(".fixed"), "ok\n");

        auto* table = view.findChild<QTableView*>(QStringLiteral("dlqTable"));
        QVERIFY(table);
        table->setFocus();
        table->selectAll();
        QCOMPARE(view.selectedKeys().size(), 3);
        auto* retry = view.findChild<QAction*>(QStringLiteral("dlqRetryAction"));
        QVERIFY(retry && retry->isEnabled());
        QCOMPARE(retry->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        retry->trigger();

        QTRY_VERIFY_WITH_TIMEOUT(allRowsHaveStatus(model, 3, dlq::DlqStatus::Completed), kWait);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.constFirst().constFirst().toString()));
        QVERIFY(!messages.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(runStatus(m_fixture->backend(), runId) == RunStatus::Succeeded, kWait);
        // The selection survived the reloads: it is still the three entries.
        QCOMPARE(view.selectedKeys().size(), 3);
    }

    void editAndRetryWithAReviewedDiff() {
        const QString workflow =
            m_fixture->writeFanOutWorkflow(QStringLiteral("wrong-command"), {QStringLiteral("only")},
                                           QStringLiteral("echo 'wrong flag' >&2; exit 7"));
        QString error;
        const QString runId = m_fixture->runToEnd(workflow, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        QVERIFY(waitForDeadLetters(m_fixture->backend(), {}, 1));

        DeadLettersView view(m_fixture->backend());
        QSignalSpy errors(&view, &View::errorOccurred);
        view.resize(1200, 800);
        view.show();
        DlqEntriesModel& entries = *view.entriesModel();
        QTRY_VERIFY_WITH_TIMEOUT(!entries.isLoading() && entries.rowCount() == 1, kWait);
        auto* table = view.findChild<QTableView*>(QStringLiteral("dlqTable"));
        table->selectRow(0);
        QCOMPARE(view.currentKey(), entries.entryAt(0).key);

        auto* edit = view.findChild<QAction*>(QStringLiteral("dlqEditRetryAction"));
        QCOMPARE(edit->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        edit->trigger();
        EditRetryDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view.findChild<EditRetryDialog*>()) != nullptr, kWait);
        auto* argv = dialog->findChild<QPlainTextEdit*>(QStringLiteral("editRetryArgv"));
        QStringList lines = argv->toPlainText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3); // sh, -c, the script
        lines[2] = QStringLiteral("echo fixed");
        argv->setPlainText(lines.join(QLatin1Char('\n')));
        dialog->findChild<QPushButton*>(QStringLiteral("editRetryReview"))->click();
        QVERIFY(dialog->findChild<QTextEdit*>(QStringLiteral("editRetryDiff"))
                    ->toPlainText()
                    .contains(QStringLiteral("+ argv[2]: echo fixed")));
        dialog->findChild<QPushButton*>(QStringLiteral("editRetryConfirm"))->click();

        QTRY_VERIFY_WITH_TIMEOUT(allRowsHaveStatus(entries, 1, dlq::DlqStatus::Completed), kWait);
        auto* detail = view.findChild<DeadLetterDetail*>();
        QTRY_VERIFY_WITH_TIMEOUT(detail->entry() && detail->entry()->edited &&
                                     detail->entry()->status == dlq::DlqStatus::Completed,
                                 kWait);
        QCOMPARE(detail->entry()->recipe().argv.value(2), QStringLiteral("echo fixed"));
        QVERIFY(detail->findChild<QLabel*>(QStringLiteral("dlqDetailCommand"))
                    ->text()
                    .contains(QStringLiteral("edited")));
        QTRY_VERIFY_WITH_TIMEOUT(runStatus(m_fixture->backend(), runId) == RunStatus::Succeeded, kWait);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.constFirst().constFirst().toString()));
    }

    void bulkArchiveGroupAfterTypedConfirmation() {
        const QString workflow = m_fixture->writeFanOutWorkflow(
            QStringLiteral("two-problems"),
            {QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("a3"), QStringLiteral("b1")},
            QStringLiteral("case \"$SIGNALBOX_REPO_NAME\" in a*) echo 'style check failed' >&2; exit 3;; "
                           "*) echo 'unit tests failed' >&2; exit 5;; esac"));
        QString error;
        QVERIFY2(!m_fixture->runToEnd(workflow, &error).isEmpty(), qPrintable(error));
        QVERIFY(waitForDeadLetters(m_fixture->backend(), {}, 4));

        DeadLettersView view(m_fixture->backend());
        QSignalSpy errors(&view, &View::errorOccurred);
        view.resize(1200, 800);
        view.show();
        auto* grouped = view.findChild<QAction*>(QStringLiteral("dlqGroupedAction"));
        QCOMPARE(grouped->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
        grouped->trigger();
        QVERIFY(view.isGrouped());
        DlqGroupsModel& groups = *view.groupsModel();
        QTRY_COMPARE_WITH_TIMEOUT(groups.rowCount(), 2, kWait);
        const int bigRow = groups.groupAt(0).count == 3 ? 0 : 1;
        QCOMPARE(groups.groupAt(bigRow).count, 3);
        const QString signature = groups.groupAt(bigRow).signature;
        view.selectGroup(signature);
        QCOMPARE(view.effectiveFilter().signature, signature);
        DlqEntriesModel& entries = *view.entriesModel();
        QTRY_VERIFY_WITH_TIMEOUT(!entries.isLoading() && entries.rowCount() == 3, kWait);
        for (int row = 0; row < 3; ++row)
            QVERIFY(entries.entryAt(row).repo.startsWith(QLatin1Char('a')));

        view.findChild<QAction*>(QStringLiteral("dlqBulkArchiveAction"))->trigger();
        auto* dialog = view.findChild<BulkActionDialog*>();
        QVERIFY(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->stage(), BulkActionDialog::Stage::Confirming, kWait);
        QCOMPARE(dialog->count(), 3);
        const QString summary = dialog->findChild<QLabel*>(QStringLiteral("bulkSummary"))->text();
        QVERIFY2(summary.startsWith(QStringLiteral("Archive 3 dead letters matching: ")),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("group=") + signature), qPrintable(summary));

        auto* ok = dialog->findChild<QPushButton*>(QStringLiteral("bulkOk"));
        auto* confirm = dialog->findChild<QLineEdit*>(QStringLiteral("bulkConfirmEdit"));
        QVERIFY(ok && confirm && confirm->isVisible());
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("4"));
        QVERIFY(!ok->isEnabled());
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("three"));
        QVERIFY(!ok->isEnabled());
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("3"));
        QVERIFY(ok->isEnabled());
        ok->click();

        QTRY_COMPARE_WITH_TIMEOUT(dialog->stage(), BulkActionDialog::Stage::Finished, kWait);
        auto* progress = dialog->findChild<QProgressBar*>(QStringLiteral("bulkProgress"));
        QCOMPARE(progress->maximum(), 3);
        QCOMPARE(progress->value(), 3);
        QCOMPARE(dialog->job().done, 3);
        QCOMPARE(dialog->job().succeeded, 3);
        QCOMPARE(dlq::toString(dialog->job().state), dlq::toString(dlq::JobState::Done));

        // The group's entries are archived, the other problem's entry is not.
        QTRY_VERIFY_WITH_TIMEOUT(allRowsHaveStatus(entries, 3, dlq::DlqStatus::Archived), kWait);

        dlq::DlqFilter archived;
        archived.statuses = {dlq::DlqStatus::Archived};
        QVERIFY(waitForDeadLetters(m_fixture->backend(), archived, 3));
        dlq::DlqFilter other;
        other.repo = QStringLiteral("b1");
        other.statuses = {dlq::DlqStatus::Pending, dlq::DlqStatus::Exhausted};
        QVERIFY(waitForDeadLetters(m_fixture->backend(), other, 1));
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.constFirst().constFirst().toString()));
    }

    void linkShowsAnEntryOutsideTheLoadedPage() {
        const QString workflow = m_fixture->writeFanOutWorkflow(
            QStringLiteral("three-failures"), {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")},
            QStringLiteral("echo 'broken build' >&2; exit 4"));
        QString error;
        QVERIFY2(!m_fixture->runToEnd(workflow, &error).isEmpty(), qPrintable(error));
        QVERIFY(waitForDeadLetters(m_fixture->backend(), {}, 3));

        // Not shown: a visible table would fetch pages until its viewport is full.
        DeadLettersView view(m_fixture->backend());
        QSignalSpy errors(&view, &View::errorOccurred);
        DlqEntriesModel& entries = *view.entriesModel();
        entries.setPageSize(1);
        view.setFilterBar({});
        QTRY_VERIFY_WITH_TIMEOUT(!entries.isLoading() && entries.rowCount() == 1, kWait);
        const qint64 newest = entries.entryAt(0).key;
        DlqEntriesModel oldestFirst(m_fixture->backend());
        oldestFirst.sort(DlqEntriesModel::Enqueued, Qt::AscendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!oldestFirst.isLoading() && oldestFirst.rowCount() == 3, kWait);
        const qint64 oldest = oldestFirst.entryAt(0).key;
        QVERIFY(oldest != newest);
        QCOMPARE(entries.rowOfKey(oldest), -1);

        view.navigate(links::deadLetter(oldest));
        QCOMPARE(view.currentKey(), oldest);
        auto* detail = view.findChild<DeadLetterDetail*>();
        QTRY_VERIFY_WITH_TIMEOUT(detail->entry() && detail->entry()->key == oldest, kWait);
        QVERIFY(detail->findChild<QLabel*>(QStringLiteral("dlqDetailTitle"))
                    ->text()
                    .startsWith(dlq::entryId(oldest)));
        QVERIFY(!detail->entry()->recipe().argv.isEmpty());
        QVERIFY(detail->findChild<QLabel*>(QStringLiteral("dlqDetailLinks"))
                    ->text()
                    .contains(links::instance(detail->entry()->runId, detail->entry()->index).toString()));
        QVERIFY(errors.isEmpty());

        view.navigate(QUrl(QStringLiteral("signalbox://dlq/not-a-key")));
        QCOMPARE(errors.size(), 1);
        view.navigate(links::deadLetter(newest + 1000));
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 2, kWait);
        QVERIFY(!detail->entry().has_value());

        auto* stats = view.findChild<DlqStatsChart*>();
        QTRY_VERIFY_WITH_TIMEOUT(stats->stats() && stats->stats()->size == 3, kWait);
    }

    void filtersGroupedModeAndLayoutPersist() {
        const QString path = m_fixture->writeFile(QStringLiteral("console.ini"), {});
        dlq::DlqFilter filter;
        filter.statuses = {dlq::DlqStatus::Pending, dlq::DlqStatus::Exhausted}; // menu order
        filter.categories = {ErrorCategory::Network};
        filter.workflow = QStringLiteral("nightly");
        filter.taskId = QStringLiteral("lint");
        filter.repo = QStringLiteral("api");
        filter.errorContains = QStringLiteral("timeout");
        QByteArray header;
        {
            DeadLettersView view(m_fixture->backend());
            view.setFilterBar(filter);
            view.setGrouped(true);
            auto* table = view.findChild<QTableView*>(QStringLiteral("dlqTable"));
            table->setColumnWidth(DlqEntriesModel::Error, 444);
            table->sortByColumn(DlqEntriesModel::Repo, Qt::AscendingOrder);
            header = table->horizontalHeader()->saveState();
            QSettings settings(path, QSettings::IniFormat);
            settings.beginGroup(view.viewId());
            view.saveState(settings);
        }
        DeadLettersView restored(m_fixture->backend());
        QSettings settings(path, QSettings::IniFormat);
        settings.beginGroup(restored.viewId());
        restored.restoreState(settings);
        const dlq::DlqFilter back = restored.filterBarFilter();
        QVERIFY(back.statuses == filter.statuses);
        QVERIFY(back.categories == filter.categories);
        QCOMPARE(back.workflow, filter.workflow);
        QCOMPARE(back.taskId, filter.taskId);
        QCOMPARE(back.repo, filter.repo);
        QCOMPARE(back.errorContains, filter.errorContains);
        QVERIFY(restored.isGrouped());
        auto* table = restored.findChild<QTableView*>(QStringLiteral("dlqTable"));
        QCOMPARE(table->columnWidth(DlqEntriesModel::Error), 444);
        QCOMPARE(table->horizontalHeader()->saveState(), header);
        // The restored sort is the one SQL is asked for.
        QVERIFY(restored.entriesModel()->sortOrder().key == dlq::DlqSortKey::Repo);
        QVERIFY(!restored.entriesModel()->sortOrder().descending);
        QCOMPARE(restored.objectName(), QStringLiteral("dlq"));
        QStringList texts;
        for (QAction* action : restored.paletteActions())
            texts << action->text();
        QVERIFY(texts.contains(QStringLiteral("Bulk archive…")));
        QVERIFY(texts.contains(QStringLiteral("Toggle grouped mode")));
    }

private:
    std::unique_ptr<test::ConsoleFixture> m_fixture;
};

QTEST_MAIN(TestDlqView)
#include "tst_dlq_view.moc"
