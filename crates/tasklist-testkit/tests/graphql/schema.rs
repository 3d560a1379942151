//! The served schema against the vendored SDL.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

/// The vendored schema (`spec/tasklist.graphqls`).
const VENDORED: &str = include_str!("../../../../spec/tasklist.graphqls");

/// What the vendored schema has and the testkit does not serve, each with its reason: a type
/// (`User`) or a field (`Query.currentUser`).
const NOT_SERVED: &[(&str, &str)] = &[
    (
        "Query.currentUser",
        "the user, their permissions, roles and C8 links come from Identity",
    ),
    (
        "Query.processes",
        "the deployed processes live in Tasklist's process store, which the testkit does not have",
    ),
    (
        "Mutation.deleteProcessInstance",
        "process instances live in the engine",
    ),
    (
        "Mutation.startProcess",
        "starting a process needs the engine",
    ),
    ("User", "only currentUser returns it"),
    ("C8AppLink", "only User has it"),
    ("Process", "only processes returns it"),
    ("ProcessInstance", "only startProcess returns it"),
];

/// What the testkit serves beyond the vendored schema, each with its reason.
const ADDED: &[(&str, &str)] = &[(
    "TaskState.FAILED",
    "Tasklist's task state enum has FAILED since 8.5 (job-worker tasks whose job failed); the \
     vendored SDL predates it, and a failed task in the store must not break a query",
)];

/// One type of a schema, reduced to what a client depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Scalar,
    /// Field → (type, argument → type).
    Object(BTreeMap<String, (String, BTreeMap<String, String>)>),
    /// Field → type.
    Input(BTreeMap<String, String>),
    Enum(BTreeSet<String>),
    Other(String),
}

/// The types of an SDL document by name, without the built-in scalars and introspection types.
fn shapes(sdl: &str) -> BTreeMap<String, Shape> {
    let document = parse_schema(sdl).unwrap_or_else(|e| panic!("not SDL ({e}):\n{sdl}"));
    let mut types = BTreeMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(definition) = definition else {
            continue;
        };
        let definition = definition.node;
        let name = definition.name.node.to_string();
        if matches!(name.as_str(), "String" | "Int" | "Float" | "Boolean" | "ID")
            || name.starts_with("__")
        {
            continue;
        }
        let shape = match definition.kind {
            TypeKind::Scalar => Shape::Scalar,
            TypeKind::Object(object) => Shape::Object(
                object
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let arguments = field
                            .arguments
                            .into_iter()
                            .map(|a| (a.node.name.node.to_string(), a.node.ty.node.to_string()))
                            .collect();
                        (
                            field.name.node.to_string(),
                            (field.ty.node.to_string(), arguments),
                        )
                    })
                    .collect(),
            ),
            TypeKind::InputObject(input) => Shape::Input(
                input
                    .fields
                    .into_iter()
                    .map(|f| (f.node.name.node.to_string(), f.node.ty.node.to_string()))
                    .collect(),
            ),
            TypeKind::Enum(values) => Shape::Enum(
                values
                    .values
                    .into_iter()
                    .map(|v| v.node.value.node.to_string())
                    .collect(),
            ),
            other => Shape::Other(format!("{other:?}")),
        };
        types.insert(name, shape);
    }
    types
}

/// The differences found, and the allow-list entries that explained one.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
    used: BTreeSet<String>,
}

impl Report {
    /// Records `problem` unless `name` is on `list`.
    fn unless_listed(&mut self, name: String, list: &[(&str, &str)], problem: String) {
        if list.iter().any(|(listed, _)| *listed == name) {
            self.used.insert(name);
        } else {
            self.problems.push(problem);
        }
    }

    fn fail(&mut self, problem: String) {
        self.problems.push(problem);
    }
}

/// The differences between the served and the vendored schema that the allow-lists do not
/// explain, and the allow-list entries that explain nothing (stale).
fn schema_differences(served: &str, vendored: &str) -> Vec<String> {
    let served = shapes(served);
    let vendored = shapes(vendored);
    let not_served = NOT_SERVED;
    let added = ADDED;
    let mut report = Report::default();
    for (name, shape) in &vendored {
        let Some(ours) = served.get(name) else {
            report.unless_listed(
                name.clone(),
                not_served,
                format!("type {name} is not served"),
            );
            continue;
        };
        match (shape, ours) {
            (Shape::Object(theirs), Shape::Object(ours)) => {
                for (field, (ty, args)) in theirs {
                    match ours.get(field) {
                        None => report.unless_listed(
                            format!("{name}.{field}"),
                            not_served,
                            format!("{name}.{field} is not served"),
                        ),
                        Some((our_ty, our_args)) => {
                            if our_ty != ty {
                                report.fail(format!(
                                    "{name}.{field}: served as {our_ty}, the SDL says {ty}"
                                ));
                            }
                            if our_args != args {
                                report.fail(format!(
                                    "{name}.{field}: served with arguments {our_args:?}, the SDL \
                                     says {args:?}"
                                ));
                            }
                        }
                    }
                }
                for field in ours.keys().filter(|f| !theirs.contains_key(*f)) {
                    report.unless_listed(
                        format!("{name}.{field}"),
                        added,
                        format!("{name}.{field} is served but not in the SDL"),
                    );
                }
            }
            (Shape::Input(theirs), Shape::Input(ours)) => {
                for field in theirs.keys().chain(ours.keys()).collect::<BTreeSet<_>>() {
                    match (theirs.get(field), ours.get(field)) {
                        (Some(ty), Some(our_ty)) if ty != our_ty => report.fail(format!(
                            "{name}.{field}: served as {our_ty}, the SDL says {ty}"
                        )),
                        (Some(_), None) => report.unless_listed(
                            format!("{name}.{field}"),
                            not_served,
                            format!("{name}.{field} is not served"),
                        ),
                        (None, Some(_)) => report.unless_listed(
                            format!("{name}.{field}"),
                            added,
                            format!("{name}.{field} is served but not in the SDL"),
                        ),
                        _ => {}
                    }
                }
            }
            (Shape::Enum(theirs), Shape::Enum(ours)) => {
                for value in theirs.difference(ours) {
                    report.unless_listed(
                        format!("{name}.{value}"),
                        not_served,
                        format!("{name}.{value} is not served"),
                    );
                }
                for value in ours.difference(theirs) {
                    report.unless_listed(
                        format!("{name}.{value}"),
                        added,
                        format!("{name}.{value} is served but not in the SDL"),
                    );
                }
            }
            (theirs, ours) if theirs != ours => {
                report.fail(format!(
                    "{name}: served as {ours:?}, the SDL says {theirs:?}"
                ));
            }
            _ => {}
        }
    }
    for name in served.keys().filter(|n| !vendored.contains_key(*n)) {
        report.unless_listed(
            name.clone(),
            added,
            format!("type {name} is served but not in the SDL"),
        );
    }
    for (name, _) in NOT_SERVED.iter().chain(ADDED) {
        if !report.used.contains(*name) {
            report.fail(format!("allow-list entry {name} explains no difference"));
        }
    }
    report.problems
}

#[test]
fn the_served_schema_is_the_vendored_sdl_less_the_listed_parts() {
    let served = tasklist_testkit::graphql_sdl();
    let problems = schema_differences(&served, VENDORED);
    assert!(
        problems.is_empty(),
        "{problems:#?}\n\nthe served schema:\n{served}"
    );
    for (name, reason) in NOT_SERVED.iter().chain(ADDED) {
        assert!(!reason.is_empty(), "{name} needs a reason");
    }
}

#[test]
fn the_schema_comparison_catches_a_changed_type_or_argument() {
    let served = tasklist_testkit::graphql_sdl();
    // Each edit makes the vendored SDL disagree with the served schema in one place.
    let edits = [
        ("pageSize: Int", "pageSize: String"),
        ("task(id: String!): Task!", "task(id: ID!): Task!"),
        ("unclaimTask(taskId: String!)", "unclaimTask(id: String!)"),
        ("name: String!\n  # full", "name: String\n  # full"),
        ("  CANCELED\n", "  CANCELLED\n"),
    ];
    for (from, to) in edits {
        assert!(VENDORED.contains(from), "{from}");
        let changed = VENDORED.replacen(from, to, 1);
        let problems = schema_differences(&served, &changed);
        assert!(!problems.is_empty(), "{from} -> {to} went unnoticed");
    }
}
