// Edit and retry without an engine: the recipe diff, the inline checks with their line
// numbers, and the dialog's two steps (edit, then review the diff before confirming).

#include "dialogs/edit_retry_dialog.h"
#include "dialogs/edit_retry_diff.h"
#include "models/dlq_format.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTextEdit>

using namespace signalbox;
using namespace signalbox::ui;

namespace {

dlq::DeadLetter sampleEntry() {
    dlq::DeadLetter entry;
    entry.key = 12;
    entry.runId = QStringLiteral("r_1");
    entry.taskId = QStringLiteral("lint");
    entry.original.argv = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("make lint")};
    entry.original.env = {{QStringLiteral("CI"), QStringLiteral("1")},
                          {QStringLiteral("SIGNALBOX_RUN_ID"), QStringLiteral("r_1")}};
    entry.original.workingDir = QStringLiteral("/src/a");
    entry.original.pool = QStringLiteral("local");
    return entry;
}

} // namespace

class TestDlqEditRetry final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void diffMarksChangedLinesOnly() {
        const QStringList before = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        const QStringList after = {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("c"),
                                   QStringLiteral("d")};
        using Kind = editretry::DiffLine::Kind;
        const QList<editretry::DiffLine> expected = {{Kind::Same, QStringLiteral("a")},
                                                     {Kind::Removed, QStringLiteral("b")},
                                                     {Kind::Added, QStringLiteral("x")},
                                                     {Kind::Same, QStringLiteral("c")},
                                                     {Kind::Added, QStringLiteral("d")}};
        QCOMPARE(editretry::diff(before, after), expected);
        QCOMPARE(editretry::diff(before, before).size(), 3);
    }

    void checkNamesTheLineAtFault() {
        const dlq::DeadLetter entry = sampleEntry();
        dlq::LaunchRecipe edited = entry.original;
        QVERIFY(editretry::checkRecipe(edited, entry.original).isEmpty());

        edited.argv = {QString(), QStringLiteral("-c")};
        QVERIFY(editretry::checkRecipe(edited, entry.original).contains(QStringLiteral("line 1")));

        edited = entry.original;
        edited.argv[2] = QStringLiteral("a") + QChar(0) + QStringLiteral("b");
        QVERIFY(editretry::checkRecipe(edited, entry.original).contains(QStringLiteral("line 3")));

        edited = entry.original;
        edited.env.insert(QStringLiteral("SIGNALBOX_RUN_ID"), QStringLiteral("r_2"));
        QVERIFY(editretry::checkRecipe(edited, entry.original).contains(QStringLiteral("SIGNALBOX_RUN_ID")));

        edited = entry.original;
        edited.env.insert(QStringLiteral("1BAD"), QStringLiteral("x"));
        QVERIFY(editretry::checkRecipe(edited, entry.original).contains(QStringLiteral("1BAD")));

        edited = entry.original;
        edited.workingDir = QStringLiteral("relative/dir");
        QVERIFY(editretry::checkRecipe(edited, entry.original).contains(QStringLiteral("absolute")));
    }

    void dialogReviewsTheDiffBeforeConfirming() {
        EditRetryDialog dialog(sampleEntry());
        dialog.show();
        auto* argv = dialog.findChild<QPlainTextEdit*>(QStringLiteral("editRetryArgv"));
        auto* review = dialog.findChild<QPushButton*>(QStringLiteral("editRetryReview"));
        auto* confirm = dialog.findChild<QPushButton*>(QStringLiteral("editRetryConfirm"));
        auto* error = dialog.findChild<QLabel*>(QStringLiteral("editRetryError"));
        auto* workingDir = dialog.findChild<QLineEdit*>(QStringLiteral("editRetryWorkingDir"));
        QVERIFY(argv && review && confirm && error && workingDir);

        // Unchanged: nothing to review.
        QVERIFY(!review->isEnabled());
        QVERIFY(!confirm->isVisible());

        argv->setPlainText(QStringLiteral("\n-c\nmake lint"));
        QVERIFY(!review->isEnabled());
        QVERIFY2(error->text().contains(QStringLiteral("line 1")), qPrintable(error->text()));

        argv->setPlainText(QStringLiteral("sh\n-c\nmake lint FAST=1\n"));
        workingDir->setText(QStringLiteral("/src/b"));
        QVERIFY2(review->isEnabled(), qPrintable(error->text()));
        QCOMPARE(dialog.recipe().argv, QStringList({QStringLiteral("sh"), QStringLiteral("-c"),
                                                    QStringLiteral("make lint FAST=1")}));

        review->click();
        QVERIFY(confirm->isVisible());
        QVERIFY(confirm->isEnabled());
        const QString diff = dialog.findChild<QTextEdit*>(QStringLiteral("editRetryDiff"))->toPlainText();
        QVERIFY2(diff.contains(QStringLiteral("- argv[2]: make lint")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("+ argv[2]: make lint FAST=1")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("+ working_dir: /src/b")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("  env CI=1")), qPrintable(diff));

        confirm->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.recipe().workingDir, QStringLiteral("/src/b"));
        QCOMPARE(dialog.recipe().env.value(QStringLiteral("SIGNALBOX_RUN_ID")), QStringLiteral("r_1"));
    }

    void dialogRefusesDuplicateEnvironmentRows() {
        EditRetryDialog dialog(sampleEntry());
        auto* env = dialog.findChild<QTableWidget*>(QStringLiteral("editRetryEnv"));
        auto* review = dialog.findChild<QPushButton*>(QStringLiteral("editRetryReview"));
        QVERIFY(env && review);
        dialog.findChild<QPushButton*>(QStringLiteral("editRetryAddEnv"))->click();
        const int row = env->rowCount() - 1;
        env->item(row, 0)->setText(QStringLiteral("CI"));
        env->item(row, 1)->setText(QStringLiteral("2"));
        QVERIFY(!review->isEnabled());
        QVERIFY(dialog.problem().contains(QStringLiteral("row %1").arg(row + 1)));
        env->item(row, 0)->setText(QStringLiteral("EXTRA"));
        QVERIFY2(review->isEnabled(), qPrintable(dialog.problem()));
        QCOMPARE(dialog.recipe().env.value(QStringLiteral("EXTRA")), QStringLiteral("2"));
    }

    void formatsWhatTheTableShows() {
        dlq::DeadLetter entry = sampleEntry();
        entry.attempts = 3;
        entry.maxRetries = 3;
        QCOMPARE(dlqformat::attempts(entry), QStringLiteral("2/3"));
        QCOMPARE(dlqformat::shellCommand(
                     {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("it's here")}),
                 QStringLiteral("sh -c 'it'\\''s here'"));
        dlq::DlqFilter filter;
        QCOMPARE(dlqformat::describeFilter(filter), QStringLiteral("everything"));
        filter.statuses = {dlq::DlqStatus::Exhausted};
        filter.taskId = QStringLiteral("lint");
        QCOMPARE(dlqformat::describeFilter(filter), QStringLiteral("status=exhausted, task=lint"));
    }
};

QTEST_MAIN(TestDlqEditRetry)
#include "tst_dlq_edit_retry.moc"
