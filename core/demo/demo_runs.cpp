#include "demo/demo_generator.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace signalbox::demo::detail {

int RunRef::instanceCount() const {
    return int(demoWorkflows().at(workflow).tasks.size() * repos.size());
}

QString demoRunId(qint64 createdAtMs, quint64 random) {
    return QStringLiteral("r_%1%2")
        .arg(quint64(createdAtMs), 12, 16, QLatin1Char('0'))
        .arg(random & 0xffffffffu, 8, 16, QLatin1Char('0'));
}

int Generator::pickWorkflow() {
    int total = 0;
    for (const DemoWorkflow& workflow : demoWorkflows())
        total += workflow.weight;
    int roll = m_random.between(0, total - 1);
    for (int w = 0; w < demoWorkflows().size(); ++w) {
        roll -= demoWorkflows().at(w).weight;
        if (roll < 0)
            return w;
    }
    return 0;
}

QList<int> Generator::pickRepos(const DemoWorkflow& workflow) {
    const QString tag = workflow.tagChoices.at(m_random.between(0, int(workflow.tagChoices.size()) - 1));
    QList<int> repos;
    for (int i = 0; i < demoRepos().size(); ++i) {
        if (tag.isEmpty() || demoRepos().at(i).tags.contains(tag))
            repos.append(i);
    }
    return repos;
}

int Generator::pickFailure(const QString& taskId) {
    QList<int> fitting;
    for (int i = 0; i < failureSamples().size(); ++i) {
        if (failureSamples().at(i).fits(taskId))
            fitting.append(i);
    }
    // The first failures cover every category once, so even a small demo shows them all
    // (every category has a sample that fits any task).
    if (m_failures.size() < 6) {
        const auto category = ErrorCategory(int(ErrorCategory::Transient) + int(m_failures.size()));
        for (int i : fitting) {
            if (failureSamples().at(i).category == category)
                return i;
        }
    }
    return fitting.at(m_random.between(0, int(fitting.size()) - 1));
}

void Generator::writeRuns() {
    for (int number = 0; number < m_size.runs; ++number) {
        writeRun(number);
        if ((number + 1) % kSyncEveryRuns == 0) {
            flushAttempts(true);
            flushLogs(true);
            m_store.sync();
        }
    }
    flushAttempts(true);
    flushLogs(true);
}

void Generator::writeRun(int number) {
    const double step = double(m_size.days * kDay) / std::max(1, m_size.runs);
    const qint64 createdAt = m_now - m_size.days * kDay + qint64(step * (number + m_random.real(0.05, 0.95)));
    const int workflowIndex = pickWorkflow();
    const DemoWorkflow& workflow = demoWorkflows().at(workflowIndex);
    const QList<int> repos = pickRepos(workflow);
    const int repoCount = int(repos.size());
    // Failures cluster: most runs are clean, a few have a bad day (a broken dependency,
    // a full disk). The early forced ones make sure a small demo has failures at all.
    const bool troubled = m_random.chance(0.08) || (number % 8 == 3 && m_failures.size() < 6);
    const bool cancelled = !troubled && m_random.chance(0.04);
    const qint64 cutAt = cancelled ? createdAt + m_random.between64(30 * kSecond, 6 * kMinute) : 0;

    RunRecord run;
    run.id = demoRunId(createdAt, m_random.bits());
    run.workflow = workflow.name;
    run.createdAtMs = createdAt;
    run.workflowPath = workflowPath(workflowIndex);
    run.maxConcurrent = workflow.maxConcurrent;

    QList<InstanceRecord> instances;
    QList<int> samples; // failure sample per instance, -1 = none
    QList<qint64> workers(workflow.maxConcurrent, createdAt + m_random.between(200, 1500));
    const int forcedFailure = troubled ? m_random.between(0, repoCount - 1) : -1;
    for (int t = 0; t < workflow.tasks.size(); ++t) {
        const DemoTask& task = workflow.tasks.at(t);
        for (int r = 0; r < repoCount; ++r) {
            InstanceRecord instance;
            instance.runId = run.id;
            instance.index = t * repoCount + r;
            instance.taskId = task.id;
            instance.repo = demoRepos().at(repos.at(r)).name;
            instance.repoPath = repoPath(repos.at(r));
            samples.append(-1);
            const InstanceRecord* needed =
                task.needs.isEmpty() ? nullptr : &instances.at((t - 1) * repoCount + r);
            if (needed && needed->status != InstanceStatus::Succeeded) {
                instance.status = needed->status == InstanceStatus::Cancelled ? InstanceStatus::Cancelled
                                                                              : InstanceStatus::Skipped;
                instances.append(instance);
                continue;
            }
            auto slot = std::min_element(workers.begin(), workers.end());
            const qint64 startAt =
                std::max(*slot, needed ? needed->finishedAtMs : createdAt) + m_random.between(40, 400);
            if (cancelled && startAt >= cutAt) {
                instance.status = InstanceStatus::Cancelled;
                instances.append(instance);
                continue;
            }
            qint64 duration = m_random.between64(task.minSeconds * kSecond, task.maxSeconds * kSecond);
            const bool fails = instance.index == forcedFailure ||
                               m_random.chance(troubled ? task.failRate : task.failRate * 0.015);
            instance.startedAtMs = startAt;
            instance.attempts = 1;
            if (fails) {
                const int sample = pickFailure(task.id);
                const FailureSample& failure = failureSamples().at(sample);
                samples.last() = sample;
                if (failure.error.startsWith(QLatin1String("timed out")))
                    duration = 300 * kSecond;
                // Transient and network failures were retried in the run before giving up.
                if (failure.category == ErrorCategory::Transient ||
                    failure.category == ErrorCategory::Network) {
                    instance.attempts = 2;
                    duration = duration * 2 + 2 * kSecond;
                }
                instance.status = InstanceStatus::Failed;
                instance.category = failure.category;
                instance.error = failure.error;
                instance.exitCode = failure.exitCode;
                instance.signal = failure.signal;
                m_failures.append({int(m_runs.size()), instance.index, sample, 0});
            } else {
                instance.status = InstanceStatus::Succeeded;
                instance.exitCode = 0;
            }
            instance.finishedAtMs = startAt + duration;
            if (cancelled && instance.finishedAtMs > cutAt) {
                instance.status = InstanceStatus::Cancelled;
                instance.finishedAtMs = cutAt;
                instance.category = ErrorCategory::None;
                instance.error = QStringLiteral("cancelled");
                instance.exitCode.reset();
                instance.signal = 15;
                samples.last() = -1;
                if (fails)
                    m_failures.removeLast();
            }
            if (instance.status != InstanceStatus::Cancelled && !task.metric.isEmpty()) {
                const bool ok = instance.status == InstanceStatus::Succeeded;
                if (task.metric == QLatin1String("coverage"))
                    instance.metrics.insert(task.metric, m_random.between(550, 960) / 10.0);
                else if (task.metric == QLatin1String("lint_errors"))
                    instance.metrics.insert(task.metric, ok ? 0 : m_random.between(3, 40));
                else
                    instance.metrics.insert(task.metric, m_random.chance(0.8) ? 0 : m_random.between(1, 5));
            }
            *slot = instance.finishedAtMs;
            instances.append(instance);
        }
    }

    qint64 startedAt = 0;
    qint64 finishedAt = createdAt + kSecond;
    bool anyFailed = false;
    for (const InstanceRecord& instance : instances) {
        if (instance.startedAtMs > 0 && (startedAt == 0 || instance.startedAtMs < startedAt))
            startedAt = instance.startedAtMs;
        finishedAt = std::max(finishedAt, instance.finishedAtMs);
        anyFailed = anyFailed || instance.status == InstanceStatus::Failed;
    }
    if (cancelled)
        finishedAt = std::max(cutAt, startedAt);
    // Nothing may still be running (there is no engine): the newest runs end before now.
    const qint64 shift = std::max<qint64>(0, finishedAt - (m_now - 5 * kSecond));
    auto shifted = [shift](qint64 ms) { return ms > 0 ? ms - shift : ms; };
    run.createdAtMs = shifted(run.createdAtMs);
    run.startedAtMs = shifted(startedAt > 0 ? startedAt : createdAt + kSecond);
    run.finishedAtMs = shifted(finishedAt);
    run.status = cancelled ? RunStatus::Cancelled : anyFailed ? RunStatus::Failed : RunStatus::Succeeded;
    for (InstanceRecord& instance : instances) {
        instance.startedAtMs = shifted(instance.startedAtMs);
        instance.finishedAtMs = shifted(instance.finishedAtMs);
    }
    for (qsizetype f = m_failures.size() - 1; f >= 0 && m_failures.at(f).run == m_runs.size(); --f)
        m_failures[f].finishedAtMs = instances.at(m_failures.at(f).index).finishedAtMs;

    QStringList repoNames;
    QStringList repoPaths;
    for (int repo : repos) {
        repoNames.append(demoRepos().at(repo).name);
        repoPaths.append(repoPath(repo));
    }
    run.workflowYaml = workflowYaml(workflow, repoNames, repoPaths);
    QJsonObject request;
    request.insert(QStringLiteral("display_name"), run.workflowPath);
    request.insert(QStringLiteral("base_dir"), QString(m_dataDir + QStringLiteral("/demo-workflows")));
    request.insert(QStringLiteral("params"), QJsonObject());
    request.insert(QStringLiteral("max_concurrent"), 0);
    request.insert(QStringLiteral("pool"), QString());
    request.insert(QStringLiteral("repos_from_file"), true);
    run.requestJson = QJsonDocument(request).toJson(QJsonDocument::Compact);
    m_store.insertRun(run, instances);

    const bool fullOutput = number >= m_size.runs - kRunsWithFullOutput;
    for (qsizetype i = 0; i < instances.size(); ++i) {
        const InstanceRecord& instance = instances.at(i);
        if (instance.startedAtMs <= 0)
            continue;
        const FailureSample* failure = samples.at(i) >= 0 ? &failureSamples().at(samples.at(i)) : nullptr;
        addAttempts(instance, failure);
        addOutput(instance, workflow.tasks.at(instance.index / repoCount), failure, fullOutput);
    }
    flushAttempts(false);
    flushLogs(false);
    m_runs.append({run.id, workflowIndex, repos, run.finishedAtMs});
}

void Generator::addAttempts(const InstanceRecord& instance, const FailureSample* failure) {
    qint64 begin = instance.startedAtMs;
    const qint64 each =
        std::max<qint64>(1, (instance.finishedAtMs - instance.startedAtMs) / instance.attempts);
    for (int attempt = 1; attempt <= instance.attempts; ++attempt) {
        AttemptRecord record;
        record.runId = instance.runId;
        record.index = instance.index;
        record.attempt = attempt;
        record.startedAtMs = begin;
        record.finishedAtMs = attempt == instance.attempts ? instance.finishedAtMs : begin + each - kSecond;
        record.exitCode = instance.exitCode;
        record.signal = instance.signal;
        record.category = instance.category;
        record.error = failure || instance.status == InstanceStatus::Cancelled ? instance.error : QString();
        m_attempts.append(record);
        begin += each;
    }
}

void Generator::addOutput(const InstanceRecord& instance, const DemoTask& task, const FailureSample* failure,
                          bool full) {
    if (!full && !failure)
        return;
    const int count = !full ? 6 : failure ? m_random.between(30, 70) : m_random.between(12, 40);
    const QStringList tail = failure ? failure->output : QStringList();
    const qint64 span = std::max<qint64>(1, instance.finishedAtMs - instance.startedAtMs);
    const quint64 salt = m_random.bits();
    const int total = count + int(tail.size());
    for (int line = 0; line < total; ++line) {
        LogLine log;
        log.runId = instance.runId;
        log.index = instance.index;
        log.tsMs = instance.startedAtMs + span * line / total;
        if (line < count) {
            log.text = outputLine(task, instance.repo, line, failure ? count + 1 : count, salt);
            log.stream = LogStream::Stdout;
        } else {
            log.text = tail.at(line - count);
            log.stream = LogStream::Stderr;
        }
        m_logs.append(log);
    }
    if (failure && instance.attempts > 1) {
        LogLine retry;
        retry.runId = instance.runId;
        retry.index = instance.index;
        retry.tsMs = instance.startedAtMs + span / 2;
        retry.stream = LogStream::System;
        retry.text = QStringLiteral("attempt 1 failed (%1), retrying").arg(instance.error);
        m_logs.append(retry);
    }
}

void Generator::flushLogs(bool force) {
    if (m_logs.isEmpty() || (!force && m_logs.size() < kLogBatch))
        return;
    m_store.appendLogLines(std::exchange(m_logs, {}));
}

void Generator::flushAttempts(bool force) {
    if (m_attempts.isEmpty() || (!force && m_attempts.size() < kAttemptBatch))
        return;
    m_store.insertAttempts(std::exchange(m_attempts, {}));
}

} // namespace signalbox::demo::detail
