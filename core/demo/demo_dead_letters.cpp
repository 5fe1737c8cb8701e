#include "demo/demo_generator.h"
#include "dlq/history.h"
#include "dlq/retry_policy.h"
#include "dlq/signature.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <climits>

namespace signalbox::demo::detail {

QString Generator::signatureOf(const QString& taskId, int sample, int repo) {
    const QString key =
        taskId + QLatin1Char('/') + QString::number(sample) + QLatin1Char('/') + QString::number(repo);
    auto it = m_signatures.constFind(key);
    if (it == m_signatures.constEnd())
        it = m_signatures.insert(
            key, dlq::errorSignature(taskId, failureSamples().at(sample).error, repoPath(repo)));
    return *it;
}

dlq::DeadLetter Generator::makeLetter(const LetterPlan& plan, dlq::DlqStatus status) {
    using dlq::DlqStatus;
    const RunRef& run = m_runs.at(plan.run);
    const DemoWorkflow& workflow = demoWorkflows().at(run.workflow);
    const int repoCount = int(run.repos.size());
    const DemoTask& task = workflow.tasks.at(plan.index / repoCount);
    const int repo = run.repos.at(plan.index % repoCount);
    const FailureSample& failure = failureSamples().at(plan.sample);

    dlq::DeadLetter entry;
    entry.runId = run.id;
    entry.index = plan.index;
    entry.workflow = workflow.name;
    entry.taskId = task.id;
    entry.repo = demoRepos().at(repo).name;
    entry.repoPath = repoPath(repo);
    entry.status = status;
    entry.category = failure.category;
    entry.policy = dlq::defaultPolicyFor(failure.category);
    entry.maxRetries = dlq::kDefaultMaxRetries;
    entry.error = failure.error;
    entry.exitCode = failure.exitCode;
    entry.signal = failure.signal;
    entry.signature = signatureOf(entry.taskId, plan.sample, repo);
    entry.enqueuedAtMs = plan.enqueuedAtMs;
    entry.original.argv = {QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("echo \"%1 in %2\"").arg(task.command, entry.repo)};
    entry.original.env = {{QStringLiteral("SIGNALBOX_RUN_ID"), run.id},
                          {QStringLiteral("SIGNALBOX_TASK_ID"), task.id},
                          {QStringLiteral("SIGNALBOX_REPO_NAME"), entry.repo}};
    entry.original.workingDir = entry.repoPath;
    entry.original.pool = QStringLiteral("local");
    entry.outputTail = failure.output.join(QLatin1Char('\n'));

    const qint64 room = std::max<qint64>(kMinute, m_now - plan.enqueuedAtMs);
    switch (status) {
    case DlqStatus::Pending:
        entry.attempts = m_random.between(1, entry.maxRetries);
        break;
    case DlqStatus::Retrying:
        entry.attempts = 2;
        break;
    case DlqStatus::Exhausted:
        entry.attempts = entry.maxRetries + 1;
        break;
    case DlqStatus::Completed:
        entry.attempts = m_random.between(1, 2);
        break;
    case DlqStatus::Archived:
        entry.attempts = m_random.between(1, entry.maxRetries + 1);
        break;
    }
    QJsonArray history;
    qint64 at = plan.enqueuedAtMs;
    auto add = [&history, &at](const QString& event, const QString& detail, std::optional<int> exitCode,
                               const QString& actor = QStringLiteral("auto")) {
        dlq::HistoryEvent e;
        e.atMs = at;
        e.event = event;
        e.actor = actor;
        e.detail = detail;
        e.exitCode = exitCode;
        if (event == QLatin1String("retry-succeeded"))
            e.runStatus = QStringLiteral("succeeded");
        history.append(dlq::toJson(e));
    };
    const qint64 gap = std::max<qint64>(kSecond, room / (entry.attempts + 2));
    add(QStringLiteral("enqueued"), entry.error, entry.exitCode);
    for (int retry = 1; retry < entry.attempts; ++retry) {
        at += gap;
        add(QStringLiteral("retry-started"), {}, std::nullopt);
        at += std::min<qint64>(gap / 2, 5 * kMinute);
        add(QStringLiteral("retry-failed"), entry.error, entry.exitCode);
        ++m_counters.retryFailed;
    }
    at += gap;
    switch (status) {
    case DlqStatus::Pending:
        if (entry.policy != dlq::RetryPolicy::Never)
            entry.nextRetryAtMs = m_now + m_random.between64(10 * kMinute, 3 * kHour);
        break;
    case DlqStatus::Retrying:
        add(QStringLiteral("retry-started"), {}, std::nullopt);
        break;
    case DlqStatus::Exhausted:
        add(QStringLiteral("exhausted"), entry.error, entry.exitCode);
        ++m_counters.exhausted;
        break;
    case DlqStatus::Completed:
        add(QStringLiteral("retry-started"), {}, std::nullopt, QStringLiteral("demo"));
        at += std::min<qint64>(gap / 2, 5 * kMinute);
        add(QStringLiteral("retry-succeeded"), {}, 0, QStringLiteral("demo"));
        ++m_counters.retrySuccess;
        ++m_counters.manualRetries;
        break;
    case DlqStatus::Archived:
        add(QStringLiteral("archived"), QStringLiteral("known issue, tracked elsewhere"), std::nullopt,
            QStringLiteral("demo"));
        ++m_counters.archived;
        break;
    }
    entry.updatedAtMs = std::min(at, m_now);
    entry.historyJson = QJsonDocument(history).toJson(QJsonDocument::Compact);
    return entry;
}

void Generator::writeDeadLetters() {
    using dlq::DlqStatus;
    if (m_size.deadLetters <= 0 || m_runs.isEmpty())
        return;
    QList<LetterPlan> plans;
    plans.reserve(m_size.deadLetters);
    // The newest failures each have their dead letter; the rest are older failures of
    // instances that a retry has since fixed (their entries completed or archived).
    const qsizetype fromFailures = std::min<qsizetype>(m_failures.size(), m_size.deadLetters);
    for (qsizetype i = m_failures.size() - fromFailures; i < m_failures.size(); ++i) {
        const FailedInstance& failed = m_failures.at(i);
        plans.append({failed.run, failed.index, failed.sample, failed.finishedAtMs, true});
    }
    while (plans.size() < m_size.deadLetters) {
        const int run = m_random.between(0, int(m_runs.size()) - 1);
        const RunRef& ref = m_runs.at(run);
        const qint64 enqueuedAt = std::max<qint64>(1, ref.finishedAtMs - m_random.between64(0, 10 * kMinute));
        const int index = m_random.between(0, ref.instanceCount() - 1);
        const DemoWorkflow& workflow = demoWorkflows().at(ref.workflow);
        const QString& taskId = workflow.tasks.at(index / int(ref.repos.size())).id;
        plans.append({run, index, pickFailure(taskId), enqueuedAt, false});
    }
    std::stable_sort(plans.begin(), plans.end(), [](const LetterPlan& a, const LetterPlan& b) {
        return a.enqueuedAtMs < b.enqueuedAtMs;
    });

    int retrying = 0;
    auto statusFor = [&](qsizetype position, const LetterPlan& plan) {
        // The newest five show every status, whatever the size.
        const qsizetype fromNewest = plans.size() - 1 - position;
        if (fromNewest < 5) {
            const auto forced = DlqStatus(int(fromNewest));
            retrying += forced == DlqStatus::Retrying ? 1 : 0;
            return forced;
        }
        if (!plan.instanceFailed)
            return m_random.chance(0.75) ? DlqStatus::Completed : DlqStatus::Archived;
        const double roll = m_random.real(0.0, 1.0);
        if (roll < 0.01 && retrying < kMaxRetrying) {
            ++retrying;
            return DlqStatus::Retrying;
        }
        return roll < 0.45   ? DlqStatus::Pending
               : roll < 0.7  ? DlqStatus::Exhausted
               : roll < 0.85 ? DlqStatus::Completed
                             : DlqStatus::Archived;
    };

    QList<dlq::DeadLetter> batch;
    for (qsizetype i = 0; i < plans.size(); ++i) {
        batch.append(makeLetter(plans.at(i), statusFor(i, plans.at(i))));
        if (batch.size() >= kDlqBatch || i + 1 == plans.size())
            m_store.dlqEnqueue(std::exchange(batch, {}), INT_MAX);
        if ((i + 1) % kSyncEveryDeadLetters == 0)
            m_store.sync();
    }
    // enqueued is counted by dlqEnqueue itself; the others tell the story the history does.
    m_store.dlqUpdate({}, m_counters);
}

} // namespace signalbox::demo::detail
