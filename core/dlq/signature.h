#pragma once
// Groups dead letter entries that are "the same problem" (cli.md `dlq list --group`).
// Errors from different repos and attempts differ in paths, pids, addresses, shas and
// timings; normalizing those away lets one signature cover every occurrence.

#include <QString>

namespace signalbox::dlq {

// The error with volatile parts replaced by placeholders: the repo path prefix -> <repo>,
// ISO timestamps and hh:mm:ss times -> <time>, UUIDs -> <uuid>, 0x... -> <hex>,
// git shas (7-40 hex with a digit and a letter) -> <sha>, durations (250ms, 1.5s) ->
// <duration>, other standalone numbers -> <n>; whitespace collapsed.
// Numbers after "exit code", "exit status" and "signal" are kept: they tell problems apart.
QString normalizeError(const QString& error, const QString& repoPath);

// First 16 hex digits of SHA-256 over taskId and the normalized error.
QString errorSignature(const QString& taskId, const QString& error, const QString& repoPath);

} // namespace signalbox::dlq
