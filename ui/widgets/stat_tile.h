#pragma once
// One number with a caption and a detail line (the Overview's "Runs (24 h): 312,
// 94% succeeded"), optionally with a trend arrow. A plain widget: the owner decides
// what the numbers are.

#include <QFrame>

class QLabel;

namespace signalbox::ui {

class StatTile final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatTile)
public:
    enum class Trend { None, Up, Down, Flat };

    explicit StatTile(const QString& caption, QWidget* parent = nullptr);

    void setValue(const QString& value);
    void setDetail(const QString& detail);
    // An arrow after the value; `upIsBad` colors a rise red and a fall green (a queue
    // growing is bad news), else the other way round.
    void setTrend(Trend trend, bool upIsBad = true);
    // Colors the value (e.g. red when something is down); invalid = the palette's text.
    void setAccent(const QColor& color);

    QString value() const;
    QString detail() const;
    Trend trend() const { return m_trend; }

private:
    QLabel* m_caption;
    QLabel* m_value;
    QLabel* m_trendLabel;
    QLabel* m_detail;
    Trend m_trend = Trend::None;
};

} // namespace signalbox::ui
