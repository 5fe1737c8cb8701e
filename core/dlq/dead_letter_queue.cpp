#include "dlq/dead_letter_queue.h"

#include "engine/engine.h"
#include "store/store.h"

namespace signalbox::dlq {

DeadLetterQueue::DeadLetterQueue(store::Store& store, engine::Engine& engine, QStringList allowedRoots,
                                 QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_engine(engine)
    , m_allowedRoots(std::move(allowedRoots)) {
    m_engine.setOutcomeSink(this);
}

DeadLetterQueue::~DeadLetterQueue() { m_engine.setOutcomeSink(nullptr); }

// STUB: being implemented by the coordinator.
bool DeadLetterQueue::setSettings(const DlqSettings&, const QString&, QString* error) {
    *error = QStringLiteral("not implemented");
    return false;
}
int DeadLetterQueue::recover() { return 0; }
void DeadLetterQueue::startProcessor() {}
void DeadLetterQueue::stopProcessor() {}
bool DeadLetterQueue::processorRunning() const { return false; }
int DeadLetterQueue::processDue() { return 0; }
bool DeadLetterQueue::retry(const QList<qint64>&, const QString&, QString* error) {
    *error = QStringLiteral("not implemented");
    return false;
}
bool DeadLetterQueue::editAndRetry(qint64, const RecipeEdit&, const QString&, QString* error) {
    *error = QStringLiteral("not implemented");
    return false;
}
std::optional<int> DeadLetterQueue::archive(const QList<qint64>&, const QString&, QString*) { return {}; }
std::optional<int> DeadLetterQueue::purge(const QList<qint64>&, const QString&, QString*) { return {}; }
std::optional<qint64> DeadLetterQueue::enqueueInstance(const QString&, int, const QString&, QString*) { return {}; }
DlqStats DeadLetterQueue::stats() const { return {}; }
void DeadLetterQueue::instanceFailed(const engine::FailedInstance&) {}
void DeadLetterQueue::instanceFinished(const InstanceRecord&) {}
void DeadLetterQueue::startRetry(const DeadLetter&, const QString&, bool) {}
void DeadLetterQueue::applySettings() {}

} // namespace signalbox::dlq
