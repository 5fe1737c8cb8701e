#include "widgets/workflow_drop.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrlQuery>

namespace signalbox::ui::workflow_drop {

QString workflowFile(const QMimeData* mime) {
    if (!mime || !mime->hasUrls())
        return QString();
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        const QString suffix = info.suffix().toLower();
        if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml"))
            return info.absoluteFilePath();
    }
    return QString();
}

QUrl launchLink(const QString& path) {
    QUrl link(QStringLiteral("signalbox://runs/launch"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("file"),
                       QString(path).replace(QLatin1Char('%'), QStringLiteral("%25")));
    link.setQuery(query);
    return link;
}

} // namespace signalbox::ui::workflow_drop
