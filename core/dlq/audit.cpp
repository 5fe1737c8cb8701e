#include "dlq/audit.h"

#include <QtGlobal>

#ifndef Q_OS_WIN
#include <pwd.h>
#include <unistd.h>
#endif

namespace signalbox::dlq {

QString localActor() {
#ifndef Q_OS_WIN
    // The password database names the real user even under `sudo -E` or a stale $USER.
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    const QString user = qEnvironmentVariable(qEnvironmentVariableIsSet("USERNAME") ? "USERNAME" : "USER");
    return user.isEmpty() ? QStringLiteral("unknown") : user;
}

} // namespace signalbox::dlq
