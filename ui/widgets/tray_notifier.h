#pragma once
// Tells a person who is looking elsewhere that something needs them: a run failed, or the
// dead letter queue grew past the threshold set in Settings. Keeps a badge count (new
// failed runs + 1 while the queue is over the threshold) drawn on the tray icon, and
// notifies through the tray when one exists (QSystemTrayIcon) and notifications are on.
// Clicking the notification or the icon opens what it was about.

#include "backend/backend.h"

#include <QIcon>
#include <QObject>
#include <QSet>
#include <QUrl>

class QSystemTrayIcon;

namespace signalbox::ui {

class Coalescer;

class TrayNotifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)
public:
    TrayNotifier(Backend& backend, const QIcon& appIcon, QObject* parent = nullptr);

    int badgeCount() const;
    bool hasTrayIcon() const { return m_tray != nullptr; }
    // The runs that had failed before are known (only later failures are news).
    bool hasBaseline() const { return m_haveBaseline; }
    QUrl lastLink() const { return m_lastLink; }

public Q_SLOTS:
    // The queue's active depth (from the status bar's summary).
    void setDlqDepth(qint64 depth);
    // The person looked at the window: the failures so far are seen.
    void clearBadge();

Q_SIGNALS:
    void notified(const QString& title, const QString& message, const QUrl& link);
    void openRequested(const QUrl& link); // clicked: show the window and this link
    void badgeChanged(int count);

private:
    void refreshFailedRuns();
    void handleRunsFetched(Ticket ticket, const RunPage& page);
    void notify(const QString& title, const QString& message, const QUrl& link);
    void updateIcon();

    Backend& m_backend;
    QIcon m_appIcon;
    QSystemTrayIcon* m_tray = nullptr;
    Coalescer* m_coalescer = nullptr;
    Ticket m_runsTicket = 0;
    bool m_haveBaseline = false;
    QSet<QString> m_knownFailedRuns;
    int m_unseenFailedRuns = 0;
    bool m_dlqOverThreshold = false;
    QUrl m_lastLink;
};

} // namespace signalbox::ui
