// validateRecipe(): an edited launch recipe is checked like a workflow task (argv, env
// names, working dir inside the allowed roots with symlinks resolved, pool), and the one
// line it returns names the field after the caller's context.

#include "dlq/recipe_validation.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace signalbox::dlq;
using namespace Qt::StringLiterals;

namespace {
const QStringList kPools{u"local"_s, u"gpu"_s};
} // namespace

class TestRecipeValidation final : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_allowed;  // <tmp>/allowed         (the allowed root)
    QString m_work;     // <tmp>/allowed/work
    QString m_outside;  // <tmp>/outside
    QString m_file;     // <tmp>/allowed/notes.txt
    QString m_escape;   // <tmp>/allowed/escape -> ../outside   (symlink out of the root)
    QString m_inner;    // <tmp>/allowed/inner  -> work         (symlink within the root)
    QString m_rootLink; // <tmp>/root-link      -> allowed      (the root named through a link)

    LaunchRecipe valid() const {
        LaunchRecipe recipe;
        recipe.argv = QStringList{u"pytest"_s, u"-q"_s};
        recipe.env = {{u"PYTHONHASHSEED"_s, u"0"_s}};
        recipe.workingDir = m_work;
        recipe.pool = u"local"_s;
        return recipe;
    }
    QString check(const LaunchRecipe& recipe, const QStringList& roots = {}) const {
        return validateRecipe(recipe, roots.isEmpty() ? QStringList{m_allowed} : roots, kPools);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        const QDir tmp(m_tmp.path());
        QVERIFY(tmp.mkpath(u"allowed/work"_s));
        QVERIFY(tmp.mkpath(u"outside"_s));
        m_allowed = tmp.filePath(u"allowed"_s);
        m_work = tmp.filePath(u"allowed/work"_s);
        m_outside = tmp.filePath(u"outside"_s);
        m_file = tmp.filePath(u"allowed/notes.txt"_s);
        QFile file(m_file);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        m_escape = tmp.filePath(u"allowed/escape"_s);
        m_inner = tmp.filePath(u"allowed/inner"_s);
        m_rootLink = tmp.filePath(u"root-link"_s);
        QVERIFY(QFile::link(u"../outside"_s, m_escape));
        QVERIFY(QFile::link(u"work"_s, m_inner));
        QVERIFY(QFile::link(m_allowed, m_rootLink));
        QVERIFY(QFileInfo(m_escape).isDir());
    }

    void validRecipePasses() {
        QCOMPARE(check(valid()), QString());
        QCOMPARE(validateRecipe(valid(), {m_allowed}, kPools, u"edit of d_12"_s), QString());
    }

    void contextPrefixesTheMessage() {
        LaunchRecipe recipe = valid();
        recipe.workingDir = u"/x"_s;
        // (assumes no /x on the test machine)
        QVERIFY(!QFileInfo::exists(u"/x"_s));
        QCOMPARE(validateRecipe(recipe, {}, kPools, u"edit of d_12"_s), u"edit of d_12: working_dir /x does not exist"_s);
        QCOMPARE(validateRecipe(recipe, {}, kPools), u"working_dir /x does not exist"_s);
    }

    // ---- argv ---------------------------------------------------------------------------

    void argv() {
        LaunchRecipe recipe = valid();
        recipe.argv.clear();
        QCOMPARE(check(recipe), u"argv is empty"_s);
        recipe.argv = QStringList{QString()};
        QCOMPARE(check(recipe), u"argv[0] is empty"_s);
        recipe.argv = QStringList{QString(), u"x"_s};
        QCOMPARE(check(recipe), u"argv[0] is empty"_s);
        // Empty arguments after the program are legitimate ("" passed on purpose).
        recipe.argv = QStringList{u"printf"_s, QString(), u"x"_s};
        QCOMPARE(check(recipe), QString());
        // Spaces, quotes and shell characters are plain text in argv form.
        recipe.argv = QStringList{u"echo"_s, u"$(rm -rf /); `x` | y > z"_s};
        QCOMPARE(check(recipe), QString());
    }

    void nulInArgv_data() {
        QTest::addColumn<int>("index");
        QTest::newRow("argv[0]") << 0;
        QTest::newRow("argv[2]") << 2;
    }
    void nulInArgv() {
        QFETCH(int, index);
        LaunchRecipe recipe = valid();
        recipe.argv = QStringList{u"make"_s, u"test"_s, u"all"_s};
        recipe.argv[index] = u"a"_s + QChar(u'\0') + u"b"_s;
        const QString error = check(recipe);
        QVERIFY2(error.startsWith(u"argv[%1] "_s.arg(index)), qPrintable(error));
        QVERIFY2(error.contains(u"NUL"_s), qPrintable(error));
        QVERIFY2(!error.contains(QChar(u'\0')), "the message itself must not carry the NUL");
        QVERIFY2(error.contains(u"a\\0b"_s), qPrintable(error));
    }

    // ---- env ----------------------------------------------------------------------------

    void envNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("upper") << u"PATH_EXTRA"_s << true;
        QTest::newRow("lower") << u"http_proxy"_s << true;
        QTest::newRow("underscore") << u"_"_s << true;
        QTest::newRow("leading underscore") << u"_X1"_s << true;
        QTest::newRow("digits after") << u"A1B2"_s << true;
        QTest::newRow("SIGNALBOX without underscore") << u"SIGNALBOX"_s << true;
        QTest::newRow("other case is not reserved") << u"signalbox_x"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("leading digit") << u"1ABC"_s << false;
        QTest::newRow("dash") << u"MY-VAR"_s << false;
        QTest::newRow("dot") << u"my.var"_s << false;
        QTest::newRow("space") << u"MY VAR"_s << false;
        QTest::newRow("equals") << u"A=B"_s << false;
        QTest::newRow("non-ascii letter") << u"ÄRGER"_s << false;
        QTest::newRow("newline") << u"A\nB"_s << false;
        QTest::newRow("dollar") << u"$HOME"_s << false;
    }
    void envNames() {
        QFETCH(QString, name);
        QFETCH(bool, accepted);
        LaunchRecipe recipe = valid();
        recipe.env.insert(name, u"v"_s);
        const QString error = check(recipe);
        QCOMPARE(error.isEmpty(), accepted);
        if (!accepted) {
            QVERIFY2(error.startsWith(u"env name '"_s), qPrintable(error));
            QVERIFY2(error.contains(u"[A-Za-z_][A-Za-z0-9_]*"_s), qPrintable(error));
            QVERIFY2(!error.contains(u'\n'), qPrintable(error));
        }
    }

    void nulInEnv() {
        LaunchRecipe recipe = valid();
        recipe.env.insert(u"TOKEN"_s, u"abc"_s + QChar(u'\0') + u"def"_s);
        QCOMPARE(check(recipe), u"env TOKEN value contains a NUL character"_s);
        recipe = valid();
        recipe.env.insert(u"TO"_s + QChar(u'\0') + u"KEN"_s, u"v"_s);
        const QString error = check(recipe);
        QVERIFY2(error.startsWith(u"env name 'TO\\0KEN'"_s), qPrintable(error));
        QVERIFY(error.contains(u"NUL"_s));
    }

    void envValuesAreFree() {
        LaunchRecipe recipe = valid();
        recipe.env.insert(u"EMPTY"_s, QString());
        recipe.env.insert(u"MULTI"_s, u"line 1\nline 2 with = and $VAR"_s);
        QCOMPARE(check(recipe), QString());
    }

    void reservedNames() {
        LaunchRecipe recipe = valid();
        recipe.env.insert(u"SIGNALBOX_RUN_ID"_s, u"r_9"_s);
        QCOMPARE(check(recipe),
                 u"env name 'SIGNALBOX_RUN_ID' is reserved (SIGNALBOX_* variables are set by the engine)"_s);
        recipe.env = {{u"SIGNALBOX_"_s, u"x"_s}};
        QVERIFY(check(recipe).contains(u"reserved"_s));
        QVERIFY(isReservedEnvName(u"SIGNALBOX_TASK_ID"_s));
        QVERIFY(!isReservedEnvName(u"SIGNALBOX"_s));
        QVERIFY(!isReservedEnvName(u"MY_SIGNALBOX_X"_s));
    }

    // The original recipe holds the SIGNALBOX_* variables the engine set: an edit may keep
    // them as they are, not change or add any.
    void reservedNamesKeptFromTheEngine() {
        const QMap<QString, QString> engineEnv{{u"SIGNALBOX_RUN_ID"_s, u"r_7"_s}, {u"SIGNALBOX_TASK_ID"_s, u"test"_s}};
        LaunchRecipe recipe = valid();
        recipe.env.insert(engineEnv);
        QCOMPARE(validateRecipe(recipe, {m_allowed}, kPools, {}, engineEnv), QString());
        // Dropping one is fine.
        recipe.env.remove(u"SIGNALBOX_TASK_ID"_s);
        QCOMPARE(validateRecipe(recipe, {m_allowed}, kPools, {}, engineEnv), QString());
        // Changing one is not.
        recipe.env.insert(u"SIGNALBOX_RUN_ID"_s, u"r_8"_s);
        QVERIFY(validateRecipe(recipe, {m_allowed}, kPools, {}, engineEnv).contains(u"'SIGNALBOX_RUN_ID' is reserved"_s));
        // Nor adding one the engine did not set.
        recipe.env.insert(u"SIGNALBOX_RUN_ID"_s, u"r_7"_s);
        recipe.env.insert(u"SIGNALBOX_REPO"_s, u"billing"_s);
        QVERIFY(validateRecipe(recipe, {m_allowed}, kPools, {}, engineEnv).contains(u"'SIGNALBOX_REPO' is reserved"_s));
    }

    // ---- working_dir ----------------------------------------------------------------------

    void workingDirMissingOrRelative() {
        LaunchRecipe recipe = valid();
        recipe.workingDir.clear();
        QCOMPARE(check(recipe), u"working_dir is empty"_s);
        recipe.workingDir = u"allowed/work"_s;
        QCOMPARE(check(recipe), u"working_dir allowed/work is not an absolute path"_s);
        recipe.workingDir = u"./work"_s;
        QVERIFY(check(recipe).contains(u"not an absolute path"_s));
        recipe.workingDir = u"~/work"_s;
        QVERIFY(check(recipe).contains(u"not an absolute path"_s));
        recipe.workingDir = u":/resources"_s; // a Qt resource path is no directory to run in
        QVERIFY(check(recipe).contains(u"not an absolute path"_s));
        recipe.workingDir = m_work + u"/missing"_s;
        QCOMPARE(check(recipe), u"working_dir %1 does not exist"_s.arg(recipe.workingDir));
        recipe.workingDir = m_file;
        QCOMPARE(check(recipe), u"working_dir %1 is not a directory"_s.arg(m_file));
        recipe.workingDir = m_work + QChar(u'\0');
        const QString error = check(recipe);
        QVERIFY2(error.startsWith(u"working_dir "_s) && error.contains(u"NUL"_s), qPrintable(error));
        QVERIFY(!error.contains(QChar(u'\0')));
    }

    void workingDirInsideRoots_data() {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("the root itself") << u"allowed"_s << true;
        QTest::newRow("below the root") << u"allowed/work"_s << true;
        QTest::newRow("trailing slash") << u"allowed/work/"_s << true;
        QTest::newRow("symlink within the root") << u"allowed/inner"_s << true;
        QTest::newRow("dot-dot staying inside") << u"allowed/work/../work"_s << true;
        QTest::newRow("outside") << u"outside"_s << false;
        QTest::newRow("parent of the root") << QString() << false;
        QTest::newRow("symlink escaping the root") << u"allowed/escape"_s << false;
        QTest::newRow("dot-dot escaping the root") << u"allowed/../outside"_s << false;
    }
    void workingDirInsideRoots() {
        QFETCH(QString, dir);
        QFETCH(bool, accepted);
        LaunchRecipe recipe = valid();
        recipe.workingDir = dir.isEmpty() ? m_tmp.path() : m_tmp.path() + u'/' + dir;
        const QString error = check(recipe);
        QVERIFY2(error.isEmpty() == accepted, qPrintable(error));
        if (!accepted) {
            QVERIFY2(error.startsWith(u"working_dir "_s + recipe.workingDir), qPrintable(error));
            QVERIFY2(error.endsWith(u"is outside the allowed roots"_s), qPrintable(error));
        }
    }

    void symlinkEscapeNamesTheRealPath() {
        LaunchRecipe recipe = valid();
        recipe.workingDir = m_escape;
        const QString real = QFileInfo(m_outside).canonicalFilePath();
        QCOMPARE(validateRecipe(recipe, {m_allowed}, kPools, u"edit of d_3"_s),
                 u"edit of d_3: working_dir %1 (resolves to %2) is outside the allowed roots"_s.arg(m_escape, real));
    }

    // Roots are compared after resolving symlinks on both sides.
    void rootNamedThroughASymlink() {
        LaunchRecipe recipe = valid();
        QCOMPARE(check(recipe, {m_rootLink}), QString());
        recipe.workingDir = m_rootLink + u"/work"_s;
        QCOMPARE(check(recipe, {m_allowed}), QString());
        recipe.workingDir = m_rootLink + u"/escape"_s;
        QVERIFY(check(recipe, {m_rootLink}).contains(u"outside the allowed roots"_s));
    }

    void noRootsMeansNoRootCheck() {
        LaunchRecipe recipe = valid();
        recipe.workingDir = m_outside;
        QCOMPARE(validateRecipe(recipe, {}, kPools), QString());
        recipe.workingDir = m_escape;
        QCOMPARE(validateRecipe(recipe, {}, kPools), QString());
    }

    void severalRoots() {
        LaunchRecipe recipe = valid();
        recipe.workingDir = m_outside;
        QCOMPARE(check(recipe, {m_allowed, m_outside}), QString());
        // A root that is only a prefix of the name is not a parent folder.
        const QString sibling = m_tmp.path() + u"/allowed-not"_s;
        QVERIFY(QDir().mkpath(sibling));
        recipe.workingDir = sibling;
        QVERIFY(check(recipe, {m_allowed}).contains(u"outside the allowed roots"_s));
    }

    // ---- pool ---------------------------------------------------------------------------

    void pool() {
        LaunchRecipe recipe = valid();
        recipe.pool.clear();
        QCOMPARE(check(recipe), u"pool is empty"_s);
        recipe.pool = u"gpu"_s;
        QCOMPARE(check(recipe), QString());
        recipe.pool = u"GPU"_s;
        QCOMPARE(check(recipe), u"pool 'GPU' is unknown (known: local, gpu)"_s);
        recipe.pool = u"remote"_s;
        QCOMPARE(validateRecipe(recipe, {}, {}), u"pool 'remote' is unknown (no pools are registered)"_s);
        recipe.pool = u"lo"_s + QChar(u'\0') + u"cal"_s;
        QVERIFY(check(recipe).contains(u"NUL"_s));
    }

    // ---- the message --------------------------------------------------------------------

    void firstProblemIsReported() {
        LaunchRecipe recipe;
        recipe.env.insert(u"1BAD"_s, u"x"_s);
        recipe.workingDir = u"relative"_s;
        QCOMPARE(check(recipe), u"argv is empty"_s);
        recipe.argv = QStringList{u"true"_s};
        QVERIFY(check(recipe).startsWith(u"env name '1BAD'"_s));
        recipe.env.clear();
        QVERIFY(check(recipe).startsWith(u"working_dir relative"_s));
        recipe.workingDir = m_work;
        QCOMPARE(check(recipe), u"pool is empty"_s);
    }

    void messageIsOneLine() {
        LaunchRecipe recipe = valid();
        recipe.workingDir = u"/no/such\ndir\r\t\x01"_s;
        const QString error = validateRecipe(recipe, {m_allowed}, kPools, u"edit of d_1"_s);
        QVERIFY2(!error.contains(u'\n') && !error.contains(u'\r') && !error.contains(u'\x01'), qPrintable(error));
        QCOMPARE(error, u"edit of d_1: working_dir /no/such\\ndir\\r\\t\\x01 does not exist"_s);
        // Long values are cut.
        recipe.workingDir = u"/"_s + QString(5000, u'a');
        QVERIFY(validateRecipe(recipe, {}, kPools).size() < 400);
    }
};

QTEST_GUILESS_MAIN(TestRecipeValidation)
#include "tst_recipe_validation.moc"
