#pragma once

#include "domain/records.h"

#include <QJsonObject>

namespace signalbox::cli {

// {"name","path","tags":[...],"role","description","exists"}; role/description null when empty.
QJsonObject repoToJson(const CatalogRepo& repo);

} // namespace signalbox::cli
