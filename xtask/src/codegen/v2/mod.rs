//! The v2 models: `crates/tasklist-api/src/v2/models/generated.rs` from the Orchestration
//! Cluster REST API specs of Camunda 8.8, 8.9 and 8.10 (`spec/v2/`).
//!
//! One model set decodes all three versions: each struct has the union of the properties its
//! schema has in any version, every field is an `Option` (an 8.8 server leaves out what 8.9
//! requires, and the reverse), each enum has the union of the values and a catch-all, and
//! each field's doc says which versions have it. A property whose types differ between
//! versions must differ only as a plain value and a filter of that value (8.8's plain `name`,
//! 8.10's advanced `processDefinitionKey`); anything else stops the generator.
//!
//! What the generator decides beyond the specs is in the tables (`tables`): the Rust names, the key
//! types, the schemas read as filters, pages and sorts, and the examples' values. A schema,
//! enum or property shape the tables do not cover stops the generator with an error.
//!
//! The tables are in `tables`, reading the specs in `spec`, the model built from them in
//! `build`, and the code written from the model in `emit`.

mod build;
mod emit;
mod spec;
mod tables;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use self::spec::{Spec, load, target};
use self::tables::{
    ENUM_NAMES, ENUM_OPS, FIELD_NAMES, KEY_OPS, ORDERED_OPS, PAGES, SOURCES, STRING_OPS, STRUCTS,
    StructSpec, VERSIONS,
};
use crate::codegen::{Node, Output, clean_description, lookup, rustfmt, snake_case};

/// A spec description as Markdown, keeping its paragraphs.
fn describe(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(clean_description)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The generated file, relative to the workspace root.
const OUTPUT: &str = "crates/tasklist-api/src/v2/models/generated.rs";
/// Where the doc examples import the models from.
const MODELS: &str = "tasklist_api::v2::models";

/// The generated file.
pub(super) fn generate(root: &Path) -> Result<Output, String> {
    let specs = load(root)?;
    let model = Model::build(&specs)?;
    let source = model.emit()?;
    Ok(Output {
        path: OUTPUT,
        sources: SOURCES,
        code: rustfmt(root, &source)?,
    })
}

/// What a filter compares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FilterKind {
    String,
    Integer,
    DateTime,
    Key(String),
    Enum(String),
}

impl FilterKind {
    /// The operators the Rust type offers.
    fn ops(&self) -> &'static [&'static str] {
        match self {
            FilterKind::String => STRING_OPS,
            FilterKind::Integer | FilterKind::DateTime => ORDERED_OPS,
            FilterKind::Key(_) => KEY_OPS,
            FilterKind::Enum(_) => ENUM_OPS,
        }
    }

    /// The Rust filter type, without its type parameter.
    fn type_name(&self) -> &'static str {
        match self {
            FilterKind::String => "StringFilter",
            FilterKind::Integer => "IntegerFilter",
            FilterKind::DateTime => "DateTimeFilter",
            FilterKind::Key(_) => "KeyFilter",
            FilterKind::Enum(_) => "EnumFilter",
        }
    }

    /// The type of the plain (exact) value.
    fn plain(&self) -> Ty {
        match self {
            FilterKind::String => Ty::String,
            FilterKind::Integer => Ty::I32,
            FilterKind::DateTime => Ty::Timestamp,
            FilterKind::Key(k) => Ty::Key(k.clone()),
            FilterKind::Enum(e) => Ty::Enum(e.clone()),
        }
    }
}

/// The Rust type of a field (inside its `Option`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    String,
    I32,
    I64,
    Bool,
    Key(String),
    Timestamp,
    Cursor,
    Enum(String),
    Struct(String),
    Vec(Box<Ty>),
    StringMap,
    JsonObject,
    /// A filter and the operators the spec gives it.
    Filter(FilterKind, Vec<String>),
    PageRequest,
    /// `Sort<F>` of a field enum.
    Sort(String),
    Patch(Box<Ty>),
}

impl Ty {
    /// Equal, but for a filter's operators.
    fn same_shape(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Filter(a, _), Ty::Filter(b, _)) => a == b,
            (Ty::Vec(a), Ty::Vec(b)) | (Ty::Patch(a), Ty::Patch(b)) => a.same_shape(b),
            _ => self == other,
        }
    }

    /// The names of this crate's types it uses.
    fn uses(&self, names: &mut BTreeSet<String>) {
        let name = |n: &str, names: &mut BTreeSet<String>| {
            names.insert(n.to_owned());
        };
        match self {
            Ty::Key(k) => name(k, names),
            Ty::Timestamp => name("Timestamp", names),
            Ty::Cursor => name("Cursor", names),
            Ty::PageRequest => name("PageRequest", names),
            Ty::Sort(_) => name("Sort", names),
            Ty::StringMap => name("BTreeMap", names),
            Ty::Vec(item) => item.uses(names),
            Ty::Patch(item) => {
                name("Patch", names);
                item.uses(names);
            }
            Ty::Filter(kind, _) => {
                name(kind.type_name(), names);
                if let FilterKind::Key(k) = kind {
                    name(k, names);
                }
            }
            _ => {}
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => f.write_str("String"),
            Ty::I32 => f.write_str("i32"),
            Ty::I64 => f.write_str("i64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Key(name) | Ty::Enum(name) | Ty::Struct(name) => f.write_str(name),
            Ty::Timestamp => f.write_str("Timestamp"),
            Ty::Cursor => f.write_str("Cursor"),
            Ty::Vec(item) => write!(f, "Vec<{item}>"),
            Ty::StringMap => f.write_str("BTreeMap<String, String>"),
            Ty::JsonObject => f.write_str("serde_json::Map<String, serde_json::Value>"),
            Ty::Filter(kind, _) => match kind {
                FilterKind::Key(param) | FilterKind::Enum(param) => {
                    write!(f, "{}<{param}>", kind.type_name())
                }
                _ => f.write_str(kind.type_name()),
            },
            Ty::PageRequest => f.write_str("PageRequest"),
            Ty::Sort(field) => write!(f, "Vec<Sort<{field}>>"),
            Ty::Patch(item) => write!(f, "Patch<{item}>"),
        }
    }
}

struct Field {
    wire: String,
    rust: String,
    ty: Ty,
    doc: String,
    /// The versions that have it, and its type in each.
    versions: Vec<(&'static str, Ty)>,
    /// The versions whose spec requires it.
    required: Vec<&'static str>,
}

impl Field {
    /// The field for property `wire` of `schema`, as the newest spec that has it describes it,
    /// with no version yet.
    fn new(spec: &Spec, schema: &str, wire: String, node: &Node, ty: Ty) -> Field {
        let doc = node
            .str("description")
            .or_else(|| {
                target(node)
                    .and_then(|t| spec.schemas.get(t))
                    .and_then(|t| t.str("description"))
            })
            .map_or_else(|| format!("The `{wire}` property."), describe);
        let rust = lookup(FIELD_NAMES, schema, &wire)
            .map_or_else(|| snake_case(&wire), |n| (*n).to_owned());
        Field {
            rust,
            wire,
            ty,
            doc,
            versions: Vec::new(),
            required: Vec::new(),
        }
    }
}

struct Struct {
    spec: &'static StructSpec,
    doc: String,
    /// The versions that have the schema.
    versions: Vec<&'static str>,
    fields: Vec<Field>,
}

impl Struct {
    /// Whether `f` is a plain field rather than an `Option`: the `items` and `page` of a page.
    fn plain(&self, f: &Field) -> bool {
        PAGES.contains(&self.spec.schema) && (f.wire == "items" || f.wire == "page")
    }
}

struct Enum {
    rust: String,
    doc: String,
    /// Where it comes from (a schema, or `Schema.property`).
    origin: String,
    /// The versions that have it.
    versions: Vec<&'static str>,
    /// (wire value, variant, the versions that have it)
    variants: Vec<(String, String, Vec<&'static str>)>,
}

impl Enum {
    /// The first variant (the examples' value): its wire value and name.
    fn first(&self) -> Result<(&str, &str), String> {
        self.variants
            .first()
            .map(|(wire, name, _)| (wire.as_str(), name.as_str()))
            .ok_or_else(|| format!("enum `{}` has no variants", self.rust))
    }
}

struct Model {
    structs: Vec<Struct>,
    enums: Vec<Enum>,
}

/// "8.9+", "8.8 and 8.10", … for a list of versions (newest first).
fn versions_text(versions: &[&str]) -> String {
    let all: Vec<&str> = VERSIONS.iter().map(|(v, _)| *v).collect();
    if versions.len() == all.len() {
        return "8.8, 8.9 and 8.10".to_owned();
    }
    // A run of the newest versions reads as "8.x+".
    if versions.iter().zip(&all).all(|(a, b)| a == b)
        && let Some(oldest) = versions.last()
    {
        return format!("{oldest}+");
    }
    let mut sorted: Vec<&str> = versions.to_vec();
    sorted.reverse();
    match sorted.as_slice() {
        [] => "none".to_owned(),
        [one] => format!("{one} only"),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The variant name of a wire value: `DEPLOYED_RESOURCES` → `DeployedResources`,
/// `creationDate` → `CreationDate`.
fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(['_', '-', ' ']) {
        let all_upper = part.chars().all(|c| !c.is_ascii_lowercase());
        for (i, c) in part.chars().enumerate() {
            if i == 0 {
                out.push(c.to_ascii_uppercase());
            } else if all_upper {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

fn enum_rust_name(schema: &str) -> String {
    ENUM_NAMES.iter().find(|(s, _)| *s == schema).map_or_else(
        || schema.strip_suffix("Enum").unwrap_or(schema).to_owned(),
        |(_, r)| (*r).to_owned(),
    )
}

fn struct_spec(schema: &str) -> Option<&'static StructSpec> {
    STRUCTS.iter().find(|s| s.schema == schema)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn names() {
        assert_eq!(variant_name("DEPLOYED_RESOURCES"), "DeployedResources");
        assert_eq!(variant_name("creationDate"), "CreationDate");
        assert_eq!(variant_name("leader"), "Leader");
        assert_eq!(enum_rust_name("UserTaskStateEnum"), "UserTaskState");
        assert_eq!(enum_rust_name("AuditLogResultEnum"), "AuditLogOutcome");
        assert_eq!(versions_text(&["8.10", "8.9"]), "8.9+");
        assert_eq!(versions_text(&["8.10"]), "8.10+");
        assert_eq!(versions_text(&["8.8"]), "8.8 only");
        assert_eq!(versions_text(&["8.10", "8.8"]), "8.8 and 8.10");
    }

    #[test]
    fn the_vendored_specs_generate() {
        let specs = load(&root()).unwrap();
        let model = Model::build(&specs).unwrap();
        let code = model.emit().unwrap();
        assert!(code.contains("pub struct UserTask {"));
        let task = model.find("UserTask").unwrap();
        let business = task.fields.iter().find(|f| f.wire == "businessId").unwrap();
        assert_eq!(business.versions.len(), 1);
        let filter = model.find("UserTaskFilter").unwrap();
        let name = filter.fields.iter().find(|f| f.wire == "name").unwrap();
        assert!(matches!(name.ty, Ty::Filter(FilterKind::String, _)));
        assert!(
            matches!(name.versions.last().unwrap().1, Ty::String),
            "8.8: plain"
        );
        let state = model.find_enum("UserTaskState").unwrap();
        assert_eq!(state.variants.len(), 9);
    }
}
