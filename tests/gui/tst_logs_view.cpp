// The Logs view driven as a person would, over a real LocalBackend: scrolling to a line
// far down a 12,000-line run, regex search with next/previous, jumping to the first
// error, the stream filter, copy, export, the engine log, and follow mode on a run that
// is still writing.

#include "backend/backend.h"
#include "console_fixture.h"
#include "logs/log_buffer.h"
#include "models/engine_log_model.h"
#include "models/log_line_format.h"
#include "models/log_lines_model.h"
#include "models/log_stream_filter_model.h"
#include "views/links.h"
#include "views/logs_view.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>
#include <optional>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

bool waitForRunEnd(Backend& backend, const QString& runId) {
    bool finished = false;
    Ticket pending = 0;
    QObject context;
    QObject::connect(&backend, &Backend::runFetched, &context, [&](Ticket answered, const RunDetail& detail) {
        if (answered != pending)
            return;
        pending = 0;
        finished = isTerminal(detail.run.status);
    });
    return QTest::qWaitFor(
        [&] {
            if (pending == 0 && !finished)
                pending = backend.fetchRun(runId);
            return finished;
        },
        30000);
}

// The first row showing `text` among the first rows (system lines may come first).
int rowOf(const LogLinesModel& model, const QString& text, int within = 50) {
    for (int row = 0; row < std::min(within, model.rowCount()); ++row) {
        if (model.lineText(row) == text)
            return row;
    }
    return -1;
}

bool rowVisible(QTableView* table, int row) {
    const QRect rect = table->visualRect(table->model()->index(row, 0));
    return rect.isValid() && table->viewport()->rect().intersects(rect);
}

} // namespace

class TestLogsView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsALineFarDownWhenScrolledThere();
    void searchCountsHitsAndWalksThem();
    void jumpsToFirstErrorAndFiltersStreams();
    void copiesAndExportsLines();
    void showsTheEngineLog();
    void followShowsNewLinesUntilTheUserScrollsUp();
    void scrollsManyBlocksHoldingFewOfThem();
    void paletteActionsHaveShortcuts();

private:
    // A shown view on the run, not following, with its first rows loaded.
    void openRun(LogsView& view, const QString& runId);

    test::ConsoleFixture m_fixture;
    QString m_bigRun;   // seq 1 12000
    QString m_errorRun; // 30 lines, two on stderr, 10 more, "an error on stdout"
};

void TestLogsView::initTestCase() {
    QString error;
    QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
    const QString big = m_fixture.writeFile(QStringLiteral("big.yaml"),
                                            "name: big\ntasks:\n  - id: count\n    run: [\"seq\", \"1\", \"12000\"]\n");
    m_bigRun = m_fixture.runToEnd(big, &error);
    QVERIFY2(!m_bigRun.isEmpty(), qPrintable(error));
    const QString failing = m_fixture.writeFile(QStringLiteral("failing.yaml"),
                                                "name: failing\ntasks:\n  - id: work\n    run: |\n"
                                                "      seq 1 30\n      echo 'cannot open config.yml' >&2\n"
                                                "      echo 'Fatal: something failed here' >&2\n"
                                                "      seq 31 40\n      echo 'an error on stdout'\n");
    m_errorRun = m_fixture.runToEnd(failing, &error);
    QVERIFY2(!m_errorRun.isEmpty(), qPrintable(error));
}

void TestLogsView::openRun(LogsView& view, const QString& runId) {
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFollowing(false);
    view.navigate(links::logs(runId));
    QCOMPARE(view.currentRunId(), runId);
    QCOMPARE(view.currentModel(), view.linesModel());
    QTRY_VERIFY_WITH_TIMEOUT(view.linesModel()->rowCount() > 0, 60000);
    // Nothing but the view's painting asks for rows here.
    QTRY_VERIFY_WITH_TIMEOUT(view.linesModel()->isLoaded(0), 60000);
}

void TestLogsView::showsALineFarDownWhenScrolledThere() {
    LogsView view(m_fixture.backend());
    QAbstractItemModelTester tester(view.linesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openRun(view, m_bigRun);
    LogLinesModel* model = view.linesModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 12000, 60000);
    const int first = rowOf(*model, QStringLiteral("1"));
    QVERIFY(first >= 0);
    const int row = first + 9000 - 1;
    QVERIFY(!model->isLoaded(row));

    view.table()->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
    QTRY_VERIFY_WITH_TIMEOUT(model->isLoaded(row), 60000);
    QCOMPARE(model->lineText(row), QStringLiteral("9000"));
    QVERIFY(rowVisible(view.table(), row));
    QCOMPARE(model->index(row, logformat::TextColumn).data().toString(), QStringLiteral("9000"));
    QCOMPARE(view.findChild<QLabel*>(QStringLiteral("linesLabel"))->text().remove(QRegularExpression(QStringLiteral("[^0-9]"))),
             QString::number(model->rowCount()));
}

void TestLogsView::searchCountsHitsAndWalksThem() {
    LogsView view(m_fixture.backend());
    openRun(view, m_bigRun);
    LogLinesModel* model = view.linesModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 12000, 60000);
    const int first = rowOf(*model, QStringLiteral("1"));
    QVERIFY(first >= 0);

    // Lines 1200..1299: 100 hits; the first becomes current.
    view.search(QStringLiteral("^12[0-9][0-9]$"));
    QTRY_COMPARE_WITH_TIMEOUT(view.hitCount(), 100, 60000);
    QCOMPARE(view.currentHit(), 0);
    QCOMPARE(view.table()->currentIndex().row(), first + 1200 - 1);
    auto* count = view.findChild<QLabel*>(QStringLiteral("searchCountLabel"));
    QVERIFY(count);
    QCOMPARE(count->text(), QStringLiteral("1 of 100"));
    QTRY_VERIFY_WITH_TIMEOUT(model->isLoaded(first + 1200 - 1), 60000);
    QCOMPARE(model->lineText(view.table()->currentIndex().row()), QStringLiteral("1200"));

    view.findNext();
    QCOMPARE(view.currentHit(), 1);
    QCOMPARE(view.table()->currentIndex().row(), first + 1201 - 1);
    QCOMPARE(count->text(), QStringLiteral("2 of 100"));
    view.findPrevious();
    QCOMPARE(view.currentHit(), 0);
    view.findPrevious(); // wraps to the last hit
    QCOMPARE(view.currentHit(), 99);
    QCOMPARE(view.table()->currentIndex().row(), first + 1299 - 1);
    QCOMPARE(count->text(), QStringLiteral("100 of 100"));
    view.findNext(); // and back to the first
    QCOMPARE(view.currentHit(), 0);

    // The same from the keyboard: F3 and Shift+F3 on the table.
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.table()->setFocus();
    QTest::keyClick(view.table(), Qt::Key_F3);
    QCOMPARE(view.currentHit(), 1);
    QTest::keyClick(view.table(), Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view.currentHit(), 0);

    // A pattern that does not compile is one clear line, not a search.
    QSignalSpy errors(&view, &View::errorOccurred);
    view.search(QStringLiteral("(unclosed"));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("regular expression")));
    QCOMPARE(view.hitCount(), 100);
}

void TestLogsView::jumpsToFirstErrorAndFiltersStreams() {
    LogsView view(m_fixture.backend());
    openRun(view, m_errorRun);
    LogLinesModel* model = view.linesModel();
    QSignalSpy status(&view, &View::statusMessage);
    view.jumpToFirstError();
    // (The table may have made row 0 current on getting focus: wait for the jump's row.)
    auto currentText = [&] {
        const QModelIndex current = view.table()->currentIndex();
        return current.isValid() ? model->lineText(current.row()) : QString();
    };
    // The first stderr line counts even though no error word is in it.
    QTRY_COMPARE_WITH_TIMEOUT(currentText(), QStringLiteral("cannot open config.yml"), 60000);
    QCOMPARE(status.count(), 0); // not "no line looks like an error"
    const int row = view.table()->currentIndex().row();
    QCOMPARE(model->index(row, 0).data(LogLinesModel::StreamRole).toInt(), int(LogStream::Stderr));

    // "stderr only" shows those two lines.
    auto* filter = view.findChild<QComboBox*>(QStringLiteral("streamFilter"));
    QVERIFY(filter);
    const int stderrOnly = filter->findText(QStringLiteral("stderr only"));
    QVERIFY(stderrOnly > 0);
    filter->setCurrentIndex(stderrOnly);
    Q_EMIT filter->activated(stderrOnly);
    QCOMPARE(view.currentModel(), view.streamModel());
    QTRY_COMPARE_WITH_TIMEOUT(view.streamModel()->rowCount(), 2, 60000);
    QCOMPARE(view.streamModel()->lineText(0), QStringLiteral("cannot open config.yml"));
    QCOMPARE(view.streamModel()->lineText(1), QStringLiteral("Fatal: something failed here"));

    // Back to every stream.
    filter->setCurrentIndex(0);
    Q_EMIT filter->activated(0);
    QCOMPARE(view.currentModel(), view.linesModel());
    QTRY_VERIFY_WITH_TIMEOUT(view.linesModel()->rowCount() >= 43, 60000);
}

void TestLogsView::copiesAndExportsLines() {
    LogsView view(m_fixture.backend());
    openRun(view, m_errorRun);
    LogLinesModel* model = view.linesModel();
    const int first = rowOf(*model, QStringLiteral("1"));
    QVERIFY(first >= 0);
    view.table()->selectionModel()->select(
        QItemSelection(model->index(first, 0), model->index(first + 2, logformat::ColumnCount - 1)),
        QItemSelectionModel::ClearAndSelect);
    QSignalSpy status(&view, &View::statusMessage);
    view.copySelection();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("1\n2\n3\n"));
    QCOMPARE(status.count(), 1);

    const QString path = m_fixture.makeDir(QStringLiteral("exports")) + QStringLiteral("/failing.log");
    QSignalSpy errors(&view, &View::errorOccurred);
    view.exportTo(path);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(path), 60000);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QStringLiteral("Fatal: something failed here")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("40")));
    QCOMPARE(errors.count(), 0);

    // A file that cannot be written is an error line.
    view.exportTo(m_fixture.dataDir() + QStringLiteral("/no/such/dir/out.log"));
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 60000);
}

void TestLogsView::showsTheEngineLog() {
    LogsView view(m_fixture.backend());
    QAbstractItemModelTester tester(view.engineModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.navigate(links::logs(m_bigRun));
    QCOMPARE(view.currentModel(), view.linesModel());
    const QString marker = QStringLiteral("tst_logs_view engine marker");
    logs::LogBuffer::instance().append(logs::Level::Error, QStringLiteral("test"), marker,
                                       QDateTime::currentMSecsSinceEpoch());
    view.navigate(links::engineLog());
    QVERIFY(view.currentRunId().isEmpty());
    QCOMPARE(view.currentModel(), view.engineModel());
    auto shows = [&] {
        for (const logs::LogEntry& entry : view.engineModel()->shownEntries()) {
            if (entry.message == marker)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shows(), 60000);

    // New entries arrive by themselves (engineLogAppended, coalesced).
    const QString later = QStringLiteral("tst_logs_view later marker");
    logs::LogBuffer::instance().append(logs::Level::Warn, QStringLiteral("test"), later,
                                       QDateTime::currentMSecsSinceEpoch());
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(view.engineModel()->shownEntries().cbegin(), view.engineModel()->shownEntries().cend(),
                    [&](const logs::LogEntry& entry) { return entry.message == later; }),
        60000);

    view.jumpToFirstError();
    QVERIFY(view.table()->currentIndex().isValid());
    QVERIFY(view.engineModel()->entry(view.table()->currentIndex().row()).level >= logs::Level::Error
            || view.engineModel()->lineText(view.table()->currentIndex().row()).contains(QStringLiteral("fail")));

    view.search(QStringLiteral("engine marker"));
    QCOMPARE(view.hitCount(), 1);
    QCOMPARE(view.engineModel()->entry(view.table()->currentIndex().row()).message, marker);
}

void TestLogsView::followShowsNewLinesUntilTheUserScrollsUp() {
    const QString stop = m_fixture.makeDir(QStringLiteral("signals")) + QStringLiteral("/stop-trickle");
    const QString workflow = m_fixture.writeFile(
        QStringLiteral("trickle.yaml"),
        "name: trickle\ntasks:\n  - id: talk\n    run: |\n      i=0\n      while [ ! -e '" + stop.toUtf8()
            + "' ]; do i=$((i+1)); echo \"tick $i\"; sleep 0.02; done\n      echo stopped\n");
    engine::RunRequest request;
    request.workflowPath = workflow;
    const CommandResult launched =
        test::ConsoleFixture::waitForCommand(m_fixture.backend(), m_fixture.backend().launchRun(request));
    QVERIFY2(launched.ok, qPrintable(launched.message));

    LogsView view(m_fixture.backend());
    // The model while it grows under a running task.
    QAbstractItemModelTester tester(view.linesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.navigate(links::logs(launched.id));
    view.setFollowing(true);
    QTableView* table = view.table();
    LogLinesModel* model = view.linesModel();

    // Following: the newest line stays in view while lines keep coming.
    QTRY_VERIFY2_WITH_TIMEOUT(model->rowCount() > 60 && rowVisible(table, model->rowCount() - 1),
                              qPrintable(QStringLiteral("%1 rows, scroll %2 of %3")
                                             .arg(model->rowCount())
                                             .arg(table->verticalScrollBar()->value())
                                             .arg(table->verticalScrollBar()->maximum())),
                              60000);
    const int seen = model->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > seen + 20 && rowVisible(table, model->rowCount() - 1), 60000);
    QVERIFY(view.isFollowing());
    QTRY_VERIFY_WITH_TIMEOUT(model->isLoaded(model->rowCount() - 1), 60000);
    QVERIFY(model->lineText(model->rowCount() - 1).startsWith(QStringLiteral("tick ")));

    // Scrolling up stops following: new lines arrive below, the view stays put.
    table->verticalScrollBar()->triggerAction(QAbstractSlider::SliderToMinimum);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isFollowing(), 60000);
    const int atScroll = model->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > atScroll + 20, 60000);
    QVERIFY(rowVisible(table, 0));
    QVERIFY(!rowVisible(table, model->rowCount() - 1));

    QFile stopFile(stop);
    QVERIFY(stopFile.open(QIODevice::WriteOnly));
    stopFile.close();
    QVERIFY(waitForRunEnd(m_fixture.backend(), launched.id));
}

void TestLogsView::scrollsManyBlocksHoldingFewOfThem() {
    // 300 blocks of 1000 lines, more than the cache's 200.
    QString error;
    const QString workflow = m_fixture.writeFile(
        QStringLiteral("many.yaml"), "name: many\ntasks:\n  - id: count\n    run: [\"seq\", \"1\", \"300000\"]\n");
    const QString many = m_fixture.runToEnd(workflow, &error);
    QVERIFY2(!many.isEmpty(), qPrintable(error));
    LogsView view(m_fixture.backend());
    openRun(view, many);
    LogLinesModel* model = view.linesModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 300'000, 60000);
    const int first = rowOf(*model, QStringLiteral("1"));
    QVERIFY(first >= 0);

    // Jumping around: each place shows its line, and the cache stays bounded however many
    // blocks were visited.
    const int places = 260;
    for (int place = 0; place < places; ++place) {
        const int n = 1 + int((qint64(place) * 299'513) % 300'000);
        const int row = first + n - 1;
        view.table()->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
        QTRY_VERIFY_WITH_TIMEOUT(model->isLoaded(row), 60000);
        QCOMPARE(model->lineText(row), QString::number(n));
    }
    QVERIFY2(model->cachedBlocks() <= 200, qPrintable(QString::number(model->cachedBlocks())));
    QVERIFY(model->cachedBlocks() > 100);
}

void TestLogsView::paletteActionsHaveShortcuts() {
    LogsView view(m_fixture.backend());
    const QList<QAction*> actions = view.paletteActions();
    QVERIFY(actions.size() >= 6);
    QStringList texts;
    for (QAction* action : actions) {
        QVERIFY(!action->text().isEmpty());
        QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
        texts << action->text();
    }
    QVERIFY(texts.contains(QStringLiteral("Find next")));
    QVERIFY(texts.contains(QStringLiteral("Jump to first error")));
    QCOMPARE(view.objectName(), QStringLiteral("logs"));
}

QTEST_MAIN(TestLogsView)
#include "tst_logs_view.moc"
