#pragma once
// The versioned schema of signalbox.db. PRAGMA user_version holds the version; each
// migration moves the database up by one version inside its own transaction, so a
// crash leaves it at the old or the new version, never between.

#include <QString>
#include <optional>

namespace signalbox::store {

class SqliteConnection;

namespace schema {

// The version this build migrates to.
int latestVersion();
// PRAGMA user_version of db (0 for a new, empty file); nullopt + error when unreadable.
std::optional<int> version(SqliteConnection& db, QString* error);
// Applies the migrations from db's version up to target (1..latestVersion()), in order.
// Refuses a database newer than this build without touching it. False + one-line error.
bool migrate(SqliteConnection& db, int target, QString* error);

} // namespace schema
} // namespace signalbox::store
