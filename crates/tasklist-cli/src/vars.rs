//! Variables from the command line: `--var name=JSON`, `--var-str name=text`, `--vars-file`.
//!
//! Values stay exact JSON text: a `--var` value is checked to be JSON and sent as written, so
//! `--var id=18446744073709551617` keeps every digit.

use std::io::Read as _;
use std::path::Path;

use serde_json::value::RawValue;
use tasklist_api::Variables;

use crate::cli::VarArgs;
use crate::error::CliError;

/// Splits `NAME=VALUE`, as given to `flag`.
pub(crate) fn split_assignment<'a>(
    text: &'a str,
    flag: &str,
) -> Result<(&'a str, &'a str), CliError> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim(), value)),
        Some(_) => Err(
            CliError::usage(format!("{flag} {text}: the variable name is empty"))
                .hint(format!("write {flag} NAME=VALUE")),
        ),
        None => Err(
            CliError::usage(format!("{flag} {text}: expected NAME=VALUE"))
                .hint(format!("write {flag} NAME=VALUE")),
        ),
    }
}

/// Parses `value` as JSON text for `flag NAME=VALUE`; a value that is not JSON is an error
/// that points at the string form of the flag.
pub(crate) fn json_value(
    name: &str,
    value: &str,
    flag: &str,
    string_flag: &str,
) -> Result<Box<RawValue>, CliError> {
    RawValue::from_string(value.trim().to_owned()).map_err(|e| {
        CliError::usage(format!(
            "{flag} {name}={value}: the value is not valid JSON ({e})"
        ))
        .hint(format!(
            "quote a string as JSON ({flag} '{name}=\"{value}\"') or pass it as text with \
             {string_flag} {name}={value}"
        ))
    })
}

/// Reads the variables of `args`: the file first, then `--var` and `--var-str`, which
/// override its entries. A name given twice on the command line is an error.
pub(crate) fn parse(args: &VarArgs) -> Result<Variables, CliError> {
    let mut variables = match &args.vars_file {
        Some(path) => from_file(path)?,
        None => Variables::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    let mut first_time = |name: &str| -> Result<(), CliError> {
        if seen.iter().any(|s| s == name) {
            return Err(
                CliError::usage(format!("variable `{name}` is given more than once"))
                    .hint("give each variable once"),
            );
        }
        seen.push(name.to_owned());
        Ok(())
    };
    for text in &args.var {
        let (name, value) = split_assignment(text, "--var")?;
        first_time(name)?;
        let raw = json_value(name, value, "--var", "--var-str")?;
        variables.insert(name, &raw).map_err(invalid)?;
    }
    for text in &args.var_str {
        let (name, value) = split_assignment(text, "--var-str")?;
        first_time(name)?;
        variables.insert(name, value).map_err(invalid)?;
    }
    Ok(variables)
}

fn invalid(error: tasklist_api::Error) -> CliError {
    CliError::usage(error.to_string()).source(error)
}

/// Reads a JSON object of variables from `path` (`-`: stdin).
fn from_file(path: &Path) -> Result<Variables, CliError> {
    let shown = path.display();
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::usage(format!("cannot read variables from stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read the vars file {shown}: {e}")))?
    };
    let raw = RawValue::from_string(text).map_err(|e| {
        CliError::usage(format!("the vars file {shown} is not valid JSON: {e}"))
            .hint("it must hold one JSON object: {\"name\": value, …}")
    })?;
    if !raw.get().trim_start().starts_with('{') {
        return Err(
            CliError::usage(format!("the vars file {shown} does not hold a JSON object"))
                .hint("it must hold one JSON object: {\"name\": value, …}"),
        );
    }
    Variables::from_serialize(&raw).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(var: &[&str], var_str: &[&str]) -> VarArgs {
        VarArgs {
            var: var.iter().map(|s| (*s).to_owned()).collect(),
            var_str: var_str.iter().map(|s| (*s).to_owned()).collect(),
            vars_file: None,
        }
    }

    fn entries(v: &Variables) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn json_and_string_values() {
        let v = parse(&args(
            &["a=1", "b=\"x\"", "c={\"k\": [1, 2]}"],
            &["d=plain text"],
        ))
        .unwrap();
        assert_eq!(
            entries(&v),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "\"x\"".to_owned()),
                ("c".to_owned(), "{\"k\": [1, 2]}".to_owned()),
                ("d".to_owned(), "\"plain text\"".to_owned()),
            ]
        );
    }

    #[test]
    fn big_numbers_keep_their_digits() {
        let v = parse(&args(
            &["id=18446744073709551617", "f=0.1000000000000000055"],
            &[],
        ))
        .unwrap();
        assert_eq!(v.get("id"), Some("18446744073709551617"));
        assert_eq!(v.get("f"), Some("0.1000000000000000055"));
    }

    #[test]
    fn values_may_hold_equals_signs_and_strings_are_escaped() {
        let v = parse(&args(&["q=\"a=b\""], &["note=x=\"y\"\n"])).unwrap();
        assert_eq!(v.get("q"), Some("\"a=b\""));
        assert_eq!(v.get("note"), Some(r#""x=\"y\"\n""#));
    }

    #[test]
    fn a_value_that_is_not_json_points_at_var_str() {
        let err = parse(&args(&["b=plain"], &[])).unwrap_err();
        assert_eq!(err.exit(), crate::exit::Exit::Usage);
        let line = err.line();
        assert!(line.contains("--var b=plain"), "{line}");
        assert!(line.contains("--var-str b=plain"), "{line}");
    }

    #[test]
    fn malformed_assignments_and_duplicates_are_refused() {
        for bad in [&["novalue"][..], &["=1"], &["a=1", "a=2"]] {
            assert!(parse(&args(bad, &[])).is_err(), "{bad:?}");
        }
        assert!(parse(&args(&["a=1"], &["a=x"])).is_err());
        assert!(parse(&args(&["empty="], &[])).is_err(), "empty is not JSON");
        let v = parse(&args(&[], &["empty="])).unwrap();
        assert_eq!(v.get("empty"), Some("\"\""));
    }

    #[test]
    fn the_file_comes_first_and_flags_override_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vars.json");
        std::fs::write(
            &path,
            r#"{"amount": 12.50, "region": "EMEA", "big": 123456789012345678901234567890}"#,
        )
        .unwrap();
        let mut a = args(&["amount=99"], &["extra=yes"]);
        a.vars_file = Some(path.clone());
        let v = parse(&a).unwrap();
        assert_eq!(
            entries(&v),
            [
                ("amount".to_owned(), "99".to_owned()),
                ("region".to_owned(), "\"EMEA\"".to_owned()),
                (
                    "big".to_owned(),
                    "123456789012345678901234567890".to_owned()
                ),
                ("extra".to_owned(), "\"yes\"".to_owned()),
            ]
        );

        for bad in ["[1, 2]", "not json", "\"text\""] {
            std::fs::write(&path, bad).unwrap();
            let mut a = args(&[], &[]);
            a.vars_file = Some(path.clone());
            let err = parse(&a).unwrap_err();
            assert_eq!(err.exit(), crate::exit::Exit::Usage, "{bad}");
        }
        let mut a = args(&[], &[]);
        a.vars_file = Some(dir.path().join("missing.json"));
        assert!(parse(&a).unwrap_err().line().contains("missing.json"));
    }
}
