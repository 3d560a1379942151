//! The variable paths of `tasklist_api`: decoding a value as the API delivers it (JSON text
//! inside a JSON string) and encoding values with `Variables`.
//!
//! Input: any text, used three ways.
//! 1. As the JSON text of a variable's value: `TaskVariable::decode`, `Variable::decode`,
//!    `decode_all` and the draft paths accept it exactly when `serde_json` reads it as one
//!    JSON value, and agree on what it is. A truncated value is always refused.
//! 2. The value it decodes to, encoded again with `Variables` and decoded: the same value;
//!    when it is an object, `Variables::from_serialize` makes one variable per field, each
//!    decoding to that field.
//! 3. As a string variable: `Variables::with` then `decode::<String>` gives back the exact
//!    text, through the wire form (`into_inputs`) too.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use tasklist_api::models::{TaskVariable, Variable, VariableInput};
use tasklist_api::{Error, ValueState, Variables, decode_all};

/// A task variable `name` with `value` as the server sends it.
fn task_variable(name: &str, value: &str) -> TaskVariable {
    let wire = json!({"name": name, "value": value, "isValueTruncated": false,
                      "draft": {"value": value, "isValueTruncated": false}});
    match serde_json::from_value(wire) {
        Ok(variable) => variable,
        Err(e) => panic!("a task variable decodes: {e}"),
    }
}

fn variable(name: &str, value: &str) -> Variable {
    let wire = json!({"id": "1-v", "name": name, "value": value, "draft": {"value": value}});
    match serde_json::from_value(wire) {
        Ok(variable) => variable,
        Err(e) => panic!("a variable decodes: {e}"),
    }
}

/// Whether `error` is serde_json's nesting limit, which `decode_all` meets one level earlier
/// than a lone value does (it reads the variables as fields of one object).
fn is_depth_limit(error: &Error) -> bool {
    matches!(error, Error::VariableDecode { source, .. }
        if source.to_string().starts_with("recursion limit exceeded"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    // 1. Decoding the value as delivered.
    let expected = serde_json::from_str::<Value>(text);
    let task_var = task_variable("v", text);
    assert_eq!(task_var.value_state(), ValueState::Full(text));
    let decoded = task_var.decode::<Value>();
    match (&expected, &decoded) {
        (Ok(want), Ok(got)) => assert_eq!(want, got),
        (Err(_), Err(Error::VariableDecode { name, .. })) => assert_eq!(name, "v"),
        (want, got) => panic!("serde_json says {want:?}, decode says {got:?}"),
    }
    if let Err(error) = &decoded {
        assert!(!error.to_string().is_empty());
    }
    assert_eq!(
        task_var.decode_draft::<Value>().ok().flatten(),
        decoded.as_ref().ok().cloned()
    );
    let plain = variable("v", text);
    assert_eq!(plain.decode::<Value>().ok(), decoded.as_ref().ok().cloned());
    assert_eq!(
        plain.decode_draft::<Value>().ok().flatten(),
        decoded.as_ref().ok().cloned()
    );
    match (
        decode_all::<Value>(std::slice::from_ref(&task_var)),
        &decoded,
    ) {
        (Ok(all), Ok(one)) => assert_eq!(all, json!({ "v": one })),
        (Err(e), Ok(_)) => assert!(is_depth_limit(&e), "decode_all refused {text:?}: {e}"),
        (Err(Error::VariableDecode { name, .. }), Err(_)) => assert_eq!(name, "v"),
        (all, one) => panic!("decode_all says {all:?}, decode says {one:?}"),
    }

    // A truncated value is never decoded, whatever its preview.
    let cut: TaskVariable = match serde_json::from_value(
        json!({"name": "v", "isValueTruncated": true, "previewValue": text}),
    ) {
        Ok(cut) => cut,
        Err(e) => panic!("a truncated variable decodes: {e}"),
    };
    assert_eq!(cut.value_state(), ValueState::Truncated { preview: text });
    assert!(matches!(cut.decode::<Value>(), Err(Error::VariableTruncated { name }) if name == "v"));

    // 2. The decoded value, encoded and decoded again.
    if let Ok(value) = &decoded {
        let encoded = match Variables::new().with("v", value) {
            Ok(encoded) => encoded,
            Err(e) => panic!("a JSON value encodes: {e}"),
        };
        let Some(json) = encoded.get("v") else {
            panic!("the variable is there");
        };
        assert_eq!(
            task_variable("v", json).decode::<Value>().ok().as_ref(),
            Some(value)
        );

        let fields = Variables::from_serialize(value);
        match value {
            Value::Object(object) => {
                let Ok(fields) = fields else {
                    panic!("an object makes variables: {fields:?}");
                };
                assert_eq!(fields.len(), object.len());
                for (name, json) in fields.iter() {
                    let back = task_variable(name, json).decode::<Value>().ok();
                    assert_eq!(back.as_ref(), object.get(name), "{name}");
                }
            }
            _ => assert!(matches!(fields, Err(Error::InvalidArgument(_)))),
        }
    }

    // 3. The text as a string variable: exact, through the wire form too.
    let Ok(encoded) = Variables::new().with("s", text) else {
        panic!("a string encodes");
    };
    let Some(json) = encoded.get("s") else {
        panic!("the variable is there");
    };
    let back = task_variable("s", json).decode::<String>();
    assert_eq!(back.ok().as_deref(), Some(text));
    let wire = match serde_json::to_vec(&encoded.into_inputs()) {
        Ok(wire) => wire,
        Err(e) => panic!("the inputs serialise: {e}"),
    };
    let inputs: Vec<VariableInput> = match serde_json::from_slice(&wire) {
        Ok(inputs) => inputs,
        Err(e) => panic!("the inputs read back: {e}"),
    };
    let [input] = inputs.as_slice() else {
        panic!("one input: {inputs:?}");
    };
    assert_eq!(input.name.as_deref(), Some("s"));
    let Some(value) = input.value.as_deref() else {
        panic!("the input has its value");
    };
    assert_eq!(
        serde_json::from_str::<String>(value).ok().as_deref(),
        Some(text)
    );
});
