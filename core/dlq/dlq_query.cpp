#include "dlq/dlq_query.h"

namespace signalbox::dlq {

bool DlqFilter::isEmpty() const {
    return keys.isEmpty() && statuses.isEmpty() && categories.isEmpty() && policies.isEmpty() &&
           workflow.isEmpty() && taskId.isEmpty() && repo.isEmpty() && runId.isEmpty() &&
           signature.isEmpty() && enqueuedFromMs == 0 && enqueuedBeforeMs == 0 && errorContains.isEmpty();
}

} // namespace signalbox::dlq
