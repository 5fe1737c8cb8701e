#include "data_dir.h"

#include "widgets/console_settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace signalbox::gui {

QString resolveDataDir(const QString& fromOption) {
    QString dir = fromOption;
    if (dir.isEmpty())
        dir = qEnvironmentVariable("SIGNALBOX_DATA_DIR");
    if (dir.isEmpty())
        dir = ui::ConsoleSettings::dataDir();
    if (dir.isEmpty()) {
        // The CLI's location: AppDataLocation of "signalbox" without an organization.
        const QString organization = QCoreApplication::organizationName();
        const QString application = QCoreApplication::applicationName();
        QCoreApplication::setOrganizationName(QString());
        QCoreApplication::setApplicationName(QStringLiteral("signalbox"));
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QCoreApplication::setOrganizationName(organization);
        QCoreApplication::setApplicationName(application);
    }
    if (dir.startsWith(QStringLiteral("~/")))
        dir = QDir::homePath() + dir.mid(1);
    return QDir::cleanPath(QDir(dir).absolutePath());
}

bool prepareDataDir(const QString& dir, QString* error) {
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QCoreApplication::translate("signalbox", "data dir %1 is not a directory")
                     .arg(QDir::toNativeSeparators(dir));
        return false;
    }
    if (!info.exists()) {
        if (!QDir().mkpath(dir)) {
            *error = QCoreApplication::translate("signalbox", "cannot create data dir %1")
                         .arg(QDir::toNativeSeparators(dir));
            return false;
        }
        // It will hold the database, logs and secrets: owner only.
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    return true;
}

} // namespace signalbox::gui
