// DlqSettings: the issue's defaults, every range boundary (the error names the field),
// unknown keys, wrong types, huge numbers, the integration strategies and the JSON form
// stored in the data dir.

#include "dlq/dlq_settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>
#include <limits>

using namespace signalbox;
using namespace signalbox::dlq;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMinute = 60 * 1000;

const QList<ErrorCategory> kCategories{ErrorCategory::Transient,  ErrorCategory::Network,
                                       ErrorCategory::Resource,   ErrorCategory::Permission,
                                       ErrorCategory::Validation, ErrorCategory::Permanent};

QStringList names(const QList<ErrorCategory>& categories) {
    QStringList out;
    for (ErrorCategory category : categories)
        out << toString(category);
    return out;
}

QByteArray compact(const QJsonObject& json) { return QJsonDocument(json).toJson(QJsonDocument::Compact); }

// fromJson that must fail; returns the error.
QString rejection(const QJsonObject& json) {
    QString error;
    const auto settings = DlqSettings::fromJson(json, &error);
    if (settings)
        return u"<accepted>"_s;
    return error;
}

} // namespace

class TestDlqSettings final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreTheIssues() {
        const DlqSettings settings;
        QCOMPARE(toString(settings.strategy), u"automatic"_s);
        QCOMPARE(settings.maxSize, 10'000);
        QCOMPARE(settings.maxRetries, 3);
        QCOMPARE(settings.intervalSeconds, 60);
        QVERIFY(settings.processorEnabled);
        QCOMPARE(settings.parallelism, 4);
        QCOMPARE(settings.schedule.linearStepMs, 5 * kMinute);
        QCOMPARE(settings.schedule.exponentialBaseMs, 1 * kMinute);
        QCOMPARE(settings.schedule.exponentialCapMs, 60 * kMinute);
        QCOMPARE(names(settings.selectiveCategories), (QStringList{u"transient"_s, u"network"_s, u"resource"_s}));
        QCOMPARE(settings.validate(), QString());
    }

    void emptyJsonGivesDefaults() {
        QString error = u"untouched"_s;
        const auto settings = DlqSettings::fromJson(QJsonObject{}, &error);
        QVERIFY(settings.has_value());
        QCOMPARE(compact(settings->toJson()), compact(DlqSettings{}.toJson()));
    }

    void missingFieldsKeepDefaults() {
        const auto settings = DlqSettings::fromJson(QJsonObject{{u"max_retries"_s, 7}}, nullptr);
        QVERIFY(settings.has_value());
        QCOMPARE(settings->maxRetries, 7);
        QCOMPARE(settings->maxSize, 10'000);
        QCOMPARE(settings->intervalSeconds, 60);
        QCOMPARE(toString(settings->strategy), u"automatic"_s);
    }

    // Every boundary of every range, through fromJson and through validate().
    void ranges_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("range");
        const auto row = [](const char* field, qint64 value, bool accepted, const QString& range) {
            QTest::addRow("%s=%lld", field, static_cast<long long>(value))
                << QString::fromLatin1(field) << value << accepted << range;
        };
        row("max_size", 99, false, u"100..100000"_s);
        row("max_size", 100, true, u"100..100000"_s);
        row("max_size", 10'000, true, u"100..100000"_s);
        row("max_size", 100'000, true, u"100..100000"_s);
        row("max_size", 100'001, false, u"100..100000"_s);
        row("max_size", 0, false, u"100..100000"_s);
        row("max_size", -100, false, u"100..100000"_s);
        row("max_retries", -1, false, u"0..10"_s);
        row("max_retries", 0, true, u"0..10"_s);
        row("max_retries", 10, true, u"0..10"_s);
        row("max_retries", 11, false, u"0..10"_s);
        row("interval_seconds", 9, false, u"10..3600"_s);
        row("interval_seconds", 10, true, u"10..3600"_s);
        row("interval_seconds", 3600, true, u"10..3600"_s);
        row("interval_seconds", 3601, false, u"10..3600"_s);
        row("interval_seconds", 0, false, u"10..3600"_s);
        row("parallelism", 0, false, u"1..64"_s);
        row("parallelism", 1, true, u"1..64"_s);
        row("parallelism", 64, true, u"1..64"_s);
        row("parallelism", 65, false, u"1..64"_s);
        const QString ms = u"0..9223372036854775807"_s;
        row("linear_step_ms", -1, false, ms);
        row("linear_step_ms", 0, true, ms);
        row("exponential_base_ms", -1, false, ms);
        row("exponential_base_ms", 0, true, ms);
        row("exponential_cap_ms", -1, false, ms);
        row("exponential_cap_ms", 0, true, ms);
        row("exponential_cap_ms", std::numeric_limits<qint64>::max(), true, ms);
    }
    void ranges() {
        QFETCH(QString, field);
        QFETCH(qint64, value);
        QFETCH(bool, accepted);
        QFETCH(QString, range);
        const QJsonObject json{{field, value}};

        QString error;
        const auto settings = DlqSettings::fromJson(json, &error);
        QCOMPARE(settings.has_value(), accepted);
        if (accepted) {
            QVERIFY(error.isEmpty());
            QCOMPARE(settings->toJson().value(field).toInteger(), value);
        } else {
            QVERIFY2(error.contains(field), qPrintable(error));
            QVERIFY2(error.contains(range), qPrintable(error));
            QVERIFY2(error.contains(QString::number(value)), qPrintable(error));
            QVERIFY2(!error.contains(u'\n'), qPrintable(error));
        }

        // The same value set directly on the struct: validate() agrees and names the field.
        DlqSettings direct;
        if (field == u"max_size")
            direct.maxSize = int(value);
        else if (field == u"max_retries")
            direct.maxRetries = int(value);
        else if (field == u"interval_seconds")
            direct.intervalSeconds = int(value);
        else if (field == u"parallelism")
            direct.parallelism = int(value);
        else if (field == u"linear_step_ms")
            direct.schedule.linearStepMs = value;
        else if (field == u"exponential_base_ms")
            direct.schedule.exponentialBaseMs = value;
        else
            direct.schedule.exponentialCapMs = value;
        const QString invalid = direct.validate();
        QCOMPARE(invalid.isEmpty(), accepted);
        if (!accepted) {
            QVERIFY2(invalid.contains(field), qPrintable(invalid));
            QVERIFY2(invalid.contains(range), qPrintable(invalid));
            QVERIFY2(invalid.contains(QString::number(value)), qPrintable(invalid));
        }
    }

    // Values that would wrap into a valid int, or overflow a qint64, are out of range,
    // reported with the value the user gave.
    void hugeNumbers_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("shown");
        // 2^32 + 100 wraps to 100 as an int: must not be accepted as max_size 100.
        QTest::newRow("max_size 2^32+100") << u"max_size"_s << 4294967396.0 << u"4294967396"_s;
        QTest::newRow("max_size 2^31") << u"max_size"_s << 2147483648.0 << u"2147483648"_s;
        QTest::newRow("max_retries 2^32+3") << u"max_retries"_s << 4294967299.0 << u"4294967299"_s;
        QTest::newRow("interval -2^32+60") << u"interval_seconds"_s << -4294967236.0 << u"-4294967236"_s;
        QTest::newRow("parallelism 1e18") << u"parallelism"_s << 1e18 << u"1000000000000000000"_s;
        QTest::newRow("max_size 1e300") << u"max_size"_s << 1e300 << u"1e+300"_s;
        QTest::newRow("max_size -1e300") << u"max_size"_s << -1e300 << u"-1e+300"_s;
        QTest::newRow("linear_step_ms 2^63") << u"linear_step_ms"_s << 9223372036854775808.0
                                             << u"got 922337203685477"_s;
        QTest::newRow("exponential_cap_ms 1e30") << u"exponential_cap_ms"_s << 1e30 << u"1e+30"_s;
    }
    void hugeNumbers() {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, shown);
        const QString error = rejection(QJsonObject{{field, value}});
        QVERIFY2(error.startsWith(u"dlq setting "_s + field + u" must be "_s), qPrintable(error));
        QVERIFY2(error.contains(shown), qPrintable(error));
    }

    // Parsed from text as the store keeps it: big integers stay integers.
    void hugeNumbersFromText() {
        QString error;
        const QJsonObject json =
            QJsonDocument::fromJson(R"({"max_size": 18446744073709551716})").object(); // 2^64 + 100
        QVERIFY(!DlqSettings::fromJson(json, &error).has_value());
        QVERIFY2(error.contains(u"max_size"_s), qPrintable(error));
        const QJsonObject big = QJsonDocument::fromJson(R"({"linear_step_ms": 9223372036854775807})").object();
        const auto settings = DlqSettings::fromJson(big, &error);
        QVERIFY2(settings.has_value(), qPrintable(error));
        QCOMPARE(settings->schedule.linearStepMs, std::numeric_limits<qint64>::max());
    }

    void wrongTypes_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("max_size string") << u"max_size"_s << QJsonValue(u"100"_s);
        QTest::newRow("max_size fraction") << u"max_size"_s << QJsonValue(100.5);
        QTest::newRow("max_size bool") << u"max_size"_s << QJsonValue(true);
        QTest::newRow("max_size null") << u"max_size"_s << QJsonValue(QJsonValue::Null);
        QTest::newRow("max_size array") << u"max_size"_s << QJsonValue(QJsonArray{100});
        QTest::newRow("max_retries string") << u"max_retries"_s << QJsonValue(u"3"_s);
        QTest::newRow("max_retries fraction") << u"max_retries"_s << QJsonValue(2.5);
        QTest::newRow("interval duration text") << u"interval_seconds"_s << QJsonValue(u"60s"_s);
        QTest::newRow("parallelism object") << u"parallelism"_s << QJsonValue(QJsonObject{});
        QTest::newRow("linear_step_ms fraction") << u"linear_step_ms"_s << QJsonValue(0.5);
        QTest::newRow("processor_enabled string") << u"processor_enabled"_s << QJsonValue(u"on"_s);
        QTest::newRow("processor_enabled number") << u"processor_enabled"_s << QJsonValue(1);
        QTest::newRow("processor_enabled null") << u"processor_enabled"_s << QJsonValue(QJsonValue::Null);
        QTest::newRow("strategy number") << u"strategy"_s << QJsonValue(1);
        QTest::newRow("strategy capitalized") << u"strategy"_s << QJsonValue(u"Automatic"_s);
        QTest::newRow("strategy unknown") << u"strategy"_s << QJsonValue(u"sometimes"_s);
        QTest::newRow("strategy null") << u"strategy"_s << QJsonValue(QJsonValue::Null);
        QTest::newRow("categories string") << u"selective_categories"_s << QJsonValue(u"transient"_s);
        QTest::newRow("categories object") << u"selective_categories"_s << QJsonValue(QJsonObject{});
        QTest::newRow("categories number item") << u"selective_categories"_s << QJsonValue(QJsonArray{1});
        QTest::newRow("categories unknown item")
            << u"selective_categories"_s << QJsonValue(QJsonArray{u"transient"_s, u"flaky"_s});
        QTest::newRow("categories empty-name item") << u"selective_categories"_s << QJsonValue(QJsonArray{u""_s});
        QTest::newRow("categories 'none'") << u"selective_categories"_s << QJsonValue(QJsonArray{u"none"_s});
    }
    void wrongTypes() {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        const QString error = rejection(QJsonObject{{field, value}});
        QVERIFY2(error != u"<accepted>"_s, qPrintable(field));
        QVERIFY2(error.contains(field), qPrintable(error));
    }

    void unknownKeysAreErrors() {
        for (const QString& key : {u"max_sizes"_s, u"maxSize"_s, u"enabled"_s, u"MAX_SIZE"_s, QString()}) {
            const QString error = rejection(QJsonObject{{key, 100}});
            QCOMPARE(error, u"unknown dlq setting '%1'"_s.arg(key));
        }
        // Even next to valid keys.
        QCOMPARE(rejection(QJsonObject{{u"max_size"_s, 500}, {u"intervall_seconds"_s, 60}}),
                 u"unknown dlq setting 'intervall_seconds'"_s);
    }

    void nullErrorPointerIsAllowed() {
        QVERIFY(!DlqSettings::fromJson(QJsonObject{{u"max_size"_s, 1}}, nullptr).has_value());
        QVERIFY(!DlqSettings::fromJson(QJsonObject{{u"bogus"_s, 1}}, nullptr).has_value());
    }

    void selectiveCategories() {
        QString error;
        const auto settings = DlqSettings::fromJson(
            QJsonObject{{u"strategy"_s, u"selective"_s},
                        {u"selective_categories"_s,
                         QJsonArray{u"permission"_s, u"validation"_s, u"permission"_s}}}, // duplicate folded
            &error);
        QVERIFY2(settings.has_value(), qPrintable(error));
        QCOMPARE(names(settings->selectiveCategories), (QStringList{u"permission"_s, u"validation"_s}));
        QVERIFY(settings->shouldEnqueue(ErrorCategory::Permission));
        QVERIFY(settings->shouldEnqueue(ErrorCategory::Validation));
        QVERIFY(!settings->shouldEnqueue(ErrorCategory::Transient));
        QVERIFY(!settings->shouldEnqueue(ErrorCategory::Permanent));

        // An empty list is allowed: selective over nothing enqueues nothing.
        const auto none = DlqSettings::fromJson(
            QJsonObject{{u"strategy"_s, u"selective"_s}, {u"selective_categories"_s, QJsonArray{}}}, &error);
        QVERIFY(none.has_value());
        for (ErrorCategory category : kCategories)
            QVERIFY(!none->shouldEnqueue(category));

        DlqSettings direct;
        direct.selectiveCategories = {ErrorCategory::None};
        QVERIFY(direct.validate().contains(u"selective_categories"_s));
    }

    // Every strategy x category (settings' default selective categories).
    void shouldEnqueue_data() {
        QTest::addColumn<IntegrationStrategy>("strategy");
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<bool>("enqueued");
        for (ErrorCategory category : kCategories) {
            const QString name = toString(category);
            const bool selected = category == ErrorCategory::Transient || category == ErrorCategory::Network ||
                                  category == ErrorCategory::Resource;
            QTest::addRow("automatic/%s", qPrintable(name)) << IntegrationStrategy::Automatic << category << true;
            QTest::addRow("selective/%s", qPrintable(name)) << IntegrationStrategy::Selective << category << selected;
            QTest::addRow("manual/%s", qPrintable(name)) << IntegrationStrategy::Manual << category << false;
            QTest::addRow("disabled/%s", qPrintable(name)) << IntegrationStrategy::Disabled << category << false;
        }
    }
    void shouldEnqueue() {
        QFETCH(IntegrationStrategy, strategy);
        QFETCH(ErrorCategory, category);
        QFETCH(bool, enqueued);
        DlqSettings settings;
        settings.strategy = strategy;
        QCOMPARE(settings.shouldEnqueue(category), enqueued);
    }

    void jsonRoundTrip() {
        DlqSettings settings;
        settings.strategy = IntegrationStrategy::Selective;
        settings.selectiveCategories = {ErrorCategory::Permanent, ErrorCategory::Network};
        settings.maxSize = 100'000;
        settings.maxRetries = 0;
        settings.intervalSeconds = 3600;
        settings.processorEnabled = false;
        settings.parallelism = 64;
        settings.schedule = RetrySchedule{.linearStepMs = 1, .exponentialBaseMs = 2, .exponentialCapMs = 3};
        QCOMPARE(settings.validate(), QString());

        const QJsonObject json = settings.toJson();
        QCOMPARE(json.keys(), (QStringList{u"exponential_base_ms"_s, u"exponential_cap_ms"_s, u"interval_seconds"_s,
                                           u"linear_step_ms"_s, u"max_retries"_s, u"max_size"_s, u"parallelism"_s,
                                           u"processor_enabled"_s, u"selective_categories"_s, u"strategy"_s}));
        QCOMPARE(json.value(u"strategy"_s).toString(), u"selective"_s);
        QCOMPARE(json.value(u"selective_categories"_s).toArray(), (QJsonArray{u"permanent"_s, u"network"_s}));
        QCOMPARE(json.value(u"processor_enabled"_s).toBool(true), false);

        // Through text, as stored.
        const QJsonObject reread = QJsonDocument::fromJson(compact(json)).object();
        QString error;
        const auto back = DlqSettings::fromJson(reread, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(compact(back->toJson()), compact(json));
        QCOMPARE(toString(back->strategy), u"selective"_s);
        QCOMPARE(names(back->selectiveCategories), (QStringList{u"permanent"_s, u"network"_s}));
        QCOMPARE(back->maxSize, 100'000);
        QCOMPARE(back->maxRetries, 0);
        QCOMPARE(back->intervalSeconds, 3600);
        QCOMPARE(back->processorEnabled, false);
        QCOMPARE(back->parallelism, 64);
        QCOMPARE(back->schedule.linearStepMs, qint64(1));
        QCOMPARE(back->schedule.exponentialBaseMs, qint64(2));
        QCOMPARE(back->schedule.exponentialCapMs, qint64(3));
    }

    void everyStrategyRoundTrips() {
        for (auto strategy : {IntegrationStrategy::Automatic, IntegrationStrategy::Selective,
                              IntegrationStrategy::Manual, IntegrationStrategy::Disabled}) {
            DlqSettings settings;
            settings.strategy = strategy;
            const auto back = DlqSettings::fromJson(settings.toJson(), nullptr);
            QVERIFY(back.has_value());
            QCOMPARE(toString(back->strategy), toString(strategy));
        }
    }
};

QTEST_GUILESS_MAIN(TestDlqSettings)
#include "tst_dlq_settings.moc"
