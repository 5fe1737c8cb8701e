#include "dlq/dead_letter_queue.h"
