#pragma once
// Runs bulk jobs (dlq/bulk_job.h) on the engine thread: takes the next items of each
// running job in entry order, retries (at most the queue's parallelism in flight across
// all jobs, so a job never floods the pools), archives or purges them in chunks, and
// records each item's result. Jobs survive restarts: resumeUnfinished() picks up every
// job left queued or running.

#include "dlq/bulk_job.h"
#include "dlq/dlq_query.h"

#include <QHash>
#include <QObject>
#include <memory>
#include <optional>

namespace signalbox::store {
class Store;
}

namespace signalbox::dlq {

class DeadLetterQueue;

class BulkJobRunner final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkJobRunner)
public:
    BulkJobRunner(store::Store& store, DeadLetterQueue& queue, QObject* parent = nullptr);
    ~BulkJobRunner() override;

    // Creates the job (entries fixed now), audits "job-start" and runs it. nullopt + one
    // line when the filter matches nothing or is invalid.
    std::optional<BulkJob> start(BulkAction action, const DlqFilter& filter, const QString& selector,
                                 const QString& actor, QString* error);
    // Runs a job created elsewhere (e.g. by a CLI process that handed it over): queued ->
    // running. False + error when unknown or finished.
    bool run(qint64 jobKey, QString* error);
    bool pause(qint64 jobKey, const QString& actor, QString* error);
    bool resume(qint64 jobKey, const QString& actor, QString* error);
    bool cancel(qint64 jobKey, const QString& actor, QString* error); // pending items stay pending
    // Every job left queued or running (by this or a dead process) runs again.
    int resumeUnfinished();

    bool isIdle() const; // no job running here

Q_SIGNALS:
    void jobProgress(const signalbox::dlq::BulkJob& job); // after results committed
    void jobFinished(const signalbox::dlq::BulkJob& job); // done or cancelled

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace signalbox::dlq
