#pragma once
// The demo generator's shared parts (core/demo): one Generator writes the catalog and
// settings (demo_data.cpp), the runs with their instances, attempts and output
// (demo_runs.cpp) and the dead letters (demo_dead_letters.cpp), all through one Store.
// Internal to core/demo: the public entry point is demo_data.h.

#include "demo/demo_data.h"
#include "demo/demo_vocabulary.h"
#include "dlq/dead_letter.h"
#include "dlq/dlq_query.h"
#include "domain/records.h"

#include <QHash>
#include <QList>
#include <QString>
#include <random>

namespace signalbox::store {
class Store;
}

namespace signalbox::demo::detail {

inline constexpr qint64 kSecond = 1000;
inline constexpr qint64 kMinute = 60 * kSecond;
inline constexpr qint64 kHour = 60 * kMinute;
inline constexpr qint64 kDay = 24 * kHour;
// Older runs keep only their failures' output: a real data dir prunes old logs, and
// 100,000 runs with full output would be tens of millions of lines.
inline constexpr int kRunsWithFullOutput = 1000;
inline constexpr int kLogBatch = 20'000;
inline constexpr int kAttemptBatch = 20'000;
inline constexpr int kDlqBatch = 5'000;
// Bounds the writer queue (memory) without giving up batching.
inline constexpr int kSyncEveryRuns = 2'000;
inline constexpr int kSyncEveryDeadLetters = 100'000;
inline constexpr int kMaxRetrying = 3;

class Random {
public:
    explicit Random(quint64 seed)
        : m_engine(seed) {}
    int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_engine); }
    qint64 between64(qint64 low, qint64 high) {
        return std::uniform_int_distribution<qint64>(low, high)(m_engine);
    }
    double real(double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(m_engine);
    }
    bool chance(double p) { return real(0.0, 1.0) < p; }
    quint64 bits() { return m_engine(); }

private:
    std::mt19937_64 m_engine;
};

// What the dead letter pass needs to know about a run, kept small for 100,000 runs.
struct RunRef {
    QString id;
    int workflow = 0;
    QList<int> repos; // indexes into demoRepos()
    qint64 finishedAtMs = 0;
    int instanceCount() const;
};

struct FailedInstance {
    int run = 0; // index into the generator's runs
    int index = 0;
    int sample = 0; // index into failureSamples()
    qint64 finishedAtMs = 0;
};

// One dead letter to write: from a failed instance, or (when the queue holds more than
// the history's failures) an older failure of an instance a retry has since fixed.
struct LetterPlan {
    int run = 0;
    int index = 0;
    int sample = 0;
    qint64 enqueuedAtMs = 0;
    bool instanceFailed = false;
};

// "r_" + 12 hex digits of time + 8 of the seeded generator, like newRunId() but repeatable.
QString demoRunId(qint64 createdAtMs, quint64 random);

class Generator {
public:
    Generator(store::Store& store, const QString& dataDir, const DemoSize& size, qint64 nowMs)
        : m_store(store)
        , m_dataDir(dataDir)
        , m_size(size)
        , m_now(nowMs)
        , m_random(0x5167'6e61'6c62'6f78ULL) {}

    bool writeCatalog(QString* error);
    void writeRuns();
    void writeDeadLetters();
    bool writeSettings(QString* error);

private:
    QString repoPath(int repo) const {
        return m_dataDir + QStringLiteral("/demo-repos/") + demoRepos().at(repo).name;
    }
    QString workflowPath(int workflow) const {
        return m_dataDir + QStringLiteral("/demo-workflows/") + demoWorkflows().at(workflow).name +
               QStringLiteral(".yaml");
    }
    int pickWorkflow();
    QList<int> pickRepos(const DemoWorkflow& workflow);
    int pickFailure(const QString& taskId);
    void writeRun(int number);
    void addOutput(const InstanceRecord& instance, const DemoTask& task, const FailureSample* failure,
                   bool full);
    void addAttempts(const InstanceRecord& instance, const FailureSample* failure);
    void flushLogs(bool force);
    void flushAttempts(bool force);
    dlq::DeadLetter makeLetter(const LetterPlan& plan, dlq::DlqStatus status);
    QString signatureOf(const QString& taskId, int sample, int repo);

    store::Store& m_store;
    QString m_dataDir;
    DemoSize m_size;
    qint64 m_now;
    Random m_random;
    QList<RunRef> m_runs;
    QList<FailedInstance> m_failures;
    QList<LogLine> m_logs;
    QList<AttemptRecord> m_attempts;
    dlq::DlqCounters m_counters;
    // errorSignature normalizes with regular expressions: a million entries share a few
    // thousand (task, failure, repo) combinations, so each is computed once.
    QHash<QString, QString> m_signatures;
};

} // namespace signalbox::demo::detail
