#pragma once
// Settings: the engine's data dir (shown; a new one takes effect at the next start), the
// dead letter queue's settings (stored in the data dir, through the Backend), and the
// console's own preferences (theme, applied live; notifications and their DLQ threshold).

#include "backend/backend.h"
#include "views/view.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace signalbox::ui {

class SettingsView final : public View {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsView)
public:
    explicit SettingsView(Backend& backend, QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("settings"); }
    QString title() const override { return tr("Settings"); }
    QList<QAction*> paletteActions() override;
    void activated() override;

private:
    QWidget* createEngineGroup();
    QWidget* createDlqGroup();
    QWidget* createAppearanceGroup();
    QWidget* createNotificationsGroup();

    void reloadDlqSettings();
    void showDlqSettings(const dlq::DlqSettings& settings);
    void applyDlqSettings();
    void chooseDataDir();
    void markDlqEdited();
    void handleCommandFinished(Ticket ticket, const CommandResult& result);

    QLineEdit* m_dataDir = nullptr;
    QLabel* m_dataDirNote = nullptr;
    QSpinBox* m_interval = nullptr;
    QCheckBox* m_processor = nullptr;
    QSpinBox* m_maxSize = nullptr;
    QSpinBox* m_maxRetries = nullptr;
    QSpinBox* m_parallelism = nullptr;
    QComboBox* m_strategy = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_revert = nullptr;
    QComboBox* m_theme = nullptr;
    QCheckBox* m_notifications = nullptr;
    QSpinBox* m_dlqThreshold = nullptr;
    QAction* m_applyAction = nullptr;
    QAction* m_reloadAction = nullptr;

    std::optional<dlq::DlqSettings> m_loaded; // as the engine has them
    bool m_dlqEdited = false;
    Ticket m_fetchTicket = 0;
    Ticket m_applyTicket = 0;
};

} // namespace signalbox::ui
