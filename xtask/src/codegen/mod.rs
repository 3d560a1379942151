//! `cargo xtask codegen`: generates the models of `tasklist-api` from the vendored specs.
//!
//! One run writes both generated files:
//!
//! - [`v1`]: `crates/tasklist-api/src/v1/models/generated.rs` from the Tasklist v1 specs;
//! - [`v2`]: `crates/tasklist-api/src/v2/models/generated.rs` from the Orchestration Cluster
//!   REST API specs of Camunda 8.8, 8.9 and 8.10 (`spec/v2/`).
//!
//! This module holds what both share: reading a spec into an order-preserving [`Node`] tree,
//! formatting with `rustfmt`, and writing doc comments. With `--check`, nothing is written and
//! the run fails when a committed file differs from what the specs generate.

mod v1;
mod v2;

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Runs the task: writes the generated files, or with `check` compares them with what would
/// be generated.
pub(crate) fn run(root: &Path, check: bool) -> Result<(), String> {
    let outputs = [v1::generate(root)?, v2::generate(root)?];
    let mut stale = Vec::new();
    for output in &outputs {
        let path = root.join(output.path);
        if check {
            let current = std::fs::read_to_string(&path)
                .map_err(|e| format!("could not read {}: {e}", path.display()))?;
            if current == output.code {
                println!("{} is up to date with {}", output.path, output.sources);
            } else {
                stale.push(format!("{} (from {})", output.path, output.sources));
            }
        } else {
            std::fs::write(&path, &output.code)
                .map_err(|e| format!("could not write {}: {e}", path.display()))?;
            println!("wrote {}", output.path);
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not what the specs generate: {}; run `cargo xtask codegen` and commit the result \
             (the files must not be edited by hand)",
            stale.join(", ")
        ))
    }
}

/// One generated file.
pub(super) struct Output {
    /// The file, relative to the workspace root.
    pub(super) path: &'static str,
    /// The specs it comes from, for messages.
    pub(super) sources: &'static str,
    /// Its formatted source.
    pub(super) code: String,
}

pub(super) fn read(root: &Path, file: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(file)).map_err(|e| format!("could not read {file}: {e}"))
}

/// Formats `source` with the toolchain's `rustfmt`, as `cargo fmt` would.
pub(super) fn rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start rustfmt: {e}"))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| "rustfmt has no standard input".to_owned())?;
    // Written from a thread, so that a large output cannot block the write.
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "writing to rustfmt panicked".to_owned())?
        .map_err(|e| format!("could not write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote invalid UTF-8: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Reading the specs.

/// A YAML or JSON document, with mappings kept in document order (the order of the generated
/// fields).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(super) fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Node::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    pub(super) fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Node, Node>()? {
            let key = match key {
                Node::Str(s) | Node::Number(s) => s,
                Node::Bool(b) => b.to_string(),
                other => return Err(de::Error::custom(format!("unsupported key {other:?}"))),
            };
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// The snake_case form of a camelCase property name.
pub(super) fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The camelCase form serde's `rename_all = "camelCase"` gives a snake_case field name.
pub(super) fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A spec description as Markdown: HTML line breaks become line breaks, other tags go, and
/// runs of spaces shrink to one.
pub(super) fn clean_description(text: &str) -> String {
    let text = text
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n");
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if !in_tag => {
                // Only something that looks like a tag; a lone `<` stays.
                in_tag = true;
                plain.push(c);
            }
            '>' if in_tag => {
                in_tag = false;
                if let Some(start) = plain.rfind('<') {
                    let tag = &plain[start + 1..];
                    if tag
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == ' ')
                    {
                        plain.truncate(start);
                        continue;
                    }
                }
                plain.push(c);
            }
            _ => plain.push(c),
        }
    }
    let lines: Vec<String> = plain
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    let mut out = lines.join("\n");
    if !out.ends_with(['.', '?', '!', ')', '`']) {
        out.push('.');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing the code.

/// Accumulates the source text.
pub(super) struct Out(pub(super) String);

impl Out {
    pub(super) fn line(&mut self, indent: usize, text: &str) {
        if !text.is_empty() {
            for _ in 0..indent {
                self.0.push_str("    ");
            }
            self.0.push_str(text);
        }
        self.0.push('\n');
    }

    /// Doc comment lines, wrapping long prose lines.
    pub(super) fn doc(&mut self, indent: usize, text: &str) {
        let width = 100usize.saturating_sub(indent * 4 + 4);
        let mut in_code = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if in_code || line.len() <= width || line.starts_with(' ') {
                self.doc_line(indent, line);
                continue;
            }
            let continuation = if line.starts_with("* ") || line.starts_with("- ") {
                "  "
            } else {
                ""
            };
            let mut current = String::new();
            for word in line.split(' ') {
                if !current.is_empty() && current.len() + 1 + word.len() > width {
                    self.doc_line(indent, &current);
                    current = continuation.to_owned();
                }
                if !current.trim().is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
            }
            self.doc_line(indent, &current);
        }
    }

    pub(super) fn doc_line(&mut self, indent: usize, line: &str) {
        if line.is_empty() {
            self.line(indent, "///");
        } else {
            self.line(indent, &format!("/// {line}"));
        }
    }

    pub(super) fn doc_inner(&mut self, text: &str) {
        let width = 96;
        for para in text.split("\n\n") {
            let mut current = String::new();
            for word in para.split_whitespace() {
                if !current.is_empty() && current.len() + 1 + word.len() > width {
                    self.line(0, &format!("//! {current}"));
                    current.clear();
                }
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
            }
            self.line(0, &format!("//! {current}"));
            self.line(0, "//!");
        }
        // Drop the trailing empty doc line.
        if self.0.ends_with("//!\n") {
            self.0.truncate(self.0.len() - 4);
        }
    }
}

/// `s` as a JSON string literal.
pub(super) fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `assert_eq!(left, right);`, on several lines when one would be long.
pub(super) fn assert_eq_line(left: &str, right: &str) -> String {
    let line = format!("assert_eq!({left}, {right});");
    if line.len() <= 92 {
        line
    } else {
        format!("assert_eq!(\n    {left},\n    {right}\n);")
    }
}

/// The entry for `schema.property`, else for `property`.
pub(super) fn lookup<'a, T>(table: &'a [(&str, T)], schema: &str, property: &str) -> Option<&'a T> {
    let qualified = format!("{schema}.{property}");
    table
        .iter()
        .find(|(k, _)| *k == qualified)
        .or_else(|| table.iter().find(|(k, _)| *k == property))
        .map(|(_, v)| v)
}

/// The doc of a struct: its summary, then the schema it comes from (and the versions that
/// have it) with the spec's description, if any.
pub(super) fn schema_doc(
    summary: &str,
    schema: &str,
    versions: Option<&str>,
    description: Option<&str>,
) -> String {
    let mut doc = format!("{summary}\n\nThe `{schema}` schema of the spec");
    if let Some(versions) = versions {
        let _ = write!(doc, " ({versions})");
    }
    match description {
        Some(text) => {
            let _ = write!(doc, ": “{text}”");
        }
        None => doc.push('.'),
    }
    doc
}

/// A doc example: the `use` line, a blank line, `body` (whole lines) and the `Ok` that lets
/// it use `?`.
pub(super) fn example(use_line: &str, body: &str) -> String {
    format!("```\n{use_line}\n\n{body}# Ok::<(), Box<dyn std::error::Error>>(())\n```")
}

/// The example of a received struct: `json` decodes as `ty` into `var`, and `asserts` check
/// it.
pub(super) fn decoding_example(
    use_line: &str,
    json: &str,
    var: &str,
    ty: &str,
    asserts: &[String],
) -> String {
    let hashes = if json.contains("\"#") { "##" } else { "#" };
    let mut body = format!(
        "let json = r{hashes}\"{json}\"{hashes};\nlet {var}: {ty} = serde_json::from_str(json)?;\n"
    );
    for a in asserts {
        let _ = writeln!(body, "{a}");
    }
    example(use_line, &body)
}

/// A field of a generated struct.
pub(super) struct FieldOut<'a> {
    pub(super) doc: &'a str,
    /// The Rust name.
    pub(super) rust: &'a str,
    /// The JSON property.
    pub(super) wire: &'a str,
    /// The Rust type (inside the `Option` of an optional field).
    pub(super) ty: String,
    /// A function of the models module that decodes it, if serde's derive does not.
    pub(super) deserialize_with: Option<&'a str>,
    /// An `Option`, left out when serialised as `None`; otherwise a plain field.
    pub(super) optional: bool,
}

impl Out {
    /// A model struct: `doc`, the derives and serde attributes every model has, and `fields`.
    pub(super) fn model_struct(&mut self, doc: &str, name: &str, fields: &[FieldOut<'_>]) {
        self.doc(0, doc);
        self.line(
            0,
            "#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]",
        );
        self.line(0, "#[serde(rename_all = \"camelCase\")]");
        self.line(0, "#[non_exhaustive]");
        self.line(0, &format!("pub struct {name} {{"));
        for f in fields {
            self.doc(1, f.doc);
            let mut attrs = Vec::new();
            if camel_case(f.rust) != f.wire {
                attrs.push(format!("rename = \"{}\"", f.wire));
            }
            attrs.push("default".to_owned());
            if let Some(function) = f.deserialize_with {
                attrs.push(format!("deserialize_with = \"{function}\""));
            }
            let ty = if f.optional {
                attrs.push("skip_serializing_if = \"Option::is_none\"".to_owned());
                format!("Option<{}>", f.ty)
            } else {
                f.ty.clone()
            };
            self.line(1, &format!("#[serde({})]", attrs.join(", ")));
            self.line(1, &format!("pub {}: {ty},", f.rust));
        }
        self.line(0, "}");
    }
}

/// An open string enum: a variant for each known value and the catch-all `Unknown(String)`.
pub(super) struct OpenEnum<'a> {
    /// The Rust name.
    pub(super) rust: &'a str,
    /// Its doc before the examples.
    pub(super) intro: String,
    /// The path its examples import it from (`tasklist_api::models`).
    pub(super) module: &'a str,
    /// (wire value, variant, doc) of each known value, the first one shown in the examples.
    pub(super) variants: Vec<(&'a str, &'a str, String)>,
    /// A value that is not known, for the examples.
    pub(super) unknown: &'a str,
}

/// The trait impls of an open enum `$Enum`, the same for all: `Display` and `FromStr` by the
/// wire value, and serde as a string.
const OPEN_ENUM_IMPLS: &str = "\
impl fmt::Display for $Enum {
    /// Writes the value as the API spells it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for $Enum {
    type Err = Infallible;

    /// Never fails: a value that is not known becomes `Unknown`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_wire(value))
    }
}

impl Serialize for $Enum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for $Enum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::decode_wire(deserializer, Self::from_wire)
    }
}
";

impl Out {
    /// An open enum with `as_str`, `Display`, `FromStr` and serde impls; it fails for an enum
    /// without variants.
    pub(super) fn open_enum(&mut self, e: &OpenEnum<'_>) -> Result<(), String> {
        let (r, u, module) = (e.rust, e.unknown, e.module);
        let (w, v, _) = e
            .variants
            .first()
            .ok_or_else(|| format!("enum `{r}` has no variants"))?;
        self.doc(
            0,
            &format!(
                "{}\n\n# Examples\n\n```\nuse {module}::{r};\n\n\
                 let known: {r} = serde_json::from_str(r#\"\"{w}\"\"#)?;\n\
                 assert_eq!(known, {r}::{v});\n\n\
                 let newer: {r} = serde_json::from_str(r#\"\"{u}\"\"#)?;\n\
                 assert_eq!(newer, {r}::Unknown(\"{u}\".to_owned()));\n\
                 assert_eq!(serde_json::to_string(&newer)?, r#\"\"{u}\"\"#);\n\
                 # Ok::<(), serde_json::Error>(())\n```",
                e.intro
            ),
        );
        self.line(0, "#[derive(Clone, Debug, PartialEq, Eq, Hash)]");
        self.line(0, "#[non_exhaustive]");
        self.line(0, &format!("pub enum {r} {{"));
        for (_, variant, doc) in &e.variants {
            self.doc(1, doc);
            self.line(1, &format!("{variant},"));
        }
        self.doc(
            1,
            "A value this version of the crate does not know, kept as received.\n\nDecoding \
             never gives it for a known value, which decodes as its own variant.",
        );
        self.line(1, "Unknown(String),");
        self.line(0, "}");
        self.line(0, "");
        self.line(0, &format!("impl {r} {{"));
        self.doc(
            1,
            &format!(
                "The value as the API spells it.\n\n# Examples\n\n```\nuse {module}::{r};\n\n\
                 assert_eq!({r}::{v}.as_str(), \"{w}\");\n\
                 assert_eq!({r}::Unknown(\"{u}\".to_owned()).as_str(), \"{u}\");\n```"
            ),
        );
        self.line(1, "#[must_use]");
        let as_str = e
            .variants
            .iter()
            .map(|(w, v, _)| format!("Self::{v} => \"{w}\","));
        self.match_fn(
            "pub fn as_str(&self) -> &str",
            "self",
            as_str,
            "Self::Unknown(value) => value,",
        );
        self.line(0, "");
        self.line(1, "/// The variant for `value`: a known one, or `Unknown`.");
        let from_wire = e
            .variants
            .iter()
            .map(|(w, v, _)| format!("\"{w}\" => Self::{v},"));
        self.match_fn(
            "fn from_wire(value: &str) -> Self",
            "value",
            from_wire,
            "other => Self::Unknown(other.to_owned()),",
        );
        self.line(0, "}");
        self.line(0, "");
        for line in OPEN_ENUM_IMPLS.replace("$Enum", r).lines() {
            self.line(0, line);
        }
        Ok(())
    }

    /// A method whose body is one `match` on `scrutinee`: the `arms`, then `last`.
    fn match_fn(
        &mut self,
        signature: &str,
        scrutinee: &str,
        arms: impl Iterator<Item = String>,
        last: &str,
    ) {
        self.line(1, &format!("{signature} {{"));
        self.line(2, &format!("match {scrutinee} {{"));
        for arm in arms {
            self.line(3, &arm);
        }
        self.line(3, last);
        self.line(2, "}");
        self.line(1, "}");
    }
}

/// `use {module}::{…};` for `types`, on several lines when one would be longer than `width`.
pub(super) fn use_line(module: &str, types: &BTreeSet<String>, width: usize) -> String {
    let list: Vec<&str> = types.iter().map(String::as_str).collect();
    let line = match list.as_slice() {
        [one] => format!("use {module}::{one};"),
        many => format!("use {module}::{{{}}};", many.join(", ")),
    };
    if line.len() <= width {
        line
    } else {
        format!("use {module}::{{\n    {},\n}};", list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// `text` parsed as YAML.
    pub(super) fn yaml(text: &str) -> Node {
        serde_norway::from_str(text).unwrap()
    }

    /// `cargo xtask codegen --check` as a test, so that `cargo test --workspace` fails on stale
    /// generated models too. The specs are found from the workspace root, the parent of this
    /// crate's `CARGO_MANIFEST_DIR`, whatever the test's working directory.
    #[test]
    fn the_committed_models_are_what_the_specs_generate() {
        if let Err(message) = run(&crate::root(), true) {
            panic!("{message}");
        }
    }

    #[test]
    fn names_convert_both_ways() {
        assert_eq!(snake_case("searchAfterOrEqual"), "search_after_or_equal");
        assert_eq!(snake_case("id"), "id");
        assert_eq!(camel_case("is_value_truncated"), "isValueTruncated");
    }

    #[test]
    fn descriptions_become_markdown() {
        assert_eq!(
            clean_description("* `ASC`: Ascending<br/>* `DESC`: Descending"),
            "* `ASC`: Ascending\n* `DESC`: Descending."
        );
        assert_eq!(clean_description("a  <b>bold</b>\n  text"), "a bold\ntext.");
        assert_eq!(clean_description("1 < 2"), "1 < 2.");
    }

    #[test]
    fn an_enum_without_variants_fails() {
        let mut out = Out(String::new());
        let error = out
            .open_enum(&OpenEnum {
                rust: "Empty",
                intro: String::new(),
                module: "tasklist_api::models",
                variants: Vec::new(),
                unknown: "NEW",
            })
            .err()
            .unwrap();
        assert_eq!(error, "enum `Empty` has no variants");
    }

    #[test]
    fn documents_keep_their_order() {
        let node = yaml("b: 1\na: 2\nc: 3\n");
        let keys: Vec<&str> = node.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        let json: Node = serde_json::from_str(r#"{"z": 1, "y": [true, null]}"#).unwrap();
        assert_eq!(json.entries()[0].0, "z");
    }
}
