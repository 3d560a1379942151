//! Every Rust example of the documentation is a doc test: each Markdown page of the root, of
//! `docs/` and of each crate that holds a Rust code block is included as the docs of some
//! item (`#[doc = include_str!(..)]`, a crate's `#![doc = include_str!("../README.md")]`), so
//! `cargo test --doc` compiles its examples and runs them. No Rust block is `ignore`d, and none
//! names `http` or `bytes` as a crate of its own: a user of `tasklist-transport` reaches them
//! as `tasklist_transport::http` and `tasklist_transport::Bytes` (`tasklist-auth` re-exports
//! them too), without adding either.
//!
//! A block is Rust as rustdoc decides: its info string says `rust`, or names no other
//! language (an untagged block is Rust).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The files of `dir` whose names end with `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.to_string_lossy().ends_with(suffix))
        .collect();
    found.sort();
    found
}

/// The subdirectories of `dir`, sorted.
fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    found.sort();
    found
}

/// The documentation pages: the root's, `docs/`'s and each crate's Markdown files.
fn pages() -> Vec<PathBuf> {
    let root = root();
    let mut pages = files(&root, ".md");
    pages.extend(files(&root.join("docs"), ".md"));
    for krate in dirs(&root.join("crates")) {
        pages.extend(files(&krate, ".md"));
    }
    pages
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, into: &mut Vec<PathBuf>) {
    into.extend(files(dir, ".rs"));
    for sub in dirs(dir) {
        sources(&sub, into);
    }
}

/// A fenced code block: where it starts, its info string and its lines.
#[derive(Debug)]
struct Block {
    line: usize,
    info: String,
    code: Vec<String>,
}

impl Block {
    /// The words of the info string (`rust,no_run` → `rust`, `no_run`).
    fn words(&self) -> Vec<&str> {
        self.info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Whether rustdoc takes it for Rust: `rust` among its words, or no word that is not one
    /// of rustdoc's own.
    fn is_rust(&self) -> bool {
        let rustdoc_word = |w: &str| {
            matches!(
                w,
                "rust"
                    | "ignore"
                    | "should_panic"
                    | "no_run"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || w.starts_with("ignore-")
                || w.starts_with("edition")
                || (w.len() == 5
                    && w.starts_with('E')
                    && w[1..].bytes().all(|b| b.is_ascii_digit()))
        };
        let words = self.words();
        words.contains(&"rust") || words.iter().all(|w| rustdoc_word(w))
    }

    /// Whether rustdoc leaves it untested.
    fn is_ignored(&self) -> bool {
        self.words()
            .iter()
            .any(|w| *w == "ignore" || w.starts_with("ignore-"))
    }
}

/// The fenced code blocks of a Markdown text (fences of backticks or tildes, indented or not).
fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence = fence.len() >= 3 && fence.chars().all(|c| c == fence.as_bytes()[0] as char);
        match &mut open {
            Some((opened, block)) => {
                if is_fence && fence.starts_with(opened.as_str()) && trimmed.trim() == fence {
                    found.push(open.take().unwrap().1);
                } else {
                    block.code.push(line.to_owned());
                }
            }
            None if is_fence => {
                let info = trimmed[fence.len()..].trim().to_owned();
                open = Some((
                    fence,
                    Block {
                        line: index + 1,
                        info,
                        code: Vec::new(),
                    },
                ));
            }
            None => {}
        }
    }
    if let Some((_, block)) = open {
        panic!("the code block of line {} is never closed", block.line);
    }
    found
}

/// The Markdown files that some item's docs include: `doc = include_str!("…")` in any source
/// file of a crate's `src/` or of `tests/src/` (crate docs included), the path taken from the
/// file's folder.
fn included_pages() -> BTreeSet<PathBuf> {
    let root = root();
    let mut rust = Vec::new();
    for krate in dirs(&root.join("crates")) {
        sources(&krate.join("src"), &mut rust);
    }
    sources(&root.join("tests/src"), &mut rust);
    let mut included = BTreeSet::new();
    for file in rust {
        let text = std::fs::read_to_string(&file).unwrap();
        // Attributes only: not a comment that mentions one.
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for piece in code.split("doc = include_str!(\"").skip(1) {
            let path = piece.split('"').next().unwrap();
            let page = file.parent().unwrap().join(path);
            included.insert(
                page.canonicalize()
                    .unwrap_or_else(|e| panic!("{}: {path}: {e}", file.display())),
            );
        }
    }
    included
}

/// `page`'s path from the root, for messages.
fn shown(page: &Path) -> String {
    page.strip_prefix(root())
        .unwrap_or(page)
        .display()
        .to_string()
}

#[test]
fn every_page_with_rust_is_a_doc_test_and_no_rust_block_is_ignored() {
    let included = included_pages();
    let mut rust_pages = 0;
    let mut rust_blocks = 0;
    let mut problems = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let rust: Vec<Block> = blocks(&text).into_iter().filter(Block::is_rust).collect();
        if rust.is_empty() {
            continue;
        }
        rust_pages += 1;
        rust_blocks += rust.len();
        if !included.contains(&page.canonicalize().unwrap()) {
            problems.push(format!(
                "{}: {} Rust block(s), but no `#[doc = include_str!(..)]` includes the page",
                shown(&page),
                rust.len()
            ));
        }
        for block in rust.iter().filter(|b| b.is_ignored()) {
            problems.push(format!(
                "{}:{}: ```{} is not tested; make it compile (`no_run` when it needs a real server)",
                shown(&page),
                block.line,
                block.info
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The pages known to hold Rust today: the root README, docs/api.md, auth.md, testing.md,
    // transport.md and the READMEs of api, auth, testkit and transport.
    assert!(rust_pages >= 9, "{rust_pages} pages with Rust");
    assert!(rust_blocks >= 22, "{rust_blocks} Rust blocks");
}

/// The places in `code` where `krate::` starts a path (not after `::` or part of a longer
/// name).
fn crate_paths(code: &str, krate: &str) -> usize {
    let needle = format!("{krate}::");
    code.match_indices(&needle)
        .filter(|(at, _)| {
            code[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
        })
        .count()
}

/// Whether `code` imports `http` from one of the workspace's crates, which re-export it
/// (`use tasklist_transport::http;`, or `http` in the braces of a `use tasklist_auth::{..}`
/// over one or more lines).
fn imports_http_from_the_workspace(code: &str) -> bool {
    code.split("use tasklist_").skip(1).any(|rest| {
        let statement = rest.split(';').next().unwrap_or_default();
        // `http` as a path's last segment: `transport::http`, or alone in braces.
        statement
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .any(|word| word.rsplit("::").next() == Some("http"))
    })
}

#[test]
fn no_rust_block_names_http_or_bytes_as_a_dependency() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for block in blocks(&text).into_iter().filter(Block::is_rust) {
            checked += 1;
            // Hidden lines (`# code`) are code too.
            let code = block.code.join("\n");
            if crate_paths(&code, "bytes") > 0 {
                problems.push(format!(
                    "{}:{}: `bytes::`: use `tasklist_transport::Bytes`",
                    shown(&page),
                    block.line
                ));
            }
            if crate_paths(&code, "http") > 0 && !imports_http_from_the_workspace(&code) {
                problems.push(format!(
                    "{}:{}: `http::` without `use tasklist_transport::http` (or another crate's re-export)",
                    shown(&page),
                    block.line
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // As many as `every_page_with_rust_is_a_doc_test_and_no_rust_block_is_ignored` counts.
    assert!(checked >= 22, "{checked} Rust blocks");
}

/// The dependency names of a `Cargo.toml`'s `[dependencies]` and `[dev-dependencies]`.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_dependencies = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]" || line == "[dev-dependencies]";
        } else if in_dependencies && !line.is_empty() && !line.starts_with('#') {
            let name = line.split(['.', '=', ' ']).next().unwrap_or_default();
            names.push(name.to_owned());
        }
    }
    names
}

/// The doc tests of the root README and of `docs/` are this crate's: they prove that an
/// example compiles without `http` or `bytes` as dependencies only while this crate has
/// neither.
#[test]
fn the_crate_of_the_guides_doc_tests_does_not_depend_on_http_or_bytes() {
    let manifest = std::fs::read_to_string(root().join("tests/Cargo.toml")).unwrap();
    let names = dependencies(&manifest);
    assert!(names.iter().any(|n| n == "tasklist-transport"), "{names:?}");
    for krate in ["http", "bytes"] {
        assert!(!names.iter().any(|n| n == krate), "{krate} in {names:?}");
    }
    let lib = std::fs::read_to_string(root().join("tests/src/lib.rs")).unwrap();
    for page in [
        "README.md",
        "docs/api.md",
        "docs/auth.md",
        "docs/transport.md",
    ] {
        assert!(
            lib.contains(&format!("#[doc = include_str!(\"../../{page}\")]")),
            "{page} is not a doc test of tests/src/lib.rs"
        );
    }
}

#[test]
fn the_block_reader_sees_what_rustdoc_sees() {
    let text = "\
```rust,no_run
let a = 1;
```

```text
not rust
```

```
untagged: rust
```

- a list
  ```ignore
  indented
  ```

````md
```rust
inside a longer fence
```
````
";
    let found = blocks(text);
    let summary: Vec<(usize, &str, bool, bool)> = found
        .iter()
        .map(|b| (b.line, b.info.as_str(), b.is_rust(), b.is_ignored()))
        .collect();
    assert_eq!(
        summary,
        [
            (1, "rust,no_run", true, false),
            (5, "text", false, false),
            (9, "", true, false),
            (14, "ignore", true, true),
            (18, "md", false, false),
        ]
    );
    assert_eq!(found[4].code, ["```rust", "inside a longer fence", "```"]);

    assert_eq!(crate_paths("http::Request::get(u)", "http"), 1);
    assert_eq!(crate_paths("tasklist_transport::http::Request", "http"), 0);
    assert_eq!(crate_paths("(axum::http::header::X, xhttp::a)", "http"), 0);
    assert_eq!(crate_paths("let u = \"http://x\";", "http"), 0);
    assert!(imports_http_from_the_workspace(
        "use tasklist_transport::{\n    Bytes,\n    http,\n};"
    ));
    assert!(imports_http_from_the_workspace(
        "use tasklist_auth::{Bytes, http};"
    ));
    assert!(imports_http_from_the_workspace(
        "use tasklist_transport::http;\nlet r = http::Request::get(u);"
    ));
    assert!(!imports_http_from_the_workspace(
        "use tasklist_transport::http_client;"
    ));
    assert!(!imports_http_from_the_workspace(
        "use tasklist_auth::HttpTransport;"
    ));
    assert!(!imports_http_from_the_workspace(
        "use tasklist_transport::HttpTransport;\nuse http::Request;"
    ));
    assert_eq!(
        dependencies(
            "[dependencies]\na.workspace = true\n# c\n[dev-dependencies]\nb = \"1\"\n[lints]\nx = 1"
        ),
        ["a", "b"]
    );
}
