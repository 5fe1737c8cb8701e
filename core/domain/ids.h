#pragma once

#include <QString>

namespace signalbox {

// Run ids are "r_" + 12 hex digits of time + 8 random hex digits: sortable by creation,
// unguessable enough to not collide across processes sharing a data dir.
QString newRunId();

} // namespace signalbox
