#pragma once
// Splits a byte stream into lines: '\n' ends a line, a '\r' before it is dropped, a
// partial line is kept until more bytes (or finish()) arrive, and lines longer than
// maxLineBytes come out as consecutive chunks of at most maxLineBytes. Bytes are never
// decoded.

#include <QByteArray>
#include <QList>

namespace signalbox::pools {

class LineSplitter final {
public:
    explicit LineSplitter(qsizetype maxLineBytes);

    // Appends the lines completed by data to out (and full chunks of an over-long line).
    void feed(const char* data, qsizetype size, QList<QByteArray>& out);
    // The stream ended: appends what is left of the last line, if anything.
    void finish(QList<QByteArray>& out);
    bool hasPartial() const { return !m_partial.isEmpty(); }

private:
    void appendLine(const char* data, qsizetype size, QList<QByteArray>& out) const;

    qsizetype m_max;
    QByteArray m_partial;
};

} // namespace signalbox::pools
