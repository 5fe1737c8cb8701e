// signalbox-cli: scripting and terminal front end. All behaviour lives in the verbs
// (app/cli/commands, one class per verb); this only hands them the arguments.

#include "commands/cli_application.h"

#include <QCoreApplication>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGNALBOX_VERSION));
    return signalbox::cli::runCliApplication(QCoreApplication::arguments().mid(1));
}
