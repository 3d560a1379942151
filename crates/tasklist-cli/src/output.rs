//! Everything the tool writes: tables, JSON documents, JSON lines, progress and errors.
//!
//! Results go to stdout; errors, prompts and progress to stderr. Colours only on a terminal,
//! and never with `NO_COLOR` set (to anything but the empty string) or `TERM=dumb`.
//!
//! Text from the server reaches a terminal only through [`escape_controls`]: table cells,
//! lines of text, notes and the `error:` and `caused by:` lines show control characters as
//! escapes, so that a task name or an error message cannot move the cursor, set the window
//! title, write the clipboard or reorder what is shown. JSON output keeps every string exact,
//! with the same characters escaped as JSON `\uXXXX` escapes (see [`JsonFormatter`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal as _, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

/// The narrowest terminal a table is fitted to; below it, lines run on as they are.
const MIN_FIT_WIDTH: u16 = 40;

/// The width tables are fitted to: `COLUMNS` when set to a usable number (as shells export it,
/// and as tests set it), else the terminal's when stdout is one; `None` (lines as long as
/// they are) when neither is known or the width is below [`MIN_FIT_WIDTH`] (some
/// pseudo-terminals and serial consoles report 0 columns).
fn fit_width() -> Option<u16> {
    let from_env = std::env::var(environment::COLUMNS)
        .ok()
        .and_then(|columns| columns.trim().parse::<u16>().ok());
    // A table not forced off the terminal reports the terminal's width, if stdout is one.
    from_env
        .or_else(|| Table::new().width())
        .filter(|width| *width >= MIN_FIT_WIDTH)
}

/// A rendered table without the spaces that pad its lines' ends (also where colour codes
/// follow them: the codes are kept).
fn trimmed(table: &Table) -> String {
    let text = table.to_string();
    let lines: Vec<String> = text.lines().map(trim_line_end).collect();
    lines.join("\n")
}

/// `line` without its trailing spaces, the `ESC [ … m` colour codes among them kept.
fn trim_line_end(line: &str) -> String {
    let mut end = line.len();
    let mut codes = Vec::new();
    loop {
        let rest = &line[..end];
        if let Some(stripped) = rest.strip_suffix(' ') {
            end = stripped.len();
        } else if rest.ends_with('m')
            && let Some(start) = rest.rfind("\u{1b}[")
            && rest[start + 2..rest.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ';')
        {
            codes.push(&rest[start..]);
            end = start;
        } else {
            break;
        }
    }
    let mut trimmed = line[..end].to_owned();
    trimmed.extend(codes.into_iter().rev());
    trimmed
}
use serde::{Deserializer as _, Serialize};
use serde_json::Value;

use crate::cli::Format;
use crate::environment;
use crate::error::CliError;

/// Whether colours are allowed at all (`NO_COLOR`, `TERM=dumb`).
fn colours_allowed() -> bool {
    let no_color = std::env::var_os(environment::NO_COLOR).is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os(environment::TERM).is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

/// Where and how results are written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Output {
    format: Format,
    color: bool,
}

impl Output {
    /// Writes in `format`, with colours when stdout is a terminal that allows them.
    pub(crate) fn new(format: Format) -> Self {
        Output {
            format,
            color: colours_allowed() && io::stdout().is_terminal(),
        }
    }

    /// The format.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Writes one record: a two-column table of its fields, a JSON document, or one line.
    pub(crate) fn record<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        match self.format {
            Format::Table => self.fields(&ordered(value)?),
            Format::Json => write_json(value, true),
            Format::Jsonl => write_json(value, false),
        }
    }

    /// Writes a JSON document in any format but jsonl (one line); for results that are JSON
    /// by nature (GraphQL data, a form's schema).
    pub(crate) fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        write_json(value, self.format != Format::Jsonl)
    }

    /// Writes a line of text (table format only; scripts get the records), its control
    /// characters escaped but for line breaks.
    pub(crate) fn text(&self, line: &str) -> Result<(), CliError> {
        let mut out = io::stdout();
        writeln!(out, "{}", escape_lines(line))?;
        out.flush()?;
        Ok(())
    }

    /// Writes the fields of a record as a two-column table, in the record's order.
    fn fields(&self, fields: &Fields) -> Result<(), CliError> {
        let mut table = self.table_with(None);
        match fields {
            Fields::Object(entries) => {
                for (key, value) in entries {
                    if value.is_null() {
                        continue;
                    }
                    table.add_row(vec![self.key_cell(key), cell(&cell_text(value))]);
                }
            }
            Fields::Other(other) => {
                table.add_row(vec![cell(&cell_text(other))]);
            }
        }
        pad(&mut table);
        writeln!(io::stdout(), "{}", trimmed(&table))?;
        Ok(())
    }

    /// Starts a list of records with these table columns.
    pub(crate) fn list(&self, headers: &'static [&'static str]) -> List {
        List {
            output: *self,
            headers,
            rows: Vec::new(),
            count: 0,
        }
    }

    fn key_cell(&self, key: &str) -> Cell {
        let cell = cell(key);
        if self.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }

    fn table_with(&self, headers: Option<&[&str]>) -> Table {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        // A record's long values wrap inside their cell; a list's rows are cut to one line
        // (see `List::finish`).
        match fit_width() {
            Some(width) => {
                table.set_width(width);
                table.set_content_arrangement(ContentArrangement::Dynamic);
                table.set_truncation_indicator("…");
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        if let Some(headers) = headers {
            table.set_header(headers.iter().map(|h| self.key_cell(h)));
            // Ids are copied from the table: never cut or wrap them. Other columns keep at
            // least their header's width, so that headers stay whole.
            for (index, header) in headers.iter().enumerate() {
                let Some(column) = table.column_mut(index) else {
                    continue;
                };
                if header.eq_ignore_ascii_case("id") {
                    column.set_constraint(ColumnConstraint::ContentWidth);
                } else {
                    let width = u16::try_from(header.chars().count()).unwrap_or(u16::MAX);
                    column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
                }
            }
        }
        table
    }

    /// A cell for a task state, coloured on a terminal.
    pub(crate) fn state_cell(&self, state: &str) -> Cell {
        let cell = cell(state);
        if !self.color {
            return cell;
        }
        match state {
            "CREATED" => cell.fg(Color::Green),
            "COMPLETED" => cell.fg(Color::Blue),
            "CANCELED" | "FAILED" => cell.fg(Color::Red),
            _ => cell,
        }
    }
}

/// A list of records, written as they come (JSON, JSON lines) or as one table at the end.
pub(crate) struct List {
    output: Output,
    headers: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
    count: usize,
}

impl List {
    /// Adds a record; `row` gives its table cells.
    pub(crate) fn push<T: Serialize>(
        &mut self,
        item: &T,
        row: impl FnOnce(&Output, &T) -> Vec<Cell>,
    ) -> Result<(), CliError> {
        let mut out = io::stdout();
        match self.output.format {
            Format::Table => self.rows.push(row(&self.output, item)),
            Format::Json => {
                let text = to_json(item, true)?;
                let indented = text.replace('\n', "\n  ");
                let lead = if self.count == 0 { "[\n  " } else { ",\n  " };
                write!(out, "{lead}{indented}")?;
            }
            Format::Jsonl => {
                let text = to_json(item, false)?;
                writeln!(out, "{text}")?;
                out.flush()?;
            }
        }
        self.count += 1;
        Ok(())
    }

    /// How many records were added.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Ends the list: the table, or the end of the JSON array. `empty` is the table's text
    /// when there is nothing to show.
    pub(crate) fn finish(self, empty: &str) -> Result<(), CliError> {
        let mut out = io::stdout();
        match self.output.format {
            Format::Table if self.rows.is_empty() => writeln!(out, "{empty}")?,
            Format::Table => {
                let (headers, rows) = match fit_width() {
                    Some(width) => fit_rows(self.headers, self.rows, width),
                    None => (
                        self.headers.iter().map(|h| (*h).to_owned()).collect(),
                        self.rows,
                    ),
                };
                let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
                let mut table = self.output.table_with(Some(&headers));
                table.set_content_arrangement(ContentArrangement::Disabled);
                for row in rows {
                    table.add_row(row);
                }
                pad(&mut table);
                writeln!(out, "{}", trimmed(&table))?;
            }
            Format::Json if self.count == 0 => writeln!(out, "[]")?,
            Format::Json => writeln!(out, "\n]")?,
            Format::Jsonl => {}
        }
        out.flush()?;
        Ok(())
    }
}

fn encode_error(error: serde_json::Error) -> CliError {
    CliError::new(
        crate::exit::Exit::Failure,
        format!("cannot encode the output as JSON: {error}"),
    )
}

/// The widths a column shrinks to before any shrinks further: enough for a date or a state.
const SOFT_MIN_WIDTH: usize = 11;

/// The narrowest a column gets, its header cut too, when the headers alone are too wide.
const HARD_MIN_WIDTH: usize = 4;

/// A list's headers and rows fitted to `width` columns: one line per record, wide columns cut
/// with `…` (the widest first, to [`SOFT_MIN_WIDTH`], then to their header's width, then to
/// [`HARD_MIN_WIDTH`]). An `ID` column is never cut: ids are copied from tables.
fn fit_rows(headers: &[&str], rows: Vec<Vec<Cell>>, width: u16) -> (Vec<String>, Vec<Vec<Cell>>) {
    let chars = |text: &str| text.chars().count();
    let mut widths: Vec<usize> = headers.iter().map(|h| chars(h)).collect();
    // No column is wider than the screen: a server's huge value costs one pass to measure,
    // not a shrinking step per character over the width.
    let screen = usize::from(width);
    for row in &rows {
        for (index, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(index) {
                *w = (*w).max(chars(&cell.content()).min(screen));
            }
        }
    }
    let padding = 2 * widths.len().saturating_sub(1);
    let target = usize::from(width).saturating_sub(padding);
    let fixed = |index: usize| {
        headers
            .get(index)
            .is_some_and(|h| h.eq_ignore_ascii_case("id"))
    };
    for floor in [
        |header: usize| header.max(SOFT_MIN_WIDTH),
        |header: usize| header,
        |header: usize| header.min(HARD_MIN_WIDTH),
    ] {
        while widths.iter().sum::<usize>() > target {
            let widest = widths
                .iter()
                .enumerate()
                .filter(|(index, w)| {
                    !fixed(*index) && **w > floor(headers.get(*index).map_or(0, |h| chars(h)))
                })
                .max_by_key(|(_, w)| **w)
                .map(|(index, _)| index);
            let Some(index) = widest else { break };
            widths[index] -= 1;
        }
    }
    let headers = headers
        .iter()
        .zip(&widths)
        .map(|(header, &w)| shorten(header, w))
        .collect();
    let rows = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(index, original)| {
                    let content = original.content();
                    match widths.get(index) {
                        Some(&w) if chars(&content) > w => cell(&shorten(&content, w)),
                        _ => original,
                    }
                })
                .collect()
        })
        .collect();
    (headers, rows)
}

/// Two spaces between columns, none at the edges.
fn pad(table: &mut Table) {
    let last = table.column_count().saturating_sub(1);
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if index == last { 0 } else { 2 }));
    }
}

/// A record's top-level fields in the order it serialises them (`serde_json`'s own map is
/// sorted).
enum Fields {
    Object(Vec<(String, Value)>),
    Other(Value),
}

/// Reads a JSON object's entries in order.
struct EntriesVisitor;

impl<'de> serde::de::Visitor<'de> for EntriesVisitor {
    type Value = Vec<(String, Value)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

fn ordered<T: Serialize + ?Sized>(value: &T) -> Result<Fields, CliError> {
    let text = serde_json::to_string(value).map_err(encode_error)?;
    if text.starts_with('{') {
        let mut reader = serde_json::Deserializer::from_str(&text);
        let entries = reader
            .deserialize_map(EntriesVisitor)
            .map_err(encode_error)?;
        return Ok(Fields::Object(entries));
    }
    serde_json::from_str(&text)
        .map(Fields::Other)
        .map_err(encode_error)
}

fn write_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<(), CliError> {
    let text = to_json(value, pretty)?;
    let mut out = io::stdout();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// `value` as JSON text, pretty (two-space indents) or compact, with the characters that
/// [`escape_controls`] escapes written as `\uXXXX` escapes.
fn to_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, CliError> {
    let mut text = Vec::new();
    let written = if pretty {
        let formatter = JsonFormatter(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut text, formatter,
        ))
    } else {
        let formatter = JsonFormatter(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut text, formatter,
        ))
    };
    written.map_err(encode_error)?;
    String::from_utf8(text).map_err(|e| {
        CliError::new(
            crate::exit::Exit::Failure,
            format!("cannot encode the output as JSON: {e}"),
        )
    })
}

/// A `serde_json` formatter that writes DEL, the C1 controls and the bidirectional controls
/// inside strings as `\uXXXX` escapes; `serde_json` escapes the C0 controls itself and writes
/// these as they are. The strings read back exactly the same.
struct JsonFormatter<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for JsonFormatter<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // The layout is the inner formatter's.
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Whether [`escape_controls`] escapes `c`: every control character (C0, DEL, C1) and the
/// Unicode bidirectional controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with its control characters shown as escapes, the way a Rust string literal writes
/// them: `\0`, `\t`, `\n`, `\r`; the other C0 controls and DEL as `\xNN` (ESC is `\x1b`, BEL
/// `\x07`); C1 controls and the bidirectional controls as `\u{NN}` (`\u{9b}`, `\u{202e}`).
/// Borrowed when there is nothing to escape. Backslashes are left as they are: this is for
/// showing text, not for reading it back.
///
/// Every piece of human output that may hold the server's text goes through it.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_escaped) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii() && is_escaped(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_escaped(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape_controls`] for text of several lines: each line escaped, the line breaks kept.
fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.contains(|c| c != '\n' && is_escaped(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape_controls).collect();
    Cow::Owned(lines.join("\n"))
}

/// A table cell showing `text`, its control characters escaped. The only way the tool makes
/// a cell, so that no cell shows the server's text raw.
pub(crate) fn cell(text: &str) -> Cell {
    #[allow(clippy::disallowed_methods, reason = "the one place cells are made")]
    Cell::new(escape_controls(text))
}

/// A JSON value as table text: strings as they are, lists of scalars comma-separated,
/// anything else as compact JSON.
pub(crate) fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            items.iter().map(cell_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A spinner on stderr counting what `--all` fetched; shown only when stderr is a terminal.
pub(crate) struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A spinner when `wanted` and stderr is a terminal; otherwise nothing.
    pub(crate) fn new(wanted: bool) -> Self {
        if !wanted || !io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// Shows the counts.
    pub(crate) fn update(&self, tasks: usize, pages: usize) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{tasks} tasks from {pages} page{}",
                if pages == 1 { "" } else { "s" }
            ));
        }
    }

    /// Removes the spinner.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Writes `error: …` (and, with `verbose`, the cause chain) to stderr, then `help: ` and the
/// troubleshooting page's section for the exit code.
pub(crate) fn report(error: &CliError, verbose: bool) {
    let mut err = io::stderr().lock();
    let style = if colours_allowed() && io::stderr().is_terminal() {
        Style::new().bold().fg_color(Some(AnsiColor::Red.into()))
    } else {
        Style::new()
    };
    // Nothing else could report a failure to write to stderr.
    let _ = writeln!(
        err,
        "{style}error:{style:#} {}",
        escape_controls(&error.line())
    );
    if verbose {
        for cause in error.causes() {
            let _ = writeln!(err, "  caused by: {}", escape_controls(&cause));
        }
    }
    if let Some(page) = error.exit().troubleshooting() {
        let _ = writeln!(err, "help: {page}");
    }
}

/// Standard error for log lines: each write's control characters are shown escaped, but for
/// line breaks (a log field may hold the server's text).
pub(crate) struct LogLines;

impl Write for LogLines {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stderr()
            .lock()
            .write_all(escape_lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Writes a note to stderr (for things that are not results), its control characters escaped
/// but for line breaks.
pub(crate) fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", escape_lines(text));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn controls_are_escaped_as_a_rust_literal_writes_them() {
        assert!(matches!(
            escape_controls("plain text, é ü 日本"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(escape_controls(""), Cow::Borrowed(_)));
        let cases = [
            ("a\u{1b}[31mred", "a\\x1b[31mred"),
            ("\u{1b}]52;c;aGk=\u{7}", "\\x1b]52;c;aGk=\\x07"),
            ("nul\u{0}", "nul\\0"),
            ("\t\n\r", "\\t\\n\\r"),
            ("\u{8}\u{1f}\u{7f}", "\\x08\\x1f\\x7f"),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("\u{80}\u{85}\u{9f}", "\\u{80}\\u{85}\\u{9f}"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            (
                "\u{200e}\u{200f}\u{202a}\u{202d}\u{2066}\u{2069}",
                "\\u{200e}\\u{200f}\\u{202a}\\u{202d}\\u{2066}\\u{2069}",
            ),
            (
                "back\\slash \u{a0}nbsp \u{200b}zwsp",
                "back\\slash \u{a0}nbsp \u{200b}zwsp",
            ),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape_controls(raw), shown, "{raw:?}");
            assert!(!escape_controls(raw).contains(is_escaped), "{raw:?}");
        }
        // Every control character of every plane is escaped.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let shown = escape_controls(c.encode_utf8(&mut [0; 4])).into_owned();
            assert!(!shown.contains(is_escaped), "{c:?}");
            assert_eq!(shown.len() > c.len_utf8(), is_escaped(c), "{c:?}");
        }
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert!(matches!(escape_lines("one\ntwo\n"), Cow::Borrowed(_)));
        assert_eq!(escape_lines("one\u{7}\ntwo\u{1b}"), "one\\x07\ntwo\\x1b");
    }

    #[test]
    fn json_stays_exact_with_the_dangerous_characters_escaped() {
        let name = "a\u{1b}]0;x\u{7}b\u{0}c\u{7f}d\u{9b}e\u{202e}f\u{2069}g é";
        let value = json!({ "name": name, name: [name] });
        for pretty in [false, true] {
            let text = to_json(&value, pretty).unwrap();
            assert!(!text.contains(|c| c != '\n' && is_escaped(c)), "{text}");
            assert!(
                text.contains("\\u001b") && text.contains("\\u009b") && text.contains("\\u202e"),
                "{text}"
            );
            assert!(
                text.contains("\\u007f") && text.contains("\\u2069") && text.contains('é'),
                "{text}"
            );
            let back: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
        assert_eq!(
            to_json(&json!({"a": [1, "x"]}), true).unwrap(),
            serde_json::to_string_pretty(&json!({"a": [1, "x"]})).unwrap()
        );
        assert_eq!(
            to_json(&json!({"a": [1, "x"]}), false).unwrap(),
            r#"{"a":[1,"x"]}"#
        );
    }

    #[test]
    fn cells_read_well() {
        assert_eq!(cell_text(&json!("x")), "x");
        assert_eq!(cell_text(&json!(["a", "b"])), "a, b");
        assert_eq!(cell_text(&json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(cell_text(&json!(null)), "");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
