// The Repositories view over a real LocalBackend: adding a folder through the dialog
// (filled in as a person would), seeing it listed with its tags, filtering by tag, its
// last result after a run over it (selected by catalog tag), opening that instance, and
// removing it.

#include "backend/backend.h"
#include "console_fixture.h"
#include "dialogs/repository_dialog.h"
#include "models/repositories_model.h"
#include "views/links.h"
#include "views/repositories_view.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>
#include <optional>

using namespace signalbox;
using namespace signalbox::ui;

class TestRepositoriesView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dialogRejectsBadNames();
    void addsAFolderAndShowsItsLastResult();
    void paletteActionsHaveShortcuts();

private:
    test::ConsoleFixture m_fixture;
};

void TestRepositoriesView::initTestCase() {
    QString error;
    QVERIFY2(m_fixture.open(2, &error), qPrintable(error));
}

void TestRepositoriesView::dialogRejectsBadNames() {
    RepositoryDialog dialog(m_fixture.makeDir(QStringLiteral("folders/good-name")));
    auto* name = dialog.findChild<QLineEdit*>(QStringLiteral("nameEdit"));
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    QVERIFY(name && buttons);
    QCOMPARE(name->text(), QStringLiteral("good-name"));
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
    name->setText(QStringLiteral("has space"));
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
    name->setText(QStringLiteral("ok_name"));
    dialog.findChild<QLineEdit*>(QStringLiteral("tagsEdit"))->setText(QStringLiteral("a, b ,, a"));
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
    QCOMPARE(dialog.repo().tags, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    dialog.findChild<QLineEdit*>(QStringLiteral("tagsEdit"))->setText(QStringLiteral("bad tag!"));
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
}

void TestRepositoriesView::addsAFolderAndShowsItsLastResult() {
    RepositoriesView view(m_fixture.backend());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    RepositoriesModel* model = view.model();

    const QString folder = m_fixture.makeDir(QStringLiteral("catalog/alpha"));
    QDialog* dialog = view.addRepository(folder);
    QVERIFY(dialog);
    QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("nameEdit"))->text(), QStringLiteral("alpha"));
    dialog->findChild<QLineEdit*>(QStringLiteral("tagsEdit"))->setText(QStringLiteral("guitest, backend"));
    dialog->findChild<QLineEdit*>(QStringLiteral("roleEdit"))->setText(QStringLiteral("service"));
    QSignalSpy status(&view, &View::statusMessage);
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("alpha")) >= 0, 60000);
    int row = model->rowOf(QStringLiteral("alpha"));
    QCOMPARE(model->index(row, RepositoriesModel::TagsColumn).data().toString(), QStringLiteral("guitest, backend"));
    QCOMPARE(model->index(row, RepositoriesModel::RoleColumn).data().toString(), QStringLiteral("service"));
    QVERIFY(model->repo(row) && !model->repo(row)->hasResult);
    QTRY_COMPARE_WITH_TIMEOUT(status.count(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(view.selectedRepository(), QStringLiteral("alpha"), 60000);

    // A second repo without the tag; the tag filter hides it.
    const QString other = m_fixture.makeDir(QStringLiteral("catalog/beta"));
    QDialog* second = view.addRepository(other);
    second->accept();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("beta")) >= 0, 60000);
    view.setTagFilter(QStringLiteral("guitest"));
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(model->rowOf(QStringLiteral("beta")) < 0);
    view.setTagFilter(QString());
    QCOMPARE(model->rowCount(), 2);

    // A run over the catalog's "guitest" repos gives alpha a last result.
    const QString workflow = m_fixture.writeFile(
        QStringLiteral("over-catalog.yaml"),
        "version: 1\nname: over-catalog\ntasks:\n  - id: check\n    for_each: repos\n    run: [\"true\"]\n");
    engine::RunRequest request;
    request.workflowPath = workflow;
    request.catalogTags = {QStringLiteral("guitest")};
    const CommandResult launched =
        test::ConsoleFixture::waitForCommand(m_fixture.backend(), m_fixture.backend().launchRun(request));
    QVERIFY2(launched.ok, qPrintable(launched.message));
    QTRY_VERIFY_WITH_TIMEOUT(model->repo(model->rowOf(QStringLiteral("alpha")))
                                 && model->repo(model->rowOf(QStringLiteral("alpha")))->hasResult
                                 && model->repo(model->rowOf(QStringLiteral("alpha")))->lastStatus
                                     == InstanceStatus::Succeeded,
                             30000);
    row = model->rowOf(QStringLiteral("alpha"));
    QCOMPARE(model->index(row, RepositoriesModel::ResultColumn).data().toString(), toString(InstanceStatus::Succeeded));
    QVERIFY(model->index(row, RepositoriesModel::RunColumn).data().toString().startsWith(launched.id));
    QVERIFY(!model->repo(model->rowOf(QStringLiteral("beta")))->hasResult);

    // Double-clicking the result opens that instance.
    view.selectRepository(QStringLiteral("alpha"));
    QSignalSpy linkSpy(&view, &View::linkActivated);
    view.openLastResult();
    QTRY_COMPARE_WITH_TIMEOUT(linkSpy.count(), 1, 60000);
    QCOMPARE(linkSpy.at(0).at(0).toUrl(), links::instance(launched.id, 0));

    // Remove.
    view.removeRepository(QStringLiteral("beta"));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("beta")) < 0, 60000);
    QVERIFY(model->rowOf(QStringLiteral("alpha")) >= 0);
}

void TestRepositoriesView::paletteActionsHaveShortcuts() {
    RepositoriesView view(m_fixture.backend());
    QCOMPARE(view.objectName(), QStringLiteral("repositories"));
    QStringList texts;
    for (QAction* action : view.paletteActions()) {
        QVERIFY(!action->shortcut().isEmpty());
        texts << action->text();
    }
    QVERIFY(texts.contains(QStringLiteral("Add repository…")));
    QVERIFY(texts.contains(QStringLiteral("Remove repository")));
}

QTEST_MAIN(TestRepositoriesView)
#include "tst_repositories_view.moc"
