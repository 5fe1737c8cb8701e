#include "dlq/bulk_job_runner.h"
