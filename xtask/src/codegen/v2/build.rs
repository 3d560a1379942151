//! Building the model from the specs of all versions: the union of their structs, fields and
//! enum values, with the types that decode every version.

use std::collections::BTreeSet;

use super::spec::{Spec, enum_values, flatten, ref_name, target};
use super::tables::{INLINE_ENUMS, KEYS, PATCHES, SORTS, STRUCTS, StructSpec, VARIANT_NAMES};
use super::{
    Enum, Field, FilterKind, Model, Struct, Ty, describe, enum_rust_name, struct_spec,
    variant_name, versions_text,
};
use crate::codegen::{Node, schema_doc};

impl Model {
    pub(super) fn build(specs: &[Spec]) -> Result<Self, String> {
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
        };
        for spec in STRUCTS {
            model.add_struct(specs, spec)?;
        }
        Ok(model)
    }

    fn add_struct(&mut self, specs: &[Spec], s: &'static StructSpec) -> Result<(), String> {
        let mut fields: Vec<Field> = Vec::new();
        let mut versions = Vec::new();
        let mut description = None;
        for spec in specs {
            let Some(schema) = spec.schemas.get(s.schema) else {
                continue;
            };
            versions.push(spec.version);
            if description.is_none() {
                description = schema.str("description").map(describe);
            }
            let mut props = Vec::new();
            let mut required = BTreeSet::new();
            flatten(spec, schema, &mut props, &mut required)?;
            if props.is_empty() {
                return Err(format!(
                    "{}: `{}` has no properties",
                    spec.version, s.schema
                ));
            }
            for (wire, node) in props {
                let ty = self.classify(spec, s.schema, &wire, node)?;
                let nullable = node.get("nullable") == Some(&Node::Bool(true));
                let is_required = required.contains(&wire) && !nullable;
                // The newest version that has the property creates the field; each version
                // joins its type and says whether it requires it.
                let index = match fields.iter().position(|f| f.wire == wire) {
                    Some(i) => i,
                    None => {
                        fields.push(Field::new(spec, s.schema, wire, node, ty.clone()));
                        fields.len() - 1
                    }
                };
                let field = &mut fields[index];
                field.ty = merge(&field.ty, &ty).ok_or_else(|| {
                    format!(
                        "`{}.{}` is `{}` in {} but `{ty}` in {}: the versions disagree in a way \
                         the generator cannot join",
                        s.schema,
                        field.wire,
                        field.ty,
                        field.versions.first().map_or("", |(v, _)| v),
                        spec.version
                    )
                })?;
                field.versions.push((spec.version, ty));
                if is_required {
                    field.required.push(spec.version);
                }
            }
        }
        if versions.is_empty() {
            return Err(format!("no spec has the schema `{}`", s.schema));
        }
        let doc = schema_doc(
            s.summary,
            s.schema,
            Some(&versions_text(&versions)),
            description.as_deref().filter(|d| !d.is_empty()),
        );
        self.structs.push(Struct {
            spec: s,
            doc,
            versions,
            fields,
        });
        Ok(())
    }

    /// The type of property `wire` of `owner` in `spec`.
    fn classify(
        &mut self,
        spec: &Spec,
        owner: &str,
        wire: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        let at = format!("{}: `{owner}.{wire}`", spec.version);
        let ty = if let Some(name) = target(node) {
            self.named(spec, &at, name)?
        } else {
            self.inline(spec, &at, owner, wire, node)?
        };
        if PATCHES.contains(&format!("{owner}.{wire}").as_str()) {
            return Ok(Ty::Patch(Box::new(ty)));
        }
        Ok(ty)
    }

    /// The type of a reference to the schema `name`.
    fn named(&mut self, spec: &Spec, at: &str, name: &str) -> Result<Ty, String> {
        if name == "SearchQueryPageRequest" {
            return Ok(Ty::PageRequest);
        }
        if name == "StartCursor" || name == "EndCursor" {
            return Ok(Ty::Cursor);
        }
        if let Some(s) = struct_spec(name) {
            return Ok(Ty::Struct(s.rust.to_owned()));
        }
        if KEYS.contains(&name) {
            return Ok(Ty::Key(name.to_owned()));
        }
        let schema = spec.schema(name)?;
        if schema.get("oneOf").is_some() {
            return self.filter(spec, at, name, schema);
        }
        if schema.get("enum").is_some() {
            return self.enum_type(spec, &enum_rust_name(name), name, schema);
        }
        if target(schema) == Some("LongKey") {
            return Err(format!(
                "{at}: the key `{name}` has no newtype: add it to KEYS \
                 (xtask/src/codegen/v2/tables.rs) and keys.rs"
            ));
        }
        match schema.str("type") {
            Some("string") => Ok(Ty::String),
            Some("array") => {
                let items = schema
                    .get("items")
                    .ok_or_else(|| format!("{at}: `{name}` is an array without items"))?;
                let item = match target(items) {
                    Some(t) => self.named(spec, at, t)?,
                    None => self.inline(spec, at, name, "items", items)?,
                };
                Ok(Ty::Vec(Box::new(item)))
            }
            _ => Err(format!(
                "{at}: `{name}` has no Rust type: add it to STRUCTS \
                 (xtask/src/codegen/v2/tables.rs)"
            )),
        }
    }

    fn inline(
        &mut self,
        spec: &Spec,
        at: &str,
        owner: &str,
        wire: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        match node.str("type") {
            Some("string") => {
                if node.get("enum").is_some() {
                    let qualified = format!("{owner}.{wire}");
                    let rust = INLINE_ENUMS
                        .iter()
                        .find(|(k, _)| *k == qualified)
                        .map(|(_, r)| *r)
                        .ok_or_else(|| {
                            format!("{at}: inline enum without a name in INLINE_ENUMS")
                        })?;
                    return self.enum_type(spec, rust, &qualified, node);
                }
                match node.str("format") {
                    Some("date-time") => Ok(Ty::Timestamp),
                    None | Some("uri" | "uri-reference") => Ok(Ty::String),
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
                if let Some(name) = target(items)
                    && let Some((sort, field)) = SORTS.iter().find(|(s, _)| *s == name)
                {
                    return self.sort(spec, at, sort, field);
                }
                let item = match target(items) {
                    Some(name) => self.named(spec, at, name)?,
                    None => self.inline(spec, at, owner, wire, items)?,
                };
                Ok(Ty::Vec(Box::new(item)))
            }
            Some("object") => match node.get("additionalProperties") {
                Some(extra) if extra.str("type") == Some("string") => Ok(Ty::StringMap),
                Some(Node::Bool(true)) => Ok(Ty::JsonObject),
                _ => Err(format!("{at}: inline object: give it a schema in STRUCTS")),
            },
            other => Err(format!("{at}: unsupported type {other:?}")),
        }
    }

    /// A list of the sort criterion schema `sort`: `Sort<field>`, with the enum `field` of its
    /// `field` values.
    fn sort(&mut self, spec: &Spec, at: &str, sort: &str, field: &str) -> Result<Ty, String> {
        let schema = spec.schema(sort)?;
        let property = |name: &str| {
            schema
                .path(&["properties", name])
                .ok_or_else(|| format!("{at}: sort `{sort}` has no `{name}`"))
        };
        self.enum_type(spec, field, &format!("{sort}.field"), property("field")?)?;
        // `Sort` (hand-written) holds the `order`: it must be `SortOrder`.
        let order = self.classify(spec, sort, "order", property("order")?)?;
        if order != Ty::Enum("SortOrder".to_owned()) {
            return Err(format!("{at}: sort `{sort}` orders by `{order}`"));
        }
        Ok(Ty::Sort(field.to_owned()))
    }

    /// A `oneOf` of a plain value and an advanced filter object.
    fn filter(&mut self, spec: &Spec, at: &str, name: &str, schema: &Node) -> Result<Ty, String> {
        let Some(Node::Seq(options)) = schema.get("oneOf") else {
            return Err(format!("{at}: `{name}` is not a oneOf"));
        };
        let [exact, advanced] = options.as_slice() else {
            return Err(format!(
                "{at}: `{name}` is a oneOf of {} schemas",
                options.len()
            ));
        };
        // The 8.9 bundle names the exact branch (`…ExactMatch`, a string with an `allOf` of
        // the value's schema); the others write it inline.
        let mut exact = exact;
        while let Some(t) = ref_name(exact) {
            exact = spec.schema(t)?;
        }
        let kind = match target(exact) {
            Some(t) if KEYS.contains(&t) => FilterKind::Key(t.to_owned()),
            Some(t) => {
                let plain = spec.schema(t)?;
                if plain.get("enum").is_some() {
                    let rust = enum_rust_name(t);
                    self.enum_type(spec, &rust, t, plain)?;
                    FilterKind::Enum(rust)
                } else if plain.str("type") == Some("string") {
                    FilterKind::String
                } else {
                    return Err(format!(
                        "{at}: filter `{name}` on `{t}`, which is no string"
                    ));
                }
            }
            None => match (exact.str("type"), exact.str("format")) {
                (Some("string"), Some("date-time")) => FilterKind::DateTime,
                (Some("string"), None) => FilterKind::String,
                (Some("integer"), Some("int32") | None) => FilterKind::Integer,
                other => return Err(format!("{at}: filter `{name}` on {other:?}")),
            },
        };
        let advanced_name =
            ref_name(advanced).ok_or_else(|| format!("{at}: `{name}`: advanced is inline"))?;
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        flatten(spec, spec.schema(advanced_name)?, &mut props, &mut required)?;
        let mut ops = Vec::new();
        for (op, _) in props {
            let bare = op
                .strip_prefix('$')
                .ok_or_else(|| format!("{at}: `{advanced_name}` has property `{op}`"))?;
            if !kind.ops().contains(&bare) {
                return Err(format!(
                    "{at}: `{advanced_name}` offers `{op}`, which the Rust filter for it lacks: \
                     add it to filter.rs and the ops tables"
                ));
            }
            ops.push(bare.to_owned());
        }
        Ok(Ty::Filter(kind, ops))
    }

    /// Registers (or extends) an enum with the values of `node`.
    fn enum_type(
        &mut self,
        spec: &Spec,
        rust: &str,
        origin: &str,
        node: &Node,
    ) -> Result<Ty, String> {
        let values = enum_values(spec, origin, node)?;
        let index = match self.enums.iter().position(|e| e.rust == rust) {
            Some(i) => i,
            None => {
                self.enums.push(Enum {
                    rust: rust.to_owned(),
                    doc: node
                        .str("description")
                        .map_or_else(|| format!("The values of `{origin}`."), describe),
                    origin: origin.to_owned(),
                    versions: Vec::new(),
                    variants: Vec::new(),
                });
                self.enums.len() - 1
            }
        };
        let e = &mut self.enums[index];
        if e.versions.contains(&spec.version) {
            return Ok(Ty::Enum(rust.to_owned()));
        }
        e.versions.push(spec.version);
        for value in values {
            match e.variants.iter_mut().find(|(w, ..)| *w == value) {
                Some(variant) => variant.2.push(spec.version),
                None => {
                    let name = VARIANT_NAMES
                        .iter()
                        .find(|(en, w, _)| *en == rust && *w == value)
                        .map_or_else(|| variant_name(&value), |(_, _, n)| (*n).to_owned());
                    if name == "Unknown" {
                        return Err(format!(
                            "`{origin}`: the value `{value}` clashes with the catch-all: name it \
                             in VARIANT_NAMES"
                        ));
                    }
                    if e.variants.iter().any(|(_, n, _)| *n == name) {
                        return Err(format!("`{origin}`: two values become `{name}`"));
                    }
                    e.variants.push((value, name, vec![spec.version]));
                }
            }
        }
        Ok(Ty::Enum(rust.to_owned()))
    }

    pub(super) fn find(&self, rust: &str) -> Result<&Struct, String> {
        self.structs
            .iter()
            .find(|s| s.spec.rust == rust)
            .ok_or_else(|| format!("no struct `{rust}`"))
    }

    pub(super) fn find_enum(&self, rust: &str) -> Result<&Enum, String> {
        self.enums
            .iter()
            .find(|e| e.rust == rust)
            .ok_or_else(|| format!("no enum `{rust}`"))
    }
}

/// The type that decodes both `a` and `b`, if there is one.
fn merge(a: &Ty, b: &Ty) -> Option<Ty> {
    if a.same_shape(b) {
        return Some(a.clone());
    }
    match (a, b) {
        (Ty::Filter(kind, _), plain) | (plain, Ty::Filter(kind, _)) if kind.plain() == *plain => {
            Some(if matches!(a, Ty::Filter(..)) {
                a.clone()
            } else {
                b.clone()
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::HashMap;

    use super::*;

    #[test]
    fn an_enum_with_a_value_that_is_no_string_fails() {
        let spec = Spec {
            version: "8.8",
            schemas: HashMap::new(),
        };
        let node = crate::codegen::tests::yaml("type: string\nenum: [OPEN, null]\n");
        let mut model = Model {
            structs: Vec::new(),
            enums: Vec::new(),
        };
        let error = model.enum_type(&spec, "Mood", "Mood", &node);
        assert_eq!(
            error.err().unwrap(),
            "8.8: `Mood` has the value Null, which is no string"
        );
    }

    #[test]
    fn types_that_cannot_join_fail() {
        assert_eq!(
            merge(&Ty::String, &Ty::Filter(FilterKind::String, Vec::new())),
            Some(Ty::Filter(FilterKind::String, Vec::new()))
        );
        assert_eq!(merge(&Ty::String, &Ty::I32), None);
        assert_eq!(
            merge(
                &Ty::Key("JobKey".into()),
                &Ty::Filter(FilterKind::String, Vec::new())
            ),
            None
        );
    }
}
