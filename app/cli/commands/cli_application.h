#pragma once
// The dispatcher behind main(): global options, verb lookup, --help/--version,
// data dir preparation, logging set-up, then the verb.

#include <QStringList>

namespace signalbox::cli {

// arguments without the program name. Needs a QCoreApplication. Returns the exit code.
int runCliApplication(const QStringList& arguments);

} // namespace signalbox::cli
