#pragma once
// Read-only commands do not take the data dir's lock, so they do not record runs left
// `running` by a process that died (the next engine does, as `interrupted`). They
// present such runs as what they are: interrupted.

#include "domain/records.h"

#include <QList>
#include <QString>

namespace signalbox::store {
class Store;
}

namespace signalbox::cli {

class RunLiveness final {
public:
    RunLiveness(QString dataDir, const store::Store& store);

    // A `running` run is orphaned when no live process holds the data dir's lock and
    // it is still `running` when read again after that check (an engine records the
    // end of its runs before it lets the lock go).
    bool isOrphaned(const RunRecord& run);
    // Presents an orphaned run (and its pending/running instances) as interrupted.
    void present(RunRecord* run, QList<InstanceRecord>* instances = nullptr);

private:
    bool engineAlive();

    QString m_dataDir;
    const store::Store& m_store;
    int m_alive = -1; // unknown
};

} // namespace signalbox::cli
