#include "dlq/bulk_job_runner.h"

#include "dlq/dead_letter_queue.h"
#include "store/store.h"

namespace signalbox::dlq {

struct BulkJobRunner::Impl {};

BulkJobRunner::BulkJobRunner(store::Store&, DeadLetterQueue&, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>()) {}
BulkJobRunner::~BulkJobRunner() = default;

// STUB: being implemented by the coordinator.
std::optional<BulkJob> BulkJobRunner::start(BulkAction, const DlqFilter&, const QString&, const QString&, QString*) {
    return {};
}
bool BulkJobRunner::run(qint64, QString*) { return false; }
bool BulkJobRunner::pause(qint64, const QString&, QString*) { return false; }
bool BulkJobRunner::resume(qint64, const QString&, QString*) { return false; }
bool BulkJobRunner::cancel(qint64, const QString&, QString*) { return false; }
int BulkJobRunner::resumeUnfinished() { return 0; }
bool BulkJobRunner::isIdle() const { return true; }

} // namespace signalbox::dlq
