#include "pools/line_splitter.h"

#include <algorithm>
#include <cstring>

namespace signalbox::pools {

LineSplitter::LineSplitter(qsizetype maxLineBytes)
    : m_max(std::max<qsizetype>(1, maxLineBytes)) {}

void LineSplitter::appendLine(const char* data, qsizetype size, QList<QByteArray>& out) const {
    if (size > 0 && data[size - 1] == '\r')
        --size;
    if (size == 0) {
        out.append(QByteArray());
        return;
    }
    for (qsizetype offset = 0; offset < size; offset += m_max)
        out.append(QByteArray(data + offset, std::min(m_max, size - offset)));
}

void LineSplitter::feed(const char* data, qsizetype size, QList<QByteArray>& out) {
    const char* p = data;
    const char* const end = data + size;
    while (p < end) {
        const auto* newline =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!newline) {
            m_partial.append(p, end - p);
            break;
        }
        if (m_partial.isEmpty()) {
            appendLine(p, newline - p, out);
        } else {
            m_partial.append(p, newline - p);
            appendLine(m_partial.constData(), m_partial.size(), out);
            m_partial.resize(0);
        }
        p = newline + 1;
    }
    // An over-long line without its end yet: hand out full chunks now so memory stays
    // bounded. "+ 1" keeps a possible trailing '\r' (of "\r\n") with its line.
    if (m_partial.size() > m_max + 1) {
        qsizetype offset = 0;
        while (m_partial.size() - offset > m_max + 1) {
            out.append(QByteArray(m_partial.constData() + offset, m_max));
            offset += m_max;
        }
        m_partial.remove(0, offset);
    }
}

void LineSplitter::finish(QList<QByteArray>& out) {
    if (m_partial.isEmpty())
        return;
    appendLine(m_partial.constData(), m_partial.size(), out);
    m_partial.clear();
}

} // namespace signalbox::pools
