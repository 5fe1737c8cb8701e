#pragma once
// The history of a dead letter, kept as a JSON array in its row: every failure, retry,
// edit (with the recipe it set; the original stays in the entry), archive, interruption.
// Events are appended by the store (json_insert), never rewritten.

#include "dlq/dead_letter.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace signalbox::dlq {

struct HistoryEvent {
    qint64 atMs = 0;
    // "enqueued", "retry-started", "retry-failed", "retry-succeeded", "exhausted",
    // "edited", "archived", "interrupted" (a retry cut short by a dead process),
    // "rescheduled"
    QString event;
    QString actor;  // "auto" for the processor, else a user
    QString detail; // the error for failures, a reason otherwise
    std::optional<int> exitCode;
    std::optional<LaunchRecipe> recipe; // "edited": the new recipe
    QString runStatus;                  // "retry-succeeded": the run's status after it
};

QJsonObject toJson(const LaunchRecipe& recipe);
std::optional<LaunchRecipe> recipeFromJson(const QJsonObject& json);
QJsonObject toJson(const HistoryEvent& event);                   // "at" as ISO UTC; absent fields omitted
QByteArray toJsonBytes(const HistoryEvent& event);               // compact, for Store::dlqUpdate
QList<HistoryEvent> parseHistory(const QByteArray& historyJson); // bad input -> what parses

} // namespace signalbox::dlq
