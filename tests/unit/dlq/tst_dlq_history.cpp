// A dead letter's history: events and recipes to JSON and back, fields left out when
// unset, and parseHistory on what a damaged row can hold.

#include "dlq/history.h"
#include "domain/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace signalbox;
using namespace signalbox::dlq;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kAt = 1'790'000'000'123; // 2026-09-21T..., with milliseconds

LaunchRecipe sampleRecipe() {
    LaunchRecipe recipe;
    recipe.argv = QStringList{u"pytest"_s, u"-q"_s, u"tests/test a.py"_s, QString(), u"Ünïcødé ✓"_s};
    recipe.env = {{u"PYTHONHASHSEED"_s, u"0"_s}, {u"SIGNALBOX_RUN_ID"_s, u"r_7"_s}, {u"EMPTY"_s, QString()},
                  {u"QUOTES"_s, u"a \"b\" \\ c\nd"_s}};
    recipe.workingDir = u"/work/repos/billing"_s;
    recipe.pool = u"local"_s;
    return recipe;
}

HistoryEvent fullEvent() {
    HistoryEvent event;
    event.atMs = kAt;
    event.event = u"edited"_s;
    event.actor = u"alice"_s;
    event.detail = u"exit code 1"_s;
    event.exitCode = 1;
    event.recipe = sampleRecipe();
    event.runStatus = u"succeeded"_s;
    return event;
}

QByteArray arrayOf(const QList<HistoryEvent>& events) {
    QByteArray out = "[";
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (i > 0)
            out += ',';
        out += toJsonBytes(events.at(i));
    }
    return out + ']';
}

void compareEvents(const HistoryEvent& actual, const HistoryEvent& expected) {
    QCOMPARE(actual.atMs, expected.atMs);
    QCOMPARE(actual.event, expected.event);
    QCOMPARE(actual.actor, expected.actor);
    QCOMPARE(actual.detail, expected.detail);
    QCOMPARE(actual.exitCode.has_value(), expected.exitCode.has_value());
    if (expected.exitCode)
        QCOMPARE(*actual.exitCode, *expected.exitCode);
    QCOMPARE(actual.recipe.has_value(), expected.recipe.has_value());
    if (expected.recipe)
        QVERIFY(*actual.recipe == *expected.recipe);
    QCOMPARE(actual.runStatus, expected.runStatus);
}

} // namespace

class TestDlqHistory final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recipeRoundTrip() {
        const LaunchRecipe recipe = sampleRecipe();
        const QJsonObject json = toJson(recipe);
        QCOMPARE(json.keys(), (QStringList{u"argv"_s, u"env"_s, u"pool"_s, u"working_dir"_s}));
        QCOMPARE(json.value(u"argv"_s).toArray().size(), 5);
        QCOMPARE(json.value(u"working_dir"_s).toString(), u"/work/repos/billing"_s);
        const auto back = recipeFromJson(json);
        QVERIFY(back.has_value());
        QVERIFY(*back == recipe);
        // Through text too.
        const auto reread = recipeFromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY(reread.has_value());
        QVERIFY(*reread == recipe);
    }

    void emptyRecipeRoundTrip() {
        const LaunchRecipe empty;
        const auto back = recipeFromJson(toJson(empty));
        QVERIFY(back.has_value());
        QVERIFY(*back == empty);
    }

    void badRecipes() {
        QVERIFY(!recipeFromJson(QJsonObject{}).has_value());                              // no argv
        QVERIFY(!recipeFromJson(QJsonObject{{u"argv"_s, u"make test"_s}}).has_value());  // not a list
        QVERIFY(!recipeFromJson(QJsonObject{{u"argv"_s, QJsonArray{u"make"_s, 1}}}).has_value());
        QVERIFY(!recipeFromJson(QJsonObject{{u"argv"_s, QJsonArray{QJsonValue::Null}}}).has_value());
        // argv alone is enough; the rest is empty.
        const auto minimal = recipeFromJson(QJsonObject{{u"argv"_s, QJsonArray{u"true"_s}}});
        QVERIFY(minimal.has_value());
        QCOMPARE(minimal->argv, QStringList{u"true"_s});
        QVERIFY(minimal->env.isEmpty());
        QVERIFY(minimal->workingDir.isEmpty());
        QVERIFY(minimal->pool.isEmpty());
    }

    void eventJsonHasTheContractKeys() {
        const QJsonObject json = toJson(fullEvent());
        QCOMPARE(json.keys(), (QStringList{u"at"_s, u"by"_s, u"detail"_s, u"event"_s, u"exit_code"_s, u"recipe"_s,
                                           u"run_status"_s}));
        QCOMPARE(json.value(u"at"_s).toString(), isoUtc(kAt));
        QVERIFY(json.value(u"at"_s).toString().endsWith(u".123Z"_s));
        QCOMPARE(json.value(u"by"_s).toString(), u"alice"_s);
        QCOMPARE(json.value(u"exit_code"_s).toInt(), 1);
        QCOMPARE(json.value(u"recipe"_s).toObject(), toJson(sampleRecipe()));
        // Compact and one line, as Store::dlqUpdate appends it.
        const QByteArray bytes = toJsonBytes(fullEvent());
        QVERIFY(!bytes.contains('\n'));
        QCOMPARE(QJsonDocument::fromJson(bytes).object(), json);
    }

    void absentFieldsAreOmitted() {
        HistoryEvent event;
        event.atMs = kAt;
        event.event = u"enqueued"_s;
        const QJsonObject json = toJson(event);
        QCOMPARE(json.keys(), (QStringList{u"at"_s, u"event"_s}));

        event.exitCode = 0; // a recorded exit code 0 is not "absent"
        QVERIFY(toJson(event).contains(u"exit_code"_s));
        QCOMPARE(toJson(event).value(u"exit_code"_s).toInt(-1), 0);
    }

    void eventRoundTrip_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("full") << 0;
        QTest::newRow("minimal") << 1;
        QTest::newRow("exit code 0, no recipe") << 2;
        QTest::newRow("negative exit code, unicode detail") << 3;
    }
    void eventRoundTrip() {
        QFETCH(int, which);
        HistoryEvent event;
        switch (which) {
        case 0:
            event = fullEvent();
            break;
        case 1:
            event.atMs = kAt;
            event.event = u"archived"_s;
            break;
        case 2:
            event.atMs = kAt + 1;
            event.event = u"retry-succeeded"_s;
            event.actor = u"auto"_s;
            event.exitCode = 0;
            event.runStatus = u"succeeded"_s;
            break;
        default:
            event.atMs = kAt + 2;
            event.event = u"retry-failed"_s;
            event.detail = u"killed by signal SIGKILL — «OOM»\t\"quoted\""_s;
            event.exitCode = -1;
            break;
        }
        const QList<HistoryEvent> parsed = parseHistory(arrayOf({event}));
        QCOMPARE(parsed.size(), 1);
        compareEvents(parsed.first(), event);
    }

    void historyKeepsOrder() {
        HistoryEvent a;
        a.atMs = kAt;
        a.event = u"enqueued"_s;
        HistoryEvent b = fullEvent();
        HistoryEvent c;
        c.atMs = kAt + 60'000;
        c.event = u"retry-started"_s;
        c.actor = u"auto"_s;
        const QList<HistoryEvent> parsed = parseHistory(arrayOf({a, b, c}));
        QCOMPARE(parsed.size(), 3);
        compareEvents(parsed.at(0), a);
        compareEvents(parsed.at(1), b);
        compareEvents(parsed.at(2), c);
    }

    void garbageGivesNothing_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray("  \n ");
        QTest::newRow("empty array") << QByteArray("[]");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("object, not array") << QByteArray(R"({"event":"enqueued"})");
        QTest::newRow("string") << QByteArray(R"("enqueued")");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01garbage", 11);
        QTest::newRow("no array at all") << QByteArray("not json");
        QTest::newRow("elements not objects") << QByteArray(R"([1, "x", null, true, [], [{"event":"a"}]])");
        QTest::newRow("objects without event") << QByteArray(R"([{}, {"at":"2026-11-23T10:00:00Z"}, {"event":""}])");
        QTest::newRow("event not a string") << QByteArray(R"([{"event": 5}, {"event": null}, {"event": {}}])");
        QTest::newRow("cut in the first element") << QByteArray("[{\"event\":\"enq");
        QTest::newRow("only the bracket") << QByteArray("[");
    }
    void garbageGivesNothing() {
        QFETCH(QByteArray, input);
        QVERIFY(parseHistory(input).isEmpty());
    }

    // A cut-short or damaged history still yields the events that are intact.
    void partialInputKeepsWhatParses() {
        HistoryEvent first;
        first.atMs = kAt;
        first.event = u"enqueued"_s;
        first.detail = u"exit code 1, with \"quotes\", [brackets] and {braces}"_s;
        HistoryEvent second = fullEvent();
        const QByteArray whole = arrayOf({first, second});

        // Cut anywhere inside the second event: the first survives.
        const QByteArray firstBytes = toJsonBytes(first);
        const qsizetype secondStart = 1 + firstBytes.size() + 1;
        for (qsizetype cut = secondStart; cut < whole.size() - 1; cut += 7) {
            const QList<HistoryEvent> parsed = parseHistory(whole.left(cut));
            QVERIFY2(parsed.size() == 1, qPrintable(QString::number(cut)));
            compareEvents(parsed.first(), first);
        }
        // Missing only the closing bracket: both survive.
        const QList<HistoryEvent> both = parseHistory(whole.chopped(1));
        QCOMPARE(both.size(), 2);
        compareEvents(both.at(1), second);

        // A broken element in the middle is skipped, the ones around it kept.
        const QByteArray middle = "[" + firstBytes + R"(,{"event":"retry-failed","exit_code":},)" +
                                  toJsonBytes(second) + "]";
        const QList<HistoryEvent> around = parseHistory(middle);
        QCOMPARE(around.size(), 2);
        compareEvents(around.at(0), first);
        compareEvents(around.at(1), second);

        // Trailing junk after a complete array.
        const QList<HistoryEvent> junk = parseHistory(whole + " garbage");
        QCOMPARE(junk.size(), 2);
    }

    void fieldsOfWrongTypeAreDropped() {
        const QByteArray input = R"([{"at":"yesterday","event":"retry-failed","by":7,"detail":["x"],
            "exit_code":"1","recipe":{"argv":"make"},"run_status":false},
            {"at":"2026-11-23T10:00:00.500Z","event":"retry-failed","exit_code":2.5},
            {"event":"retry-failed","exit_code":1e300},
            {"event":"retry-failed","exit_code":-2}])";
        const QList<HistoryEvent> parsed = parseHistory(input);
        QCOMPARE(parsed.size(), 4);
        const HistoryEvent& bad = parsed.at(0);
        QCOMPARE(bad.event, u"retry-failed"_s);
        QCOMPARE(bad.atMs, qint64(0));
        QVERIFY(bad.actor.isEmpty());
        QVERIFY(bad.detail.isEmpty());
        QVERIFY(!bad.exitCode.has_value()); // "1" is no exit code (and surely not 0)
        QVERIFY(!bad.recipe.has_value());
        QVERIFY(bad.runStatus.isEmpty());
        QCOMPARE(parsed.at(1).atMs, *parseIsoUtc(u"2026-11-23T10:00:00.500Z"_s));
        QVERIFY(!parsed.at(1).exitCode.has_value()); // 2.5
        QVERIFY(!parsed.at(2).exitCode.has_value()); // out of int range
        QCOMPARE(parsed.at(3).exitCode.value_or(0), -2);
    }

    void unsetTimeRoundTripsAsZero() {
        HistoryEvent event;
        event.event = u"interrupted"_s;
        const QList<HistoryEvent> parsed = parseHistory(arrayOf({event}));
        QCOMPARE(parsed.size(), 1);
        QCOMPARE(parsed.first().atMs, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestDlqHistory)
#include "tst_dlq_history.moc"
