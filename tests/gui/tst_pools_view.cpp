// The Pools view over a real LocalBackend: the pools model (QAbstractItemModelTester),
// changing the local pool's workers from the view (the backend then reports them), and
// pause/resume answering with a state or one clear error line.

#include "backend/backend.h"
#include "console_fixture.h"
#include "models/pools_model.h"
#include "views/links.h"
#include "views/pools_view.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>
#include <optional>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

// What the backend itself says about `pool` now.
std::optional<PoolInfo> fetchPool(Backend& backend, const QString& pool) {
    std::optional<PoolInfo> found;
    bool answered = false;
    QObject context;
    const Ticket ticket = backend.fetchPools();
    QObject::connect(&backend, &Backend::poolsFetched, &context, [&](Ticket t, const QList<PoolInfo>& pools) {
        if (t != ticket)
            return;
        answered = true;
        for (const PoolInfo& info : pools) {
            if (info.name == pool)
                found = info;
        }
    });
    if (!QTest::qWaitFor([&] { return answered; }, 60000))
        return std::nullopt;
    return found;
}

} // namespace

class TestPoolsView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsPoolsAndChangesLocalCapacity();
    void pauseAndResumeTheLocalPool();
    void paletteActionsHaveShortcuts();

private:
    test::ConsoleFixture m_fixture;
};

void TestPoolsView::initTestCase() {
    QString error;
    QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
}

void TestPoolsView::listsPoolsAndChangesLocalCapacity() {
    PoolsView view(m_fixture.backend());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    PoolsModel* model = view.model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 60000);

    QString local;
    for (const PoolInfo& pool : model->pools()) {
        if (pool.configurable && local.isEmpty())
            local = pool.name;
    }
    QVERIFY2(!local.isEmpty(), "no configurable pool listed");
    const int row = model->rowOf(local);
    QCOMPARE(model->index(row, PoolsModel::WorkersColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model->index(row, PoolsModel::HealthColumn).data().toString(), PoolsModel::healthText(PoolHealth::Healthy));
    QVERIFY(model->index(row, PoolsModel::HealthColumn).data(Qt::BackgroundRole).canConvert<QColor>());

    view.navigate(QUrl(QStringLiteral("signalbox://pools/") + local));
    QCOMPARE(view.selectedPool(), local);
    auto* spin = view.findChild<QSpinBox*>(QStringLiteral("capacitySpin"));
    auto* apply = view.findChild<QPushButton*>(QStringLiteral("applyCapacityButton"));
    QVERIFY(spin && apply);
    QVERIFY(apply->isEnabled());
    QCOMPARE(spin->value(), 2);
    QSignalSpy status(&view, &View::statusMessage);
    QSignalSpy errors(&view, &View::errorOccurred);
    spin->setValue(3);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(model->rowOf(local), PoolsModel::WorkersColumn).data().toString(),
                              QStringLiteral("3"), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(status.count(), 1, 60000);
    QCOMPARE(errors.count(), 0);
    const std::optional<PoolInfo> reported = fetchPool(m_fixture.backend(), local);
    QVERIFY(reported.has_value());
    QCOMPARE(reported->capacity, 3);
}

void TestPoolsView::pauseAndResumeTheLocalPool() {
    PoolsView view(m_fixture.backend());
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowCount() > 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!view.selectedPool().isEmpty(), 60000);
    const QString pool = view.selectedPool();
    auto* pause = view.findChild<QPushButton*>(QStringLiteral("pauseButton"));
    QVERIFY(pause);
    QSignalSpy errors(&view, &View::errorOccurred);
    QSignalSpy status(&view, &View::statusMessage);
    view.pauseSelected();
    // The local pool pauses (no new launches) and resumes, and the table says so.
    QTRY_COMPARE_WITH_TIMEOUT(status.count(), 1, 60000);
    QCOMPARE(errors.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(view.model()->rowOf(pool), PoolsModel::StateColumn).data().toString(),
        QStringLiteral("paused"), 60000);
    const std::optional<PoolInfo> paused = fetchPool(m_fixture.backend(), pool);
    QVERIFY(paused.has_value());
    QVERIFY(paused->paused);
    view.resumeSelected();
    QTRY_COMPARE_WITH_TIMEOUT(
        view.model()->index(view.model()->rowOf(pool), PoolsModel::StateColumn).data().toString(),
        QStringLiteral("accepting"), 60000);
}

void TestPoolsView::paletteActionsHaveShortcuts() {
    PoolsView view(m_fixture.backend());
    QCOMPARE(view.objectName(), QStringLiteral("pools"));
    QStringList texts;
    for (QAction* action : view.paletteActions()) {
        QVERIFY(!action->shortcut().isEmpty());
        texts << action->text();
    }
    QVERIFY(texts.contains(QStringLiteral("Pause pool")));
    QVERIFY(texts.contains(QStringLiteral("Resume pool")));
}

QTEST_MAIN(TestPoolsView)
#include "tst_pools_view.moc"
