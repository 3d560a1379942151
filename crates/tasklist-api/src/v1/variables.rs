//! The v1 side of process variables: the wire form of [`Variables`], decoding a task's variables
//! into any `DeserializeOwned` type, truncated values, drafts, and the variable calls.

use http::Method;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tasklist_transport::Idempotency;

use crate::client::{Call, Client, PathBuilder, into_future};
use crate::error::Error;
use crate::v1::models::{TaskSearchResult, TaskVariable, Variable, VariableId, VariableInput};
use crate::variables::{ValueState, Variables, decode_value};

impl Variables {
    /// The wire form: one [`VariableInput`] per variable, its `value` the JSON text.
    ///
    /// ```
    /// let inputs = tasklist_api::Variables::new().with("a", &"x")?.into_inputs();
    /// assert_eq!(serde_json::to_string(&inputs).unwrap(), r#"[{"name":"a","value":"\"x\""}]"#);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn into_inputs(self) -> Vec<VariableInput> {
        self.entries
            .into_iter()
            .map(|(name, value)| VariableInput {
                name: Some(name),
                value: Some(value),
            })
            .collect()
    }
}

impl From<Variables> for Vec<VariableInput> {
    fn from(variables: Variables) -> Self {
        variables.into_inputs()
    }
}

impl TaskVariable {
    /// What this result holds of the value: all of it, a truncated preview, or nothing.
    ///
    /// ```
    /// use tasklist_api::ValueState;
    /// use tasklist_api::models::TaskVariable;
    ///
    /// let v: TaskVariable = serde_json::from_str(r#"{"name":"a","value":"[1,2]","isValueTruncated":false}"#).unwrap();
    /// assert_eq!(v.value_state(), ValueState::Full("[1,2]"));
    /// ```
    pub fn value_state(&self) -> ValueState<'_> {
        value_state(
            self.value.as_deref(),
            self.is_value_truncated,
            self.preview_value.as_deref(),
        )
    }

    /// Decodes the value into `T`. A variable without a value reads as JSON `null` (so
    /// `Option<_>` gives `None`).
    ///
    /// # Errors
    ///
    /// [`Error::VariableTruncated`] when the server sent only a preview;
    /// [`Error::VariableDecode`] when the value does not fit `T`.
    ///
    /// ```
    /// use tasklist_api::Error;
    /// use tasklist_api::models::TaskVariable;
    ///
    /// let v: TaskVariable = serde_json::from_str(r#"{"name":"amount","value":"1250.5"}"#).unwrap();
    /// assert_eq!(v.decode::<f64>()?, 1250.5);
    /// assert!(matches!(v.decode::<String>(), Err(Error::VariableDecode { .. })));
    ///
    /// let cut: TaskVariable = serde_json::from_str(
    ///     r#"{"name":"doc","value":null,"isValueTruncated":true,"previewValue":"\"lorem"}"#,
    /// ).unwrap();
    /// assert!(matches!(cut.decode::<String>(), Err(Error::VariableTruncated { name }) if name == "doc"));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_value(self.name.as_deref(), self.value_state())
    }

    /// What this result holds of the draft value; `None` when the variable has no draft.
    ///
    /// ```
    /// use tasklist_api::ValueState;
    /// use tasklist_api::models::TaskVariable;
    ///
    /// let v: TaskVariable = serde_json::from_str(
    ///     r#"{"name":"a","value":"1","draft":{"value":"2","isValueTruncated":false,"previewValue":"2"}}"#,
    /// ).unwrap();
    /// assert_eq!(v.draft_state(), Some(ValueState::Full("2")));
    /// ```
    pub fn draft_state(&self) -> Option<ValueState<'_>> {
        let draft = self.draft.as_ref()?;
        Some(value_state(
            draft.value.as_deref(),
            draft.is_value_truncated,
            draft.preview_value.as_deref(),
        ))
    }

    /// Decodes the draft value into `T`; `None` when there is no draft.
    ///
    /// # Errors
    ///
    /// As for [`decode`](TaskVariable::decode).
    ///
    /// ```
    /// use tasklist_api::models::TaskVariable;
    ///
    /// let v: TaskVariable = serde_json::from_str(r#"{"name":"a","value":"1","draft":{"value":"2"}}"#).unwrap();
    /// assert_eq!(v.decode_draft::<u8>()?, Some(2));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode_draft<T: DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        self.draft_state()
            .map(|state| decode_value(self.name.as_deref(), state))
            .transpose()
    }
}

impl Variable {
    /// Decodes the (always full) value into `T`; a variable without a value reads as `null`.
    ///
    /// # Errors
    ///
    /// [`Error::VariableDecode`] when the value does not fit `T`.
    ///
    /// ```
    /// use tasklist_api::models::Variable;
    ///
    /// let v: Variable = serde_json::from_str(r#"{"id":"7-lines","name":"lines","value":"[\"a\",\"b\"]"}"#).unwrap();
    /// assert_eq!(v.decode::<Vec<String>>()?, ["a", "b"]);
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let state = value_state(self.value.as_deref(), None, None);
        decode_value(self.name.as_deref(), state)
    }

    /// Decodes the draft value into `T`; `None` when there is no draft.
    ///
    /// # Errors
    ///
    /// [`Error::VariableDecode`] when the draft does not fit `T`.
    ///
    /// ```
    /// use tasklist_api::models::Variable;
    ///
    /// let v: Variable = serde_json::from_str(r#"{"name":"n","value":"1","draft":{"value":"5"}}"#).unwrap();
    /// assert_eq!(v.decode_draft::<i32>()?, Some(5));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode_draft<T: DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        let Some(draft) = &self.draft else {
            return Ok(None);
        };
        let state = value_state(draft.value.as_deref(), None, None);
        decode_value(self.name.as_deref(), state).map(Some)
    }
}

impl TaskSearchResult {
    /// Decodes the variables included in this result (see
    /// [`SearchTasks::include_variable`](crate::SearchTasks::include_variable)) into `T`, as
    /// [`decode_all`] does.
    ///
    /// # Errors
    ///
    /// As for [`decode_all`].
    ///
    /// ```
    /// use tasklist_api::models::TaskSearchResult;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Invoice { amount: f64, region: String }
    ///
    /// let task: TaskSearchResult = serde_json::from_str(r#"{"id":"7","variables":[
    ///     {"name":"amount","value":"99.5"},{"name":"region","value":"\"EMEA\""}]}"#).unwrap();
    /// let invoice: Invoice = task.decode_variables()?;
    /// assert_eq!((invoice.amount, invoice.region.as_str()), (99.5, "EMEA"));
    /// # Ok::<(), tasklist_api::Error>(())
    /// ```
    pub fn decode_variables<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_all(self.variables.as_deref().unwrap_or_default())
    }
}

/// Decodes a task's variables into one `T`, as if they were the fields of a JSON object:
/// a struct with a field per variable, a map, or [`serde_json::Value`]. Numbers keep their
/// exact text on the way (no `f64` rounding of large integers). Variables without a name are
/// skipped; when a name repeats, the last one wins.
///
/// # Errors
///
/// [`Error::VariableTruncated`] when a value is truncated; [`Error::VariableDecode`] when a
/// value is not valid JSON (naming that variable) or the whole does not fit `T` (naming all
/// of them).
///
/// ```
/// use tasklist_api::decode_all;
/// use tasklist_api::models::TaskVariable;
///
/// #[derive(serde::Deserialize)]
/// struct Order {
///     id: u64,
///     customer: Customer,
///     note: Option<String>,
/// }
/// #[derive(serde::Deserialize)]
/// struct Customer {
///     name: String,
/// }
///
/// let variables: Vec<TaskVariable> = serde_json::from_str(r#"[
///     {"name":"id","value":"18446744073709551615"},
///     {"name":"customer","value":"{\"name\":\"Zoë\"}"},
///     {"name":"note","value":"null"}
/// ]"#).unwrap();
/// let order: Order = decode_all(&variables)?;
/// assert_eq!(order.id, u64::MAX);
/// assert_eq!(order.customer.name, "Zoë");
/// assert_eq!(order.note, None);
/// # Ok::<(), tasklist_api::Error>(())
/// ```
pub fn decode_all<T: DeserializeOwned>(variables: &[TaskVariable]) -> Result<T, Error> {
    let mut object = String::from("{");
    let mut names = Vec::with_capacity(variables.len());
    for variable in variables {
        let Some(name) = variable.name.as_deref() else {
            continue;
        };
        let json = match variable.value_state() {
            ValueState::Full(json) => json,
            ValueState::Absent => "null",
            ValueState::Truncated { .. } => {
                return Err(Error::VariableTruncated {
                    name: name.to_owned(),
                });
            }
        };
        // Check that the value is one JSON value before splicing it in.
        let raw: &RawValue =
            serde_json::from_str(json).map_err(|source| Error::VariableDecode {
                name: name.to_owned(),
                source,
            })?;
        if !names.is_empty() {
            object.push(',');
        }
        object.push_str(&serde_json::Value::from(name).to_string());
        object.push(':');
        object.push_str(raw.get());
        names.push(name);
    }
    object.push('}');
    serde_json::from_str(&object).map_err(|source| Error::VariableDecode {
        name: names.join(", "),
        source,
    })
}

/// The variable calls, from [`Client::variables`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let variable = client.variables().get("2251799813685251-amount").await?;
/// let amount: f64 = variable.decode()?;
/// # let _ = amount; Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct VariablesApi<'a> {
    client: &'a Client,
}

impl<'a> VariablesApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        VariablesApi { client }
    }

    /// Gets one variable with its full value and draft (`GET /v1/variables/{variableId}`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7-note","name":"note","value":"\"all good\"","draft":{"value":"\"almost\""}}"#))?;
    /// let variable = client.variables().get("7-note").await?;
    /// assert_eq!(variable.decode::<String>()?, "all good");
    /// assert_eq!(variable.decode_draft::<String>()?.as_deref(), Some("almost"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, variable_id: impl Into<VariableId>) -> GetVariable {
        GetVariable {
            client: self.client.clone(),
            variable_id: Ok(variable_id.into()),
        }
    }

    /// Gets the full value of a variable from a search result, typically one whose
    /// [`value_state`](TaskVariable::value_state) is truncated.
    ///
    /// Fails with [`Error::InvalidArgument`] when the result has no id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"7-doc","name":"doc","value":"\"lorem ipsum dolor\""}"#))?;
    /// use tasklist_api::models::TaskVariable;
    ///
    /// let found: TaskVariable = serde_json::from_str(
    ///     r#"{"id":"7-doc","name":"doc","value":null,"isValueTruncated":true,"previewValue":"\"lorem"}"#,
    /// ).unwrap();
    /// let text: String = if found.value_state().is_truncated() {
    ///     client.variables().full_value(&found).await?.decode()?
    /// } else {
    ///     found.decode()?
    /// };
    /// assert_eq!(text, "lorem ipsum dolor");
    /// # Ok(())
    /// # }
    /// ```
    pub fn full_value(&self, variable: &TaskVariable) -> GetVariable {
        GetVariable {
            client: self.client.clone(),
            variable_id: variable.id.clone().ok_or_else(|| {
                format!(
                    "variable `{}` has no id, so its full value cannot be fetched",
                    variable.name.as_deref().unwrap_or_default()
                )
            }),
        }
    }
}

/// Gets one variable, from [`VariablesApi::get`] or [`VariablesApi::full_value`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let variable = client.variables().get("7-amount").await?;
/// # let _ = variable; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetVariable {
    client: Client,
    variable_id: Result<VariableId, String>,
}

impl GetVariable {
    /// Sends the request, marked idempotent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let variable = client.variables().get("7-amount").send().await?;
    /// # let _ = variable; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Variable> {
        Box::pin(async move {
            let id = self.variable_id.map_err(Error::InvalidArgument)?;
            let path = PathBuilder::new()
                .fixed("v1/variables")
                .param("variable id", id.as_str())?
                .build();
            let call = Call::new(Method::GET, path, Idempotency::Idempotent);
            self.client.json(call).await
        })
    }
}

into_future!(GetVariable => Variable);

/// What a v1 result holds of a value: `value` (the whole value, when present), else
/// `previewValue`, cut when `isValueTruncated` says so.
fn value_state<'a>(
    value: Option<&'a str>,
    truncated: Option<bool>,
    preview: Option<&'a str>,
) -> ValueState<'a> {
    // `isValueTruncated` describes the preview: a `value` that is there is the whole value
    // (as when the full value was asked for), whatever the flag says.
    match (value, truncated, preview) {
        (Some(value), _, _) => ValueState::Full(value),
        (None, Some(true), preview) => ValueState::Truncated {
            preview: preview.unwrap_or_default(),
        },
        // Not truncated: the preview is the whole value.
        (None, Some(false), Some(preview)) => ValueState::Full(preview),
        (None, _, _) => ValueState::Absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Recorder, json_response};
    use serde::{Deserialize, Serialize};
    use serde_json::json;
    use std::collections::BTreeMap;

    fn wire(variables: Variables) -> String {
        serde_json::to_string(&variables.into_inputs()).unwrap()
    }

    #[test]
    fn strings_are_encoded_with_quotes_and_escapes() {
        let variables = Variables::new()
            .with("quote", r#"say "hi""#)
            .unwrap()
            .with("backslash", r"C:\temp")
            .unwrap()
            .with("newline", "a\nb\tc")
            .unwrap()
            .with("unicode", "Zoë ✓ 😀 \u{0001}")
            .unwrap();
        assert_eq!(variables.get("quote"), Some(r#""say \"hi\"""#));
        assert_eq!(variables.get("backslash"), Some(r#""C:\\temp""#));
        assert_eq!(variables.get("newline"), Some(r#""a\nb\tc""#));
        assert_eq!(variables.get("unicode"), Some("\"Zoë ✓ 😀 \\u0001\""));
        assert_eq!(
            wire(variables),
            concat!(
                r#"[{"name":"quote","value":"\"say \\\"hi\\\"\""},"#,
                r#"{"name":"backslash","value":"\"C:\\\\temp\""},"#,
                r#"{"name":"newline","value":"\"a\\nb\\tc\""},"#,
                r#"{"name":"unicode","value":"\"Zoë ✓ 😀 \\u0001\""}]"#,
            )
        );
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        let big = -170_141_183_460_469_231_731_687_303_715_884_105_728_i128;
        let variables = Variables::new()
            .with("max", &u64::MAX)
            .unwrap()
            .with("i128", &big)
            .unwrap()
            .with("above_f64", &9_007_199_254_740_993_u64)
            .unwrap()
            .with("float", &0.1_f64)
            .unwrap()
            .with("none", &None::<u8>)
            .unwrap()
            .with("unit", &())
            .unwrap();
        assert_eq!(
            wire(variables),
            concat!(
                r#"[{"name":"max","value":"18446744073709551615"},"#,
                r#"{"name":"i128","value":"-170141183460469231731687303715884105728"},"#,
                r#"{"name":"above_f64","value":"9007199254740993"},"#,
                r#"{"name":"float","value":"0.1"},"#,
                r#"{"name":"none","value":"null"},"#,
                r#"{"name":"unit","value":"null"}]"#,
            )
        );
    }

    #[test]
    fn nested_values_and_structs() {
        #[derive(Serialize)]
        struct Order {
            id: i128,
            lines: Vec<Line>,
            meta: BTreeMap<String, Option<bool>>,
        }
        #[derive(Serialize)]
        struct Line {
            sku: &'static str,
            qty: u32,
        }
        let order = Order {
            id: i128::MAX,
            lines: vec![Line {
                sku: "A\"1",
                qty: 2,
            }],
            meta: BTreeMap::from([("x".to_owned(), None), ("y".to_owned(), Some(true))]),
        };
        let variables = Variables::from_serialize(&order).unwrap();
        assert_eq!(
            variables.iter().collect::<Vec<_>>(),
            [
                ("id", "170141183460469231731687303715884105727"),
                ("lines", r#"[{"sku":"A\"1","qty":2}]"#),
                ("meta", r#"{"x":null,"y":true}"#),
            ]
        );
        assert!(Variables::from_serialize(&"text").is_err());
        assert!(Variables::from_serialize(&BTreeMap::from([((1, 2), 3)])).is_err());
    }

    #[test]
    fn setting_a_name_again_replaces_in_place() {
        let mut variables = Variables::new()
            .with("a", &1)
            .unwrap()
            .with("b", &2)
            .unwrap();
        variables.insert("a", &3).unwrap();
        assert_eq!(
            variables.iter().collect::<Vec<_>>(),
            [("a", "3"), ("b", "2")]
        );
        // A failed insert leaves the variables as they were.
        assert!(
            variables
                .insert("a", &BTreeMap::from([((1, 2), 3)]))
                .is_err()
        );
        assert_eq!(variables.get("a"), Some("3"));
    }

    fn task_variable(value: serde_json::Value) -> TaskVariable {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn decode_into_a_struct() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Form {
            amount: u64,
            exact: i128,
            note: String,
            tags: Vec<String>,
            missing: Option<u8>,
        }
        let variables = vec![
            task_variable(json!({"name": "amount", "value": "18446744073709551615"})),
            task_variable(
                json!({"name": "exact", "value": "-170141183460469231731687303715884105728"}),
            ),
            task_variable(json!({"name": "note", "value": "\"line\\n\\\"two\\\"\""})),
            task_variable(
                json!({"name": "tags", "value": "[\"a\",\"b\"]", "isValueTruncated": false}),
            ),
            task_variable(json!({"name": "missing"})),
            task_variable(json!({"value": "1"})),
        ];
        let form: Form = decode_all(&variables).unwrap();
        assert_eq!(
            form,
            Form {
                amount: u64::MAX,
                exact: i128::MIN,
                note: "line\n\"two\"".into(),
                tags: vec!["a".into(), "b".into()],
                missing: None,
            }
        );

        let bad = vec![task_variable(json!({"name": "amount", "value": "{oops"}))];
        let e = decode_all::<serde_json::Value>(&bad).unwrap_err();
        assert!(matches!(e, Error::VariableDecode { name, .. } if name == "amount"));

        let e = decode_all::<Form>(&variables[..2]).unwrap_err();
        assert!(matches!(e, Error::VariableDecode { name, .. } if name == "amount, exact"));
    }

    #[test]
    fn truncated_values_are_visible_and_refuse_to_decode() {
        let v = task_variable(json!({
            "id": "7-doc", "name": "doc", "value": null,
            "isValueTruncated": true, "previewValue": "\"lorem ip"
        }));
        assert_eq!(
            v.value_state(),
            ValueState::Truncated {
                preview: "\"lorem ip"
            }
        );
        let e = v.decode::<String>().unwrap_err();
        assert!(matches!(&e, Error::VariableTruncated { name } if name == "doc"));
        assert!(e.to_string().contains("truncated"));
        let e = decode_all::<serde_json::Value>(std::slice::from_ref(&v)).unwrap_err();
        assert!(matches!(e, Error::VariableTruncated { .. }));

        let preview_only = task_variable(json!({
            "name": "small", "isValueTruncated": false, "previewValue": "12"
        }));
        assert_eq!(preview_only.value_state(), ValueState::Full("12"));
        assert_eq!(
            task_variable(json!({"name": "x"})).value_state(),
            ValueState::Absent
        );

        // Asked for in full: the value is whole even though the preview is cut.
        let full = task_variable(json!({
            "name": "doc", "value": "\"lorem ipsum\"",
            "isValueTruncated": true, "previewValue": "\"lorem"
        }));
        assert_eq!(full.value_state(), ValueState::Full("\"lorem ipsum\""));
        assert_eq!(full.decode::<String>().unwrap(), "lorem ipsum");
    }

    #[test]
    fn drafts_are_exposed() {
        let v = task_variable(json!({
            "name": "a", "value": "1",
            "draft": {"value": null, "isValueTruncated": true, "previewValue": "[1,2"}
        }));
        assert_eq!(
            v.draft_state(),
            Some(ValueState::Truncated { preview: "[1,2" })
        );
        assert!(matches!(
            v.decode_draft::<Vec<u8>>(),
            Err(Error::VariableTruncated { .. })
        ));
        let v = task_variable(json!({"name": "a", "value": "1"}));
        assert_eq!(v.draft_state(), None);
        assert_eq!(v.decode_draft::<u8>().unwrap(), None);

        let full: Variable =
            serde_json::from_value(json!({"name": "a", "value": "1", "draft": {"value": "2"}}))
                .unwrap();
        assert_eq!(full.decode::<u8>().unwrap(), 1);
        assert_eq!(full.decode_draft::<u8>().unwrap(), Some(2));
    }

    #[tokio::test]
    async fn full_value_fetches_the_variable_by_id() {
        let recorder = Recorder::new([json_response(
            200,
            r#"{"id":"7-doc","name":"doc","value":"\"lorem ipsum\""}"#,
        )]);
        let client = recorder.client("http://h");
        let found = task_variable(json!({
            "id": "7-doc", "name": "doc", "isValueTruncated": true, "previewValue": "\"lorem"
        }));
        let full = client.variables().full_value(&found).await.unwrap();
        assert_eq!(full.decode::<String>().unwrap(), "lorem ipsum");
        let request = &recorder.requests()[0];
        assert_eq!(request.uri, "http://h/v1/variables/7-doc");
        assert_eq!(request.idempotency, Idempotency::Idempotent);

        let no_id = task_variable(json!({"name": "doc"}));
        let e = client.variables().full_value(&no_id).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)));
        assert_eq!(recorder.count(), 1);
    }
}
