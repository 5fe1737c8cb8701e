#pragma once
// Record-keeping the CLI does through the Store API for runs no engine executes.

#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

// Records a run that nothing executes (queued, interrupted, or left running by a
// dead process) as cancelled, with its unfinished instances. Waits for the commit.
// Only the data dir's lock holder may call this.
void recordCancelled(store::Store& store, const QString& runId);

} // namespace signalbox::cli
