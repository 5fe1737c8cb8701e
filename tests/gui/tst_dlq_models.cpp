// The Dead Letters models over a real LocalBackend: 25 dead letters from a real run
// whose repos fail, paged 10 at a time, sorted and filtered in SQL, stale answers
// dropped, grouped by signature. QAbstractItemModelTester watches every change.

#include "backend/local_backend.h"
#include "models/dlq_entries_model.h"
#include "models/dlq_groups_model.h"
#include "support/console_fixture.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

constexpr int kRepos = 25;
constexpr int kWait = 60000;

QStringList repoNames() {
    QStringList names;
    for (int i = 0; i < kRepos; ++i)
        names << QStringLiteral("repo%1").arg(i, 2, 10, QLatin1Char('0'));
    return names;
}

// Dead letters are listed once the store's inbox is drained: ask until they all are.
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

} // namespace

class TestDlqModels final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(m_fixture.open(4, &error), qPrintable(error));
        // Even repos fail one way, odd repos another: two signatures.
        const QString workflow = m_fixture.writeFanOutWorkflow(
            QStringLiteral("models"), repoNames(),
            QStringLiteral(
                "case \"$SIGNALBOX_REPO_NAME\" in *[02468]) echo 'style check failed' >&2; exit 3;; "
                "*) echo 'unit tests failed' >&2; exit 5;; esac"));
        m_runId = m_fixture.runToEnd(workflow, &error);
        QVERIFY2(!m_runId.isEmpty(), qPrintable(error));
        m_filter.runId = m_runId;
        QVERIFY(waitForDeadLetters(m_fixture.backend(), m_filter, kRepos));
    }

    void entriesPageThroughKeysetPages() {
        DlqEntriesModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<int> insertedPerSignal;
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex&, int first, int last) { insertedPerSignal << last - first + 1; });
        model.setPageSize(10);
        model.setFilter(m_filter);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10, kWait);
        // Scroll to the end, as a view does: fetchMore whenever the model can.
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (model.canFetchMore({}))
                    model.fetchMore({});
                return !model.isLoading() && !model.canFetchMore({});
            },
            kWait));
        QCOMPARE(model.rowCount(), kRepos);
        QCOMPARE(insertedPerSignal, QList<int>({10, 10, 5})); // three keyset pages

        QSet<qint64> keys;
        static const QRegularExpression attempts(QStringLiteral("^\\d+/\\d+$"));
        for (int row = 0; row < model.rowCount(); ++row) {
            const qint64 key = model.data(model.index(row, 0), DlqEntriesModel::KeyRole).toLongLong();
            keys.insert(key);
            QCOMPARE(model.data(model.index(row, DlqEntriesModel::Id)).toString(), dlq::entryId(key));
            QCOMPARE(model.data(model.index(row, DlqEntriesModel::Task)).toString(), QStringLiteral("check"));
            QVERIFY(attempts.match(model.data(model.index(row, DlqEntriesModel::Attempts)).toString())
                        .hasMatch());
            QVERIFY(model.data(model.index(row, DlqEntriesModel::Status), Qt::DecorationRole)
                        .canConvert<QColor>());
            QCOMPARE(model.rowOfKey(key), row);
        }
        QCOMPARE(keys.size(), kRepos); // no entry twice across page boundaries
    }

    void sortsInSql() {
        DlqEntriesModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(10);
        model.setFilter(m_filter);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10, kWait);

        model.sort(DlqEntriesModel::Repo, Qt::AscendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kWait);
        // The first page of the whole sorted set, not the loaded rows re-sorted.
        for (int row = 0; row < 10; ++row)
            QCOMPARE(model.entryAt(row).repo, repoNames().at(row));

        model.sort(DlqEntriesModel::Repo, Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kWait);
        QCOMPARE(model.entryAt(0).repo, repoNames().constLast());
        model.fetchMore({});
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 20 && !model.isLoading(), kWait);
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.entryAt(row - 1).repo > model.entryAt(row).repo);

        // The error text has no SQL order: the model ignores it.
        model.sort(DlqEntriesModel::Error, Qt::AscendingOrder);
        QVERIFY(!model.isLoading());
    }

    void filtersInSqlAndDropsStaleAnswers() {
        DlqEntriesModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QStringList reposShown;
        connect(&model, &DlqEntriesModel::rowsLoaded, this, [&] {
            for (int row = 0; row < model.rowCount(); ++row)
                reposShown << model.entryAt(row).repo;
        });

        dlq::DlqFilter evenRepos = m_filter;
        evenRepos.errorContains = QStringLiteral("EXIT CODE 3"); // case-insensitive
        model.setFilter(evenRepos);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kWait);
        QCOMPARE(model.rowCount(), 13);

        // Two filters in a row: only the answer to the second may land.
        dlq::DlqFilter first = m_filter;
        first.repo = QStringLiteral("repo07");
        dlq::DlqFilter second = m_filter;
        second.repo = QStringLiteral("repo08");
        reposShown.clear();
        model.setFilter(first);
        model.setFilter(second);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kWait);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.entryAt(0).repo, QStringLiteral("repo08"));
        QVERIFY(!reposShown.contains(QStringLiteral("repo07")));
    }

    void groupsBySignature() {
        DlqGroupsModel model(m_fixture.backend());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        dlq::DlqFilter filter = m_filter;
        filter.signature = QStringLiteral("ignored: groups are picked from the whole filter");
        model.setFilter(filter);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() > 0, kWait);
        QCOMPARE(model.rowCount(), 2);
        QList<qint64> counts;
        for (int row = 0; row < model.rowCount(); ++row) {
            const dlq::DlqGroup& group = model.groupAt(row);
            counts << group.count;
            QVERIFY(!group.signature.isEmpty());
            QCOMPARE(model.data(model.index(row, 0), DlqGroupsModel::SignatureRole).toString(),
                     group.signature);
            QCOMPARE(model.rowOfSignature(group.signature), row);
        }
        QCOMPARE(counts, QList<qint64>({13, 12})); // largest first

        // A group's signature filters the entries to exactly that group.
        DlqEntriesModel entries(m_fixture.backend());
        dlq::DlqFilter oneGroup = m_filter;
        oneGroup.signature = model.groupAt(1).signature;
        entries.setFilter(oneGroup);
        QTRY_VERIFY_WITH_TIMEOUT(!entries.isLoading() && entries.rowCount() > 0, kWait);
        QCOMPARE(entries.rowCount(), 12);
    }

private:
    test::ConsoleFixture m_fixture;
    QString m_runId;
    dlq::DlqFilter m_filter;
};

QTEST_MAIN(TestDlqModels)
#include "tst_dlq_models.moc"
