#include "engine/quality_score.h"

#include <QHash>
#include <cmath>

namespace signalbox::engine {

std::optional<double> qualityScore(const workflow::Workflow& workflow,
                                   const QList<InstanceRecord>& instances) {
    // Rules by task id (a workflow has few tasks with rules; a run may have many instances).
    QHash<QString, const QList<workflow::QualityRule>*> rules;
    for (const workflow::TaskSpec& task : workflow.tasks) {
        if (!task.settings.quality.isEmpty())
            rules.insert(task.id, &task.settings.quality);
    }
    if (rules.isEmpty())
        return std::nullopt;
    int checks = 0;
    int passed = 0;
    for (const InstanceRecord& instance : instances) {
        const QList<workflow::QualityRule>* taskRules = rules.value(instance.taskId);
        if (!taskRules)
            continue;
        for (const workflow::QualityRule& rule : *taskRules) {
            ++checks;
            const auto it = instance.metrics.constFind(rule.metric);
            if (it == instance.metrics.constEnd())
                continue;
            const double value = it.value();
            if ((!rule.min || value >= *rule.min) && (!rule.max || value <= *rule.max))
                ++passed;
        }
    }
    if (checks == 0)
        return std::nullopt;
    return std::round(1000.0 * passed / checks) / 10.0;
}

} // namespace signalbox::engine
