// LineSplitter: line ends, partial lines, over-long lines, bytes.

#include "pools/line_splitter.h"

#include <QtTest>

using signalbox::pools::LineSplitter;
using Lines = QList<QByteArray>;

namespace {

Lines splitAll(const QByteArray& input, qsizetype max, qsizetype step) {
    LineSplitter splitter(max);
    Lines out;
    for (qsizetype i = 0; i < input.size(); i += step)
        splitter.feed(input.constData() + i, std::min(step, input.size() - i), out);
    splitter.finish(out);
    return out;
}

} // namespace

class TestLineSplitter final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void split_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("max");
        QTest::addColumn<Lines>("expected");
        QTest::newRow("empty") << QByteArray() << 8 << Lines{};
        QTest::newRow("one line") << QByteArray("abc\n") << 8 << Lines{"abc"};
        QTest::newRow("no newline") << QByteArray("abc") << 8 << Lines{"abc"};
        QTest::newRow("empty lines") << QByteArray("\n\na\n") << 8 << Lines{"", "", "a"};
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << 8 << Lines{"a", "b"};
        QTest::newRow("lone cr kept") << QByteArray("a\rb\n") << 8 << Lines{"a\rb"};
        QTest::newRow("cr at eof") << QByteArray("a\r") << 8 << Lines{"a"};
        QTest::newRow("exactly max") << QByteArray("12345678\n") << 8 << Lines{"12345678"};
        QTest::newRow("max plus crlf") << QByteArray("12345678\r\nx\n") << 8 << Lines{"12345678", "x"};
        QTest::newRow("max + 1") << QByteArray("123456789\n") << 8 << Lines{"12345678", "9"};
        QTest::newRow("two chunks exactly")
            << QByteArray("1234567812345678\nz") << 8 << Lines{"12345678", "12345678", "z"};
        QTest::newRow("long without newline")
            << QByteArray(20, 'x') << 8 << Lines{QByteArray(8, 'x'), QByteArray(8, 'x'), QByteArray(4, 'x')};
        QTest::newRow("nul and high bytes")
            << QByteArray("a\0b\xff\n\xfe", 6) << 8 << Lines{QByteArray("a\0b\xff", 4), "\xfe"};
    }
    void split() {
        QFETCH(QByteArray, input);
        QFETCH(int, max);
        QFETCH(Lines, expected);
        // however the bytes arrive, the lines are the same
        for (qsizetype step :
             {qsizetype(1), qsizetype(2), qsizetype(3), qsizetype(7), std::max<qsizetype>(1, input.size())})
            QCOMPARE(splitAll(input, max, step), expected);
    }

    void longPartialLineIsHandedOutEarly() {
        LineSplitter splitter(4);
        Lines out;
        splitter.feed("abcdefghij", 10, out);
        QCOMPARE(out, (Lines{"abcd", "efgh"}));
        QVERIFY(splitter.hasPartial());
        splitter.feed("\n", 1, out);
        QCOMPARE(out, (Lines{"abcd", "efgh", "ij"}));
        QVERIFY(!splitter.hasPartial());
    }
};

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "tst_line_splitter.moc"
