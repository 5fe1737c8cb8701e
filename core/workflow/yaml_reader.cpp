#include "workflow/yaml_reader.h"

#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace signalbox::workflow::detail {

namespace {

SourcePos toPos(const YAML::Mark& mark) {
    if (mark.line < 0 || mark.column < 0)
        return {};
    return {mark.line + 1, mark.column + 1}; // yaml-cpp marks are 0-based
}

// Builds the YamlNode tree straight from the parser's events (what YAML::Load does with
// a YAML::Node tree in between, which cost about as much as the parsing itself on large
// files). The result is the same as converting YAML::LoadAll's first document:
// - a node's position is its own mark; a null node (e.g. `key:`) has none of its own and
//   points at its fallback: the key of its entry, the start of its list, or 1:1 for the
//   root; a node without a valid mark gets the fallback too;
// - map entries stay in file order, duplicates kept; keys keep their own mark;
// - an alias is a copy of its anchor's node (same content and marks), placed like any
//   other node (a null one takes the alias site's fallback).
// Only the first document is built; later ones are parsed (syntax errors still count)
// and counted.
class TreeBuilder final : public YAML::EventHandler {
public:
    int documents() const { return m_documents; }
    // The root mark of the second document (for "expected one YAML document").
    const YAML::Mark& secondRootMark() const { return m_secondRootMark; }
    YamlNode takeRoot() { return std::move(m_root); }

    void OnDocumentStart(const YAML::Mark&) override {
        ++m_documents;
        m_anchors.clear(); // anchors are per document
        m_rootSeen = false;
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (!building())
            return noteRoot(mark);
        Built built;
        built.node.kind = YamlNode::Kind::Null;
        built.rawPos = toPos(mark);
        complete(std::move(built), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (!building())
            return noteRoot(mark);
        if (anchor >= m_anchors.size() || !m_anchors[anchor])
            throw YAML::ParserException(mark, "an alias refers to a node that contains it");
        Built copy = *m_anchors[anchor];
        complete(std::move(copy), 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        if (!building())
            return noteRoot(mark);
        Built built;
        built.node.kind = YamlNode::Kind::Scalar;
        built.node.scalar = QString::fromStdString(value);
        built.node.quoted = tag == "!";
        built.rawPos = toPos(mark);
        complete(std::move(built), anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        start(mark, anchor, YamlNode::Kind::Sequence);
    }
    void OnSequenceEnd() override { end(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        start(mark, anchor, YamlNode::Kind::Map);
    }
    void OnMapEnd() override { end(); }

private:
    // A finished node with its own position (before any fallback).
    struct Built {
        YamlNode node;
        SourcePos rawPos;
    };
    struct Frame {
        Built built;
        YAML::anchor_t anchor = 0;
        bool haveKey = false; // maps: the next node is the value of `key`
        Built key;
    };

    // Events of the first document build the tree; of later ones only the root's mark of
    // the second is kept.
    bool building() const { return m_documents <= 1; }

    void noteRoot(const YAML::Mark& mark) {
        if (m_rootSeen)
            return;
        m_rootSeen = true;
        if (m_documents == 2)
            m_secondRootMark = mark;
    }

    void start(const YAML::Mark& mark, YAML::anchor_t anchor, YamlNode::Kind kind) {
        if (!building()) {
            noteRoot(mark);
            ++m_skipDepth;
            return;
        }
        Frame frame;
        frame.built.node.kind = kind;
        frame.built.rawPos = toPos(mark);
        frame.built.node.pos = frame.built.rawPos; // children fall back to it
        frame.anchor = anchor;
        m_stack.push_back(std::move(frame));
    }

    void end() {
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return;
        }
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        complete(std::move(frame.built), frame.anchor);
    }

    // Places a finished node: into its parent, or as the root.
    void complete(Built built, YAML::anchor_t anchor) {
        if (anchor != 0) {
            if (anchor >= m_anchors.size())
                m_anchors.resize(anchor + 1);
            m_anchors[anchor] = built;
        }
        if (m_stack.empty()) {
            m_root = place(std::move(built), SourcePos{1, 1});
            return;
        }
        Frame& parent = m_stack.back();
        YamlNode& container = parent.built.node;
        if (container.kind == YamlNode::Kind::Sequence) {
            container.items.push_back(place(std::move(built), parent.built.rawPos));
        } else if (!parent.haveKey) {
            parent.key = std::move(built);
            parent.haveKey = true;
        } else {
            YamlEntry entry;
            entry.keyPos = parent.key.rawPos;
            entry.keyIsScalar = parent.key.node.kind == YamlNode::Kind::Scalar;
            if (entry.keyIsScalar)
                entry.key = std::move(parent.key.node.scalar);
            entry.value = place(std::move(built), entry.keyPos);
            container.entries.push_back(std::move(entry));
            parent.haveKey = false;
            parent.key = Built{};
        }
    }

    // The node as it sits at a place whose fallback position is `fallback`.
    static YamlNode place(Built built, SourcePos fallback) {
        YamlNode node = std::move(built.node);
        node.pos = built.rawPos;
        if (node.kind == YamlNode::Kind::Null || node.pos.line == 0)
            node.pos = fallback;
        return node;
    }

    int m_documents = 0;
    bool m_rootSeen = false;
    int m_skipDepth = 0; // inside a later document's root container
    YAML::Mark m_secondRootMark = YAML::Mark::null_mark();
    YamlNode m_root;
    std::vector<Frame> m_stack;
    std::vector<std::optional<Built>> m_anchors; // by anchor id; set once the node is complete
};

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
        std::stringstream stream(text.toStdString());
        YAML::Parser parser(stream);
        TreeBuilder builder;
        while (parser.HandleNextDocument(builder)) {
        }
        if (builder.documents() > 1) {
            result.error = QStringLiteral("expected one YAML document, found %1").arg(builder.documents());
            result.errorPos = toPos(builder.secondRootMark());
            if (result.errorPos.line == 0)
                result.errorPos = {1, 1};
            return result;
        }
        if (builder.documents() == 0) {
            result.root = YamlNode{};
            return result;
        }
        result.root = builder.takeRoot();
    } catch (const YAML::Exception& e) {
        result.error = QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg);
        result.errorPos = toPos(e.mark);
        if (result.errorPos.line == 0)
            result.errorPos = {1, 1};
    }
    return result;
}

} // namespace signalbox::workflow::detail
