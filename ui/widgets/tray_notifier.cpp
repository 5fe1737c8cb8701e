#include "widgets/tray_notifier.h"

#include "backend/coalescer.h"
#include "views/links.h"
#include "widgets/console_settings.h"
#include "widgets/status_colors.h"

#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace signalbox::ui {
namespace {

// Enough to see every run that failed since the previous refresh (they are coalesced).
constexpr int kFailedRunsWindow = 50;

QIcon withBadge(const QIcon& base, int count) {
    if (count <= 0)
        return base;
    constexpr int size = 64;
    QPixmap pixmap = base.pixmap(size, size);
    if (pixmap.isNull()) {
        pixmap = QPixmap(size, size);
        pixmap.fill(Qt::transparent);
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF badge(size * 0.42, 0, size * 0.58, size * 0.58);
    const QColor color = statusColor(InstanceStatus::Failed);
    painter.setBrush(color);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(int(size * 0.36));
    painter.setFont(font);
    painter.setPen(textOn(color));
    painter.drawText(badge, Qt::AlignCenter, count > 99 ? QStringLiteral("99+") : QString::number(count));
    painter.end();
    return QIcon(pixmap);
}

} // namespace

TrayNotifier::TrayNotifier(Backend& backend, const QIcon& appIcon, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
    , m_appIcon(appIcon)
    , m_coalescer(new Coalescer([this] { refreshFailedRuns(); }, 100, this)) {
    setObjectName(QStringLiteral("trayNotifier"));
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(m_appIcon, this);
        m_tray->setToolTip(tr("Signalbox"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { Q_EMIT openRequested(m_lastLink); });
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT openRequested(badgeCount() > 0 ? m_lastLink : QUrl());
        });
        m_tray->show();
    }
    connect(&backend, &Backend::runChanged, m_coalescer, &Coalescer::poke);
    connect(&backend, &Backend::runsFetched, this, &TrayNotifier::handleRunsFetched);
    connect(&backend, &Backend::failed, this, [this](Ticket ticket, const QString&) {
        if (ticket == m_runsTicket)
            m_runsTicket = 0;
    });
    connect(&backend, &Backend::stateChanged, this, [this](Backend::State state, const QString&) {
        if (state == Backend::State::Ready)
            m_coalescer->flush();
    });
    if (backend.state() == Backend::State::Ready)
        m_coalescer->poke();
}

int TrayNotifier::badgeCount() const {
    return m_unseenFailedRuns + (m_dlqOverThreshold ? 1 : 0);
}

void TrayNotifier::setDlqDepth(qint64 depth) {
    const int threshold = ConsoleSettings::dlqNotifyThreshold();
    const bool over = depth > threshold;
    if (over == m_dlqOverThreshold)
        return;
    m_dlqOverThreshold = over;
    if (over) {
        notify(tr("Dead letter queue is growing"),
               tr("%n dead letter(s) waiting, more than the threshold of %1.", nullptr,
                  int(std::min<qint64>(depth, INT_MAX)))
                   .arg(threshold),
               links::view(QStringLiteral("dlq")));
    }
    updateIcon();
}

void TrayNotifier::clearBadge() {
    if (m_unseenFailedRuns == 0)
        return;
    m_unseenFailedRuns = 0;
    updateIcon();
}

void TrayNotifier::refreshFailedRuns() {
    if (m_backend.state() != Backend::State::Ready)
        return;
    RunQuery query;
    query.statuses = {RunStatus::Failed};
    query.limit = kFailedRunsWindow;
    m_runsTicket = m_backend.fetchRuns(query);
}

void TrayNotifier::handleRunsFetched(Ticket ticket, const RunPage& page) {
    if (ticket != m_runsTicket)
        return;
    m_runsTicket = 0;
    // The first answer is what had failed before the console opened: not news.
    const bool announce = m_haveBaseline;
    m_haveBaseline = true;
    const RunSummary* newest = nullptr;
    int fresh = 0;
    for (const RunSummary& summary : page.runs) {
        if (m_knownFailedRuns.contains(summary.run.id))
            continue;
        m_knownFailedRuns.insert(summary.run.id);
        ++fresh;
        if (!newest || summary.run.finishedAtMs > newest->run.finishedAtMs)
            newest = &summary;
    }
    if (!announce || fresh == 0)
        return;
    m_unseenFailedRuns += fresh;
    const QString message = fresh == 1 ? tr("Run %1 (%2) failed: %3 of %4 tasks failed.")
                                             .arg(newest->run.id, newest->run.workflow)
                                             .arg(newest->failed)
                                             .arg(newest->total)
                                       : tr("%n run(s) failed, the latest %1 (%2).", nullptr, fresh)
                                             .arg(newest->run.id, newest->run.workflow);
    notify(tr("Run failed"), message, links::run(newest->run.id));
    updateIcon();
}

void TrayNotifier::notify(const QString& title, const QString& message, const QUrl& link) {
    m_lastLink = link;
    Q_EMIT notified(title, message, link);
    if (m_tray && ConsoleSettings::notificationsEnabled())
        m_tray->showMessage(title, message, QSystemTrayIcon::Warning, 10'000);
}

void TrayNotifier::updateIcon() {
    const int count = badgeCount();
    if (m_tray) {
        m_tray->setIcon(withBadge(m_appIcon, count));
        m_tray->setToolTip(count > 0 ? tr("Signalbox: %n item(s) need attention", nullptr, count)
                                     : tr("Signalbox"));
    }
    Q_EMIT badgeChanged(count);
}

} // namespace signalbox::ui
