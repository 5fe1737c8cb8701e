// parseOutputLine: the ::metric / ::error / ::progress lines of workflow.md.

#include "engine/output_protocol.h"

#include <QtTest>

Q_DECLARE_METATYPE(signalbox::ErrorCategory)
Q_DECLARE_METATYPE(signalbox::engine::OutputDirective::Kind)

using namespace signalbox;
using namespace Qt::StringLiterals;
using engine::OutputDirective;
using Kind = OutputDirective::Kind;

class TestOutputProtocol final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("value");
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<QString>("message"); // Error: message; Malformed: a word of the reason
        QTest::addColumn<int>("done");
        QTest::addColumn<int>("total");
        const auto none = ErrorCategory::None;
        auto row = [](const char* tag) -> QTestData& { return QTest::newRow(tag); };

        // log lines
        row("plain") << u"hello world"_s << Kind::LogLine << QString() << 0.0 << none << QString() << 0 << 0;
        row("empty") << QString() << Kind::LogLine << QString() << 0.0 << none << QString() << 0 << 0;
        row("indented directive") << u"  ::metric a=1"_s << Kind::LogLine << QString() << 0.0 << none
                                  << QString() << 0 << 0;
        row("other :: word") << u"::warning something"_s << Kind::LogLine << QString() << 0.0 << none
                             << QString() << 0 << 0;
        row("single colon") << u":metric a=1"_s << Kind::LogLine << QString() << 0.0 << none << QString() << 0
                            << 0;

        // metrics
        row("metric") << u"::metric coverage=87.5"_s << Kind::Metric << u"coverage"_s << 87.5 << none
                      << QString() << 0 << 0;
        row("metric int") << u"::metric tests=120"_s << Kind::Metric << u"tests"_s << 120.0 << none
                          << QString() << 0 << 0;
        row("metric negative") << u"::metric delta=-3.25"_s << Kind::Metric << u"delta"_s << -3.25 << none
                               << QString() << 0 << 0;
        row("metric exponent") << u"::metric big=1.5e3"_s << Kind::Metric << u"big"_s << 1500.0 << none
                               << QString() << 0 << 0;
        row("metric name chars") << u"::metric a.B_c-9=0"_s << Kind::Metric << u"a.B_c-9"_s << 0.0 << none
                                 << QString() << 0 << 0;
        row("metric extra blanks") << u"::metric \t x=2  "_s << Kind::Metric << u"x"_s << 2.0 << none
                                   << QString() << 0 << 0;
        row("metric no args") << u"::metric"_s << Kind::Malformed << QString() << 0.0 << none
                              << u"NAME=VALUE"_s << 0 << 0;
        row("metric glued") << u"::metrics=1"_s << Kind::Malformed << QString() << 0.0 << none
                            << u"NAME=VALUE"_s << 0 << 0;
        row("metric no =") << u"::metric coverage 87"_s << Kind::Malformed << QString() << 0.0 << none
                           << u"NAME=VALUE"_s << 0 << 0;
        row("metric no name") << u"::metric =1"_s << Kind::Malformed << QString() << 0.0 << none << u"name"_s
                              << 0 << 0;
        row("metric bad name") << u"::metric cov%=1"_s << Kind::Malformed << QString() << 0.0 << none
                               << u"name"_s << 0 << 0;
        row("metric no value") << u"::metric a="_s << Kind::Malformed << QString() << 0.0 << none
                               << u"missing value"_s << 0 << 0;
        row("metric text value") << u"::metric a=high"_s << Kind::Malformed << QString() << 0.0 << none
                                 << u"finite"_s << 0 << 0;
        row("metric unit") << u"::metric a=87%"_s << Kind::Malformed << QString() << 0.0 << none
                           << u"finite"_s << 0 << 0;
        row("metric inf") << u"::metric a=inf"_s << Kind::Malformed << QString() << 0.0 << none << u"finite"_s
                          << 0 << 0;
        row("metric nan") << u"::metric a=nan"_s << Kind::Malformed << QString() << 0.0 << none << u"finite"_s
                          << 0 << 0;
        row("metric two") << u"::metric a=1 b=2"_s << Kind::Malformed << QString() << 0.0 << none
                          << u"finite"_s << 0 << 0;
        row("metric comma") << u"::metric a=1,5"_s << Kind::Malformed << QString() << 0.0 << none
                            << u"finite"_s << 0 << 0;

        // errors
        const QString categories[] = {u"transient"_s,  u"network"_s,    u"resource"_s,
                                      u"permission"_s, u"validation"_s, u"permanent"_s};
        const ErrorCategory values[] = {ErrorCategory::Transient,  ErrorCategory::Network,
                                        ErrorCategory::Resource,   ErrorCategory::Permission,
                                        ErrorCategory::Validation, ErrorCategory::Permanent};
        for (int i = 0; i < 6; ++i) {
            QTest::addRow("error %s", qPrintable(categories[i]))
                << (u"::error category="_s + categories[i] + u" it  broke: badly "_s) << Kind::Error
                << QString() << 0.0 << values[i] << u"it  broke: badly"_s << 0 << 0;
        }
        row("error no message") << u"::error category=network"_s << Kind::Error << QString() << 0.0
                                << ErrorCategory::Network << QString() << 0 << 0;
        row("error unicode") << u"::error category=permanent fehlgeschlagen \u00fc"_s << Kind::Error
                             << QString() << 0.0 << ErrorCategory::Permanent << u"fehlgeschlagen \u00fc"_s
                             << 0 << 0;
        row("error unknown category") << u"::error category=fatal boom"_s << Kind::Malformed << QString()
                                      << 0.0 << none << u"unknown category 'fatal'"_s << 0 << 0;
        row("error empty category") << u"::error category= boom"_s << Kind::Malformed << QString() << 0.0
                                    << none << u"unknown category"_s << 0 << 0;
        row("error none category") << u"::error category=none x"_s << Kind::Malformed << QString() << 0.0
                                   << none << u"unknown category"_s << 0 << 0;
        row("error case") << u"::error category=Network x"_s << Kind::Malformed << QString() << 0.0 << none
                          << u"unknown category"_s << 0 << 0;
        row("error no category") << u"::error something failed"_s << Kind::Malformed << QString() << 0.0
                                 << none << u"category=CATEGORY"_s << 0 << 0;
        row("error bare") << u"::error"_s << Kind::Malformed << QString() << 0.0 << none
                          << u"category=CATEGORY"_s << 0 << 0;

        // progress
        row("progress") << u"::progress 3/10"_s << Kind::Progress << QString() << 0.0 << none << QString()
                        << 3 << 10;
        row("progress zero") << u"::progress 0/1"_s << Kind::Progress << QString() << 0.0 << none << QString()
                             << 0 << 1;
        row("progress done") << u"::progress 7/7"_s << Kind::Progress << QString() << 0.0 << none << QString()
                             << 7 << 7;
        row("progress over") << u"::progress 8/7"_s << Kind::Malformed << QString() << 0.0 << none
                             << u"out of range"_s << 0 << 0;
        row("progress zero total") << u"::progress 0/0"_s << Kind::Malformed << QString() << 0.0 << none
                                   << u"out of range"_s << 0 << 0;
        row("progress negative") << u"::progress -1/5"_s << Kind::Malformed << QString() << 0.0 << none
                                 << u"N/M"_s << 0 << 0;
        row("progress fraction") << u"::progress 1.5/5"_s << Kind::Malformed << QString() << 0.0 << none
                                 << u"N/M"_s << 0 << 0;
        row("progress percent") << u"::progress 50%"_s << Kind::Malformed << QString() << 0.0 << none
                                << u"N/M"_s << 0 << 0;
        row("progress spaces") << u"::progress 1 / 5"_s << Kind::Malformed << QString() << 0.0 << none
                               << u"N/M"_s << 0 << 0;
        row("progress overflow") << u"::progress 1/99999999999"_s << Kind::Malformed << QString() << 0.0
                                 << none << u"N/M"_s << 0 << 0;
        row("progress bare") << u"::progress"_s << Kind::Malformed << QString() << 0.0 << none << u"N/M"_s
                             << 0 << 0;
    }

    void parse() {
        QFETCH(QString, line);
        QFETCH(Kind, kind);
        QFETCH(QString, name);
        QFETCH(double, value);
        QFETCH(ErrorCategory, category);
        QFETCH(QString, message);
        QFETCH(int, done);
        QFETCH(int, total);

        const OutputDirective d = engine::parseOutputLine(line);
        QCOMPARE(d.kind, kind);
        switch (kind) {
        case Kind::LogLine:
            break;
        case Kind::Metric:
            QCOMPARE(d.name, name);
            QCOMPARE(d.value, value);
            break;
        case Kind::Error:
            QCOMPARE(toString(d.category), toString(category));
            QCOMPARE(d.message, message);
            break;
        case Kind::Progress:
            QCOMPARE(d.done, done);
            QCOMPARE(d.total, total);
            break;
        case Kind::Malformed:
            QVERIFY2(d.message.contains(message), qPrintable(d.message));
            QCOMPARE(toString(d.category), QString());
            break;
        }
    }
};

QTEST_GUILESS_MAIN(TestOutputProtocol)
#include "tst_output_protocol.moc"
