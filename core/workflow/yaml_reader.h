#pragma once
// Loads YAML text into a small tree that keeps 1-based source positions, so the
// validator never deals with yaml-cpp directly.

#include "workflow/workflow.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace signalbox::workflow::detail {

struct YamlEntry;

struct YamlNode {
    enum class Kind { Null, Scalar, Sequence, Map };
    Kind kind = Kind::Null;
    QString scalar;          // Scalar only
    bool quoted = false;     // Scalar written with quotes or as a block (never a number/bool)
    SourcePos pos;
    std::vector<YamlNode> items;    // Sequence
    std::vector<YamlEntry> entries; // Map, in file order (duplicates kept)

    bool isNull() const { return kind == Kind::Null; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isMap() const { return kind == Kind::Map; }
    // "a string", "a list", ... for messages
    QString kindName() const;
};

struct YamlEntry {
    QString key;
    bool keyIsScalar = true;
    SourcePos keyPos;
    YamlNode value;
};

struct YamlLoadResult {
    std::optional<YamlNode> root; // unset on a syntax error
    SourcePos errorPos;           // where the syntax error is
    QString error;                // the whole message
};

YamlLoadResult loadYaml(const QByteArray& text);

} // namespace signalbox::workflow::detail
