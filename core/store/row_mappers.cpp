#include "store/row_mappers.h"

#include "store/sqlite_connection.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace signalbox::store::rows {

namespace {

ErrorCategory categoryAt(const Statement& row, int column) {
    return errorCategoryFromString(row.text(column)).value_or(ErrorCategory::None);
}

void bindCategory(Statement& statement, int index, ErrorCategory category) {
    statement.bindTextOrNull(index, toString(category));
}

} // namespace

RunRecord readRun(const Statement& row) {
    RunRecord run;
    run.id = row.text(0);
    run.workflow = row.text(1);
    run.status = runStatusFromString(row.text(2)).value_or(RunStatus::Interrupted);
    run.createdAtMs = row.int64(3);
    run.startedAtMs = row.int64(4);
    run.finishedAtMs = row.int64(5);
    run.workflowPath = row.text(6);
    run.workflowYaml = row.blob(7);
    run.requestJson = row.blob(8);
    run.maxConcurrent = row.int32(9);
    run.qualityGate = row.optionalReal(10);
    run.qualityScore = row.optionalReal(11);
    return run;
}

InstanceRecord readInstance(const Statement& row) {
    InstanceRecord instance;
    instance.runId = row.text(0);
    instance.index = row.int32(1);
    instance.taskId = row.text(2);
    instance.repo = row.text(3);
    instance.repoPath = row.text(4);
    instance.status = instanceStatusFromString(row.text(5)).value_or(InstanceStatus::Interrupted);
    instance.exitCode = row.optionalInt(6);
    instance.signal = row.optionalInt(7);
    instance.attempts = row.int32(8);
    instance.startedAtMs = row.int64(9);
    instance.finishedAtMs = row.int64(10);
    instance.category = categoryAt(row, 11);
    instance.error = row.text(12);
    instance.progress = row.text(13);
    if (!row.isNull(14))
        instance.pid = row.int64(14);
    return instance;
}

AttemptRecord readAttempt(const Statement& row) {
    AttemptRecord attempt;
    attempt.runId = row.text(0);
    attempt.index = row.int32(1);
    attempt.attempt = row.int32(2);
    attempt.startedAtMs = row.int64(3);
    attempt.finishedAtMs = row.int64(4);
    attempt.exitCode = row.optionalInt(5);
    attempt.signal = row.optionalInt(6);
    attempt.category = categoryAt(row, 7);
    attempt.error = row.text(8);
    return attempt;
}

LogLine readLogLine(const Statement& row) {
    LogLine line;
    line.id = row.int64(0);
    line.runId = row.text(1);
    line.index = row.int32(2);
    const int stream = row.int32(3);
    line.stream = stream >= 0 && stream <= 2 ? static_cast<LogStream>(stream) : LogStream::System;
    line.tsMs = row.int64(4);
    line.text = row.text(5);
    return line;
}

CatalogRepo readCatalogRepo(const Statement& row) {
    CatalogRepo repo;
    repo.name = row.text(0);
    repo.path = row.text(1);
    repo.tags = tagsFromJson(row.text(2));
    repo.role = row.text(3);
    repo.description = row.text(4);
    return repo;
}

void bindRun(Statement& statement, const RunRecord& run) {
    statement.bind(1, run.id);
    statement.bind(2, run.workflow);
    statement.bind(3, toString(run.status));
    statement.bind(4, run.createdAtMs);
    statement.bind(5, run.startedAtMs);
    statement.bind(6, run.finishedAtMs);
    statement.bind(7, run.workflowPath);
    statement.bindBlob(8, run.workflowYaml);
    statement.bindBlob(9, run.requestJson);
    statement.bind(10, run.maxConcurrent);
    statement.bind(11, run.qualityGate);
    statement.bind(12, run.qualityScore);
}

void bindInstance(Statement& statement, const InstanceRecord& instance) {
    statement.bind(1, instance.runId);
    statement.bind(2, instance.index);
    statement.bind(3, instance.taskId);
    statement.bindTextOrNull(4, instance.repo);
    statement.bindTextOrNull(5, instance.repoPath);
    statement.bind(6, toString(instance.status));
    statement.bind(7, instance.exitCode);
    statement.bind(8, instance.signal);
    statement.bind(9, instance.attempts);
    statement.bind(10, instance.startedAtMs);
    statement.bind(11, instance.finishedAtMs);
    bindCategory(statement, 12, instance.category);
    statement.bindTextOrNull(13, instance.error);
    statement.bindTextOrNull(14, instance.progress);
    if (instance.pid)
        statement.bind(15, *instance.pid);
    else
        statement.bindNull(15);
}

void bindAttempt(Statement& statement, const AttemptRecord& attempt) {
    statement.bind(1, attempt.runId);
    statement.bind(2, attempt.index);
    statement.bind(3, attempt.attempt);
    statement.bind(4, attempt.startedAtMs);
    statement.bind(5, attempt.finishedAtMs);
    statement.bind(6, attempt.exitCode);
    statement.bind(7, attempt.signal);
    bindCategory(statement, 8, attempt.category);
    statement.bindTextOrNull(9, attempt.error);
}

void bindCatalogRepo(Statement& statement, const CatalogRepo& repo) {
    statement.bind(1, repo.name);
    statement.bind(2, repo.path);
    statement.bind(3, tagsToJson(repo.tags));
    statement.bind(4, repo.role);
    statement.bind(5, repo.description);
}

QString tagsToJson(const QStringList& tags) {
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList tagsFromJson(const QString& json) {
    QStringList tags;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const auto& value : array)
        tags.append(value.toString());
    return tags;
}

} // namespace signalbox::store::rows
