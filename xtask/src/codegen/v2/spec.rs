//! Reading the v2 specs: the component schemas of each version, with their `$ref`s and
//! `allOf`s followed.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::tables::{Source, VERSIONS};
use crate::codegen::{Node, read};

/// The component schemas of one version.
pub(super) struct Spec {
    pub(super) version: &'static str,
    pub(super) schemas: HashMap<String, Node>,
}

impl Spec {
    pub(super) fn schema(&self, name: &str) -> Result<&Node, String> {
        self.schemas
            .get(name)
            .ok_or_else(|| format!("{}: no schema `{name}`", self.version))
    }
}

/// The specs, newest first.
pub(super) fn load(root: &Path) -> Result<Vec<Spec>, String> {
    let mut specs = Vec::new();
    for (version, source) in VERSIONS {
        let mut schemas = HashMap::new();
        let mut add = |file: &str, doc: Node| -> Result<(), String> {
            let entries = doc
                .path(&["components", "schemas"])
                .map_or(&[][..], Node::entries);
            for (name, node) in entries {
                if let Some(old) = schemas.insert(name.clone(), node.clone())
                    && old != *node
                {
                    return Err(format!(
                        "{file}: schema `{name}` is defined twice, differently"
                    ));
                }
            }
            Ok(())
        };
        match source {
            Source::Yaml(file) => {
                let doc = serde_norway::from_str(&read(root, file)?)
                    .map_err(|e| format!("{file}: {e}"))?;
                add(file, doc)?;
            }
            Source::Json(file) => {
                let doc =
                    serde_json::from_str(&read(root, file)?).map_err(|e| format!("{file}: {e}"))?;
                add(file, doc)?;
            }
            Source::Dir(dir) => {
                let mut files = Vec::new();
                for entry in std::fs::read_dir(root.join(dir))
                    .map_err(|e| format!("could not list {dir}: {e}"))?
                {
                    let entry = entry.map_err(|e| format!("could not list {dir}: {e}"))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".yaml") {
                        files.push(name);
                    }
                }
                files.sort();
                for name in files {
                    let file = format!("{dir}/{name}");
                    let doc = serde_norway::from_str(&read(root, &file)?)
                        .map_err(|e| format!("{file}: {e}"))?;
                    add(&file, doc)?;
                }
            }
        }
        specs.push(Spec { version, schemas });
    }
    Ok(specs)
}

/// The schema name a `$ref` points to (the part after the last `/`), in any file.
pub(super) fn ref_name(node: &Node) -> Option<&str> {
    node.str("$ref").and_then(|r| r.rsplit('/').next())
}

/// The schema a property names: its own `$ref`, or the single `$ref` of its `allOf`.
pub(super) fn target(node: &Node) -> Option<&str> {
    ref_name(node).or_else(|| match node.get("allOf") {
        Some(Node::Seq(items)) => match items.as_slice() {
            [only] => ref_name(only),
            _ => None,
        },
        _ => None,
    })
}

/// The properties and required names of an object schema, with those of its `allOf` parts
/// first.
pub(super) fn flatten<'a>(
    spec: &'a Spec,
    schema: &'a Node,
    props: &mut Vec<(String, &'a Node)>,
    required: &mut BTreeSet<String>,
) -> Result<(), String> {
    if let Some(Node::Seq(parts)) = schema.get("allOf") {
        for part in parts {
            let part = match ref_name(part) {
                Some(name) => spec.schema(name)?,
                None => part,
            };
            flatten(spec, part, props, required)?;
        }
    }
    if let Some(Node::Seq(names)) = schema.get("required") {
        for name in names {
            if let Node::Str(name) = name {
                required.insert(name.clone());
            }
        }
    }
    for (name, node) in schema.get("properties").map_or(&[][..], Node::entries) {
        match props.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = node,
            None => props.push((name.clone(), node)),
        }
    }
    Ok(())
}

/// The values of the string enum `node` (`origin` in `spec`, for messages).
pub(super) fn enum_values(spec: &Spec, origin: &str, node: &Node) -> Result<Vec<String>, String> {
    let no_enum = || format!("{}: `{origin}` is no string enum", spec.version);
    let Some(Node::Seq(items)) = node.get("enum") else {
        return Err(no_enum());
    };
    if items.is_empty() || node.str("type") != Some("string") {
        return Err(no_enum());
    }
    items
        .iter()
        .map(|item| match item {
            Node::Str(value) => Ok(value.clone()),
            other => Err(format!(
                "{}: `{origin}` has the value {other:?}, which is no string",
                spec.version
            )),
        })
        .collect()
}
