#pragma once
// The console's own preferences (not the engine's: those live in the data dir), each
// declared once here with its type and default. Stored with QSettings under
// organization "Signalbox", application "signalbox"; tests turn on
// QStandardPaths::setTestModeEnabled(true) so they never touch a person's settings.

#include <QSettings>
#include <QString>
#include <memory>

namespace signalbox::ui {

enum class ThemeMode { System, Light, Dark };

QString toString(ThemeMode mode); // "system", "light", "dark"
ThemeMode themeModeFromString(const QString& text, bool* ok = nullptr);

class ConsoleSettings final {
public:
    static std::unique_ptr<QSettings> open();

    static ThemeMode theme();
    static void setTheme(ThemeMode mode);

    static bool notificationsEnabled();
    static void setNotificationsEnabled(bool enabled);

    // Active dead letters (pending + exhausted) above which the tray notifies.
    static int dlqNotifyThreshold();
    static void setDlqNotifyThreshold(int threshold);
    static constexpr int kDefaultDlqNotifyThreshold = 100;

    // The data dir to open next time (empty = the default); read once at start.
    static QString dataDir();
    static void setDataDir(const QString& dir);
};

} // namespace signalbox::ui
