// LocalBackend over a real data dir: the embedded engine on its thread, real child
// processes, real SQLite. Every answer arrives as a signal carrying its ticket.

#include "console_fixture.h"
#include "dlq/dead_letter.h"
#include "logs/log_buffer.h"
#include "logs/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>
#include <optional>
#include <signal.h>

using namespace signalbox;
using signalbox::test::ConsoleFixture;

namespace {

constexpr int kWaitMs = 60000;

// Waits for the answer to one ticket of a signal whose first argument is the ticket.
template <typename Signal, typename Value>
std::optional<Value> answer(ui::Backend& backend, Signal signal, ui::Ticket ticket) {
    std::optional<Value> result;
    QString failure;
    QObject context;
    QObject::connect(&backend, signal, &context, [&](ui::Ticket t, const Value& value) {
        if (t == ticket)
            result = value;
    });
    QObject::connect(&backend, &ui::Backend::failed, &context, [&](ui::Ticket t, const QString& message) {
        if (t == ticket)
            failure = message;
    });
    if (!QTest::qWaitFor([&] { return result.has_value() || !failure.isEmpty(); }, kWaitMs))
        qWarning("ticket %llu: no answer within 30 s", static_cast<unsigned long long>(ticket));
    if (!failure.isEmpty())
        qWarning("ticket %llu failed: %s", static_cast<unsigned long long>(ticket), qPrintable(failure));
    return result;
}

ui::CommandResult command(ui::Backend& backend, ui::Ticket ticket) {
    return answer<decltype(&ui::Backend::commandFinished), ui::CommandResult>(
               backend, &ui::Backend::commandFinished, ticket)
        .value_or(ui::CommandResult{false, QStringLiteral("no answer"), {}, {}});
}

std::optional<ui::RunDetail> runDetail(ui::Backend& backend, const QString& runId) {
    return answer<decltype(&ui::Backend::runFetched), ui::RunDetail>(backend, &ui::Backend::runFetched,
                                                                     backend.fetchRun(runId));
}

QList<LogLine> allLines(ui::Backend& backend, const QString& runId, int index) {
    ui::LogRequest request;
    request.runId = runId;
    request.index = index;
    request.limit = 100000;
    return answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
               backend, &ui::Backend::logLinesFetched, backend.fetchLogLines(request))
        .value_or(QList<LogLine>{});
}

QStringList texts(const QList<LogLine>& lines) {
    QStringList result;
    for (const LogLine& line : lines)
        result.append(line.text);
    return result;
}

} // namespace

class TestLocalBackend : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensAndRunsAFanOutToSuccess() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(2, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        QCOMPARE(backend.state(), ui::Backend::State::Ready);

        QSignalSpy changed(&backend, &ui::Backend::runChanged);
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("fan"), {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")},
            QStringLiteral("echo checked $SIGNALBOX_REPO_NAME"));
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(changed.cbegin(), changed.cend(),
                        [&](const QList<QVariant>& args) { return args.value(0).toString() == runId; }),
            kWaitMs);

        const auto page = answer<decltype(&ui::Backend::runsFetched), ui::RunPage>(
            backend, &ui::Backend::runsFetched, backend.fetchRuns({}));
        QVERIFY(page);
        QCOMPARE(page->runs.size(), 1);
        const ui::RunSummary& summary = page->runs.first();
        QCOMPARE(summary.run.id, runId);
        QCOMPARE(summary.run.workflow, QStringLiteral("fan"));
        QCOMPARE(toString(summary.run.status), toString(RunStatus::Succeeded));
        QCOMPARE(summary.total, 3);
        QCOMPARE(summary.succeeded, 3);
        QCOMPARE(summary.finished, 3);
        QCOMPARE(summary.failed, 0);
        QVERIFY(!page->more);

        const auto detail = runDetail(backend, runId);
        QVERIFY(detail);
        QCOMPARE(detail->instances.size(), 3);
        QCOMPARE(detail->tasks.size(), 1);
        QCOMPARE(detail->tasks.first().id, QStringLiteral("check"));
        QVERIFY(texts(allLines(backend, runId, -1)).contains(QStringLiteral("checked b")));

        // Filters reach SQL: nothing failed, and the search is by workflow name.
        ui::RunQuery failedOnly;
        failedOnly.statuses = {RunStatus::Failed};
        const auto none = answer<decltype(&ui::Backend::runsFetched), ui::RunPage>(
            backend, &ui::Backend::runsFetched, backend.fetchRuns(failedOnly));
        QVERIFY(none);
        QVERIFY(none->runs.isEmpty());
        ui::RunQuery search;
        search.search = QStringLiteral("FA");
        const auto found = answer<decltype(&ui::Backend::runsFetched), ui::RunPage>(
            backend, &ui::Backend::runsFetched, backend.fetchRuns(search));
        QVERIFY(found);
        QCOMPARE(found->runs.size(), 1);
    }

    void failingRepoBecomesADeadLetterAndItsRetrySucceeds() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(2, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        const QString marker =
            QDir(fixture.makeDir(QStringLiteral("state"))).absoluteFilePath(QStringLiteral("fixed"));
        const QString script =
            QStringLiteral(
                "if [ \"$SIGNALBOX_REPO_NAME\" = bad ] && [ ! -f '%1' ]; then echo broken >&2; exit 3; fi; "
                "echo ok")
                .arg(marker);
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("mixed"), {QStringLiteral("good"), QStringLiteral("bad")}, script);
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        auto detail = runDetail(backend, runId);
        QVERIFY(detail);
        QCOMPARE(toString(detail->run.status), toString(RunStatus::Failed));

        dlq::DlqFilter filter;
        filter.runId = runId;
        const auto entries = answer<decltype(&ui::Backend::deadLettersFetched), QList<dlq::DeadLetter>>(
            backend, &ui::Backend::deadLettersFetched, backend.fetchDeadLetters(filter, {}));
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        const dlq::DeadLetter entry = entries->first();
        QCOMPARE(entry.repo, QStringLiteral("bad"));
        QCOMPARE(dlq::toString(entry.status), dlq::toString(dlq::DlqStatus::Pending));

        const auto one = answer<decltype(&ui::Backend::deadLetterFetched), dlq::DeadLetter>(
            backend, &ui::Backend::deadLetterFetched, backend.fetchDeadLetter(entry.key));
        QVERIFY(one);
        QVERIFY(one->outputTail.contains(QStringLiteral("broken")));
        const auto stats = answer<decltype(&ui::Backend::dlqStatsFetched), dlq::DlqStats>(
            backend, &ui::Backend::dlqStatsFetched, backend.fetchDlqStats());
        QVERIFY(stats);
        QCOMPARE(stats->size, 1);

        QFile fixed(marker);
        QVERIFY(fixed.open(QIODevice::WriteOnly));
        fixed.close();
        QSignalSpy deadLettersChanged(&backend, &ui::Backend::deadLettersChanged);
        const ui::CommandResult retried = command(backend, backend.retryDeadLetters({entry.key}));
        QVERIFY2(retried.ok, qPrintable(retried.message));

        QTRY_VERIFY_WITH_TIMEOUT(deadLettersChanged.count() > 0, kWaitMs);
        bool completed = false;
        QTRY_VERIFY_WITH_TIMEOUT(
            (completed = answer<decltype(&ui::Backend::deadLetterFetched), dlq::DeadLetter>(
                             backend, &ui::Backend::deadLetterFetched, backend.fetchDeadLetter(entry.key))
                             .value_or(dlq::DeadLetter{})
                             .status == dlq::DlqStatus::Completed),
            kWaitMs);
        QVERIFY(completed);
        QTRY_COMPARE_WITH_TIMEOUT(toString(runDetail(backend, runId).value_or(ui::RunDetail{}).run.status),
                                  toString(RunStatus::Succeeded), kWaitMs);
    }

    void ticketsAreDistinctAndEachIsAnsweredOnce() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        QSignalSpy pages(&backend, &ui::Backend::runsFetched);
        const ui::Ticket older = backend.fetchRuns({});
        const ui::Ticket newer = backend.fetchRuns({});
        QVERIFY(older != 0);
        QVERIFY(newer > older);
        QTRY_COMPARE_WITH_TIMEOUT(pages.count(), 2, kWaitMs);
        QCOMPARE(pages.at(0).at(0).value<ui::Ticket>(), older);
        QCOMPARE(pages.at(1).at(0).value<ui::Ticket>(), newer);
        // An unknown run is answered too: by failed(), with its ticket.
        QSignalSpy failures(&backend, &ui::Backend::failed);
        const ui::Ticket unknown = backend.fetchRun(QStringLiteral("r_nope"));
        QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, kWaitMs);
        QCOMPARE(failures.at(0).at(0).value<ui::Ticket>(), unknown);
        QVERIFY(failures.at(0).at(1).toString().contains(QStringLiteral("r_nope")));
    }

    void secondBackendOnTheSameDirNamesTheHolder() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::LocalBackend::Options options;
        options.dataDir = fixture.dataDir();
        ui::LocalBackend second(options);
        QSignalSpy states(&second, &ui::Backend::stateChanged);
        second.open();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), ui::Backend::State::Failed, kWaitMs);
        const QString message = states.last().at(1).toString();
        QVERIFY2(message.contains(QString::number(QCoreApplication::applicationPid())), qPrintable(message));
        QCOMPARE(fixture.backend().state(), ui::Backend::State::Ready); // the holder is untouched
    }

    void logRangeIsByLineNumber() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("chatty"), {QStringLiteral("one")},
            QStringLiteral("i=0; while [ $i -lt 2500 ]; do echo \"line $i\"; i=$((i+1)); done"));
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));

        const QList<LogLine> all = allLines(backend, runId, -1);
        QVERIFY(all.size() >= 2500);
        const auto index = answer<decltype(&ui::Backend::logIndexFetched), ui::LogIndex>(
            backend, &ui::Backend::logIndexFetched, backend.fetchLogIndex(runId, -1, 1000));
        QVERIFY(index);
        QCOMPARE(index->total, all.size());
        QCOMPARE(runDetail(backend, runId).value_or(ui::RunDetail{}).logLines, all.size());
        QCOMPARE(index->blockFirstIds.size(), (all.size() + 999) / 1000);
        QCOMPARE(index->blockFirstIds.at(1), all.at(1000).id);

        // Across a block boundary, for the run and for its one instance.
        for (const int instance : {-1, 0}) {
            const auto range = answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
                backend, &ui::Backend::logLinesFetched, backend.fetchLogRange(runId, instance, 998, 5));
            QVERIFY(range);
            QCOMPARE(texts(*range), texts(all.mid(998, 5)));
        }
        const int first = static_cast<int>(texts(all).indexOf(QStringLiteral("line 0")));
        QVERIFY(first >= 0);
        const auto exact = answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
            backend, &ui::Backend::logLinesFetched, backend.fetchLogRange(runId, -1, first + 2001, 2));
        QVERIFY(exact);
        QCOMPARE(texts(*exact), (QStringList{QStringLiteral("line 2001"), QStringLiteral("line 2002")}));
        const auto pastEnd = answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
            backend, &ui::Backend::logLinesFetched, backend.fetchLogRange(runId, -1, all.size() + 10, 5));
        QVERIFY(pastEnd);
        QVERIFY(pastEnd->isEmpty());

        const auto hits = answer<decltype(&ui::Backend::logSearchFinished), ui::LogSearchResult>(
            backend, &ui::Backend::logSearchFinished,
            backend.searchLog(runId, -1, QStringLiteral("^LINE 249\\d$"), 100));
        QVERIFY(hits);
        QCOMPARE(hits->lineNumbers.size(), 10);
        QVERIFY(!hits->truncated);
        QCOMPARE(all.at(hits->lineNumbers.first()).text, QStringLiteral("line 2490"));
        const auto capped = answer<decltype(&ui::Backend::logSearchFinished), ui::LogSearchResult>(
            backend, &ui::Backend::logSearchFinished,
            backend.searchLog(runId, -1, QStringLiteral("line"), 5));
        QVERIFY(capped);
        QCOMPARE(capped->lineNumbers.size(), 5);
        QVERIFY(capped->truncated);
    }

    // More lines than one slice of the index and one chunk of the search.
    void bigLogIsIndexedAndSearchedInSlices() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        const QString path = fixture.writeFanOutWorkflow(QStringLiteral("big"), {QStringLiteral("one")},
                                                         QStringLiteral("seq 1 300000"));
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));

        const auto head = answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
            backend, &ui::Backend::logLinesFetched, backend.fetchLogRange(runId, -1, 0, 50));
        QVERIFY(head);
        const qint64 offset = texts(*head).indexOf(QStringLiteral("1")); // system lines may come first
        QVERIFY(offset >= 0);
        const auto tail = answer<decltype(&ui::Backend::logLinesFetched), QList<LogLine>>(
            backend, &ui::Backend::logLinesFetched, backend.fetchLogRange(runId, 0, offset + 299990, 3));
        QVERIFY(tail);
        QCOMPARE(texts(*tail),
                 (QStringList{QStringLiteral("299991"), QStringLiteral("299992"), QStringLiteral("299993")}));

        const auto index = answer<decltype(&ui::Backend::logIndexFetched), ui::LogIndex>(
            backend, &ui::Backend::logIndexFetched, backend.fetchLogIndex(runId, -1, 5000));
        QVERIFY(index);
        QVERIFY(index->total >= 300000);
        QCOMPARE(index->blockFirstIds.size(), (index->total + 4999) / 5000);
        QCOMPARE(runDetail(backend, runId).value_or(ui::RunDetail{}).logLines, index->total);

        const auto hits = answer<decltype(&ui::Backend::logSearchFinished), ui::LogSearchResult>(
            backend, &ui::Backend::logSearchFinished,
            backend.searchLog(runId, -1, QStringLiteral("^29999\\d$"), 100));
        QVERIFY(hits);
        QCOMPARE(hits->lineNumbers.size(), 10);
        QCOMPARE(hits->lineNumbers.first(), offset + 299989);
        QCOMPARE(hits->lineNumbers.last(), offset + 299998);
    }

    // Destroying the backend mid-run: its child is stopped, the run is recorded interrupted,
    // the lock is given back, and the next backend on the dir resumes it.
    void closingMidRunLeavesItResumable() {
        ConsoleFixture fixture; // for its temp dir and files; its own backend is not opened
        const QString dataDir = fixture.makeDir(QStringLiteral("shared-data"));
        const QString marker =
            QDir(fixture.makeDir(QStringLiteral("state"))).absoluteFilePath(QStringLiteral("go"));
        const QString path =
            fixture.writeFanOutWorkflow(QStringLiteral("slow"), {QStringLiteral("s")},
                                        QStringLiteral("[ -f '%1' ] || exec sleep 600").arg(marker));
        ui::LocalBackend::Options options;
        options.dataDir = dataDir;
        options.localCapacity = 1;
        QString runId;
        qint64 pid = 0;
        {
            ui::LocalBackend first(options);
            first.open();
            QTRY_COMPARE_WITH_TIMEOUT(first.state(), ui::Backend::State::Ready, kWaitMs);
            engine::RunRequest request;
            request.workflowPath = path;
            const ui::CommandResult launched = command(first, first.launchRun(request));
            QVERIFY2(launched.ok, qPrintable(launched.message));
            runId = launched.id;
            QTRY_VERIFY_WITH_TIMEOUT(
                runDetail(first, runId).value_or(ui::RunDetail{}).instances.value(0).pid.has_value(),
                kWaitMs);
            pid = *runDetail(first, runId).value_or(ui::RunDetail{}).instances.value(0).pid;
            QVERIFY(::kill(static_cast<pid_t>(pid), 0) == 0);
        } // the destructor stops the child and the engine on the backend's thread
        QVERIFY(::kill(static_cast<pid_t>(pid), 0) != 0); // no child left behind

        ui::LocalBackend second(options);
        second.open();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), ui::Backend::State::Ready, kWaitMs);
        // Closing the console is not a cancel: the run is recorded interrupted (EngineSession).
        QCOMPARE(toString(runDetail(second, runId).value_or(ui::RunDetail{}).run.status),
                 toString(RunStatus::Interrupted));
        QFile go(marker);
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        const ui::CommandResult resumed = command(second, second.resumeRun(runId));
        QVERIFY2(resumed.ok, qPrintable(resumed.message));
        QTRY_COMPARE_WITH_TIMEOUT(toString(runDetail(second, runId).value_or(ui::RunDetail{}).run.status),
                                  toString(RunStatus::Succeeded), kWaitMs);
    }

    void retryFailedAndTheOverviewRepositoriesAndJobsFollow() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(2, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        QSignalSpy repositoriesChanged(&backend, &ui::Backend::repositoriesChanged);
        CatalogRepo catalogRepo;
        catalogRepo.name = QStringLiteral("bad");
        catalogRepo.path = fixture.makeDir(QStringLiteral("repos/bad"));
        catalogRepo.tags = {QStringLiteral("flaky")};
        const ui::CommandResult added = command(backend, backend.addRepository(catalogRepo));
        QVERIFY2(added.ok, qPrintable(added.message));
        QTRY_VERIFY_WITH_TIMEOUT(repositoriesChanged.count() > 0, kWaitMs);
        CatalogRepo missing = catalogRepo;
        missing.name = QStringLiteral("ghost");
        missing.path = fixture.dataDir() + QStringLiteral("/nowhere");
        QVERIFY(!command(backend, backend.addRepository(missing)).ok);

        const QString marker =
            QDir(fixture.makeDir(QStringLiteral("state"))).absoluteFilePath(QStringLiteral("fixed"));
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("mixed"), {QStringLiteral("good"), QStringLiteral("bad")},
            QStringLiteral("[ \"$SIGNALBOX_REPO_NAME\" != bad ] || [ -f '%1' ] || exit 4").arg(marker));
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));

        const auto overview = answer<decltype(&ui::Backend::overviewFetched), ui::Overview>(
            backend, &ui::Backend::overviewFetched, backend.fetchOverview({}));
        QVERIFY(overview);
        QCOMPARE(overview->runsInWindow, 1);
        QCOMPARE(overview->failedInWindow, 1);
        QCOMPARE(overview->successRate, 0.0);
        QCOMPARE(overview->dlqPending, 1);
        QCOMPARE(overview->tasksFinished.size(), 24 * 60);
        double finished = 0;
        for (const ui::TimePoint& point : overview->tasksFinished)
            finished += point.value;
        QCOMPARE(finished, 2.0);
        QCOMPARE(overview->dlqDepth.last().value, 1.0);
        QCOMPARE(overview->latestFailures.size(), 1);
        QCOMPARE(overview->latestFailures.first().repo, QStringLiteral("bad"));
        QCOMPARE(overview->latestFailures.first().runId, runId);

        const auto repos = answer<decltype(&ui::Backend::repositoriesFetched), QList<ui::RepoSummary>>(
            backend, &ui::Backend::repositoriesFetched, backend.fetchRepositories());
        QVERIFY(repos);
        QCOMPARE(repos->size(), 1);
        QVERIFY(repos->first().hasResult);
        QCOMPARE(repos->first().lastRunId, runId);
        QCOMPARE(toString(repos->first().lastStatus), toString(InstanceStatus::Failed));

        // Retry the run's failures (through its dead letter) once the cause is fixed.
        QFile fixed(marker);
        QVERIFY(fixed.open(QIODevice::WriteOnly));
        fixed.close();
        const ui::CommandResult retried = command(backend, backend.retryFailed(runId));
        QVERIFY2(retried.ok, qPrintable(retried.message));
        QTRY_COMPARE_WITH_TIMEOUT(toString(runDetail(backend, runId).value_or(ui::RunDetail{}).run.status),
                                  toString(RunStatus::Succeeded), kWaitMs);
        QVERIFY(!command(backend, backend.retryFailed(runId)).ok); // nothing failed any more

        // A bulk job archives what the filter matches now.
        dlq::DlqFilter filter;
        filter.runId = runId;
        QSignalSpy jobChanged(&backend, &ui::Backend::dlqJobChanged);
        const ui::CommandResult started =
            command(backend, backend.startDlqJob(dlq::BulkAction::Archive, filter));
        QVERIFY2(started.ok, qPrintable(started.message));
        const auto jobKey = dlq::jobKeyFromId(started.id);
        QVERIFY(jobKey);
        auto jobState = [&] {
            return answer<decltype(&ui::Backend::dlqJobFetched), dlq::BulkJob>(
                       backend, &ui::Backend::dlqJobFetched, backend.fetchDlqJob(*jobKey))
                .value_or(dlq::BulkJob{})
                .state;
        };
        QTRY_VERIFY_WITH_TIMEOUT(jobState() == dlq::JobState::Done, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(jobChanged.count() > 0, kWaitMs);
        filter.statuses = {dlq::DlqStatus::Archived};
        const auto archived = answer<decltype(&ui::Backend::deadLetterCountFetched), qint64>(
            backend, &ui::Backend::deadLetterCountFetched, backend.countDeadLetters(filter));
        QCOMPARE(archived.value_or(-1), 1);
    }

    void badWorkflowsAnswerWithLineNumbers() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        const QString path =
            fixture.writeFile(QStringLiteral("broken.yaml"),
                              "name: broken\ntasks:\n  - id: a\n    run: [\"true\"]\n    timout: 5s\n");
        const auto preview = answer<decltype(&ui::Backend::workflowPreviewed), ui::WorkflowPreview>(
            backend, &ui::Backend::workflowPreviewed, backend.previewWorkflow(path));
        QVERIFY(preview);
        QVERIFY(!preview->diagnostics.isEmpty());
        QCOMPARE(preview->diagnostics.first().line, 5);
        QVERIFY(preview->pools.contains(QStringLiteral("local")));

        engine::RunRequest request;
        request.workflowPath = path;
        const ui::CommandResult launched = command(backend, backend.launchRun(request));
        QVERIFY(!launched.ok);
        QVERIFY(!launched.diagnostics.isEmpty());
        QVERIFY2(launched.message.contains(QStringLiteral(":5:")), qPrintable(launched.message));

        const QString good = fixture.writeFanOutWorkflow(QStringLiteral("fine"), {QStringLiteral("x")},
                                                         QStringLiteral("true"));
        const auto fine = answer<decltype(&ui::Backend::workflowPreviewed), ui::WorkflowPreview>(
            backend, &ui::Backend::workflowPreviewed, backend.previewWorkflow(good));
        QVERIFY(fine);
        QVERIFY(fine->diagnostics.isEmpty());
        QCOMPARE(fine->name, QStringLiteral("fine"));
        QCOMPARE(fine->tasks, QStringList{QStringLiteral("check")});
        QCOMPARE(fine->repos.size(), 1);
    }

    void pausedPoolHoldsWorkAndCapacityChanges() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        auto localPool = [&]() -> ui::PoolInfo {
            const auto infos = answer<decltype(&ui::Backend::poolsFetched), QList<ui::PoolInfo>>(
                backend, &ui::Backend::poolsFetched, backend.fetchPools());
            for (const ui::PoolInfo& info : infos.value_or(QList<ui::PoolInfo>{}))
                if (info.name == QStringLiteral("local"))
                    return info;
            return {};
        };
        QCOMPARE(localPool().capacity, 1);
        QVERIFY(localPool().configurable);
        QVERIFY(command(backend, backend.setPoolCapacity(QStringLiteral("local"), 3)).ok);
        QCOMPARE(localPool().capacity, 3);
        QVERIFY(!command(backend, backend.setPoolCapacity(QStringLiteral("nope"), 3)).ok);

        QVERIFY(command(backend, backend.setPoolPaused(QStringLiteral("local"), true)).ok);
        QVERIFY(localPool().paused);
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("held"), {QStringLiteral("p"), QStringLiteral("q")}, QStringLiteral("true"));
        engine::RunRequest request;
        request.workflowPath = path;
        const ui::CommandResult launched = command(backend, backend.launchRun(request));
        QVERIFY2(launched.ok, qPrintable(launched.message));
        QTRY_COMPARE_WITH_TIMEOUT(localPool().queued, 2, kWaitMs);
        QCOMPARE(toString(runDetail(backend, launched.id).value_or(ui::RunDetail{}).run.status),
                 toString(RunStatus::Running));

        QVERIFY(command(backend, backend.setPoolPaused(QStringLiteral("local"), false)).ok);
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(runDetail(backend, launched.id).value_or(ui::RunDetail{}).run.status),
            toString(RunStatus::Succeeded), kWaitMs);
    }

    void exportWritesEveryLineWithItsTask() {
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        QSignalSpy logAppended(&backend, &ui::Backend::logAppended);
        const QString path = fixture.writeFanOutWorkflow(
            QStringLiteral("many"), {QStringLiteral("one")},
            QStringLiteral("i=0; while [ $i -lt 30000 ]; do echo \"row $i\"; i=$((i+1)); done"));
        const QString runId = fixture.runToEnd(path, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(logAppended.count() > 0, kWaitMs);
        QVERIFY(std::all_of(logAppended.cbegin(), logAppended.cend(),
                            [&](const QList<QVariant>& args) { return args.value(0).toString() == runId; }));

        const QString target = fixture.dataDir() + QStringLiteral("/../export.log");
        const ui::CommandResult exported = command(backend, backend.exportLog(runId, -1, target));
        QVERIFY2(exported.ok, qPrintable(exported.message));
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY(lines.contains("[check one] row 0"));
        QVERIFY(lines.contains("[check one] row 29999"));
        QCOMPARE(lines.count("[check one] row 20000"), 1); // chunk boundaries neither skip nor repeat
        QVERIFY(!command(backend, backend.exportLog(runId, -1,
                                                    fixture.dataDir() + QStringLiteral("/no/such/dir/x.log")))
                     .ok);
    }

    void engineLogIsFetchedAndAnnounced() {
        logs::LoggingOptions options;
        options.captureQtMessages = false; // QTest keeps its own output
        options.consoleLevel = logs::Level::Off;
        QVERIFY(logs::initLogging(options));
        ConsoleFixture fixture;
        QString error;
        QVERIFY2(fixture.open(1, &error), qPrintable(error));
        ui::Backend& backend = fixture.backend();
        QSignalSpy appended(&backend, &ui::Backend::engineLogAppended);
        const QString path = fixture.writeFanOutWorkflow(QStringLiteral("logged"), {QStringLiteral("r")},
                                                         QStringLiteral("true"));
        QVERIFY2(!fixture.runToEnd(path, &error).isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(appended.count() > 0, kWaitMs);
        const auto entries = answer<decltype(&ui::Backend::engineLogFetched), QList<logs::LogEntry>>(
            backend, &ui::Backend::engineLogFetched, backend.fetchEngineLog(0));
        QVERIFY(entries);
        QVERIFY(std::any_of(entries->cbegin(), entries->cend(), [](const logs::LogEntry& entry) {
            return entry.message.contains(QStringLiteral("succeeded"));
        }));
        const qint64 lastId = entries->last().id;
        const auto newer = answer<decltype(&ui::Backend::engineLogFetched), QList<logs::LogEntry>>(
            backend, &ui::Backend::engineLogFetched, backend.fetchEngineLog(lastId));
        QVERIFY(newer);
        QVERIFY(std::all_of(newer->cbegin(), newer->cend(),
                            [&](const logs::LogEntry& entry) { return entry.id > lastId; }));
        logs::shutdownLogging();
    }
};

QTEST_MAIN(TestLocalBackend)
#include "tst_local_backend.moc"
