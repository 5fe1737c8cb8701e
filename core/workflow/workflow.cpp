#include "workflow/workflow.h"

namespace signalbox::workflow {

const TaskSpec* Workflow::task(const QString& id) const {
    for (const TaskSpec& t : tasks) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

} // namespace signalbox::workflow
