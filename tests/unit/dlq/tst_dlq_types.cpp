// The DLQ's plain types: entry and job ids, the status/action/state/strategy vocabularies
// (names are part of the JSON contract), and the small helpers on DeadLetter and DlqFilter.

#include "dlq/bulk_job.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "dlq/dlq_settings.h"

#include <QtTest>
#include <functional>
#include <limits>

using namespace signalbox;
using namespace signalbox::dlq;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();
} // namespace

class TestDlqTypes final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---- ids ---------------------------------------------------------------------------

    void entryIdRoundTrip_data() {
        QTest::addColumn<qint64>("key");
        QTest::addColumn<QString>("id");
        QTest::newRow("1") << qint64(1) << u"d_1"_s;
        QTest::newRow("42") << qint64(42) << u"d_42"_s;
        QTest::newRow("10^6") << qint64(1'000'000) << u"d_1000000"_s;
        QTest::newRow("18 digits") << qint64(999'999'999'999'999'999) << u"d_999999999999999999"_s;
        QTest::newRow("19 digits") << qint64(1'000'000'000'000'000'000) << u"d_1000000000000000000"_s;
        QTest::newRow("INT64_MAX") << kInt64Max << u"d_9223372036854775807"_s;
    }
    void entryIdRoundTrip() {
        QFETCH(qint64, key);
        QFETCH(QString, id);
        QCOMPARE(entryId(key), id);
        QCOMPARE(entryKeyFromId(id).value_or(-1), key);
        DeadLetter entry;
        entry.key = key;
        QCOMPARE(entry.id(), id);
    }

    void jobIdRoundTrip_data() { entryIdRoundTrip_data(); }
    void jobIdRoundTrip() {
        QFETCH(qint64, key);
        QFETCH(QString, id);
        const QString job = u"j_"_s + id.mid(2);
        QCOMPARE(jobId(key), job);
        QCOMPARE(jobKeyFromId(job).value_or(-1), key);
        BulkJob bulk;
        bulk.key = key;
        QCOMPARE(bulk.id(), job);
    }

    // Anything but the canonical "d_<positive int>" is refused: these come from the
    // command line and from URLs.
    void garbageIds_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << QString();
        QTest::newRow("prefix only") << u"d_"_s;
        QTest::newRow("no underscore") << u"d"_s;
        QTest::newRow("number only") << u"12"_s;
        QTest::newRow("zero") << u"d_0"_s;
        QTest::newRow("zeros") << u"d_000"_s;
        QTest::newRow("leading zero") << u"d_012"_s;
        QTest::newRow("negative") << u"d_-1"_s;
        QTest::newRow("plus sign") << u"d_+1"_s;
        QTest::newRow("trailing letter") << u"d_1x"_s;
        QTest::newRow("leading letter") << u"d_x1"_s;
        QTest::newRow("wrong prefix") << u"x_1"_s;
        QTest::newRow("upper-case prefix") << u"D_1"_s;
        QTest::newRow("double underscore") << u"d__1"_s;
        QTest::newRow("inner space") << u"d_ 1"_s;
        QTest::newRow("leading space") << u" d_1"_s;
        QTest::newRow("trailing space") << u"d_1 "_s;
        QTest::newRow("trailing newline") << u"d_1\n"_s;
        QTest::newRow("decimal") << u"d_1.0"_s;
        QTest::newRow("exponent") << u"d_1e3"_s;
        QTest::newRow("hex") << u"d_0x10"_s;
        QTest::newRow("fullwidth digit") << u"d_\uFF11"_s;
        QTest::newRow("arabic-indic digit") << u"d_\u0661"_s;
        QTest::newRow("NUL inside") << QString(u"d_1\0"_s + u"2"_s);
        QTest::newRow("INT64_MAX + 1") << u"d_9223372036854775808"_s;
        QTest::newRow("20 digits") << u"d_10000000000000000000"_s;
        QTest::newRow("huge") << (u"d_"_s + QString(500, u'9'));
        QTest::newRow("job id") << u"j_1"_s;
    }
    void garbageIds() {
        QFETCH(QString, id);
        QVERIFY2(!entryKeyFromId(id).has_value(), qPrintable(id));
    }

    void garbageJobIds_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << QString();
        QTest::newRow("prefix only") << u"j_"_s;
        QTest::newRow("zero") << u"j_0"_s;
        QTest::newRow("negative") << u"j_-1"_s;
        QTest::newRow("trailing letter") << u"j_1x"_s;
        QTest::newRow("leading zero") << u"j_07"_s;
        QTest::newRow("entry id") << u"d_1"_s;
        QTest::newRow("wrong prefix") << u"x_1"_s;
        QTest::newRow("INT64_MAX + 1") << u"j_9223372036854775808"_s;
        QTest::newRow("huge") << (u"j_"_s + QString(100, u'1'));
    }
    void garbageJobIds() {
        QFETCH(QString, id);
        QVERIFY2(!jobKeyFromId(id).has_value(), qPrintable(id));
    }

    // ---- vocabularies --------------------------------------------------------------------

    void statusNames_data() {
        QTest::addColumn<DlqStatus>("status");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("active");
        QTest::newRow("pending") << DlqStatus::Pending << u"pending"_s << true;
        QTest::newRow("retrying") << DlqStatus::Retrying << u"retrying"_s << true;
        QTest::newRow("exhausted") << DlqStatus::Exhausted << u"exhausted"_s << true;
        QTest::newRow("completed") << DlqStatus::Completed << u"completed"_s << false;
        QTest::newRow("archived") << DlqStatus::Archived << u"archived"_s << false;
    }
    void statusNames() {
        QFETCH(DlqStatus, status);
        QFETCH(QString, name);
        QFETCH(bool, active);
        QCOMPARE(toString(status), name);
        QVERIFY(dlqStatusFromString(name) == status);
        QCOMPARE(isActive(status), active);
    }
    void unknownStatusNames() {
        for (const QString& text : {QString(), u"Pending"_s, u"PENDING"_s, u" pending"_s, u"pending "_s,
                                    u"failed"_s, u"done"_s, u"archive"_s})
            QVERIFY2(!dlqStatusFromString(text).has_value(), qPrintable(text));
    }

    void actionNames_data() {
        QTest::addColumn<BulkAction>("action");
        QTest::addColumn<QString>("name");
        QTest::newRow("retry") << BulkAction::Retry << u"retry"_s;
        QTest::newRow("archive") << BulkAction::Archive << u"archive"_s;
        QTest::newRow("purge") << BulkAction::Purge << u"purge"_s;
    }
    void actionNames() {
        QFETCH(BulkAction, action);
        QFETCH(QString, name);
        QCOMPARE(toString(action), name);
        QVERIFY(bulkActionFromString(name) == action);
    }
    void unknownActionNames() {
        for (const QString& text : {QString(), u"Retry"_s, u"delete"_s, u"edit"_s, u"purge "_s})
            QVERIFY2(!bulkActionFromString(text).has_value(), qPrintable(text));
    }

    void jobStateNames_data() {
        QTest::addColumn<JobState>("state");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("finished");
        QTest::newRow("queued") << JobState::Queued << u"queued"_s << false;
        QTest::newRow("running") << JobState::Running << u"running"_s << false;
        QTest::newRow("paused") << JobState::Paused << u"paused"_s << false;
        QTest::newRow("cancelled") << JobState::Cancelled << u"cancelled"_s << true;
        QTest::newRow("done") << JobState::Done << u"done"_s << true;
    }
    void jobStateNames() {
        QFETCH(JobState, state);
        QFETCH(QString, name);
        QFETCH(bool, finished);
        QCOMPARE(toString(state), name);
        QVERIFY(jobStateFromString(name) == state);
        QCOMPARE(isFinished(state), finished);
    }
    void unknownJobStateNames() {
        for (const QString& text : {QString(), u"Done"_s, u"canceled"_s, u"finished"_s, u"failed"_s})
            QVERIFY2(!jobStateFromString(text).has_value(), qPrintable(text));
    }

    void itemResultNames() {
        QCOMPARE(toString(ItemResult::Pending), u"pending"_s);
        QCOMPARE(toString(ItemResult::Succeeded), u"succeeded"_s);
        QCOMPARE(toString(ItemResult::Failed), u"failed"_s);
        QCOMPARE(toString(ItemResult::Skipped), u"skipped"_s);
    }

    void strategyNames_data() {
        QTest::addColumn<IntegrationStrategy>("strategy");
        QTest::addColumn<QString>("name");
        QTest::newRow("automatic") << IntegrationStrategy::Automatic << u"automatic"_s;
        QTest::newRow("selective") << IntegrationStrategy::Selective << u"selective"_s;
        QTest::newRow("manual") << IntegrationStrategy::Manual << u"manual"_s;
        QTest::newRow("disabled") << IntegrationStrategy::Disabled << u"disabled"_s;
    }
    void strategyNames() {
        QFETCH(IntegrationStrategy, strategy);
        QFETCH(QString, name);
        QCOMPARE(toString(strategy), name);
        QVERIFY(integrationStrategyFromString(name) == strategy);
    }
    void unknownStrategyNames() {
        for (const QString& text : {QString(), u"Automatic"_s, u"auto"_s, u"off"_s, u"enabled"_s})
            QVERIFY2(!integrationStrategyFromString(text).has_value(), qPrintable(text));
    }

    // ---- DeadLetter helpers ---------------------------------------------------------------

    void recipeIsTheEditOnceEdited() {
        DeadLetter entry;
        entry.original.argv = QStringList{u"make"_s, u"test"_s};
        entry.original.pool = u"local"_s;
        QVERIFY(entry.recipe() == entry.original);
        LaunchRecipe edited = entry.original;
        edited.argv = QStringList{u"make"_s, u"check"_s};
        entry.edited = edited;
        QCOMPARE(entry.recipe().argv, (QStringList{u"make"_s, u"check"_s}));
        QCOMPARE(entry.original.argv, (QStringList{u"make"_s, u"test"_s})); // kept
        QVERIFY(!(entry.recipe() == entry.original));
    }

    void recipeEquality() {
        LaunchRecipe a{.argv = {u"x"_s}, .env = {{u"A"_s, u"1"_s}}, .workingDir = u"/w"_s, .pool = u"local"_s};
        LaunchRecipe b = a;
        QVERIFY(a == b);
        b.env.insert(u"A"_s, u"2"_s);
        QVERIFY(!(a == b));
        b = a;
        b.workingDir = u"/w2"_s;
        QVERIFY(!(a == b));
        b = a;
        b.pool = u"remote"_s;
        QVERIFY(!(a == b));
    }

    void retriesDone() {
        DeadLetter entry;
        QCOMPARE(entry.attempts, 1);
        QCOMPARE(entry.retriesDone(), 0);
        entry.attempts = 4;
        QCOMPARE(entry.retriesDone(), 3);
        entry.attempts = 0; // a damaged row must not give -1 retries
        QCOMPARE(entry.retriesDone(), 0);
        entry.attempts = -5;
        QCOMPARE(entry.retriesDone(), 0);
    }

    void newEntryDefaults() {
        const DeadLetter entry;
        QCOMPARE(toString(entry.status), u"pending"_s);
        QCOMPARE(entry.maxRetries, 3);
        QVERIFY(!entry.nextRetryAtMs.has_value());
        QVERIFY(!entry.edited.has_value());
    }

    // ---- DlqFilter ---------------------------------------------------------------------

    void filterIsEmpty() {
        QVERIFY(DlqFilter{}.isEmpty());
        const QList<std::function<void(DlqFilter&)>> narrowers{
            [](DlqFilter& f) { f.keys = {1}; },
            [](DlqFilter& f) { f.statuses = {DlqStatus::Pending}; },
            [](DlqFilter& f) { f.categories = {ErrorCategory::Network}; },
            [](DlqFilter& f) { f.policies = {RetryPolicy::Never}; },
            [](DlqFilter& f) { f.workflow = u"nightly"_s; },
            [](DlqFilter& f) { f.taskId = u"test"_s; },
            [](DlqFilter& f) { f.repo = u"billing"_s; },
            [](DlqFilter& f) { f.runId = u"r_1"_s; },
            [](DlqFilter& f) { f.signature = u"0123456789abcdef"_s; },
            [](DlqFilter& f) { f.enqueuedFromMs = 1; },
            [](DlqFilter& f) { f.enqueuedBeforeMs = 1; },
            [](DlqFilter& f) { f.errorContains = u"exit"_s; },
        };
        for (qsizetype i = 0; i < narrowers.size(); ++i) {
            DlqFilter filter;
            narrowers.at(i)(filter);
            QVERIFY2(!filter.isEmpty(), qPrintable(QString::number(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestDlqTypes)
#include "tst_dlq_types.moc"
