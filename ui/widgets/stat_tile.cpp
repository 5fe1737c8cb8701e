#include "widgets/stat_tile.h"

#include "widgets/status_colors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace signalbox::ui {

StatTile::StatTile(const QString& caption, QWidget* parent)
    : QFrame(parent)
    , m_caption(new QLabel(caption, this))
    , m_value(new QLabel(QStringLiteral("–"), this))
    , m_trendLabel(new QLabel(this))
    , m_detail(new QLabel(this)) {
    setFrameShape(QFrame::StyledPanel);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_caption->setObjectName(QStringLiteral("caption"));
    m_value->setObjectName(QStringLiteral("value"));
    m_trendLabel->setObjectName(QStringLiteral("trend"));
    m_detail->setObjectName(QStringLiteral("detail"));
    // Tiles are read at a glance, so the value is large and the caption is quiet.
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    m_value->setFont(big);
    m_trendLabel->setFont(big);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value);
    valueRow->addWidget(m_trendLabel);
    valueRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    layout->addLayout(valueRow);
    layout->addWidget(m_detail);
    setAccessibleName(caption);
}

void StatTile::setValue(const QString& value) {
    m_value->setText(value);
    setAccessibleDescription(value + QLatin1Char(' ') + m_detail->text());
}

void StatTile::setDetail(const QString& detail) {
    m_detail->setText(detail);
    setAccessibleDescription(m_value->text() + QLatin1Char(' ') + detail);
}

void StatTile::setTrend(Trend trend, bool upIsBad) {
    m_trend = trend;
    const QColor bad = statusColor(InstanceStatus::Failed);
    const QColor good = statusColor(InstanceStatus::Succeeded);
    QString arrow;
    QColor color;
    switch (trend) {
    case Trend::None:
        break;
    case Trend::Up:
        arrow = QStringLiteral("▲");
        color = upIsBad ? bad : good;
        break;
    case Trend::Down:
        arrow = QStringLiteral("▼");
        color = upIsBad ? good : bad;
        break;
    case Trend::Flat:
        arrow = QStringLiteral("▶");
        color = statusColor(InstanceStatus::Skipped);
        break;
    }
    m_trendLabel->setText(arrow);
    QPalette palette = m_trendLabel->palette();
    if (color.isValid())
        palette.setColor(QPalette::WindowText, color);
    m_trendLabel->setPalette(palette);
}

void StatTile::setAccent(const QColor& color) {
    QPalette palette = this->palette();
    if (color.isValid())
        palette.setColor(QPalette::WindowText, color);
    m_value->setPalette(palette);
}

QString StatTile::value() const {
    return m_value->text();
}
QString StatTile::detail() const {
    return m_detail->text();
}

} // namespace signalbox::ui
