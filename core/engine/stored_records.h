#pragma once
// Record-keeping through the Store API for work no engine executes, shared by every
// front end that holds a data dir's lock (CLI verbs, the engine session).

#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::engine {

// Records a run that nothing executes (queued, interrupted, or left running by a
// dead process) as cancelled, with its unfinished instances. Waits for the commit.
// Only the data dir's lock holder may call this.
void recordCancelled(store::Store& store, const QString& runId);

// Records a queued or running bulk job that no runner holds as paused (audited as
// "job-pause" by `actor`). False + one line (unknown job, already paused/finished).
bool pauseJobInStore(store::Store& store, qint64 jobKey, const QString& actor, QString* error);

} // namespace signalbox::engine
