// The dead letter queue through the real signalbox-cli: failures of `run` become
// entries, `dlq list/show/stats/audit` read them, `dlq retry/archive/purge/edit` act on
// them (ids, filters, groups, dry runs), and a bulk job survives kill -9 of the process
// running it. Real child processes, real data dirs; waits are on conditions only.

#include "cli_harness.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

using namespace signalbox::test;

namespace {

QString localUser() {
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

QString dlqData(const QString& name) {
    return dataPath(QStringLiteral("dlq/") + name);
}

// Entries of `dlq list --json` (all statuses), keyed by id.
QHash<QString, QJsonObject> entriesById(const QString& dataDir, const QStringList& extra = {}) {
    const CliResult result = cliIn(dataDir, QStringList{QStringLiteral("dlq"), QStringLiteral("list"),
                                                        QStringLiteral("--json"), QStringLiteral("--limit"),
                                                        QStringLiteral("1000")} +
                                                extra);
    QHash<QString, QJsonObject> entries;
    for (const QJsonValue& value : jsonArray(result.out))
        entries.insert(value.toObject().value(QStringLiteral("id")).toString(), value.toObject());
    return entries;
}

QJsonObject stats(const QString& dataDir) {
    return jsonObject(
        cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("stats"), QStringLiteral("--json")}).out);
}

QString firstLine(const QByteArray& text) {
    const QStringList all = lines(text);
    return all.isEmpty() ? QString() : all.first();
}

} // namespace

class TestCliDlq final : public QObject {
    Q_OBJECT

private:
    // Runs flaky.yaml over the repos; every repo without a "fixed" file fails `check`.
    CliResult runFlaky(const QString& dataDir, const QStringList& repos) {
        QStringList args{QStringLiteral("run"), dlqData(QStringLiteral("flaky.yaml")), QStringLiteral("--json")};
        for (const QString& repo : repos)
            args << QStringLiteral("--repo") << repo;
        return cliIn(dataDir, args, 240000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath())); }

    // The whole story of one failure: enqueued by `run`, listed, counted, fixed, retried.
    void failureBecomesEntryAndRetrySucceeds() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 1);
        const CliResult run = runFlaky(dataDir, repos);
        QCOMPARE(run.exitCode, 1);
        const QString runId = jsonObject(run.out).value(QStringLiteral("id")).toString();
        QVERIFY(runId.startsWith(QStringLiteral("r_")));

        CliResult list = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray entries = jsonArray(list.out);
        QCOMPARE(entries.size(), 1);
        const QJsonObject entry = entries.first().toObject();
        QCOMPARE(entry.keys(),
                 (QStringList{QStringLiteral("attempts"), QStringLiteral("category"), QStringLiteral("enqueued_at"),
                              QStringLiteral("error"), QStringLiteral("id"), QStringLiteral("max_retries"),
                              QStringLiteral("next_retry_at"), QStringLiteral("policy"), QStringLiteral("repo"),
                              QStringLiteral("run_id"), QStringLiteral("signature"), QStringLiteral("status"),
                              QStringLiteral("task"), QStringLiteral("workflow")}));
        const QString id = entry.value(QStringLiteral("id")).toString();
        QVERIFY(id.startsWith(QStringLiteral("d_")));
        QCOMPARE(entry.value(QStringLiteral("run_id")).toString(), runId);
        QCOMPARE(entry.value(QStringLiteral("workflow")).toString(), QStringLiteral("flaky"));
        QCOMPARE(entry.value(QStringLiteral("task")).toString(), QStringLiteral("check"));
        QCOMPARE(entry.value(QStringLiteral("repo")).toString(), QStringLiteral("repo01"));
        QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(entry.value(QStringLiteral("category")).toString(), QStringLiteral("permanent"));
        QCOMPARE(entry.value(QStringLiteral("policy")).toString(), QStringLiteral("never"));
        QCOMPARE(entry.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(entry.value(QStringLiteral("max_retries")).toInt(), 3);
        QCOMPARE(entry.value(QStringLiteral("error")).toString(), QStringLiteral("exit code 1"));
        QVERIFY(!entry.value(QStringLiteral("signature")).toString().isEmpty());
        QVERIFY(entry.value(QStringLiteral("enqueued_at")).toString().endsWith(u'Z'));
        QVERIFY(entry.value(QStringLiteral("next_retry_at")).isNull());

        // Filters: a status/category that matches and one that does not; a bad value.
        QCOMPARE(entriesById(dataDir, {QStringLiteral("--status"), QStringLiteral("pending"),
                                       QStringLiteral("--category"), QStringLiteral("permanent")})
                     .size(),
                 1);
        QCOMPARE(entriesById(dataDir, {QStringLiteral("--status"), QStringLiteral("completed")}).size(), 0);
        const CliResult badStatus =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--status"),
                            QStringLiteral("bogus")});
        QCOMPARE(badStatus.exitCode, 2);
        QVERIFY2(badStatus.err.contains("--status") && badStatus.err.contains("pending"), badStatus.err);
        QCOMPARE(lines(badStatus.err).size(), 1);
        const CliResult badCategory =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--category"),
                            QStringLiteral("cosmic")});
        QCOMPARE(badCategory.exitCode, 2);
        QVERIFY2(badCategory.err.contains("--category") && badCategory.err.contains("'cosmic'"), badCategory.err);

        // Stats count it.
        QJsonObject counts = stats(dataDir);
        QCOMPARE(counts.value(QStringLiteral("size")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("max_size")).toInt(), 10000);
        QVERIFY(counts.value(QStringLiteral("utilization")).toDouble() > 0.0);
        QCOMPARE(counts.value(QStringLiteral("by_status")).toObject().value(QStringLiteral("pending")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("by_category")).toObject().value(QStringLiteral("permanent")).toInt(),
                 1);
        QCOMPARE(counts.value(QStringLiteral("by_policy")).toObject().value(QStringLiteral("never")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("enqueued")).toInt(), 1);
        for (const char* key : {"enqueued", "retry_success", "retry_failed", "exhausted", "manual_retries", "archived"})
            QVERIFY2(counts.value(QStringLiteral("lifetime")).toObject().contains(QLatin1StringView(key)), key);

        // `dlq show`: the recipe and the history.
        const QJsonObject shown =
            jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("show"), id, QStringLiteral("--json")})
                           .out);
        QCOMPARE(shown.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(shown.value(QStringLiteral("exit_code")).toInt(), 1);
        QCOMPARE(QDir(shown.value(QStringLiteral("working_dir")).toString()).canonicalPath(),
                 QDir(repos.first()).canonicalPath());
        QVERIFY(!shown.value(QStringLiteral("command")).toArray().isEmpty());
        QVERIFY(shown.value(QStringLiteral("edited")).isNull());
        QVERIFY2(shown.value(QStringLiteral("output_tail")).toString().contains(QStringLiteral("not fixed in repo01")),
                 qPrintable(shown.value(QStringLiteral("output_tail")).toString()));
        QVERIFY(!shown.value(QStringLiteral("history")).toArray().isEmpty());
        QCOMPARE(shown.value(QStringLiteral("run_attempts")).toArray().size(), 1);

        // A retry before the fix fails (exit 1) and records the attempt.
        CliResult retry = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), id, QStringLiteral("--json")});
        QCOMPARE(retry.exitCode, 1);
        QJsonObject job = jsonObject(retry.out);
        QCOMPARE(job.value(QStringLiteral("failed")).toInt(), 1);
        QCOMPARE(entriesById(dataDir).value(id).value(QStringLiteral("attempts")).toInt(), 2);

        // Fix the cause, retry: the entry completes, the skipped dependent runs, the run succeeds.
        writeFile(repos.first(), QStringLiteral("fixed"), "");
        retry = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), id, QStringLiteral("--json")});
        QVERIFY2(retry.exitCode == 0, retry.err);
        job = jsonObject(retry.out);
        QVERIFY(job.value(QStringLiteral("job")).toString().startsWith(QStringLiteral("j_")));
        QCOMPARE(job.value(QStringLiteral("action")).toString(), QStringLiteral("retry"));
        QCOMPARE(job.value(QStringLiteral("total")).toInt(), 1);
        QCOMPARE(job.value(QStringLiteral("succeeded")).toInt(), 1);
        const QJsonObject item = job.value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(item.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(item.value(QStringLiteral("result")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(entriesById(dataDir).value(id).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        const QJsonObject after = showRun(dataDir, runId);
        QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(findTask(after, QStringLiteral("publish"), QStringLiteral("repo01"))
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("succeeded"));
        counts = stats(dataDir);
        QCOMPARE(counts.value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("retry_success")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("manual_retries")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("by_status")).toObject().value(QStringLiteral("completed")).toInt(), 1);

        // Retrying a completed entry is bad input, and changes nothing.
        const CliResult again = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), id});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains(id.toUtf8()) && again.err.contains("completed"), again.err);
    }

    // The same failure in three repos is one group; another failure is another group;
    // bulk actions on filters need --yes; unknown ids and empty filters are bad input.
    void groupsFiltersAndBulkSafety() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 3);
        QCOMPARE(runFlaky(dataDir, repos).exitCode, 1);
        QCOMPARE(cliIn(dataDir, {QStringLiteral("run"), dlqData(QStringLiteral("other_failure.yaml"))}).exitCode, 1);
        QCOMPARE(entriesById(dataDir).size(), 4);

        const CliResult grouped = cliIn(
            dataDir, {QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--group"), QStringLiteral("--json")});
        QCOMPARE(grouped.exitCode, 0);
        const QJsonArray groups = jsonArray(grouped.out);
        QCOMPARE(groups.size(), 2);
        QJsonObject checkGroup, lintGroup;
        for (const QJsonValue& value : groups) {
            const QJsonObject group = value.toObject();
            for (const char* key : {"signature", "sample_error", "count", "ids"})
                QVERIFY2(group.contains(QLatin1StringView(key)), key);
            (group.value(QStringLiteral("count")).toInt() == 3 ? checkGroup : lintGroup) = group;
        }
        QCOMPARE(checkGroup.value(QStringLiteral("count")).toInt(), 3);
        QCOMPARE(checkGroup.value(QStringLiteral("ids")).toArray().size(), 3);
        QCOMPARE(checkGroup.value(QStringLiteral("sample_error")).toString(), QStringLiteral("exit code 1"));
        QCOMPARE(lintGroup.value(QStringLiteral("count")).toInt(), 1);
        QCOMPARE(lintGroup.value(QStringLiteral("sample_error")).toString(), QStringLiteral("exit code 3"));
        QVERIFY(checkGroup.value(QStringLiteral("signature")) != lintGroup.value(QStringLiteral("signature")));
        // Text form: one line per group, largest first.
        const CliResult groupText =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--group")});
        QCOMPARE(groupText.exitCode, 0);
        QCOMPARE(lines(groupText.out).size(), 3); // header + 2 groups
        QVERIFY(lines(groupText.out).at(1).startsWith(QStringLiteral("3 ")));

        const QString signature = checkGroup.value(QStringLiteral("signature")).toString();
        // Bulk retry of the group without --yes: reports the count, changes nothing.
        CliResult bulk = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--filter-group"),
                                         signature, QStringLiteral("--json")});
        QCOMPARE(bulk.exitCode, 0);
        QJsonObject dry = jsonObject(bulk.out);
        QCOMPARE(dry.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(dry.value(QStringLiteral("action")).toString(), QStringLiteral("retry"));
        QCOMPARE(dry.value(QStringLiteral("count")).toInt(), 3);
        QCOMPARE(dry.value(QStringLiteral("sample")).toArray().size(), 3);
        // --dry-run with --yes changes nothing either; a text dry run names the count.
        bulk = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("archive"), QStringLiteral("--filter-task"),
                               QStringLiteral("check"), QStringLiteral("--dry-run"), QStringLiteral("--yes")});
        QCOMPARE(bulk.exitCode, 0);
        QVERIFY2(bulk.out.contains("would archive 3"), bulk.out);
        for (const QJsonObject& entry : entriesById(dataDir)) {
            QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
            QCOMPARE(entry.value(QStringLiteral("attempts")).toInt(), 1);
        }
        QCOMPARE(stats(dataDir).value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("manual_retries")).toInt(),
                 0);

        // A filter matching nothing; an unknown id (nothing changes); bad filter values.
        CliResult bad = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--filter-task"),
                                        QStringLiteral("nope"), QStringLiteral("--yes")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("no dead letters match"), bad.err);
        const QString someId = checkGroup.value(QStringLiteral("ids")).toArray().first().toString();
        bad = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("archive"), someId, QStringLiteral("d_999")});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(firstLine(bad.err), QStringLiteral("signalbox-cli: error: unknown dead letter 'd_999'"));
        QCOMPARE(entriesById(dataDir).value(someId).value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        bad = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("show"), QStringLiteral("d_9x")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("unknown dead letter 'd_9x'"), bad.err);
        bad = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--filter-status"),
                              QStringLiteral("sideways"), QStringLiteral("--yes")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--filter-status") && bad.err.contains("'sideways'"), bad.err);
        bad = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("purge"), QStringLiteral("--archived"),
                              QStringLiteral("--older-than"), QStringLiteral("soon")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--older-than"), bad.err);

        // The bulk archive with --yes acts on exactly the group.
        bulk = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("archive"), QStringLiteral("--filter-group"),
                               signature, QStringLiteral("--yes"), QStringLiteral("--json")});
        QVERIFY2(bulk.exitCode == 0, bulk.err);
        const QJsonObject job = jsonObject(bulk.out);
        QCOMPARE(job.value(QStringLiteral("action")).toString(), QStringLiteral("archive"));
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(job.value(QStringLiteral("succeeded")).toInt(), 3);
        QCOMPARE(job.value(QStringLiteral("items")).toArray().size(), 3);
        QCOMPARE(entriesById(dataDir, {QStringLiteral("--status"), QStringLiteral("archived")}).size(), 3);
        QCOMPARE(entriesById(dataDir, {QStringLiteral("--status"), QStringLiteral("pending")}).size(), 1);

        // `dlq jobs` and `dlq job` show it.
        const QString jobId = job.value(QStringLiteral("job")).toString();
        const QJsonObject shownJob = jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("job"), jobId,
                                                               QStringLiteral("--items"), QStringLiteral("--json")})
                                                    .out);
        QCOMPARE(shownJob.value(QStringLiteral("id")).toString(), jobId);
        QCOMPARE(shownJob.value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(shownJob.value(QStringLiteral("items")).toArray().size(), 3);
        const QJsonArray jobs = jsonArray(
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("jobs"), QStringLiteral("--all"), QStringLiteral("--json")})
                .out);
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("job"), QStringLiteral("j_77")}).exitCode, 2);
    }

    // Purge only removes archived entries; archive then purge works and is counted.
    void archiveThenPurgeAndAudit() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 2);
        QCOMPARE(runFlaky(dataDir, repos).exitCode, 1);
        const QStringList ids = entriesById(dataDir).keys();
        QCOMPARE(ids.size(), 2);
        const QString first = ids.at(0);
        const QString second = ids.at(1);

        CliResult purge = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("purge"), first});
        QCOMPARE(purge.exitCode, 2);
        QCOMPARE(firstLine(purge.err),
                 QStringLiteral("signalbox-cli: error: %1 is pending; only archived entries can be purged "
                                "(archive it first)")
                     .arg(first));
        purge = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("purge"), QStringLiteral("--archived"),
                                QStringLiteral("--yes")});
        QCOMPARE(purge.exitCode, 2); // nothing archived yet
        QVERIFY2(purge.err.contains("no dead letters match"), purge.err);
        QCOMPARE(entriesById(dataDir).size(), 2);

        const CliResult archive = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("archive"), first});
        QVERIFY2(archive.exitCode == 0, archive.err);
        QCOMPARE(entriesById(dataDir).value(first).value(QStringLiteral("status")).toString(),
                 QStringLiteral("archived"));
        QCOMPARE(stats(dataDir).value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("archived")).toInt(), 1);

        // Without --yes the bulk purge only reports; with it the archived entry is gone.
        purge = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("purge"), QStringLiteral("--archived"),
                                QStringLiteral("--json")});
        QCOMPARE(purge.exitCode, 0);
        QCOMPARE(jsonObject(purge.out).value(QStringLiteral("count")).toInt(), 1);
        QCOMPARE(entriesById(dataDir).size(), 2);
        purge = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("purge"), QStringLiteral("--archived"),
                                QStringLiteral("--yes")});
        QVERIFY2(purge.exitCode == 0, purge.err);
        const QHash<QString, QJsonObject> left = entriesById(dataDir);
        QCOMPARE(left.size(), 1);
        QVERIFY(left.contains(second));
        const QJsonObject counts = stats(dataDir);
        QCOMPARE(counts.value(QStringLiteral("size")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("archived")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("enqueued")).toInt(), 2);
        QCOMPARE(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("show"), first}).exitCode, 2);

        // The audit journal has the manual actions, by the local user.
        const CliResult audit =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("audit"), QStringLiteral("--json")});
        QCOMPARE(audit.exitCode, 0);
        const QJsonArray records = jsonArray(audit.out);
        QVERIFY(!records.isEmpty());
        QSet<QString> text;
        for (const QJsonValue& value : records) {
            const QJsonObject record = value.toObject();
            QCOMPARE(record.keys(), (QStringList{QStringLiteral("action"), QStringLiteral("actor"), QStringLiteral("at"),
                                                 QStringLiteral("count"), QStringLiteral("outcome"),
                                                 QStringLiteral("target")}));
            QCOMPARE(record.value(QStringLiteral("actor")).toString(), localUser());
            text.insert(record.value(QStringLiteral("action")).toString() + u' ' +
                        record.value(QStringLiteral("target")).toString());
        }
        const QString all = QStringList(text.values()).join(u'|');
        QVERIFY2(all.contains(QStringLiteral("archive")) || all.contains(QStringLiteral("job-start")), qPrintable(all));
        QVERIFY2(all.contains(first), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("purge")) || all.contains(QStringLiteral("archived")), qPrintable(all));
    }

    // Edit-and-retry: a bad working dir is refused (exit 2, nothing changes); a good one
    // retries with the edited recipe; `dlq show` keeps the original and the edit.
    void editAndRetry() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 1);
        QCOMPARE(runFlaky(dataDir, repos).exitCode, 1);
        const QString id = entriesById(dataDir).keys().value(0);
        QVERIFY(!id.isEmpty());

        CliResult edit = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("edit"), id, QStringLiteral("--working-dir"),
                                         dir.filePath(QStringLiteral("missing"))});
        QCOMPARE(edit.exitCode, 2);
        QCOMPARE(lines(edit.err).size(), 1);
        QVERIFY2(edit.err.contains("working_dir") || edit.err.contains("working dir"), edit.err);
        QJsonObject shown =
            jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("show"), id, QStringLiteral("--json")}).out);
        QVERIFY(shown.value(QStringLiteral("edited")).isNull());
        QCOMPARE(shown.value(QStringLiteral("attempts")).toInt(), 1);

        // A directory that holds the fix.
        const QString fixedDir = dir.filePath(QStringLiteral("elsewhere"));
        writeFile(fixedDir, QStringLiteral("fixed"), "");
        edit = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("edit"), id, QStringLiteral("--working-dir"), fixedDir,
                               QStringLiteral("--json")});
        QVERIFY2(edit.exitCode == 0, edit.err);
        shown = jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("show"), id, QStringLiteral("--json")}).out);
        QCOMPARE(shown.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(QDir(shown.value(QStringLiteral("working_dir")).toString()).canonicalPath(),
                 QDir(repos.first()).canonicalPath());
        const QJsonObject edited = shown.value(QStringLiteral("edited")).toObject();
        QCOMPARE(QDir(edited.value(QStringLiteral("working_dir")).toString()).canonicalPath(),
                 QDir(fixedDir).canonicalPath());
        QCOMPARE(edited.value(QStringLiteral("argv")), shown.value(QStringLiteral("command")));
        bool editInHistory = false;
        for (const QJsonValue& value : shown.value(QStringLiteral("history")).toArray()) {
            const QJsonObject event = value.toObject();
            if (event.value(QStringLiteral("event")).toString() == u"edited") {
                editInHistory = true;
                QCOMPARE(event.value(QStringLiteral("by")).toString(), localUser());
                QCOMPARE(QDir(event.value(QStringLiteral("recipe")).toObject().value(QStringLiteral("working_dir")).toString())
                             .canonicalPath(),
                         QDir(fixedDir).canonicalPath());
            }
        }
        QVERIFY(editInHistory);
        // Audited as an edit.
        const QJsonArray records =
            jsonArray(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("audit"), QStringLiteral("--json")}).out);
        bool audited = false;
        for (const QJsonValue& value : records)
            audited = audited || value.toObject().value(QStringLiteral("action")).toString() == u"edit-retry";
        QVERIFY(audited);
    }

    // The retry processor retries due entries by their policy: `dlq process --once` is
    // one cycle (one retry of an `immediate` entry), and a success resumes the run.
    void processorRetriesDueEntries() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 2);
        // One retry at a time: a cycle still retries every due entry, in waves.
        QCOMPARE(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("settings"), QStringLiteral("--parallelism"),
                                 QStringLiteral("1")})
                     .exitCode,
                 0);
        const CliResult run =
            cliIn(dataDir, {QStringLiteral("run"), dlqData(QStringLiteral("immediate.yaml")), QStringLiteral("--repo"),
                            repos.at(0), QStringLiteral("--repo"), repos.at(1), QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 1);
        const QString runId = jsonObject(run.out).value(QStringLiteral("id")).toString();
        QHash<QString, QJsonObject> entries = entriesById(dataDir);
        QCOMPARE(entries.size(), 2);
        for (const QJsonObject& entry : entries) {
            QCOMPARE(entry.value(QStringLiteral("policy")).toString(), QStringLiteral("immediate"));
            QVERIFY(entry.value(QStringLiteral("next_retry_at")).isString());
        }

        // Not fixed yet: one cycle retries each once; they stay pending and due.
        CliResult once = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("process"), QStringLiteral("--once"),
                                         QStringLiteral("--json")});
        QVERIFY2(once.exitCode == 0, once.err);
        QCOMPARE(jsonObject(once.out).value(QStringLiteral("retries_started")).toInt(), 2);
        QCOMPARE(jsonObject(once.out).value(QStringLiteral("retries_failed")).toInt(), 2);
        for (const QJsonObject& entry : entriesById(dataDir)) {
            QCOMPARE(entry.value(QStringLiteral("attempts")).toInt(), 2);
            QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        }
        QCOMPARE(stats(dataDir).value(QStringLiteral("lifetime")).toObject().value(QStringLiteral("retry_failed")).toInt(),
                 2);

        for (const QString& repo : repos)
            writeFile(repo, QStringLiteral("fixed"), "");
        once = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("process"), QStringLiteral("--once"),
                               QStringLiteral("--json")});
        QVERIFY2(once.exitCode == 0, once.err);
        QCOMPARE(jsonObject(once.out).value(QStringLiteral("retries_succeeded")).toInt(), 2);
        for (const QJsonObject& entry : entriesById(dataDir))
            QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(showRun(dataDir, runId).value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        // Nothing due any more: a cycle does nothing.
        once = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("process"), QStringLiteral("--once"),
                               QStringLiteral("--json")});
        QCOMPARE(once.exitCode, 0);
        QCOMPARE(jsonObject(once.out).value(QStringLiteral("retries_started")).toInt(), 0);
    }

    // `dlq process` holds the data dir: `dlq retry` hands its job over and follows it;
    // SIGTERM stops the processor cleanly (exit 0).
    void retryThroughRunningProcessor() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 2);
        const CliResult failed = runFlaky(dataDir, repos);
        QCOMPARE(failed.exitCode, 1);
        const QString runId = jsonObject(failed.out).value(QStringLiteral("id")).toString();
        QString id, other;
        for (const QJsonObject& entry : entriesById(dataDir)) {
            (entry.value(QStringLiteral("repo")).toString() == u"repo01" ? id : other) =
                entry.value(QStringLiteral("id")).toString();
        }
        QVERIFY(!id.isEmpty() && !other.isEmpty());

        QProcess processor;
        startCliIn(processor, dataDir, {QStringLiteral("dlq"), QStringLiteral("process")});
        QVERIFY(processor.waitForStarted());
        QByteArray processorErr;
        QTRY_VERIFY_WITH_TIMEOUT((processorErr += processor.readAllStandardError()).contains("dlq processor running"),
                                 60000);
        // Reading commands work while it holds the lock; a run is refused nothing either.
        QCOMPARE(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("stats")}).exitCode, 0);

        writeFile(repos.first(), QStringLiteral("fixed"), "");
        const CliResult retry =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), id, QStringLiteral("--json")});
        QVERIFY2(retry.exitCode == 0, retry.err);
        QCOMPARE(jsonObject(retry.out).value(QStringLiteral("succeeded")).toInt(), 1);
        QCOMPARE(entriesById(dataDir).value(id).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        // Edit-and-retry goes through the processor too: refused edits exit 2, good ones 0.
        CliResult edit = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("edit"), other,
                                         QStringLiteral("--working-dir"), dir.filePath(QStringLiteral("nowhere"))});
        QCOMPARE(edit.exitCode, 2);
        QCOMPARE(lines(edit.err).size(), 1);
        const QString fixedDir = dir.filePath(QStringLiteral("fixed-elsewhere"));
        writeFile(fixedDir, QStringLiteral("fixed"), "");
        edit = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("edit"), other, QStringLiteral("--working-dir"),
                               fixedDir, QStringLiteral("--json")});
        QVERIFY2(edit.exitCode == 0, edit.err);
        QCOMPARE(jsonObject(edit.out).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(showRun(dataDir, runId).value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));

        processor.terminate();
        QVERIFY(processor.waitForFinished(60000));
        QCOMPARE(processor.exitStatus(), QProcess::NormalExit);
        QCOMPARE(processor.exitCode(), 0);
    }

    // A foreground `run` takes no dead letter jobs: `dlq retry` exits 3 and its job stays
    // queued; `dlq retry --detach` later starts a background processor that runs it too.
    void busyHolderLeavesJobQueuedDetachRunsIt() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 2);
        const CliResult failed = runFlaky(dataDir, repos);
        QCOMPARE(failed.exitCode, 1);
        const QString runId = jsonObject(failed.out).value(QStringLiteral("id")).toString();
        QString first, second;
        for (const QJsonObject& entry : entriesById(dataDir)) {
            (entry.value(QStringLiteral("repo")).toString() == u"repo01" ? first : second) =
                entry.value(QStringLiteral("id")).toString();
        }
        QVERIFY(!first.isEmpty() && !second.isEmpty());

        const QString marker = dir.filePath(QStringLiteral("marker"));
        const QString release = dir.filePath(QStringLiteral("release"));
        QProcess holder;
        startCliIn(holder, dataDir,
                   {QStringLiteral("run"), dataPath(QStringLiteral("integration/handover.yaml")), QStringLiteral("--set"),
                    QStringLiteral("marker=") + marker, QStringLiteral("--set"), QStringLiteral("release=") + release});
        QVERIFY(holder.waitForStarted());
        // handover.yaml writes "TAG PID" once the holder executes it, then waits for `release`.
        auto markerWritten = [&marker] {
            QFile file(marker);
            return file.open(QIODevice::ReadOnly) && file.readAll().endsWith('\n');
        };
        QTRY_VERIFY_WITH_TIMEOUT(markerWritten(), 60000);

        const CliResult busy = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), first});
        QCOMPARE(busy.exitCode, 3);
        QCOMPARE(lines(busy.err).size(), 1);
        QVERIFY2(busy.err.contains("stays queued") && busy.err.contains("j_1"), busy.err);
        QJsonArray jobs = jsonArray(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("jobs"), QStringLiteral("--json")}).out);
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().toObject().value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
        QCOMPARE(entriesById(dataDir).value(first).value(QStringLiteral("attempts")).toInt(), 1);

        writeFile(dir.path(), QStringLiteral("release"), "");
        QVERIFY(holder.waitForFinished(60000));
        QCOMPARE(holder.exitCode(), 0);

        for (const QString& repo : repos)
            writeFile(repo, QStringLiteral("fixed"), "");
        const CliResult detached = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), second,
                                                   QStringLiteral("--detach"), QStringLiteral("--json")});
        QVERIFY2(detached.exitCode == 0, detached.err);
        const QJsonObject job = jsonObject(detached.out);
        QCOMPARE(job.value(QStringLiteral("id")).toString(), QStringLiteral("j_2"));
        QCOMPARE(job.value(QStringLiteral("total")).toInt(), 1);
        auto state = [&](const QString& id) {
            return jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("job"), id, QStringLiteral("--json")}).out)
                .value(QStringLiteral("state"))
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("j_2")), QStringLiteral("done"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(state(QStringLiteral("j_1")), QStringLiteral("done"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(showRun(dataDir, runId).value(QStringLiteral("status")).toString(),
                                  QStringLiteral("succeeded"), 60000);
        for (const QJsonObject& entry : entriesById(dataDir))
            QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    }

    // A bulk retry job survives kill -9 of the `dlq process` running it: the next
    // `dlq process --once` recovers the interrupted retries and finishes the job.
    void bulkJobSurvivesKill9() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 3);
        const QString release = dir.filePath(QStringLiteral("release"));
        QStringList args{QStringLiteral("run"), dlqData(QStringLiteral("held_retry.yaml")), QStringLiteral("--set"),
                         QStringLiteral("release=") + release};
        for (const QString& repo : repos)
            args << QStringLiteral("--repo") << repo;
        QCOMPARE(cliIn(dataDir, args).exitCode, 1);
        QCOMPARE(entriesById(dataDir).size(), 3);
        for (const QString& repo : repos)
            writeFile(repo, QStringLiteral("armed"), "");

        QProcess processor;
        startCliIn(processor, dataDir, {QStringLiteral("dlq"), QStringLiteral("process")});
        QVERIFY(processor.waitForStarted());
        QByteArray processorErr;
        QTRY_VERIFY_WITH_TIMEOUT((processorErr += processor.readAllStandardError()).contains("dlq processor running"),
                                 60000);

        const CliResult detached =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--filter-task"),
                            QStringLiteral("hold"), QStringLiteral("--yes"), QStringLiteral("--detach")});
        QVERIFY2(detached.exitCode == 0, detached.err);
        const QString jobId = firstLine(detached.out);
        QVERIFY2(jobId.startsWith(QStringLiteral("j_")), qPrintable(jobId));

        // Retries in flight (held until `release` exists): kill -9 the processor.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(QDir(repos.at(0)).filePath(QStringLiteral("started"))) ||
                                     QFileInfo::exists(QDir(repos.at(1)).filePath(QStringLiteral("started"))) ||
                                     QFileInfo::exists(QDir(repos.at(2)).filePath(QStringLiteral("started"))),
                                 60000);
        QJsonObject job = jsonObject(
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("job"), jobId, QStringLiteral("--json")}).out);
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QVERIFY(job.value(QStringLiteral("succeeded")).toInt() < 3);
        ::kill(pid_t(processor.processId()), SIGKILL);
        QVERIFY(processor.waitForFinished(30000));
        QCOMPARE(processor.exitStatus(), QProcess::CrashExit);

        writeFile(dir.path(), QStringLiteral("release"), "");
        const CliResult once = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("process"), QStringLiteral("--once")},
                                     240000);
        QVERIFY2(once.exitCode == 0, once.err);
        job = jsonObject(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("job"), jobId, QStringLiteral("--items"),
                                         QStringLiteral("--json")})
                             .out);
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(job.value(QStringLiteral("total")).toInt(), 3);
        QVERIFY2(job.value(QStringLiteral("succeeded")).toInt() == 3, QJsonDocument(job).toJson().constData());
        for (const QJsonObject& entry : entriesById(dataDir))
            QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(job.value(QStringLiteral("done")).toInt(), 3);
        QCOMPARE(newestRunStatus(dataDir), QStringLiteral("succeeded"));
    }

    // Settings: shown, validated (exit 2 naming the flag), stored and reported by stats.
    void settingsAreValidatedAndShownInStats() {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("data"));
        CliResult settings =
            cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("settings"), QStringLiteral("--json")});
        QCOMPARE(settings.exitCode, 0);
        QCOMPARE(jsonObject(settings.out).value(QStringLiteral("strategy")).toString(), QStringLiteral("automatic"));
        settings = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("settings"), QStringLiteral("--max-size"),
                                   QStringLiteral("5")});
        QCOMPARE(settings.exitCode, 2);
        QVERIFY2(settings.err.contains("--max-size") && settings.err.contains("'5'"), settings.err);
        settings = cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("settings"), QStringLiteral("--strategy"),
                                   QStringLiteral("selective"), QStringLiteral("--categories"),
                                   QStringLiteral("transient,network"), QStringLiteral("--max-size"), QStringLiteral("500"),
                                   QStringLiteral("--interval"), QStringLiteral("5m"), QStringLiteral("--json")});
        QVERIFY2(settings.exitCode == 0, settings.err);
        const QJsonObject counts = stats(dataDir);
        QCOMPARE(counts.value(QStringLiteral("max_size")).toInt(), 500);
        QCOMPARE(counts.value(QStringLiteral("strategy")).toString(), QStringLiteral("selective"));
        QCOMPARE(counts.value(QStringLiteral("processor")).toObject().value(QStringLiteral("interval_seconds")).toInt(),
                 300);
        // Selective: a permanent failure is not enqueued.
        const QStringList repos = makeRepos(dir.filePath(QStringLiteral("repos")), 1);
        QCOMPARE(runFlaky(dataDir, repos).exitCode, 1);
        QCOMPARE(entriesById(dataDir).size(), 0);
        bool audited = false;
        for (const QJsonValue& value :
             jsonArray(cliIn(dataDir, {QStringLiteral("dlq"), QStringLiteral("audit"), QStringLiteral("--json")}).out))
            audited = audited || value.toObject().value(QStringLiteral("action")).toString() == u"settings";
        QVERIFY(audited);
    }
};

QTEST_GUILESS_MAIN(TestCliDlq)
#include "tst_cli_dlq.moc"
