#include "views/settings_view.h"

#include "backend/local_backend.h"
#include "widgets/console_settings.h"
#include "widgets/theme.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace signalbox::ui {
namespace {

// The embedded engine's directory; a remote backend has none, its description says where.
QString dataDirOf(const Backend& backend) {
    if (const auto* local = qobject_cast<const LocalBackend*>(&backend))
        return QDir::toNativeSeparators(local->dataDir());
    return backend.description();
}

} // namespace

SettingsView::SettingsView(Backend& backend, QWidget* parent)
    : View(backend, parent) {
    setObjectName(viewId());
    auto* content = new QWidget(this);
    auto* column = new QVBoxLayout(content);
    column->addWidget(createEngineGroup());
    column->addWidget(createDlqGroup());
    column->addWidget(createAppearanceGroup());
    column->addWidget(createNotificationsGroup());
    column->addStretch(1);
    content->setMaximumWidth(720);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    m_applyAction = new QAction(tr("Apply dead letter queue settings"), this);
    m_applyAction->setObjectName(QStringLiteral("applyDlqSettingsAction"));
    connect(m_applyAction, &QAction::triggered, this, &SettingsView::applyDlqSettings);
    m_reloadAction = new QAction(tr("Reload dead letter queue settings"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadDlqSettingsAction"));
    connect(m_reloadAction, &QAction::triggered, this, [this] {
        m_dlqEdited = false;
        reloadDlqSettings();
    });

    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state, const QString&) {
        m_dataDir->setText(dataDirOf(View::backend()));
        if (state == Backend::State::Ready)
            reloadDlqSettings();
    });
    connect(&backend, &Backend::dlqSettingsChanged, this, [this] {
        if (!m_dlqEdited) // never overwrite what the person is typing
            reloadDlqSettings();
    });
    connect(&backend, &Backend::dlqSettingsFetched, this,
            [this](Ticket ticket, const dlq::DlqSettings& settings) {
                if (ticket != m_fetchTicket)
                    return;
                m_fetchTicket = 0;
                m_loaded = settings;
                m_dlqEdited = false;
                showDlqSettings(settings);
            });
    connect(&backend, &Backend::failed, this, [this](Ticket ticket, const QString&) {
        // The window's message bar shows the reason; only the buttons need to recover.
        if (ticket == m_fetchTicket)
            m_fetchTicket = 0;
        if (ticket == m_applyTicket) {
            m_applyTicket = 0;
            markDlqEdited();
        }
    });
    connect(&backend, &Backend::commandFinished, this, &SettingsView::handleCommandFinished);
    if (backend.state() == Backend::State::Ready)
        reloadDlqSettings();
}

QWidget* SettingsView::createEngineGroup() {
    auto* group = new QGroupBox(tr("Engine"), this);
    auto* form = new QFormLayout(group);
    m_dataDir = new QLineEdit(dataDirOf(backend()), group);
    m_dataDir->setObjectName(QStringLiteral("dataDirEdit"));
    m_dataDir->setReadOnly(true);
    auto* change = new QPushButton(tr("Change…"), group);
    change->setObjectName(QStringLiteral("dataDirButton"));
    connect(change, &QPushButton::clicked, this, &SettingsView::chooseDataDir);
    auto* row = new QHBoxLayout;
    row->addWidget(m_dataDir, 1);
    row->addWidget(change);
    form->addRow(tr("Data directory:"), row);
    m_dataDirNote = new QLabel(group);
    m_dataDirNote->setObjectName(QStringLiteral("dataDirNote"));
    m_dataDirNote->setWordWrap(true);
    const QString next = ConsoleSettings::dataDir();
    if (!next.isEmpty())
        m_dataDirNote->setText(tr("Next start opens %1.").arg(QDir::toNativeSeparators(next)));
    m_dataDirNote->setVisible(!next.isEmpty());
    form->addRow(QString(), m_dataDirNote);
    return group;
}

QWidget* SettingsView::createDlqGroup() {
    auto* group = new QGroupBox(tr("Dead letter queue"), this);
    auto* form = new QFormLayout(group);

    m_strategy = new QComboBox(group);
    m_strategy->setObjectName(QStringLiteral("dlqStrategyCombo"));
    m_strategy->addItem(tr("Automatic: every failed task"), int(dlq::IntegrationStrategy::Automatic));
    m_strategy->addItem(tr("Selective: chosen error categories"), int(dlq::IntegrationStrategy::Selective));
    m_strategy->addItem(tr("Manual: only when enqueued by hand"), int(dlq::IntegrationStrategy::Manual));
    m_strategy->addItem(tr("Disabled"), int(dlq::IntegrationStrategy::Disabled));
    form->addRow(tr("&Strategy:"), m_strategy);

    m_maxSize = new QSpinBox(group);
    m_maxSize->setObjectName(QStringLiteral("dlqMaxSizeSpin"));
    m_maxSize->setRange(dlq::DlqSettings::kMinMaxSize, dlq::DlqSettings::kMaxMaxSize);
    m_maxSize->setGroupSeparatorShown(true);
    form->addRow(tr("Maximum &size:"), m_maxSize);

    m_maxRetries = new QSpinBox(group);
    m_maxRetries->setObjectName(QStringLiteral("dlqMaxRetriesSpin"));
    m_maxRetries->setRange(0, 10);
    form->addRow(tr("Maximum &retries:"), m_maxRetries);

    m_parallelism = new QSpinBox(group);
    m_parallelism->setObjectName(QStringLiteral("dlqParallelismSpin"));
    m_parallelism->setRange(1, dlq::DlqSettings::kMaxParallelism);
    form->addRow(tr("&Parallel retries:"), m_parallelism);

    m_processor = new QCheckBox(tr("Retry due entries automatically"), group);
    m_processor->setObjectName(QStringLiteral("retryProcessorCheck"));
    form->addRow(QString(), m_processor);

    m_interval = new QSpinBox(group);
    m_interval->setObjectName(QStringLiteral("retryIntervalSpin"));
    m_interval->setRange(dlq::DlqSettings::kMinInterval, dlq::DlqSettings::kMaxInterval);
    m_interval->setSuffix(tr(" s"));
    form->addRow(tr("Retry processor &interval:"), m_interval);

    m_apply = new QPushButton(tr("Apply"), group);
    m_apply->setObjectName(QStringLiteral("applyDlqSettingsButton"));
    m_revert = new QPushButton(tr("Revert"), group);
    m_revert->setObjectName(QStringLiteral("revertDlqSettingsButton"));
    auto* buttons = new QDialogButtonBox(group);
    buttons->addButton(m_apply, QDialogButtonBox::ApplyRole);
    buttons->addButton(m_revert, QDialogButtonBox::ResetRole);
    form->addRow(buttons);
    connect(m_apply, &QPushButton::clicked, this, &SettingsView::applyDlqSettings);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        if (m_loaded)
            showDlqSettings(*m_loaded);
        m_dlqEdited = false;
        markDlqEdited();
    });

    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this] {
        m_dlqEdited = true;
        markDlqEdited();
    });
    for (QSpinBox* spin : {m_maxSize, m_maxRetries, m_parallelism, m_interval})
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            m_dlqEdited = true;
            markDlqEdited();
        });
    connect(m_processor, &QCheckBox::toggled, this, [this](bool on) {
        m_interval->setEnabled(on && m_loaded.has_value());
        m_dlqEdited = true;
        markDlqEdited();
    });
    group->setEnabled(false); // until the engine's settings arrived
    return group;
}

QWidget* SettingsView::createAppearanceGroup() {
    auto* group = new QGroupBox(tr("Appearance"), this);
    auto* form = new QFormLayout(group);
    m_theme = new QComboBox(group);
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_theme->addItem(tr("Follow system"), int(ThemeMode::System));
    m_theme->addItem(tr("Light"), int(ThemeMode::Light));
    m_theme->addItem(tr("Dark"), int(ThemeMode::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(ConsoleSettings::theme())));
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        const auto mode = ThemeMode(m_theme->currentData().toInt());
        ConsoleSettings::setTheme(mode);
        theme::apply(mode);
    });
    form->addRow(tr("&Theme:"), m_theme);
    return group;
}

QWidget* SettingsView::createNotificationsGroup() {
    auto* group = new QGroupBox(tr("Notifications"), this);
    auto* form = new QFormLayout(group);
    m_notifications = new QCheckBox(tr("Notify when a run fails or the dead letter queue grows"), group);
    m_notifications->setObjectName(QStringLiteral("notificationsCheck"));
    m_notifications->setChecked(ConsoleSettings::notificationsEnabled());
    connect(m_notifications, &QCheckBox::toggled, this,
            [](bool on) { ConsoleSettings::setNotificationsEnabled(on); });
    form->addRow(QString(), m_notifications);

    m_dlqThreshold = new QSpinBox(group);
    m_dlqThreshold->setObjectName(QStringLiteral("dlqThresholdSpin"));
    m_dlqThreshold->setRange(1, 1'000'000);
    m_dlqThreshold->setGroupSeparatorShown(true);
    m_dlqThreshold->setValue(ConsoleSettings::dlqNotifyThreshold());
    m_dlqThreshold->setToolTip(tr("Notify when more dead letters than this are pending or exhausted"));
    connect(m_dlqThreshold, &QSpinBox::valueChanged, this,
            [](int value) { ConsoleSettings::setDlqNotifyThreshold(value); });
    form->addRow(tr("Dead letter &threshold:"), m_dlqThreshold);
    return group;
}

QList<QAction*> SettingsView::paletteActions() {
    return {m_applyAction, m_reloadAction};
}

void SettingsView::activated() {
    // The theme can also change from the palette: show what is in effect.
    const QSignalBlocker blocker(m_theme);
    m_theme->setCurrentIndex(m_theme->findData(int(ConsoleSettings::theme())));
    if (!m_dlqEdited && m_fetchTicket == 0 && backend().state() == Backend::State::Ready)
        reloadDlqSettings();
}

void SettingsView::reloadDlqSettings() {
    if (backend().state() == Backend::State::Ready)
        m_fetchTicket = backend().fetchDlqSettings();
}

void SettingsView::showDlqSettings(const dlq::DlqSettings& settings) {
    const QSignalBlocker b1(m_strategy), b2(m_maxSize), b3(m_maxRetries), b4(m_parallelism), b5(m_interval),
        b6(m_processor);
    m_strategy->setCurrentIndex(m_strategy->findData(int(settings.strategy)));
    m_maxSize->setValue(settings.maxSize);
    m_maxRetries->setValue(settings.maxRetries);
    m_parallelism->setValue(settings.parallelism);
    m_interval->setValue(settings.intervalSeconds);
    m_processor->setChecked(settings.processorEnabled);
    m_interval->setEnabled(settings.processorEnabled);
    m_maxSize->parentWidget()->setEnabled(true);
    markDlqEdited();
}

void SettingsView::markDlqEdited() {
    const bool canApply = m_loaded.has_value() && m_dlqEdited && m_applyTicket == 0;
    m_apply->setEnabled(canApply);
    m_revert->setEnabled(m_loaded.has_value() && m_dlqEdited);
    m_applyAction->setEnabled(canApply);
}

void SettingsView::applyDlqSettings() {
    if (!m_loaded || m_applyTicket != 0)
        return;
    dlq::DlqSettings settings = *m_loaded;
    settings.strategy = dlq::IntegrationStrategy(m_strategy->currentData().toInt());
    settings.maxSize = m_maxSize->value();
    settings.maxRetries = m_maxRetries->value();
    settings.parallelism = m_parallelism->value();
    settings.intervalSeconds = m_interval->value();
    settings.processorEnabled = m_processor->isChecked();
    const QString invalid = settings.validate();
    if (!invalid.isEmpty()) {
        Q_EMIT errorOccurred(tr("Dead letter queue settings not saved: %1").arg(invalid));
        return;
    }
    m_applyTicket = backend().setDlqSettings(settings);
    markDlqEdited();
}

void SettingsView::handleCommandFinished(Ticket ticket, const CommandResult& result) {
    if (ticket != m_applyTicket)
        return;
    m_applyTicket = 0;
    if (!result.ok) {
        Q_EMIT errorOccurred(tr("Dead letter queue settings not saved: %1").arg(result.message));
        markDlqEdited();
        return;
    }
    m_dlqEdited = false;
    Q_EMIT statusMessage(tr("Dead letter queue settings saved."));
    reloadDlqSettings();
}

void SettingsView::chooseDataDir() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Data directory for the next start"), m_dataDir->text());
    if (dir.isEmpty())
        return;
    ConsoleSettings::setDataDir(dir);
    m_dataDirNote->setText(tr("Next start opens %1.").arg(QDir::toNativeSeparators(dir)));
    m_dataDirNote->show();
}

} // namespace signalbox::ui
