#include "workflow/yaml_reader.h"

#include <yaml-cpp/yaml.h>

namespace signalbox::workflow::detail {

namespace {

SourcePos toPos(const YAML::Mark& mark) {
    if (mark.line < 0 || mark.column < 0)
        return {};
    return {mark.line + 1, mark.column + 1}; // yaml-cpp marks are 0-based
}

YamlNode convert(const YAML::Node& node, SourcePos fallback) {
    YamlNode out;
    out.pos = toPos(node.Mark());
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::Scalar;
        out.scalar = QString::fromStdString(node.Scalar());
        out.quoted = node.Tag() == "!";
        break;
    case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::Sequence;
        out.items.reserve(node.size());
        for (const YAML::Node& child : node)
            out.items.push_back(convert(child, out.pos));
        break;
    case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::Map;
        out.entries.reserve(node.size());
        for (auto it = node.begin(); it != node.end(); ++it) {
            YamlEntry entry;
            entry.keyPos = toPos(it->first.Mark());
            entry.keyIsScalar = it->first.IsScalar();
            if (entry.keyIsScalar)
                entry.key = QString::fromStdString(it->first.Scalar());
            // An empty value (`key:`) has no reliable mark of its own: point at the key.
            entry.value = convert(it->second, entry.keyPos);
            out.entries.push_back(std::move(entry));
        }
        break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        out.kind = YamlNode::Kind::Null;
        out.pos = fallback;
        break;
    }
    if (out.pos.line == 0)
        out.pos = fallback;
    return out;
}

} // namespace

QString YamlNode::kindName() const {
    switch (kind) {
    case Kind::Null: return QStringLiteral("nothing");
    case Kind::Scalar: return QStringLiteral("a scalar");
    case Kind::Sequence: return QStringLiteral("a list");
    case Kind::Map: return QStringLiteral("a mapping");
    }
    return {};
}

YamlLoadResult loadYaml(const QByteArray& text) {
    YamlLoadResult result;
    try {
        const std::vector<YAML::Node> docs = YAML::LoadAll(text.toStdString());
        if (docs.size() > 1) {
            result.error = QStringLiteral("expected one YAML document, found %1").arg(docs.size());
            result.errorPos = toPos(docs[1].Mark());
            if (result.errorPos.line == 0)
                result.errorPos = {1, 1};
            return result;
        }
        if (docs.empty()) {
            result.root = YamlNode{};
            return result;
        }
        result.root = convert(docs.front(), SourcePos{1, 1});
    } catch (const YAML::Exception& e) {
        result.error = QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg);
        result.errorPos = toPos(e.mark);
        if (result.errorPos.line == 0)
            result.errorPos = {1, 1};
    }
    return result;
}

} // namespace signalbox::workflow::detail
