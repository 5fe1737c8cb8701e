#pragma once
// One dismissable line above the views: the latest error a view or the backend reported
// (View::errorOccurred, Backend::failed, the engine failing to open).

#include <QFrame>

class QLabel;
class QToolButton;

namespace signalbox::ui {

class MessageBar final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBar)
public:
    explicit MessageBar(QWidget* parent = nullptr);

    // Shows `message` on one line (newlines folded); replaces what was shown.
    void showError(const QString& message);
    QString text() const;

public Q_SLOTS:
    void dismiss();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QLabel* m_text = nullptr;
    QToolButton* m_close = nullptr;
};

} // namespace signalbox::ui
