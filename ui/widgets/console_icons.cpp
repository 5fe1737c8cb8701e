#include "widgets/console_icons.h"

#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace signalbox::ui {

QIcon consoleIcon(const QString& name) {
    const QIcon source(QStringLiteral(":/icons/") + name + QStringLiteral(".svg"));
    const QColor selectedColor = QGuiApplication::palette().color(QPalette::HighlightedText);
    QIcon result;
    for (const int size : {16, 20, 24, 40, 48}) {
        const QPixmap normal = source.pixmap(size, size);
        if (normal.isNull())
            return source;
        result.addPixmap(normal, QIcon::Normal);
        QPixmap selected = normal;
        QPainter painter(&selected);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(selected.rect(), selectedColor);
        painter.end();
        result.addPixmap(selected, QIcon::Selected);
    }
    return result;
}

} // namespace signalbox::ui
