#pragma once
// The quality score of a run: the share of quality checks (each `quality:` rule of a
// task, evaluated on each of its instances) that passed, 0..100. A check passes when
// the instance recorded the metric and it lies within min/max.

#include "domain/records.h"
#include "workflow/workflow.h"

#include <QList>
#include <optional>

namespace signalbox::engine {

// nullopt when the workflow has no quality rules.
std::optional<double> qualityScore(const workflow::Workflow& workflow,
                                   const QList<InstanceRecord>& instances);

} // namespace signalbox::engine
