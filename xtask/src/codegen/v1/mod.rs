//! The Tasklist v1 models: `crates/tasklist-api/src/v1/models/generated.rs` from the vendored
//! Tasklist specs.
//!
//! The published spec (`spec/tasklist-v1-openapi.yaml`) is the primary source. The spec that a
//! Tasklist 8.7.0 server generates (`spec/server-generated/tasklist-8.7.0.json`) adds the
//! properties the published one lacks (such as `context`) and the descriptions it leaves out;
//! where both describe a property, the published spec wins.
//!
//! Everything this generator decides beyond the specs is data in the tables (`tables`): the Rust
//! name of each schema, the schemas that are not Tasklist's, the identifier and date-time
//! overrides, and the shared enums. Anything in the specs those tables do not cover stops the
//! generator with an error instead of being guessed.
//!
//! The tables are in `tables`, the model read from the specs in `build`, and the code written
//! from the model in `emit`.

mod build;
mod emit;
mod tables;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use self::tables::{SCHEMAS, SchemaName, SharedEnum};
use crate::codegen::{Node, Output, read, rustfmt};

/// The primary spec, relative to the workspace root.
const PRIMARY: &str = "spec/tasklist-v1-openapi.yaml";
/// The second source, relative to the workspace root.
const SECONDARY: &str = "spec/server-generated/tasklist-8.7.0.json";
/// The generated file, relative to the workspace root.
const OUTPUT: &str = "crates/tasklist-api/src/v1/models/generated.rs";
/// Where the doc examples import the models from.
const MODELS: &str = "tasklist_api::models";

/// The generated file.
pub(super) fn generate(root: &Path) -> Result<Output, String> {
    let primary: Node = {
        let text = read(root, PRIMARY)?;
        serde_norway::from_str(&text).map_err(|e| format!("{PRIMARY}: {e}"))?
    };
    let secondary: Node = {
        let text = read(root, SECONDARY)?;
        serde_json::from_str(&text).map_err(|e| format!("{SECONDARY}: {e}"))?
    };
    let model = Model::build(&primary, &secondary)?;
    let source = model.emit()?;
    Ok(Output {
        path: OUTPUT,
        sources: "spec/tasklist-v1-openapi.yaml and spec/server-generated/tasklist-8.7.0.json",
        code: rustfmt(root, &source)?,
    })
}

// ---------------------------------------------------------------------------------------------
// The model of the generated code.

/// The Rust type of a field (inside its `Option`).
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    String,
    I32,
    I64,
    Bool,
    Id(&'static str),
    Timestamp,
    Enum(&'static str),
    Struct(String),
    Vec(Box<Ty>),
}

impl Ty {
    /// The type inside any `Vec`s.
    fn element(&self) -> &Ty {
        match self {
            Ty::Vec(item) => item.element(),
            other => other,
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
            Ty::Id(name) | Ty::Enum(name) => f.write_str(name),
            Ty::Timestamp => f.write_str("Timestamp"),
            Ty::Struct(name) => f.write_str(name),
            Ty::Vec(item) => write!(f, "Vec<{item}>"),
        }
    }
}

struct Field {
    wire: String,
    rust: String,
    ty: Ty,
    doc: String,
    /// Where the property comes from when it is not the primary spec.
    origin: Option<String>,
}

struct Struct {
    /// Its names: the spec's (a schema, or `Schema.property` for an inline object), the Rust
    /// one and that of a value of it in the examples.
    names: &'static SchemaName,
    doc: String,
    fields: Vec<Field>,
}

struct Model {
    structs: Vec<Struct>,
    /// The shared enums used, in order of first use.
    enums: Vec<&'static SharedEnum>,
    /// Structs sent in request bodies, and the structs they contain.
    requests: BTreeSet<String>,
}

fn schemas(doc: &Node) -> &[(String, Node)] {
    doc.path(&["components", "schemas"])
        .map_or(&[], Node::entries)
}

fn rust_name(schema: &str) -> Result<&'static str, String> {
    names(schema).map(|n| n.rust)
}

fn names(schema: &str) -> Result<&'static SchemaName, String> {
    SCHEMAS.iter().find(|s| s.schema == schema).ok_or_else(|| {
        format!(
            "schema `{schema}` has no Rust name: add it to SCHEMAS (or IGNORED) in \
             xtask/src/codegen/v1/tables.rs"
        )
    })
}

fn ref_target(node: &Node) -> Option<&str> {
    node.str("$ref")
        .map(|r| r.trim_start_matches("#/components/schemas/"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::tables::ENUMS;
    use super::*;
    use crate::codegen::tests::yaml;

    fn spec(schemas: &str) -> Node {
        let indented: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
        yaml(&format!("components:\n  schemas:\n{indented}"))
    }

    #[test]
    fn the_vendored_specs_generate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let primary: Node = serde_norway::from_str(&read(&root, PRIMARY).unwrap()).unwrap();
        let secondary: Node = serde_json::from_str(&read(&root, SECONDARY).unwrap()).unwrap();
        let model = Model::build(&primary, &secondary).unwrap();
        let code = model.emit().unwrap();
        assert!(code.contains("pub struct TaskSearchResult {"));
        assert!(code.contains("pub struct PriorityFilter {"));
        assert_eq!(model.enums.len(), ENUMS.len());
        let task = model.find("Task").unwrap();
        assert!(task.fields.iter().any(|f| f.wire == "context"));
    }

    #[test]
    fn an_unmapped_schema_fails() {
        let primary = spec("Surprise:\n  type: object\n  properties: {}\n");
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(error.contains("`Surprise` has no Rust name"), "{error}");
    }

    #[test]
    fn an_enum_with_other_values_fails() {
        let primary = spec(
            "TaskOrderBy:\n  type: object\n  properties:\n    order:\n      type: string\n      \
             enum: [ASC, DESC, RANDOM]\n",
        );
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(
            error.contains("differ from those of `SortOrder`"),
            "{error}"
        );
    }

    #[test]
    fn an_unmapped_enum_fails() {
        let primary = spec(
            "TaskOrderBy:\n  type: object\n  properties:\n    mood:\n      type: string\n      \
             enum: [HAPPY]\n",
        );
        let error = Model::build(&primary, &spec("{}")).err().unwrap();
        assert!(error.contains("not mapped to a shared enum"), "{error}");
    }

    #[test]
    fn extra_properties_come_from_the_second_source() {
        let primary = spec(
            "FormResponse:\n  type: object\n  properties:\n    id:\n      type: string\n\
             TaskResponse:\n  type: object\n",
        );
        let secondary = spec(
            "FormResponse:\n  type: object\n  properties:\n    id:\n      type: integer\n    \
             title:\n      type: string\n      description: From the server.\n\
             TaskSearchResponse:\n  type: object\n  properties:\n    context:\n      \
             type: string\n",
        );
        let model = Model::build(&primary, &secondary).unwrap();
        let form = model.find("Form").unwrap();
        assert_eq!(form.fields[0].ty, Ty::Id("FormId"), "the primary spec wins");
        assert_eq!(form.fields[1].wire, "title");
        assert_eq!(form.fields[1].doc, "From the server.");
        assert!(form.fields[1].origin.is_some());
        let task = model.find("Task").unwrap();
        assert_eq!(task.fields[0].wire, "context", "borrowed");
    }
}
