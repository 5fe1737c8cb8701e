#pragma once
// The status vocabularies of the contract (cli.md): names are part of the JSON shapes.

#include <QString>
#include <optional>

namespace signalbox {

enum class RunStatus { Queued, Running, Succeeded, Failed, Cancelled, Interrupted };
enum class InstanceStatus { Pending, Running, Succeeded, Failed, Skipped, Cancelled, Interrupted };
// Error categories of workflow.md's dead letter table. None = not failed.
enum class ErrorCategory { None, Transient, Network, Resource, Permission, Validation, Permanent };

QString toString(RunStatus status);
QString toString(InstanceStatus status);
QString toString(ErrorCategory category); // None -> empty string

std::optional<RunStatus> runStatusFromString(const QString& text);
std::optional<InstanceStatus> instanceStatusFromString(const QString& text);
std::optional<ErrorCategory> errorCategoryFromString(const QString& text); // "" -> None

bool isTerminal(RunStatus status);
bool isTerminal(InstanceStatus status);

} // namespace signalbox
