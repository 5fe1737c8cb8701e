#include "widgets/console_settings.h"

namespace signalbox::ui {
namespace {

// Every key in one place, so a typo cannot create a second setting.
QString themeKey() {
    return QStringLiteral("appearance/theme");
}
QString notificationsKey() {
    return QStringLiteral("notifications/enabled");
}
QString dlqThresholdKey() {
    return QStringLiteral("notifications/dlqThreshold");
}
QString dataDirKey() {
    return QStringLiteral("engine/dataDir");
}

} // namespace

QString toString(ThemeMode mode) {
    switch (mode) {
    case ThemeMode::Light:
        return QStringLiteral("light");
    case ThemeMode::Dark:
        return QStringLiteral("dark");
    case ThemeMode::System:
        break;
    }
    return QStringLiteral("system");
}

ThemeMode themeModeFromString(const QString& text, bool* ok) {
    const QString lower = text.trimmed().toLower();
    bool known = true;
    ThemeMode mode = ThemeMode::System;
    if (lower == QLatin1String("light"))
        mode = ThemeMode::Light;
    else if (lower == QLatin1String("dark"))
        mode = ThemeMode::Dark;
    else if (lower != QLatin1String("system"))
        known = false;
    if (ok)
        *ok = known;
    return mode;
}

std::unique_ptr<QSettings> ConsoleSettings::open() {
    return std::make_unique<QSettings>(QStringLiteral("Signalbox"), QStringLiteral("signalbox"));
}

ThemeMode ConsoleSettings::theme() {
    return themeModeFromString(open()->value(themeKey(), toString(ThemeMode::System)).toString());
}

void ConsoleSettings::setTheme(ThemeMode mode) {
    open()->setValue(themeKey(), toString(mode));
}

bool ConsoleSettings::notificationsEnabled() {
    return open()->value(notificationsKey(), true).toBool();
}

void ConsoleSettings::setNotificationsEnabled(bool enabled) {
    open()->setValue(notificationsKey(), enabled);
}

int ConsoleSettings::dlqNotifyThreshold() {
    bool ok = false;
    const int value = open()->value(dlqThresholdKey(), kDefaultDlqNotifyThreshold).toInt(&ok);
    return ok && value > 0 ? value : kDefaultDlqNotifyThreshold;
}

void ConsoleSettings::setDlqNotifyThreshold(int threshold) {
    open()->setValue(dlqThresholdKey(), threshold);
}

QString ConsoleSettings::dataDir() {
    return open()->value(dataDirKey()).toString();
}

void ConsoleSettings::setDataDir(const QString& dir) {
    if (dir.isEmpty())
        open()->remove(dataDirKey());
    else
        open()->setValue(dataDirKey(), dir);
}

} // namespace signalbox::ui
