#include "workflow/diagnostic.h"

namespace signalbox::workflow {

QString Diagnostic::format() const {
    if (line <= 0)
        return file + QStringLiteral(": error: ") + message;
    return file + u':' + QString::number(line) + u':' + QString::number(column) + QStringLiteral(": error: ")
        + message;
}

} // namespace signalbox::workflow
