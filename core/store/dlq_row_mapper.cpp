#include "store/dlq_row_mapper.h"

#include "dlq/history.h"
#include "store/sqlite_connection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace signalbox::store::dlqrows {

namespace {

// The stored codes are the enums' declaration order; these fail the build if an enum is
// reordered or renumbered (the file format must not change with it).
static_assert(static_cast<int>(dlq::DlqStatus::Pending) == 0 &&
              static_cast<int>(dlq::DlqStatus::Retrying) == 1 &&
              static_cast<int>(dlq::DlqStatus::Exhausted) == 2 &&
              static_cast<int>(dlq::DlqStatus::Completed) == 3 &&
              static_cast<int>(dlq::DlqStatus::Archived) == 4);
static_assert(static_cast<int>(ErrorCategory::None) == 0 && static_cast<int>(ErrorCategory::Transient) == 1 &&
              static_cast<int>(ErrorCategory::Network) == 2 &&
              static_cast<int>(ErrorCategory::Resource) == 3 &&
              static_cast<int>(ErrorCategory::Permission) == 4 &&
              static_cast<int>(ErrorCategory::Validation) == 5 &&
              static_cast<int>(ErrorCategory::Permanent) == 6);
static_assert(static_cast<int>(dlq::RetryPolicy::Never) == 0 &&
              static_cast<int>(dlq::RetryPolicy::Immediate) == 1 &&
              static_cast<int>(dlq::RetryPolicy::Linear) == 2 &&
              static_cast<int>(dlq::RetryPolicy::Exponential) == 3);
static_assert(static_cast<int>(dlq::BulkAction::Retry) == 0 &&
              static_cast<int>(dlq::BulkAction::Archive) == 1 &&
              static_cast<int>(dlq::BulkAction::Purge) == 2);
static_assert(static_cast<int>(dlq::JobState::Queued) == 0 && static_cast<int>(dlq::JobState::Running) == 1 &&
              static_cast<int>(dlq::JobState::Paused) == 2 &&
              static_cast<int>(dlq::JobState::Cancelled) == 3 && static_cast<int>(dlq::JobState::Done) == 4);
static_assert(static_cast<int>(dlq::ItemResult::Pending) == 0 &&
              static_cast<int>(dlq::ItemResult::Succeeded) == 1 &&
              static_cast<int>(dlq::ItemResult::Failed) == 2 &&
              static_cast<int>(dlq::ItemResult::Skipped) == 3);

template <typename Enum> Enum fromCode(qint64 value, int last, Enum fallback) {
    return value >= 0 && value <= last ? static_cast<Enum>(value) : fallback;
}

} // namespace

int code(dlq::DlqStatus status) {
    return static_cast<int>(status);
}
int code(ErrorCategory category) {
    return static_cast<int>(category);
}
int code(dlq::RetryPolicy policy) {
    return static_cast<int>(policy);
}
int code(dlq::BulkAction action) {
    return static_cast<int>(action);
}
int code(dlq::JobState state) {
    return static_cast<int>(state);
}
int code(dlq::ItemResult result) {
    return static_cast<int>(result);
}

// Unknown codes: an unknown status reads as exhausted (active, so never evicted, and not
// retried automatically); the others as their most conservative value.
dlq::DlqStatus statusFromCode(qint64 value) {
    return fromCode(value, 4, dlq::DlqStatus::Exhausted);
}
ErrorCategory categoryFromCode(qint64 value) {
    return fromCode(value, 6, ErrorCategory::Permanent);
}
dlq::RetryPolicy policyFromCode(qint64 value) {
    return fromCode(value, 3, dlq::RetryPolicy::Never);
}
dlq::BulkAction actionFromCode(qint64 value) {
    return fromCode(value, 2, dlq::BulkAction::Archive);
}
dlq::JobState stateFromCode(qint64 value) {
    return fromCode(value, 4, dlq::JobState::Paused);
}
dlq::ItemResult resultFromCode(qint64 value) {
    return fromCode(value, 3, dlq::ItemResult::Failed);
}

dlq::DeadLetter readEntry(const Statement& row) {
    dlq::DeadLetter e;
    e.key = row.int64(0);
    e.runId = row.text(1);
    e.index = row.int32(2);
    e.workflow = row.text(3);
    e.taskId = row.text(4);
    e.repo = row.text(5);
    e.repoPath = row.text(6);
    e.status = statusFromCode(row.int64(7));
    e.category = categoryFromCode(row.int64(8));
    e.policy = policyFromCode(row.int64(9));
    e.attempts = row.int32(10);
    e.maxRetries = row.int32(11);
    e.error = row.text(12);
    e.exitCode = row.optionalInt(13);
    e.signal = row.optionalInt(14);
    e.signature = row.text(15);
    e.enqueuedAtMs = row.int64(16);
    e.updatedAtMs = row.int64(17);
    if (!row.isNull(18))
        e.nextRetryAtMs = row.int64(18);
    return e;
}

void readDetails(const Statement& row, dlq::DeadLetter* entry) {
    constexpr int at = kEntryColumnCount;
    entry->original = recipeFromJson(row.blob(at));
    if (!row.isNull(at + 1))
        entry->edited = recipeFromJson(row.blob(at + 1));
    entry->historyJson = row.isNull(at + 2) ? QByteArray("[]") : row.blob(at + 2);
    entry->outputTail = row.text(at + 3);
}

namespace {

// Appends text as a JSON string (quotes included): UTF-8, with ", \ and control
// characters escaped, as RFC 8259 requires.
void appendJsonString(QByteArray& out, const QString& text) {
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    const qsizetype size = text.size();
    const QChar* in = text.constData();
    bool ascii = true;
    for (qsizetype i = 0; i < size; ++i) {
        if (in[i].unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    const QByteArray utf8 = ascii ? QByteArray() : text.toUtf8();
    const qsizetype n = ascii ? size : utf8.size();
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(ascii ? static_cast<char>(in[i].unicode()) : utf8[i]);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(static_cast<char>(c));
        } else if (c < 0x20) {
            switch (c) {
            case '\n':
                out.append("\\n", 2);
                break;
            case '\t':
                out.append("\\t", 2);
                break;
            case '\r':
                out.append("\\r", 2);
                break;
            default: {
                const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(escaped, 6);
            }
            }
        } else {
            out.append(static_cast<char>(c));
        }
    }
    out.append('"');
}

} // namespace

// Written by hand (the same object dlq::toJson(recipe) builds, keys in that order): on
// the enqueue path QJsonDocument cost ~10x more than the rest of preparing an entry.
QByteArray recipeJson(const dlq::LaunchRecipe& recipe) {
    QByteArray out;
    out.reserve(64 + recipe.workingDir.size() * 2 + recipe.argv.size() * 24 + recipe.env.size() * 48);
    out.append("{\"argv\":[", 9);
    for (qsizetype i = 0; i < recipe.argv.size(); ++i) {
        if (i)
            out.append(',');
        appendJsonString(out, recipe.argv[i]);
    }
    out.append("],\"env\":{", 9);
    bool first = true;
    for (auto it = recipe.env.cbegin(); it != recipe.env.cend(); ++it) {
        if (!first)
            out.append(',');
        first = false;
        appendJsonString(out, it.key());
        out.append(':');
        appendJsonString(out, it.value());
    }
    out.append("},\"pool\":", 9);
    appendJsonString(out, recipe.pool);
    out.append(",\"working_dir\":", 15);
    appendJsonString(out, recipe.workingDir);
    out.append('}');
    return out;
}

dlq::LaunchRecipe recipeFromJson(const QByteArray& json) {
    return dlq::recipeFromJson(QJsonDocument::fromJson(json).object()).value_or(dlq::LaunchRecipe{});
}

dlq::BulkJob readJob(const Statement& row) {
    dlq::BulkJob job;
    job.key = row.int64(0);
    job.action = actionFromCode(row.int64(1));
    job.state = stateFromCode(row.int64(2));
    job.actor = row.text(3);
    job.selector = row.text(4);
    job.createdAtMs = row.int64(5);
    job.updatedAtMs = row.int64(6);
    job.finishedAtMs = row.int64(7);
    job.total = row.int64(8);
    job.done = row.int64(9);
    job.succeeded = row.int64(10);
    job.failed = row.int64(11);
    return job;
}

dlq::BulkJobItem readJobItem(const Statement& row) {
    dlq::BulkJobItem item;
    item.jobKey = row.int64(0);
    item.entryKey = row.int64(1);
    item.result = resultFromCode(row.int64(2));
    item.message = row.text(3);
    item.finishedAtMs = row.int64(4);
    return item;
}

dlq::AuditRecord readAudit(const Statement& row) {
    dlq::AuditRecord record;
    record.key = row.int64(0);
    record.atMs = row.int64(1);
    record.actor = row.text(2);
    record.action = row.text(3);
    record.target = row.text(4);
    record.count = row.int64(5);
    record.outcome = row.text(6);
    return record;
}

} // namespace signalbox::store::dlqrows
