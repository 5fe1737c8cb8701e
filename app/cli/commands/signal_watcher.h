#pragma once
// Turns SIGINT/SIGTERM into a Qt signal: the handler only writes the signal number
// to a self-pipe; a QSocketNotifier reads it on the event loop. One instance at a time.

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace signalbox::cli {

class SignalWatcher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(const QList<int>& signalNumbers, QObject* parent = nullptr);
    ~SignalWatcher() override; // restores the previous handlers

Q_SIGNALS:
    void signalReceived(int signalNumber);

private:
    void handleActivated();

    QList<int> m_signals;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace signalbox::cli
