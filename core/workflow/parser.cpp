#include "workflow/parser.h"

#include "workflow/readers.h"
#include "workflow/yaml_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace signalbox::workflow {

namespace {

ParseResult parse(const QByteArray& yaml, const QString& displayName, const QString& baseDir, const QString& filePath,
                  const ParseOptions& options = {}) {
    ParseResult result;
    const detail::YamlLoadResult loaded = detail::loadYaml(yaml);
    if (!loaded.root) {
        result.diagnostics.append(Diagnostic{displayName, loaded.errorPos.line, loaded.errorPos.column,
                                             loaded.error});
        return result;
    }
    detail::Checker checker(displayName);
    checker.setCheckRepoPaths(options.checkRepoPaths);
    Workflow wf = detail::readWorkflow(checker, *loaded.root, baseDir);
    result.diagnostics = checker.takeSorted();
    if (result.diagnostics.isEmpty()) {
        wf.filePath = filePath;
        wf.displayName = displayName;
        result.workflow = std::move(wf);
    }
    return result;
}

} // namespace

ParseResult parseWorkflowFile(const QString& path, const QString& displayName, const ParseOptions& options) {
    const QString shown = displayName.isEmpty() ? path : displayName;
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir() || !file.open(QIODevice::ReadOnly)) {
        ParseResult result;
        const QString reason = info.isDir() ? QStringLiteral("is a directory")
                             : !info.exists() ? QStringLiteral("no such file")
                                              : file.errorString();
        result.diagnostics.append(Diagnostic{shown, 0, 0, QStringLiteral("cannot read file: %1").arg(reason)});
        return result;
    }
    const QByteArray yaml = file.readAll();
    return parse(yaml, shown, info.absolutePath(), info.absoluteFilePath(), options);
}

ParseResult parseWorkflowText(const QByteArray& yaml, const QString& displayName, const QString& baseDir,
                              const ParseOptions& options) {
    const QString base = baseDir.isEmpty() ? QDir::currentPath() : QDir(baseDir).absolutePath();
    return parse(yaml, displayName, base, {}, options);
}

} // namespace signalbox::workflow
