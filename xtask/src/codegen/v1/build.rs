//! Reading the v1 specs into the model: the structs, their fields and types, the shared enums
//! and the request bodies.

use std::collections::{BTreeSet, HashMap};

use super::tables::{
    BORROWED, DATE_PROPERTIES, ENUMS, ID_PROPERTIES, IGNORED, INLINE_OBJECTS, KEY_PROPERTIES,
    MISSING_DOCS, SchemaName,
};
use super::{Field, Model, SECONDARY, Struct, Ty, names, ref_target, rust_name, schemas};
use crate::codegen::{Node, clean_description, schema_doc, snake_case};

impl Model {
    pub(super) fn build(primary: &Node, secondary: &Node) -> Result<Self, String> {
        let second: HashMap<&str, &Node> = schemas(secondary)
            .iter()
            .map(|(name, node)| (name.as_str(), node))
            .collect();
        for (name, _) in schemas(secondary) {
            if !IGNORED.contains(&name.as_str()) {
                rust_name(name)?;
            }
        }
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
            requests: BTreeSet::new(),
        };
        for (name, schema) in schemas(primary) {
            let other = second.get(name.as_str()).copied();
            model.add_struct(names(name)?, schema, other, &second)?;
        }
        for (schema, property, _, _) in BORROWED {
            if !model.structs.iter().any(|s| s.names.schema == *schema) {
                return Err(format!(
                    "BORROWED names `{schema}.{property}`, not in the spec"
                ));
            }
        }
        model.find_requests(primary)?;
        Ok(model)
    }

    fn add_struct(
        &mut self,
        names: &'static SchemaName,
        schema: &Node,
        other: Option<&Node>,
        second: &HashMap<&str, &Node>,
    ) -> Result<(), String> {
        let name = names.schema;
        if schema.str("type") != Some("object") {
            return Err(format!("schema `{name}` is not an object"));
        }
        let mut fields = Vec::new();
        for prop in properties(name, schema, other, second)? {
            let ty = self.field_type(name, &prop.wire, prop.node, prop.second, second)?;
            fields.push(Field {
                rust: snake_case(&prop.wire),
                doc: field_description(name, &prop, &ty),
                wire: prop.wire,
                ty,
                origin: prop.origin,
            });
        }
        let description = schema
            .str("description")
            .or_else(|| other.and_then(|o| o.str("description")))
            .map(clean_description);
        self.structs.push(Struct {
            names,
            doc: schema_doc(names.summary, name, None, description.as_deref()),
            fields,
        });
        Ok(())
    }

    fn field_type(
        &mut self,
        schema: &str,
        property: &str,
        node: &Node,
        second_node: Option<&Node>,
        second: &HashMap<&str, &Node>,
    ) -> Result<Ty, String> {
        let at = format!("`{schema}.{property}`");
        if let Some(target) = ref_target(node) {
            return Ok(Ty::Struct(rust_name(target)?.to_owned()));
        }
        match node.str("type") {
            Some("string") => {
                if let Some(values) = node.get("enum") {
                    return self.shared_enum(&at, property, values);
                }
                if property == "id" {
                    return ID_PROPERTIES
                        .iter()
                        .find(|(s, _)| *s == schema)
                        .map(|(_, ty)| Ty::Id(ty))
                        .ok_or_else(|| format!("{at}: no identifier type in ID_PROPERTIES"));
                }
                if let Some((_, ty)) = KEY_PROPERTIES.iter().find(|(p, _)| *p == property) {
                    return Ok(Ty::Id(ty));
                }
                if node.str("format") == Some("date-time") || DATE_PROPERTIES.contains(&property) {
                    return Ok(Ty::Timestamp);
                }
                match node.str("format") {
                    None => Ok(Ty::String),
                    Some(other) => Err(format!("{at}: unsupported string format `{other}`")),
                }
            }
            Some("integer") => match node.str("format") {
                Some("int64") => Ok(Ty::I64),
                Some("int32") | None => Ok(Ty::I32),
                Some(other) => Err(format!("{at}: unsupported integer format `{other}`")),
            },
            Some("boolean") => Ok(Ty::Bool),
            Some("array") => {
                let items = node
                    .get("items")
                    .ok_or_else(|| format!("{at}: array without items"))?;
                let second_items = second_node.and_then(|s| s.get("items"));
                let item = self.field_type(schema, property, items, second_items, second)?;
                Ok(Ty::Vec(Box::new(item)))
            }
            Some("object") => {
                let name = format!("{schema}.{property}");
                let names = INLINE_OBJECTS
                    .iter()
                    .find(|n| n.schema == name)
                    .ok_or_else(|| {
                        format!("{at}: inline object without a name in INLINE_OBJECTS")
                    })?;
                if !self.structs.iter().any(|s| s.names.rust == names.rust) {
                    // The second source may describe the same object as a named schema.
                    let other = second_node.and_then(|s| match ref_target(s) {
                        Some(target) => second.get(target).copied(),
                        None => Some(s),
                    });
                    self.add_struct(names, node, other, second)?;
                }
                Ok(Ty::Struct(names.rust.to_owned()))
            }
            other => Err(format!("{at}: unsupported type {other:?}")),
        }
    }

    fn shared_enum(&mut self, at: &str, property: &str, values: &Node) -> Result<Ty, String> {
        let Node::Seq(values) = values else {
            return Err(format!("{at}: `enum` is not a list"));
        };
        let values: Vec<&str> = values
            .iter()
            .map(|v| match v {
                Node::Str(s) => Ok(s.as_str()),
                other => Err(format!("{at}: enum value {other:?} is not a string")),
            })
            .collect::<Result<_, _>>()?;
        let shared = ENUMS
            .iter()
            .find(|e| e.properties.contains(&property))
            .ok_or_else(|| {
                format!("{at}: enum {values:?} is not mapped to a shared enum in ENUMS")
            })?;
        let known: Vec<&str> = shared.variants.iter().map(|v| v.wire).collect();
        if values != known {
            return Err(format!(
                "{at}: enum values {values:?} differ from those of `{}` {known:?}: update ENUMS \
                 in xtask/src/codegen/v1/tables.rs",
                shared.rust
            ));
        }
        if !self.enums.iter().any(|e| e.rust == shared.rust) {
            self.enums.push(shared);
        }
        Ok(Ty::Enum(shared.rust))
    }

    /// Marks the structs sent as request bodies, and those they contain.
    fn find_requests(&mut self, primary: &Node) -> Result<(), String> {
        let mut pending = Vec::new();
        for (_, path) in primary.get("paths").map_or(&[][..], Node::entries) {
            for (_, operation) in path.entries() {
                let content = operation.path(&["requestBody", "content"]);
                for (_, media) in content.map_or(&[][..], Node::entries) {
                    if let Some(target) = media.get("schema").and_then(ref_target) {
                        pending.push(rust_name(target)?.to_owned());
                    }
                }
            }
        }
        while let Some(name) = pending.pop() {
            if !self.requests.insert(name.clone()) {
                continue;
            }
            if let Some(s) = self.structs.iter().find(|s| s.names.rust == name) {
                for field in &s.fields {
                    if let Ty::Struct(inner) = field.ty.element() {
                        pending.push(inner.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// A property of a schema: the primary spec's description of it (or the second source's where
/// the primary has none), the second source's, and where it comes from when not the primary.
struct Prop<'a> {
    wire: String,
    node: &'a Node,
    second: Option<&'a Node>,
    origin: Option<String>,
}

/// The properties of the schema `name`: the primary spec's in order, then the second source's
/// extra properties, each after the property it follows there, then those `BORROWED` from
/// another schema.
fn properties<'a>(
    name: &str,
    schema: &'a Node,
    other: Option<&'a Node>,
    second: &HashMap<&str, &'a Node>,
) -> Result<Vec<Prop<'a>>, String> {
    let own = schema.get("properties").map_or(&[][..], Node::entries);
    let other_props = other.and_then(|o| o.get("properties"));
    let mut props: Vec<Prop<'a>> = own
        .iter()
        .map(|(p, node)| Prop {
            wire: p.clone(),
            node,
            second: other_props.and_then(|o| o.get(p)),
            origin: None,
        })
        .collect();
    let position = |props: &[Prop<'_>], wire: &str| props.iter().position(|q| q.wire == wire);
    let mut previous: Option<&str> = None;
    for (p, node) in other_props.map_or(&[][..], Node::entries) {
        if position(&props, p).is_none() {
            let at = previous
                .and_then(|prev| position(&props, prev))
                .map_or(0, |i| i + 1);
            let origin = Some(format!("Only in `{SECONDARY}`."));
            props.insert(
                at,
                Prop {
                    wire: p.clone(),
                    node,
                    second: None,
                    origin,
                },
            );
        }
        previous = Some(p);
    }
    for (target, property, from, why) in BORROWED {
        if *target != name || position(&props, property).is_some() {
            continue;
        }
        let from_props = second.get(from).and_then(|s| s.get("properties"));
        let node = from_props
            .and_then(|p| p.get(property))
            .ok_or_else(|| format!("BORROWED: `{from}.{property}` is not in {SECONDARY}"))?;
        // After the last property that precedes it in `from` and that this schema has.
        let preceding: Vec<&str> = from_props
            .map_or(&[][..], Node::entries)
            .iter()
            .map(|(k, _)| k.as_str())
            .take_while(|k| k != property)
            .collect();
        let at = preceding
            .iter()
            .rev()
            .find_map(|k| position(&props, k))
            .map_or(0, |i| i + 1);
        props.insert(
            at,
            Prop {
                wire: (*property).to_owned(),
                node,
                second: None,
                origin: Some(format!("Taken from `{from}.{property}`: {why}")),
            },
        );
    }
    Ok(props)
}

/// The doc of property `prop` of `schema`: the description of the primary spec, of the second
/// source, of `MISSING_DOCS` or of its enum, then the bounds and default the spec gives it.
fn field_description(schema: &str, prop: &Prop<'_>, ty: &Ty) -> String {
    let wire = prop.wire.as_str();
    let enum_doc = || {
        let Ty::Enum(e) = ty.element() else {
            return None;
        };
        ENUMS
            .iter()
            .find(|x| x.rust == *e)
            .map(|x| x.doc.to_owned())
    };
    let description = prop
        .node
        .str("description")
        .or_else(|| prop.second.and_then(|s| s.str("description")))
        .map(clean_description)
        .or_else(|| {
            MISSING_DOCS
                .iter()
                .find(|(s, p, _)| *s == schema && *p == wire)
                .map(|(_, _, d)| (*d).to_owned())
        })
        .or_else(enum_doc)
        .unwrap_or_else(|| format!("The `{wire}` property (undocumented in the spec)."));
    match constraints(prop.node).or_else(|| prop.second.and_then(constraints)) {
        Some(extra) => format!("{description}\n\n{extra}"),
        None => description,
    }
}

/// The bounds and default the spec gives a property, as a sentence.
fn constraints(node: &Node) -> Option<String> {
    let scalar = |key: &str| match node.get(key) {
        Some(Node::Number(n)) => Some(n.clone()),
        Some(Node::Bool(b)) => Some(b.to_string()),
        Some(Node::Str(s)) => Some(format!("{s:?}")),
        _ => None,
    };
    let mut parts = Vec::new();
    match (scalar("minimum"), scalar("maximum")) {
        (Some(min), Some(max)) => parts.push(format!("From {min} to {max}.")),
        (Some(min), None) => parts.push(format!("At least {min}.")),
        (None, Some(max)) => parts.push(format!("At most {max}.")),
        (None, None) => {}
    }
    if let Some(default) = scalar("default") {
        parts.push(format!("The spec gives `{default}` as the default."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
