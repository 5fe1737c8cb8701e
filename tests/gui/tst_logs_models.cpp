// The Logs view's models over a real LocalBackend: the virtual whole-run model reading a
// 12,000-line run in blocks (more than 5 of them), the stream-filtered model, the engine
// log model, and the block cache's eviction.

#include "backend/backend.h"
#include "console_fixture.h"
#include "logs/log_buffer.h"
#include "models/engine_log_model.h"
#include "models/log_first_error_finder.h"
#include "models/log_block_cache.h"
#include "models/log_line_format.h"
#include "models/log_lines_model.h"
#include "models/log_stream_filter_model.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::ui;

class TestLogsModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void blockCacheDropsLeastRecentlyUsed();
    void linesModelReadsBlocksOnDemand();
    void linesModelForgetsAnswersForAnOldSource();
    void streamFilterKeepsOnlyStderr();
    void engineLogModelFiltersByLevel();
    void firstErrorIsFirstStderrOrErrorWord();

private:
    test::ConsoleFixture m_fixture;
    QString m_bigRun;   // seq 1 12000
    QString m_mixedRun; // stdout, stderr, stdout
};

void TestLogsModels::initTestCase() {
    QString error;
    QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
    const QString big = m_fixture.writeFile(QStringLiteral("big.yaml"),
                                            "name: big\ntasks:\n  - id: count\n    run: [\"seq\", \"1\", \"12000\"]\n");
    m_bigRun = m_fixture.runToEnd(big, &error);
    QVERIFY2(!m_bigRun.isEmpty(), qPrintable(error));
    const QString mixed = m_fixture.writeFile(QStringLiteral("mixed.yaml"),
                                              "name: mixed\ntasks:\n  - id: talk\n    run: |\n"
                                              "      echo out-one\n      echo err-one >&2\n      echo out-two\n");
    m_mixedRun = m_fixture.runToEnd(mixed, &error);
    QVERIFY2(!m_mixedRun.isEmpty(), qPrintable(error));
}

void TestLogsModels::blockCacheDropsLeastRecentlyUsed() {
    LogBlockCache cache(3);
    for (int block = 0; block < 3; ++block)
        cache.insert(block, {LogLine{}}, 1);
    QVERIFY(cache.use(0)); // 1 is now the least recently used
    cache.insert(3, {LogLine{}}, 1);
    QCOMPARE(cache.size(), 3);
    QVERIFY(!cache.use(1));
    QVERIFY(cache.use(0));
    QVERIFY(cache.use(2));
    QVERIFY(cache.use(3));
}

void TestLogsModels::linesModelReadsBlocksOnDemand() {
    LogLinesModel model(m_fixture.backend());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(m_bigRun, -1);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 12000, 60000);
    QVERIFY(model.rowCount() / LogLinesModel::BlockSize > 5);

    // System lines (the engine's own notes) may come first: find where "1" is.
    QVERIFY(model.index(0, logformat::TextColumn).data().isValid());
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), 60000);
    int first = -1;
    for (int row = 0; row < 50 && first < 0; ++row) {
        if (model.lineText(row) == QStringLiteral("1"))
            first = row;
    }
    QVERIFY2(first >= 0, "the first output line was not among the first 50 rows");

    // Lines from seven different blocks, each asked for by data() as a view would.
    for (const int n : {999, 1001, 2500, 4999, 6001, 8000, 11000, 12000}) {
        const int row = first + n - 1;
        const QModelIndex text = model.index(row, logformat::TextColumn);
        const QVariant placeholder = text.data();
        QVERIFY(placeholder.isValid());
        QTRY_COMPARE_WITH_TIMEOUT(model.lineText(row), QString::number(n), 60000);
        QCOMPARE(text.data().toString(), QString::number(n));
        QCOMPARE(model.index(row, logformat::StreamColumn).data(LogLinesModel::StreamRole).toInt(),
                 int(LogStream::Stdout));
        QCOMPARE(model.index(row, logformat::TaskColumn).data().toString(), QStringLiteral("0"));
    }
    QVERIFY(model.cachedBlocks() > 5);
    QVERIFY(model.cachedBlocks() <= 200);

    // Instance labels name the task.
    model.setInstanceLabels({{0, QStringLiteral("count")}});
    QCOMPARE(model.index(first, logformat::TaskColumn).data().toString(), QStringLiteral("count"));
}

void TestLogsModels::linesModelForgetsAnswersForAnOldSource() {
    LogLinesModel model(m_fixture.backend());
    model.setSource(m_bigRun, -1);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 12000, 60000);
    // Asks for the big run's first block, then switches before that answer can arrive
    // (answers are queued events): a model taking it would show "1", "2", "3" below.
    (void)model.index(0, logformat::TextColumn).data();
    model.setSource(m_mixedRun, -1);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 3, 60000);
    QVERIFY(model.rowCount() < 100);
    for (int row = 0; row < model.rowCount(); ++row)
        (void)model.index(row, logformat::TextColumn).data();
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(model.rowCount() - 1), 60000);
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts << model.lineText(row);
    QVERIFY2(texts.contains(QStringLiteral("err-one")), qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY2(!texts.contains(QStringLiteral("1")), qPrintable(texts.join(QLatin1Char('|'))));
}

void TestLogsModels::streamFilterKeepsOnlyStderr() {
    LogStreamFilterModel model(m_fixture.backend());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy caughtUp(&model, &LogStreamFilterModel::caughtUp);
    model.setSource(m_mixedRun, -1, {LogStream::Stderr});
    QVERIFY(caughtUp.wait(60000));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.lineText(0), QStringLiteral("err-one"));
    QCOMPARE(model.index(0, logformat::StreamColumn).data().toString(), logformat::streamName(LogStream::Stderr));

    model.setSource(m_mixedRun, -1, {LogStream::Stdout});
    QVERIFY(caughtUp.wait(60000));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.lineText(0), QStringLiteral("out-one"));
    QCOMPARE(model.lineText(1), QStringLiteral("out-two"));
}

void TestLogsModels::engineLogModelFiltersByLevel() {
    EngineLogModel model(m_fixture.backend());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString marker = QStringLiteral("tst_logs_models error marker");
    logs::LogBuffer::instance().append(logs::Level::Error, QStringLiteral("test"), marker,
                                       QDateTime::currentMSecsSinceEpoch());
    logs::LogBuffer::instance().append(logs::Level::Debug, QStringLiteral("test"), QStringLiteral("debug marker"),
                                       QDateTime::currentMSecsSinceEpoch());
    model.fetchNew();
    auto shows = [&model](const QString& message) {
        for (const logs::LogEntry& entry : model.shownEntries()) {
            if (entry.message == message)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shows(marker), 60000);
    QVERIFY(shows(QStringLiteral("debug marker")));
    model.setMinimumLevel(logs::Level::Error);
    QVERIFY(shows(marker));
    QVERIFY(!shows(QStringLiteral("debug marker")));
    for (const logs::LogEntry& entry : model.shownEntries())
        QVERIFY(entry.level >= logs::Level::Error);

    // Entries appended later arrive on the next fetch, once.
    const int before = model.rowCount();
    logs::LogBuffer::instance().append(logs::Level::Error, QStringLiteral("test"), QStringLiteral("second marker"),
                                       QDateTime::currentMSecsSinceEpoch());
    model.fetchNew();
    model.fetchNew();
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("second marker")), 60000);
    int seen = 0;
    for (const logs::LogEntry& entry : model.shownEntries())
        seen += entry.message == QStringLiteral("second marker") ? 1 : 0;
    QCOMPARE(seen, 1);
    QVERIFY(model.rowCount() > before);
}

void TestLogsModels::firstErrorIsFirstStderrOrErrorWord() {
    LogFirstErrorFinder finder(m_fixture.backend());
    QSignalSpy finished(&finder, &LogFirstErrorFinder::finished);
    auto firstError = [&](const QString& runId) -> qint64 {
        finished.clear();
        finder.find(runId, -1);
        if (!finished.wait(60000))
            return -2;
        return finished.at(0).at(0).toLongLong();
    };
    auto lineOf = [this](const QString& runId, const QString& text) -> qint64 {
        LogStreamFilterModel all(m_fixture.backend());
        QSignalSpy caughtUp(&all, &LogStreamFilterModel::caughtUp);
        all.setSource(runId, -1, {LogStream::Stdout, LogStream::Stderr, LogStream::System});
        if (!caughtUp.wait(60000))
            return -2;
        for (int row = 0; row < all.rowCount(); ++row) {
            if (all.lineText(row) == text)
                return row;
        }
        return -3;
    };

    // "err-one" has no error word: it is found for being on stderr.
    const qint64 errOne = lineOf(m_mixedRun, QStringLiteral("err-one"));
    QVERIFY(errOne >= 0);
    QCOMPARE(firstError(m_mixedRun), errOne);

    // An error word on stdout before any stderr line wins.
    QString error;
    const QString early = m_fixture.writeFile(QStringLiteral("early.yaml"),
                                              "name: early\ntasks:\n  - id: talk\n    run: |\n"
                                              "      echo fine\n      echo 'Exception in thread main'\n"
                                              "      echo late >&2\n");
    const QString earlyRun = m_fixture.runToEnd(early, &error);
    QVERIFY2(!earlyRun.isEmpty(), qPrintable(error));
    const qint64 exceptionLine = lineOf(earlyRun, QStringLiteral("Exception in thread main"));
    QVERIFY(exceptionLine >= 0);
    QCOMPARE(firstError(earlyRun), exceptionLine);

    // 12,000 numbers: nothing looks like an error (the engine's own lines aside).
    const qint64 inBig = firstError(m_bigRun);
    QVERIFY(inBig == -1 || lineOf(m_bigRun, QStringLiteral("1")) > inBig || inBig > 12000);
}

QTEST_MAIN(TestLogsModels)
#include "tst_logs_models.moc"
