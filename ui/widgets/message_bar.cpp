#include "widgets/message_bar.h"

#include "widgets/status_colors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QToolButton>

namespace signalbox::ui {

MessageBar::MessageBar(QWidget* parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_close(new QToolButton(this)) {
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Ignored,
                          QSizePolicy::Preferred); // long lines elide, never widen the window
    m_close->setObjectName(QStringLiteral("messageClose"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 2, 2);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close);
    hide();
}

void MessageBar::showError(const QString& message) {
    const QString line = message.simplified();
    m_text->setText(line);
    m_text->setToolTip(line);
    show();
}

QString MessageBar::text() const {
    return m_text->text();
}

void MessageBar::dismiss() {
    hide();
    m_text->clear();
}

void MessageBar::paintEvent(QPaintEvent* event) {
    // A tint of the failure color over the window color reads on light and dark themes
    // (painted rather than set as a palette, so a theme change needs no bookkeeping).
    const QColor failure = statusColor(InstanceStatus::Failed);
    const QColor window = palette().color(QPalette::Window);
    const auto mix = [](float a, float b) { return a * 0.75f + b * 0.25f; };
    const QColor tint =
        QColor::fromRgbF(mix(window.redF(), failure.redF()), mix(window.greenF(), failure.greenF()),
                         mix(window.blueF(), failure.blueF()));
    QPainter painter(this);
    painter.fillRect(rect(), tint);
    painter.end();
    QFrame::paintEvent(event);
}

} // namespace signalbox::ui
