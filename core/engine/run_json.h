#pragma once
// The JSON shapes of cli.md for runs: `run --json` / `runs show` (with tasks) and
// `runs list` (without).

#include "domain/records.h"

#include <QJsonObject>
#include <QList>

namespace signalbox::engine {

// {"id","workflow","status","started_at","finished_at","tasks":[...],"quality":{...}}.
// instances == nullptr omits "tasks" (the `runs list` form).
QJsonObject runToJson(const RunRecord& run, const QList<InstanceRecord>* instances);

// One element of "tasks": {"task","repo","status","exit_code","attempts","duration_ms",
// "category","metrics"}.
QJsonObject instanceToJson(const InstanceRecord& instance);

} // namespace signalbox::engine
