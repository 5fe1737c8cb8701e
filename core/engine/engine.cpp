#include "engine/engine.h"

#include "domain/clock.h"
#include "domain/commit_announcer.h"
#include "domain/ids.h"
#include "engine/error_classifier.h"
#include "engine/output_protocol.h"
#include "engine/quality_score.h"
#include "engine/run_planner.h"
#include "engine/scheduler.h"
#include "logs/logging.h"
#include "pools/orphan_group.h"
#include "store/store.h"

#include <QHash>
#include <QMetaMethod>
#include <QProcessEnvironment>
#include <QSet>
#include <QVector>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace signalbox::engine {
namespace {

constexpr int kLogBatchLines = 2048; // log lines buffered before they go to the store mid-turn
// Output kept per running instance for the dead letter queue: the last lines of the
// current attempt, at most this many and (when joined) at most kTailChars characters.
constexpr qsizetype kTailLines = 40;
constexpr qsizetype kTailChars = 4096;

struct InstanceState {
    InstanceRecord rec;
    QList<int> dependents;
    int unmet = 0; // dependencies not (yet) succeeded
    int poolKey = 0;
    quint64 token = 0;   // while running
    int attemptsNow = 0; // attempts in this activation (in-run retries)
    qint64 attemptStartedMs = 0;
    ErrorCategory declared = ErrorCategory::None; // last ::error of the current attempt
    QString declaredMessage;
    bool dirty = false;
    // Dead letter support: what this activation runs instead of the plan (edit-and-retry),
    // the last output lines of the current attempt, and an outcome the sink has not heard.
    std::optional<dlq::LaunchRecipe> recipe;
    QStringList tail;
    enum class Outcome { None, Failed, Finished } outcome = Outcome::None;
};

struct RunState {
    int key = 0;
    RunRecord rec;
    PlannedRun planned;
    QVector<InstanceState> inst;
    int unfinished = 0; // instances pending or running
    int running = 0;
    bool cancelling = false;
    bool finishing = false;
    bool dirty = false;
};

QString instanceLabel(const InstanceRecord& rec) {
    return rec.repo.isEmpty() ? rec.taskId : rec.taskId + u'[' + rec.repo + u']';
}

} // namespace

struct Engine::Impl {
    Engine* q;
    store::Store& store;
    EngineOptions options;
    std::shared_ptr<CommitAnnouncer> announcer;
    QMap<QString, QString> baseEnv;
    // baseEnv with the planned env of the last launch on top, and that env's names (in
    // order). Instances of a task (and usually of a run) have the same names, so the next
    // launch only replaces the values: no copy of the whole environment per launch while
    // the pool keeps no reference to the last one.
    QMap<QString, QString> launchEnv;
    QStringList launchEnvNames;
    bool launchEnvValid = false;

    // Pools.
    QHash<QString, int> poolKeys;
    std::vector<Launcher*> launchers; // by pool key; owned (children of q)
    QStringList poolNames;

    Scheduler scheduler;
    OutcomeSink* sink = nullptr;

    // Runs.
    struct Prepared {
        RunRecord rec;
        PlannedRun planned;
        QList<InstanceRecord> records;
    };
    QHash<QString, Prepared> prepared; // created, not started
    std::map<int, std::unique_ptr<RunState>> runs;
    QHash<QString, RunState*> runsById;
    int nextRunKey = 1;
    QHash<quint64, QPair<RunState*, int>> tokens;
    quint64 nextToken = 1;

    // Batching: what the next flush writes and announces.
    QList<LogLine> logBuffer;
    QList<AttemptRecord> attemptBuffer;
    QHash<QString, int> logCounts; // per run, lines not yet announced
    QVector<QPair<RunState*, int>> dirtyInstances;
    QVector<RunState*> dirtyRuns;
    bool flushPosted = false;
    bool poolsChangedPosted = false;
    bool pumping = false;
    bool pumpAgain = false;

    Impl(Engine* engine, store::Store& s, EngineOptions o)
        : q(engine)
        , store(s)
        , options(o) {
        announcer = std::make_shared<CommitAnnouncer>(engine);
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys())
            baseEnv.insert(key, env.value(key));
    }

    static qint64 now() { return Clock::instance().nowMs(); }

    // ---- batching ------------------------------------------------------------------

    // The flush runs two event-loop turns later: launches finishing on the next turn (a
    // fast pool) then coalesce with their start into one write per instance.
    void scheduleFlush() {
        if (flushPosted)
            return;
        flushPosted = true;
        QMetaObject::invokeMethod(
            q,
            [this] {
                QMetaObject::invokeMethod(
                    q, [this] { flush(); }, Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    void markDirty(RunState* run, int index) {
        InstanceState& s = run->inst[index];
        if (!s.dirty) {
            s.dirty = true;
            dirtyInstances.append({run, index});
        }
        scheduleFlush();
    }

    void markRunDirty(RunState* run) {
        if (!run->dirty) {
            run->dirty = true;
            dirtyRuns.append(run);
        }
        scheduleFlush();
    }

    void writeLogs() {
        if (!logBuffer.isEmpty())
            store.appendLogLines(std::exchange(logBuffer, {}));
    }

    // Writes everything changed since the last flush (logs, then instances, then runs, in
    // that order), then announces it once the store says it all committed.
    void flush() {
        flushPosted = false;
        writeLogs();

        struct Announcements {
            QList<QPair<QString, int>> logs;
            QList<InstanceRecord> instances;
            QList<QPair<QString, RunStatus>> runs;
        };
        auto announce = std::make_shared<Announcements>();
        static const QMetaMethod instanceSignal = QMetaMethod::fromSignal(&Engine::instanceChanged);
        const bool wantInstances = q->isSignalConnected(instanceSignal);

        for (auto it = logCounts.cbegin(); it != logCounts.cend(); ++it)
            announce->logs.append({it.key(), it.value()});
        logCounts.clear();

        if (!attemptBuffer.isEmpty())
            store.insertAttempts(std::exchange(attemptBuffer, {}));
        QList<InstanceRecord> changed;
        changed.reserve(dirtyInstances.size());
        QList<QPair<RunState*, int>> settled;
        for (const auto& [run, index] : std::as_const(dirtyInstances)) {
            InstanceState& s = run->inst[index];
            s.dirty = false;
            changed.append(s.rec);
            if (s.outcome != InstanceState::Outcome::None)
                settled.append({run, index});
        }
        dirtyInstances.clear();
        if (wantInstances)
            announce->instances = changed;
        if (!changed.isEmpty())
            store.updateInstances(std::move(changed));
        // After the instances' write is queued: what the sink writes lands in that batch
        // (or the next), so a failed instance and its dead letter commit together.
        for (const auto& [run, index] : std::as_const(settled))
            reportOutcome(run, index);

        QList<int> ended;
        for (RunState* run : std::as_const(dirtyRuns)) {
            run->dirty = false;
            store.updateRun(run->rec);
            announce->runs.append({run->rec.id, run->rec.status});
            if (run->finishing)
                ended.append(run->key);
        }
        dirtyRuns.clear();
        for (int key : ended)
            forgetRun(key);

        if (announce->logs.isEmpty() && announce->instances.isEmpty() && announce->runs.isEmpty())
            return;
        Engine* engine = q;
        store.whenCommitted([announcer = announcer, announce, engine] {
            announcer->post([announce, engine] {
                for (const auto& [runId, count] : std::as_const(announce->logs))
                    Q_EMIT engine->logLinesAppended(runId, count);
                for (const InstanceRecord& rec : std::as_const(announce->instances))
                    Q_EMIT engine->instanceChanged(rec);
                for (const auto& [runId, status] : std::as_const(announce->runs)) {
                    Q_EMIT engine->runStatusChanged(runId, status);
                    if (isTerminal(status))
                        Q_EMIT engine->runFinished(runId, status);
                }
            });
        });
    }

    void reportOutcome(RunState* run, int index) {
        InstanceState& s = run->inst[index];
        const InstanceState::Outcome outcome = std::exchange(s.outcome, InstanceState::Outcome::None);
        if (!sink)
            return;
        if (outcome == InstanceState::Outcome::Finished) {
            sink->instanceFinished(s.rec);
            return;
        }
        const workflow::PlannedInstance& plan = run->planned.plan.instances[index];
        FailedInstance failure;
        failure.instance = s.rec;
        failure.workflow = run->rec.workflow;
        failure.recipe = recipeOf(run, index);
        failure.dlqPolicy = plan.dlqPolicy;
        QString tail = s.tail.join(u'\n');
        if (tail.size() > kTailChars)
            tail = tail.right(kTailChars);
        failure.outputTail = std::move(tail);
        sink->instanceFailed(failure);
    }

    // What an instance runs: the plan, or the recipe its retry was given.
    dlq::LaunchRecipe recipeOf(RunState* run, int index) const {
        const InstanceState& s = run->inst[index];
        if (s.recipe)
            return *s.recipe;
        const workflow::PlannedInstance& plan = run->planned.plan.instances[index];
        return dlq::LaunchRecipe{plan.argv, plan.env, plan.workingDir, plan.pool};
    }

    void forgetRun(int key) {
        const auto it = runs.find(key);
        if (it == runs.end())
            return;
        scheduler.removeRun(key);
        runsById.remove(it->second->rec.id);
        runs.erase(it);
    }

    // ---- activation ----------------------------------------------------------------

    RunState* activate(RunRecord rec, PlannedRun planned, const QList<InstanceRecord>& records,
                       QString* error) {
        const auto& plan = planned.plan.instances;
        if (plan.size() != records.size()) {
            if (error)
                *error =
                    QStringLiteral("run %1: its recorded instances no longer match its workflow snapshot")
                        .arg(rec.id);
            return nullptr;
        }
        auto run = std::make_unique<RunState>();
        run->key = nextRunKey++;
        run->inst.resize(plan.size());
        QString lastPool; // instances of a task share their pool: look each name up once
        int lastPoolKey = 0;
        for (qsizetype i = 0; i < plan.size(); ++i) {
            InstanceState& s = run->inst[i];
            s.rec = records[i];
            if (s.rec.index != plan[i].index || s.rec.taskId != plan[i].taskId) {
                if (error)
                    *error =
                        QStringLiteral("run %1: its recorded instances no longer match its workflow snapshot")
                            .arg(rec.id);
                return nullptr;
            }
            if (lastPool.isNull() || plan[i].pool != lastPool) {
                const auto pool = poolKeys.constFind(plan[i].pool);
                if (pool == poolKeys.constEnd()) {
                    if (error)
                        *error = QStringLiteral("run %1: task '%2' uses unknown pool '%3'")
                                     .arg(rec.id, plan[i].taskId, plan[i].pool);
                    return nullptr;
                }
                lastPool = plan[i].pool;
                lastPoolKey = pool.value();
            }
            s.poolKey = lastPoolKey;
        }
        for (qsizetype i = 0; i < plan.size(); ++i) {
            for (int dep : plan[i].dependsOn) {
                if (dep >= 0 && dep < run->inst.size())
                    run->inst[dep].dependents.append(static_cast<int>(i));
            }
        }
        run->rec = std::move(rec);
        run->planned = std::move(planned);
        RunState* raw = run.get();
        runs.emplace(raw->key, std::move(run));
        runsById.insert(raw->rec.id, raw);
        scheduler.addRun(raw->key, raw->rec.maxConcurrent);
        return raw;
    }

    void recountDependencies(RunState* run) {
        const auto& plan = run->planned.plan.instances;
        run->unfinished = 0;
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            InstanceState& s = run->inst[i];
            s.unmet = 0;
            for (int dep : plan[i].dependsOn) {
                if (dep >= 0 && dep < run->inst.size() &&
                    run->inst[dep].rec.status != InstanceStatus::Succeeded)
                    ++s.unmet;
            }
            if (!isTerminal(s.rec.status))
                ++run->unfinished;
        }
    }

    // Starts a run whose instances are in their initial state for this activation.
    void begin(RunState* run, bool announceAll) {
        recountDependencies(run);
        run->rec.status = RunStatus::Running;
        if (run->rec.startedAtMs <= 0)
            run->rec.startedAtMs = now();
        run->rec.finishedAtMs = 0;
        markRunDirty(run);
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            InstanceState& s = run->inst[i];
            if (announceAll)
                markDirty(run, static_cast<int>(i));
            if (s.rec.status == InstanceStatus::Pending && s.unmet == 0)
                scheduler.enqueue(run->key, static_cast<int>(i), s.poolKey);
        }
        if (run->unfinished == 0)
            finishRun(run);
        pump();
    }

    // ---- state machine -------------------------------------------------------------

    // Live state, so no commit to wait for; one poolsChanged per turn whatever changed.
    void notePoolsChanged() {
        if (poolsChangedPosted)
            return;
        static const QMetaMethod poolsSignal = QMetaMethod::fromSignal(&Engine::poolsChanged);
        if (!q->isSignalConnected(poolsSignal))
            return;
        poolsChangedPosted = true;
        QMetaObject::invokeMethod(
            q,
            [this] {
                poolsChangedPosted = false;
                Q_EMIT q->poolsChanged();
            },
            Qt::QueuedConnection);
    }

    void pump() {
        // Whoever calls pump() changed what is ready or running (or the pools' limits).
        notePoolsChanged();
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        do {
            pumpAgain = false;
            const QList<Scheduler::Start> starts = scheduler.takeStartable();
            for (const Scheduler::Start& start : starts)
                launch(start);
        } while (pumpAgain);
        pumping = false;
    }

    void launch(const Scheduler::Start& start) {
        const auto it = runs.find(start.run);
        if (it == runs.end())
            return;
        RunState* run = it->second.get();
        InstanceState& s = run->inst[start.instance];
        const workflow::PlannedInstance& plan = run->planned.plan.instances[start.instance];
        const qint64 t = now();
        s.rec.status = InstanceStatus::Running;
        ++s.rec.attempts;
        ++s.attemptsNow;
        if (s.attemptsNow == 1 || s.rec.startedAtMs <= 0)
            s.rec.startedAtMs = t;
        s.rec.finishedAtMs = 0;
        s.rec.exitCode.reset();
        s.rec.signal.reset();
        s.rec.category = ErrorCategory::None;
        s.rec.error.clear();
        s.attemptStartedMs = t;
        s.declared = ErrorCategory::None;
        s.declaredMessage.clear();
        s.tail.clear();
        const quint64 token = nextToken++;
        s.token = token;
        tokens.insert(token, {run, start.instance});
        ++run->running;
        markDirty(run, start.instance);

        LaunchSpec spec;
        if (s.recipe) {
            spec.argv = s.recipe->argv;
            spec.workingDir = s.recipe->workingDir;
            spec.env = environmentFor(s.recipe->env);
        } else {
            spec.argv = plan.argv;
            spec.workingDir = plan.workingDir;
            spec.env = environmentFor(plan.env);
        }
        spec.timeoutMs = plan.timeoutMs;
        spec.killGraceMs = options.killGraceMs;
        launchers[static_cast<std::size_t>(s.poolKey)]->start(token, spec);
    }

    // baseEnv with planned on top.
    QMap<QString, QString> environmentFor(const QMap<QString, QString>& planned) {
        bool sameNames = launchEnvValid && launchEnvNames.size() == planned.size();
        if (sameNames) {
            qsizetype i = 0;
            for (auto e = planned.cbegin(); e != planned.cend(); ++e, ++i) {
                if (e.key() != launchEnvNames.at(i)) {
                    sameNames = false;
                    break;
                }
            }
        }
        if (sameNames) {
            for (auto e = planned.cbegin(); e != planned.cend(); ++e) {
                const auto it = launchEnv.find(e.key()); // detaches only if a pool kept the last one
                if (it.value() != e.value())
                    it.value() = e.value();
            }
            return launchEnv;
        }
        launchEnv = baseEnv;
        for (auto e = planned.cbegin(); e != planned.cend(); ++e)
            launchEnv.insert(e.key(), e.value());
        launchEnvNames = planned.keys();
        launchEnvValid = true;
        return launchEnv;
    }

    void systemLog(RunState* run, int index, const QString& text) {
        logBuffer.append(LogLine{0, run->rec.id, index, LogStream::System, now(), text});
        ++logCounts[run->rec.id];
    }

    void handleLines(quint64 token, int stream, const QList<QByteArray>& lines) {
        const auto it = tokens.constFind(token);
        if (it == tokens.constEnd())
            return;
        RunState* run = it->first;
        const int index = it->second;
        InstanceState& s = run->inst[index];
        const qint64 t = now();
        const LogStream logStream = stream == 1 ? LogStream::Stderr : LogStream::Stdout;
        for (const QByteArray& bytes : lines) {
            QString text = QString::fromUtf8(bytes); // invalid sequences become U+FFFD
            const bool maybeDirective = stream == 0 && text.startsWith(QLatin1StringView("::"));
            const OutputDirective directive = maybeDirective ? parseOutputLine(text) : OutputDirective{};
            if (s.tail.size() >= kTailLines)
                s.tail.removeFirst();
            s.tail.append(text);
            logBuffer.append(LogLine{0, run->rec.id, index, logStream, t, std::move(text)});
            if (maybeDirective) // after the line, so an explanation follows what it explains
                applyDirective(run, index, s, directive);
        }
        logCounts[run->rec.id] += static_cast<int>(lines.size());
        if (logBuffer.size() >= kLogBatchLines)
            writeLogs();
        scheduleFlush();
    }

    void applyDirective(RunState* run, int index, InstanceState& s, const OutputDirective& directive) {
        switch (directive.kind) {
        case OutputDirective::Kind::Metric:
            s.rec.metrics.insert(directive.name, directive.value);
            store.recordMetric(run->rec.id, index, directive.name, directive.value);
            break;
        case OutputDirective::Kind::Error:
            s.declared = directive.category;
            s.declaredMessage = directive.message;
            break;
        case OutputDirective::Kind::Progress:
            s.rec.progress = QString::number(directive.done) + u'/' + QString::number(directive.total);
            markDirty(run, index);
            break;
        case OutputDirective::Kind::Malformed:
            // The line itself is kept as a log line; say why it did not count, so a
            // typo in "::metric" does not silently lose the metric.
            systemLog(run, index, QStringLiteral("ignored directive: %1").arg(directive.message));
            break;
        case OutputDirective::Kind::LogLine:
            break;
        }
    }

    // Recorded with the instance (in the same batched write as its `running` state when
    // both happen in one turn) so the next process can stop what a killed engine left.
    void handleStarted(quint64 token, qint64 pid) {
        const auto it = tokens.constFind(token);
        if (it == tokens.constEnd() || pid <= 0)
            return;
        InstanceState& s = it->first->inst[it->second];
        if (s.rec.pid != pid) {
            s.rec.pid = pid;
            markDirty(it->first, it->second);
        }
    }

    void handleFinished(quint64 token, const LaunchResult& result) {
        const auto it = tokens.constFind(token);
        if (it == tokens.constEnd())
            return;
        RunState* run = it->first;
        const int index = it->second;
        tokens.erase(it);
        InstanceState& s = run->inst[index];
        const workflow::PlannedInstance& plan = run->planned.plan.instances[index];
        s.token = 0;
        s.rec.pid.reset();
        --run->running;
        scheduler.finished(run->key, s.poolKey);

        const qint64 t = now();
        const Classification verdict = classify(result, s.declared, s.declaredMessage);
        AttemptRecord attempt;
        attempt.runId = run->rec.id;
        attempt.index = index;
        attempt.attempt = s.rec.attempts;
        attempt.startedAtMs = s.attemptStartedMs;
        attempt.finishedAtMs = t;
        attempt.exitCode = result.exitCode;
        attempt.signal = result.signal;
        attempt.category = verdict.category;
        attempt.error =
            result.end == LaunchResult::End::Cancelled ? QStringLiteral("cancelled") : verdict.error;
        attemptBuffer.append(std::move(attempt));
        scheduleFlush();

        s.rec.exitCode = result.exitCode;
        s.rec.signal = result.signal;
        s.rec.finishedAtMs = t;
        // Marked before its dependents are settled below, so the batch announces the
        // cause (this instance) before the effect (dependents skipped or cancelled).
        markDirty(run, index);
        const bool cancelled = result.end == LaunchResult::End::Cancelled ||
                               (run->cancelling && verdict.category != ErrorCategory::None);
        if (!cancelled && verdict.category == ErrorCategory::None) {
            s.rec.status = InstanceStatus::Succeeded;
            s.outcome = InstanceState::Outcome::Finished;
            --run->unfinished;
            for (int dependent : std::as_const(s.dependents)) {
                InstanceState& d = run->inst[dependent];
                if (--d.unmet == 0 && d.rec.status == InstanceStatus::Pending && !run->cancelling)
                    scheduler.enqueue(run->key, dependent, d.poolKey);
            }
        } else if (cancelled) {
            s.rec.status = InstanceStatus::Cancelled;
            s.rec.error = QStringLiteral("cancelled");
            s.outcome = InstanceState::Outcome::Finished;
            --run->unfinished;
            cancelDependents(run, index);
        } else if (s.attemptsNow <= plan.retries) {
            systemLog(run, index,
                      QStringLiteral("attempt %1 failed (%2); retrying (%3 of %4)")
                          .arg(QString::number(s.rec.attempts), verdict.error, QString::number(s.attemptsNow),
                               QString::number(plan.retries)));
            s.rec.status = InstanceStatus::Pending;
            s.rec.finishedAtMs = 0;
            scheduler.enqueue(run->key, index, s.poolKey);
        } else {
            s.rec.status = InstanceStatus::Failed;
            s.rec.category = verdict.category;
            s.rec.error = verdict.error;
            s.outcome = InstanceState::Outcome::Failed;
            --run->unfinished;
            systemLog(run, index,
                      QStringLiteral("failed: %1 (%2)").arg(verdict.error, toString(verdict.category)));
            skipDependents(run, index);
        }
        if (run->unfinished == 0 && run->running == 0)
            finishRun(run);
        pump();
    }

    // Pending dependents of a failed instance (transitively) become skipped.
    void skipDependents(RunState* run, int index) {
        const QString reason = QStringLiteral("upstream %1 failed").arg(instanceLabel(run->inst[index].rec));
        settleDependents(run, index, InstanceStatus::Skipped, reason);
    }

    void cancelDependents(RunState* run, int index) {
        settleDependents(run, index, InstanceStatus::Cancelled, QStringLiteral("cancelled"));
    }

    void settleDependents(RunState* run, int index, InstanceStatus status, const QString& reason) {
        QList<int> stack = run->inst[index].dependents;
        while (!stack.isEmpty()) {
            const int i = stack.takeLast();
            InstanceState& d = run->inst[i];
            if (d.rec.status != InstanceStatus::Pending)
                continue;
            d.rec.status = status;
            d.rec.error = reason;
            --run->unfinished;
            markDirty(run, i);
            stack.append(d.dependents);
        }
    }

    void finishRun(RunState* run) {
        if (run->finishing)
            return;
        run->finishing = true;
        bool anyFailed = false;
        bool anyCancelled = false;
        QList<InstanceRecord> records;
        records.reserve(run->inst.size());
        for (const InstanceState& s : std::as_const(run->inst)) {
            anyFailed = anyFailed || s.rec.status == InstanceStatus::Failed;
            anyCancelled = anyCancelled || s.rec.status == InstanceStatus::Cancelled ||
                           s.rec.status == InstanceStatus::Interrupted;
            records.append(s.rec);
        }
        if (run->cancelling)
            run->rec.status = RunStatus::Cancelled;
        else if (anyFailed)
            run->rec.status = RunStatus::Failed;
        else if (anyCancelled)
            run->rec.status = RunStatus::Cancelled;
        else
            run->rec.status = RunStatus::Succeeded;
        run->rec.finishedAtMs = now();
        run->rec.qualityGate = run->planned.workflow.qualityGate;
        run->rec.qualityScore = qualityScore(run->planned.workflow, records);
        markRunDirty(run);
    }

    void cancel(RunState* run) {
        if (run->cancelling || run->finishing)
            return;
        run->cancelling = true;
        scheduler.clearReady(run->key);
        notePoolsChanged();
        QList<quint64> running;
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            InstanceState& s = run->inst[i];
            if (s.rec.status == InstanceStatus::Pending) {
                s.rec.status = InstanceStatus::Cancelled;
                s.rec.error = QStringLiteral("cancelled");
                s.outcome = InstanceState::Outcome::Finished; // e.g. a dead letter retry that never started
                --run->unfinished;
                markDirty(run, static_cast<int>(i));
            } else if (s.rec.status == InstanceStatus::Running && s.token != 0) {
                running.append(s.token);
            }
        }
        for (quint64 token : std::as_const(running)) {
            const auto it = tokens.constFind(token);
            if (it == tokens.constEnd())
                continue; // finished meanwhile
            launchers[static_cast<std::size_t>(it->first->inst[it->second].poolKey)]->cancel(token);
        }
        if (run->running == 0)
            finishRun(run);
    }

    // Failed instances in `retry` go back to pending; skipped ones whose failed upstream
    // is gone become pending too; with resetUnfinished, so do interrupted/cancelled/
    // pending/running ones. Succeeded instances never change.
    void revive(RunState* run, const QSet<int>& retry, bool resetUnfinished) {
        QVector<InstanceStatus> before;
        before.reserve(run->inst.size());
        for (const InstanceState& s : std::as_const(run->inst))
            before.append(s.rec.status);

        auto reset = [](InstanceState& s) {
            s.rec.status = InstanceStatus::Pending;
            s.rec.finishedAtMs = 0;
            s.rec.exitCode.reset();
            s.rec.signal.reset();
            s.rec.category = ErrorCategory::None;
            s.rec.error.clear();
            s.rec.progress.clear();
            s.rec.pid.reset();
            s.attemptsNow = 0;
        };
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            InstanceState& s = run->inst[i];
            switch (s.rec.status) {
            case InstanceStatus::Failed:
                if (retry.contains(static_cast<int>(i)))
                    reset(s);
                break;
            case InstanceStatus::Skipped:
                reset(s);
                break;
            case InstanceStatus::Cancelled:
            case InstanceStatus::Interrupted:
                // Also when retried: a dead letter retry cut short by a cancel or a crash.
                if (resetUnfinished || retry.contains(static_cast<int>(i)))
                    reset(s);
                break;
            case InstanceStatus::Pending:
            case InstanceStatus::Running:
                if (resetUnfinished)
                    reset(s);
                break;
            case InstanceStatus::Succeeded:
                break;
            }
        }
        // Whatever still depends on a failed instance stays skipped.
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            if (run->inst[i].rec.status != InstanceStatus::Failed)
                continue;
            QList<int> stack = run->inst[i].dependents;
            const QString reason = QStringLiteral("upstream %1 failed").arg(instanceLabel(run->inst[i].rec));
            while (!stack.isEmpty()) {
                InstanceState& d = run->inst[stack.takeLast()];
                if (d.rec.status != InstanceStatus::Pending)
                    continue;
                d.rec.status = InstanceStatus::Skipped;
                d.rec.error = reason;
                stack.append(d.dependents);
            }
        }
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            if (run->inst[i].rec.status != before[i])
                markDirty(run, static_cast<int>(i));
        }
    }

    bool resumeFromStore(const QString& runId, const QSet<int>& retry, QString* error,
                         const QHash<int, dlq::LaunchRecipe>& recipes = {}) {
        store.sync(); // our own earlier writes are visible to the read below
        std::optional<RunRecord> rec = store.run(runId);
        if (!rec) {
            if (error)
                *error = QStringLiteral("unknown run '%1'").arg(runId);
            return false;
        }
        switch (rec->status) {
        case RunStatus::Interrupted:
        case RunStatus::Cancelled:
        case RunStatus::Failed:
        case RunStatus::Queued:
            break;
        case RunStatus::Running:
            if (error)
                *error = QStringLiteral("run %1 is running in another process").arg(runId);
            return false;
        case RunStatus::Succeeded:
            if (error)
                *error = QStringLiteral("run %1 already succeeded; nothing to resume").arg(runId);
            return false;
        }
        std::optional<PlannedRun> planned = planner().replan(*rec, nullptr);
        if (!planned) {
            workflow::Diagnostics diagnostics;
            planner().replan(*rec, &diagnostics);
            if (error)
                *error = QStringLiteral("run %1 cannot be re-planned from its snapshot: %2")
                             .arg(runId, diagnostics.isEmpty() ? QString() : diagnostics.first().format());
            return false;
        }
        prepared.remove(runId);
        RunState* run = activate(std::move(*rec), std::move(*planned), store.instances(runId), error);
        if (!run)
            return false;
        revive(run, retry, true);
        applyRecipes(run, recipes);
        begin(run, false);
        return true;
    }

    // Edit-and-retry: those instances run the given recipe in this activation.
    void applyRecipes(RunState* run, const QHash<int, dlq::LaunchRecipe>& recipes) {
        for (auto it = recipes.cbegin(); it != recipes.cend(); ++it) {
            if (it.key() < 0 || it.key() >= run->inst.size())
                continue;
            InstanceState& s = run->inst[it.key()];
            s.recipe = it.value();
            s.poolKey = poolKeys.value(it.value().pool, s.poolKey);
        }
    }

    RunPlanner planner() const {
        QSet<QString> names(poolNames.cbegin(), poolNames.cend());
        return RunPlanner(std::move(names), store.catalog(), options.allowedRoots);
    }
};

Engine::Engine(store::Store& store, EngineOptions options, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this, store, options)) {}

Engine::~Engine() {
    { d->announcer->detach(); }
    // Stop hearing from the pools before they go (a dying pool reports its launches).
    for (Launcher* launcher : d->launchers)
        disconnect(launcher, nullptr, this, nullptr);
    // What is still running is interrupted (or cancelled, when a cancel was under way):
    // record it so `runs resume` can continue.
    const qint64 t = Impl::now();
    for (auto& [key, run] : d->runs) {
        if (run->finishing)
            continue;
        const InstanceStatus ended =
            run->cancelling ? InstanceStatus::Cancelled : InstanceStatus::Interrupted;
        for (qsizetype i = 0; i < run->inst.size(); ++i) {
            InstanceState& s = run->inst[i];
            if (s.rec.status == InstanceStatus::Pending || s.rec.status == InstanceStatus::Running) {
                s.rec.status = ended;
                s.rec.pid.reset(); // the pools below kill their children
                d->markDirty(run.get(), static_cast<int>(i));
            }
        }
        run->rec.status = run->cancelling ? RunStatus::Cancelled : RunStatus::Interrupted;
        run->rec.finishedAtMs = t;
        d->markRunDirty(run.get());
    }
    d->flush();
    for (Launcher* launcher : d->launchers)
        delete launcher;
    d->launchers.clear();
    d->store.sync(); // what this engine recorded is durable once it is gone
}

void Engine::addPool(const QString& name, Launcher* launcher) {
    if (!launcher)
        return;
    const auto existing = d->poolKeys.constFind(name);
    int key = 0;
    if (existing != d->poolKeys.constEnd()) {
        key = existing.value();
        Launcher* old = d->launchers[static_cast<std::size_t>(key)];
        disconnect(old, nullptr, this, nullptr);
        old->deleteLater();
        d->launchers[static_cast<std::size_t>(key)] = launcher;
    } else {
        key = static_cast<int>(d->launchers.size());
        d->launchers.push_back(launcher);
        d->poolKeys.insert(name, key);
        d->poolNames.append(name);
        d->poolNames.sort();
    }
    launcher->setParent(this);
    d->scheduler.setPoolCapacity(key, launcher->capacity());
    // Launcher has no capacityChanged() of its own: follow the pools that declare one.
    const QMetaObject* launcherMeta = launcher->metaObject();
    if (const int changed = launcherMeta->indexOfSignal("capacityChanged()"); changed >= 0) {
        static const QMetaMethod sync =
            staticMetaObject.method(staticMetaObject.indexOfSlot("syncPoolCapacities()"));
        connect(launcher, launcherMeta->method(changed), this, sync);
    }
    d->notePoolsChanged();
    connect(launcher, &Launcher::linesRead, this,
            [this](quint64 token, int stream, const QList<QByteArray>& lines) {
                d->handleLines(token, stream, lines);
            });
    connect(launcher, &Launcher::launchStarted, this,
            [this](quint64 token, qint64 pid) { d->handleStarted(token, pid); });
    connect(launcher, &Launcher::launchFinished, this,
            [this](quint64 token, const LaunchResult& result) { d->handleFinished(token, result); });
}

QStringList Engine::pools() const {
    return d->poolNames;
}

Launcher* Engine::pool(const QString& name) const {
    const auto it = d->poolKeys.constFind(name);
    return it == d->poolKeys.constEnd() ? nullptr : d->launchers[static_cast<std::size_t>(it.value())];
}

void Engine::setPoolPaused(const QString& pool, bool paused) {
    const auto it = d->poolKeys.constFind(pool);
    if (it == d->poolKeys.constEnd() || d->scheduler.isPoolPaused(it.value()) == paused)
        return;
    d->scheduler.setPoolPaused(it.value(), paused);
    logs::info(paused ? QStringLiteral("pool %1 paused: no new launches").arg(pool)
                      : QStringLiteral("pool %1 resumed").arg(pool));
    d->pump();
}

bool Engine::isPoolPaused(const QString& pool) const {
    const auto it = d->poolKeys.constFind(pool);
    return it != d->poolKeys.constEnd() && d->scheduler.isPoolPaused(it.value());
}

PoolLoad Engine::poolLoad(const QString& pool) const {
    const auto it = d->poolKeys.constFind(pool);
    if (it == d->poolKeys.constEnd())
        return {};
    const int key = it.value();
    PoolLoad load;
    load.capacity = d->launchers[static_cast<std::size_t>(key)]->capacity();
    load.busy = d->scheduler.runningInPool(key);
    load.queued = d->scheduler.readyInPool(key);
    load.paused = d->scheduler.isPoolPaused(key);
    return load;
}

void Engine::syncPoolCapacities() {
    for (std::size_t key = 0; key < d->launchers.size(); ++key)
        d->scheduler.setPoolCapacity(static_cast<int>(key), d->launchers[key]->capacity());
    d->pump(); // a larger pool starts what waits for it now
}

void Engine::setDefaultEnvironment(const QMap<QString, QString>& environment) {
    d->baseEnv = environment;
    d->launchEnvValid = false;
    d->launchEnv.clear();
    d->launchEnvNames.clear();
}

QStringList Engine::recoverInterrupted() {
    d->store.sync();
    // Children of the dead process lead their own process groups and may still run: stop
    // them first, or `runs resume` would run those instances twice. Only groups that
    // provably belong to the instance are signalled (see pools/orphan_group.h).
    const QList<InstanceRecord> leftovers = d->store.leftoverProcesses();
    if (!leftovers.isEmpty()) {
        QList<pools::OrphanGroup> groups;
        groups.reserve(leftovers.size());
        for (const InstanceRecord& rec : leftovers)
            groups.append(pools::OrphanGroup{*rec.pid, rec.runId, rec.taskId});
        const QList<pools::OrphanOutcome> outcomes =
            pools::terminateOrphanGroups(groups, d->options.killGraceMs);
        QList<LogLine> lines;
        const qint64 t = Impl::now();
        for (qsizetype i = 0; i < leftovers.size(); ++i) {
            const InstanceRecord& rec = leftovers[i];
            const QString group = QString::number(*rec.pid);
            const QString where = QStringLiteral("%1 of run %2").arg(instanceLabel(rec), rec.runId);
            QString text;
            switch (outcomes[i]) {
            case pools::OrphanOutcome::Terminated:
            case pools::OrphanOutcome::Killed:
                text = QStringLiteral("killed leftover process group %1 of the interrupted attempt (%2)")
                           .arg(group, outcomes[i] == pools::OrphanOutcome::Killed
                                           ? QStringLiteral("SIGKILL after the grace period")
                                           : QStringLiteral("ended on SIGTERM"));
                logs::warn(QStringLiteral("%1: killed leftover process group %2 of the interrupted attempt")
                               .arg(where, group));
                break;
            case pools::OrphanOutcome::Survived:
                text =
                    QStringLiteral("leftover process group %1 of the interrupted attempt survived SIGKILL; "
                                   "it may still be running")
                        .arg(group);
                logs::error(QStringLiteral("%1: %2").arg(where, text));
                break;
            case pools::OrphanOutcome::NotOurs:
                logs::info(QStringLiteral("%1: pid %2 now belongs to another process; left alone")
                               .arg(where, group));
                break;
            case pools::OrphanOutcome::NotFound:
                logs::debug(QStringLiteral("%1: process group %2 is gone").arg(where, group));
                break;
            }
            if (!text.isEmpty())
                lines.append(LogLine{0, rec.runId, rec.index, LogStream::System, t, text});
        }
        if (!lines.isEmpty())
            d->store.appendLogLines(std::move(lines));
    }
    return d->store.markInterrupted(Impl::now());
}

std::optional<QString> Engine::createRun(const RunRequest& request, workflow::Diagnostics* diagnostics) {
    const QString runId = newRunId();
    std::optional<PlannedRun> planned = d->planner().plan(request, runId, diagnostics);
    if (!planned)
        return std::nullopt;

    RunRecord rec;
    rec.id = runId;
    rec.workflow = planned->workflow.name;
    rec.status = RunStatus::Queued;
    rec.createdAtMs = Impl::now();
    rec.workflowPath = planned->workflow.filePath;
    rec.workflowYaml = planned->yaml;
    rec.requestJson = planned->requestJson();
    rec.maxConcurrent = planned->maxConcurrent;
    rec.qualityGate = planned->workflow.qualityGate;

    QList<InstanceRecord> records;
    records.reserve(planned->plan.instances.size());
    for (const workflow::PlannedInstance& p : std::as_const(planned->plan.instances)) {
        InstanceRecord r;
        r.runId = runId;
        r.index = p.index;
        r.taskId = p.taskId;
        r.repo = p.repo;
        r.repoPath = p.repoPath;
        records.append(std::move(r));
    }
    d->store.insertRun(rec, records, [announcer = d->announcer, runId, engine = this] {
        announcer->post([engine, runId] { Q_EMIT engine->runStatusChanged(runId, RunStatus::Queued); });
    });
    d->prepared.insert(runId, Impl::Prepared{std::move(rec), std::move(*planned), std::move(records)});
    return runId;
}

bool Engine::startRun(const QString& runId, QString* error) {
    if (d->runsById.contains(runId)) {
        if (error)
            *error = QStringLiteral("run %1 is already running").arg(runId);
        return false;
    }
    auto prepared = d->prepared.find(runId);
    if (prepared != d->prepared.end()) {
        Impl::Prepared p = std::move(prepared.value());
        d->prepared.erase(prepared);
        RunState* run = d->activate(std::move(p.rec), std::move(p.planned), p.records, error);
        if (!run)
            return false;
        d->begin(run, false);
        return true;
    }
    d->store.sync();
    const std::optional<RunRecord> rec = d->store.run(runId);
    if (!rec) {
        if (error)
            *error = QStringLiteral("unknown run '%1'").arg(runId);
        return false;
    }
    if (rec->status != RunStatus::Queued) {
        if (error)
            *error = QStringLiteral("run %1 is %2, not queued").arg(runId, toString(rec->status));
        return false;
    }
    return d->resumeFromStore(runId, {}, error);
}

bool Engine::resumeRun(const QString& runId, QString* error) {
    if (d->runsById.contains(runId)) {
        if (error)
            *error = QStringLiteral("run %1 is already running").arg(runId);
        return false;
    }
    if (d->prepared.contains(runId))
        return startRun(runId, error);
    return d->resumeFromStore(runId, {}, error);
}

void Engine::setOutcomeSink(OutcomeSink* sink) {
    d->sink = sink;
}

std::optional<FailedInstance> Engine::describeFailed(const QString& runId, int index, QString* error) const {
    auto fail = [&](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    d->store.sync();
    const std::optional<RunRecord> rec = d->store.run(runId);
    if (!rec)
        return fail(QStringLiteral("unknown run '%1'").arg(runId));
    const QList<InstanceRecord> instances = d->store.instances(runId);
    if (index < 0 || index >= instances.size())
        return fail(QStringLiteral("run %1 has no instance %2").arg(runId).arg(index));
    const InstanceRecord& instance = instances[index];
    if (instance.status != InstanceStatus::Failed)
        return fail(QStringLiteral("%1 of run %2 is %3, not failed")
                        .arg(instanceLabel(instance), runId, toString(instance.status)));
    workflow::Diagnostics diagnostics;
    const std::optional<PlannedRun> planned = d->planner().replan(*rec, &diagnostics);
    if (!planned || index >= planned->plan.instances.size())
        return fail(QStringLiteral("run %1 cannot be re-planned from its snapshot: %2")
                        .arg(runId, diagnostics.isEmpty() ? QString() : diagnostics.first().format()));
    const workflow::PlannedInstance& plan = planned->plan.instances[index];
    FailedInstance failure;
    failure.instance = instance;
    failure.workflow = rec->workflow;
    failure.recipe = dlq::LaunchRecipe{plan.argv, plan.env, plan.workingDir, plan.pool};
    failure.dlqPolicy = plan.dlqPolicy;
    return failure;
}

bool Engine::retryInstances(const QString& runId, const QList<int>& indexes, QString* error,
                            const QHash<int, dlq::LaunchRecipe>& recipes) {
    const QSet<int> retry(indexes.cbegin(), indexes.cend());
    RunState* run = d->runsById.value(runId);
    // Only failed instances can be retried; say which one is not.
    QList<InstanceRecord> current;
    if (run) {
        for (const InstanceState& s : std::as_const(run->inst))
            current.append(s.rec);
    } else {
        d->store.sync();
        current = d->store.instances(runId);
        if (current.isEmpty() && !d->store.run(runId)) {
            if (error)
                *error = QStringLiteral("unknown run '%1'").arg(runId);
            return false;
        }
    }
    for (int index : retry) {
        if (index < 0 || index >= current.size()) {
            if (error)
                *error = QStringLiteral("run %1 has no instance %2").arg(runId).arg(index);
            return false;
        }
        // Failed; or cancelled/interrupted: a retry of it that a cancel or a crash cut short.
        const InstanceStatus status = current[index].status;
        if (status != InstanceStatus::Failed && status != InstanceStatus::Cancelled &&
            status != InstanceStatus::Interrupted) {
            if (error)
                *error = QStringLiteral("%1 of run %2 is %3, not failed")
                             .arg(instanceLabel(current[index]), runId, toString(current[index].status));
            return false;
        }
    }
    for (auto it = recipes.cbegin(); it != recipes.cend(); ++it) {
        if (!retry.contains(it.key()) || !d->poolKeys.contains(it.value().pool) ||
            it.value().argv.isEmpty()) {
            if (error)
                *error =
                    QStringLiteral("run %1: the recipe for instance %2 names no command, an unknown pool "
                                   "'%3', or an instance not retried")
                        .arg(runId)
                        .arg(it.key())
                        .arg(it.value().pool);
            return false;
        }
    }
    if (!run)
        return d->resumeFromStore(runId, retry, error, recipes);
    if (run->cancelling || run->finishing) {
        if (error)
            *error = QStringLiteral("run %1 is ending; retry it once it ended").arg(runId);
        return false;
    }
    d->revive(run, retry, false);
    d->applyRecipes(run, recipes);
    d->recountDependencies(run);
    // Revived instances whose dependencies all succeeded are ready now; their revived
    // dependents follow when they succeed.
    for (int i : retry) {
        if (i < 0 || i >= run->inst.size())
            continue;
        const InstanceState& s = run->inst[i];
        if (s.rec.status == InstanceStatus::Pending && s.unmet == 0 && s.token == 0)
            d->scheduler.enqueue(run->key, i, s.poolKey);
    }
    d->pump();
    return true;
}

bool Engine::cancelRun(const QString& runId, QString* error) {
    RunState* run = d->runsById.value(runId);
    if (!run) {
        if (error)
            *error = QStringLiteral("run %1 is not running in this process").arg(runId);
        return false;
    }
    d->cancel(run);
    return true;
}

void Engine::cancelAll() {
    QList<RunState*> active;
    for (auto& [key, run] : d->runs)
        active.append(run.get());
    for (RunState* run : active)
        d->cancel(run);
}

std::optional<InstanceStatus> Engine::liveStatus(const QString& runId, int index) const {
    const RunState* run = d->runsById.value(runId);
    if (!run || run->finishing || index < 0 || index >= run->inst.size())
        return std::nullopt;
    return run->inst[index].rec.status;
}

QStringList Engine::activeRuns() const {
    QStringList ids;
    for (const auto& [key, run] : d->runs) {
        if (!run->finishing)
            ids.append(run->rec.id);
    }
    return ids;
}

bool Engine::isActive(const QString& runId) const {
    const RunState* run = d->runsById.value(runId);
    return run && !run->finishing;
}

} // namespace signalbox::engine
