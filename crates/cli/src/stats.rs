//! Runtime statistics (`lunatik list -v`, `status -v`, `--json`): the rows `chunk::stats`
//! returns, printed as a table or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One runtime's fields, by name (`entries.<kind>` for entry counts).
#[derive(Debug, Default, PartialEq)]
pub struct Row {
    pub fields: BTreeMap<String, String>,
}

impl Row {
    fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", String::as_str)
    }

    fn number(&self, key: &str) -> u64 {
        self.get(key).parse().unwrap_or(0)
    }

    /// Entry counts, by kind, without the zeros.
    fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("entries.")?, v.as_str())))
            .filter(|(_, v)| *v != "0")
    }
}

/// Parses the reply of `chunk::stats`: a line per runtime, tab-separated `key=value`.
pub fn parse(reply: &[u8]) -> Vec<Row> {
    String::from_utf8_lossy(reply)
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| Row {
            fields: line
                .split('\t')
                .filter_map(|f| f.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        })
        .collect()
}

/// Bytes as `12.3K`, `4.0M`.
fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n}"),
        1024..1_048_576 => format!("{:.1}K", n as f64 / 1024.0),
        _ => format!("{:.1}M", n as f64 / 1_048_576.0),
    }
}

/// Nanoseconds as `850ns`, `12.5us`, `3.2ms`, `1.50s`.
fn duration(ns: u64) -> String {
    match ns {
        0..1_000 => format!("{ns}ns"),
        1_000..1_000_000 => format!("{:.1}us", ns as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}ms", ns as f64 / 1e6),
        _ => format!("{:.2}s", ns as f64 / 1e9),
    }
}

const HEADER: [&str; 12] = [
    "SCRIPT", "CONTEXT", "CPU", "STATE", "MEM", "PEAK", "LIMIT", "INSNS", "ABORTS", "ERRORS",
    "TIME", "THREADS",
];

/// The table `list -v` prints: a row per runtime, then its entries and last error
/// indented below it when there are any.
pub fn table(rows: &[Row]) -> String {
    let cells: Vec<[String; 12]> = rows
        .iter()
        .map(|r| {
            [
                r.get("name").to_owned(),
                r.get("context").to_owned(),
                match r.get("cpu") {
                    "" => "-".to_owned(),
                    cpu => cpu.to_owned(),
                },
                r.get("state").to_owned(),
                bytes(r.number("memory")),
                bytes(r.number("peak")),
                bytes(r.number("limit")),
                r.number("instructions").to_string(),
                r.number("aborts").to_string(),
                r.number("errors").to_string(),
                duration(r.number("time_ns")),
                r.number("threads").to_string(),
            ]
        })
        .collect();
    let mut widths = HEADER.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = String::new();
    let mut line = |cols: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, c) in cols.enumerate() {
            let _ = write!(text, "{c:<w$}  ", w = widths[i]);
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut HEADER.iter().copied());
    for (row, r) in cells.iter().zip(rows) {
        line(&mut row.iter().map(String::as_str));
        let entries: Vec<String> = r.entries().map(|(k, v)| format!("{k}={v}")).collect();
        let packets = r.number("packets");
        if !entries.is_empty() || packets > 0 {
            let mut text = format!("    entries: {}", entries.join(" "));
            if packets > 0 {
                let _ = write!(text, " packets={packets}");
            }
            line(&mut std::iter::once(text.as_str()));
        }
        if !r.get("last_error").is_empty() {
            let text = format!("    last error: {}", r.get("last_error"));
            line(&mut std::iter::once(text.as_str()));
        }
    }
    out
}

/// The rows as a JSON array of objects; counts are numbers, `entries` an object.
pub fn json(rows: &[Row]) -> String {
    use serde_json::{Map, Value};
    const TEXT: [&str; 4] = ["name", "context", "state", "last_error"];
    let array: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut object = Map::new();
            let mut entries = Map::new();
            for (k, v) in &r.fields {
                if let Some(kind) = k.strip_prefix("entries.") {
                    entries.insert(
                        kind.to_owned(),
                        v.parse::<u64>().map_or(Value::Null, Value::from),
                    );
                } else if TEXT.contains(&k.as_str()) {
                    object.insert(k.clone(), Value::from(v.as_str()));
                } else {
                    object.insert(k.clone(), v.parse::<u64>().map_or(Value::Null, Value::from));
                }
            }
            object.insert("entries".to_owned(), Value::Object(entries));
            Value::Object(object)
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(array)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &[u8] = b"name=examples/echo\tcontext=process\tstate=running\tmemory=20480\t\
peak=40960\tlimit=4194304\tinstructions=1234\taborts=0\terrors=1\ttime_ns=1500000\t\
threads=0\tpackets=0\tentries.device=3\tentries.control=0\tlast_error=echo.lua:3: boom\n\
name=nf:1\tcontext=softirq\tcpu=1\tstate=running\tmemory=1000\tpeak=1000\tlimit=4194304\t\
instructions=10\taborts=2\terrors=0\ttime_ns=999\tthreads=0\tpackets=7\tentries.softirq=7\t\
last_error=";

    #[test]
    fn rows_are_parsed_field_by_field() {
        let rows = parse(REPLY);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get("last_error"), "echo.lua:3: boom");
        assert_eq!(rows[1].get("cpu"), "1");
        assert!(parse(b"").is_empty());
    }

    #[test]
    fn the_table_aligns_columns_and_shows_entries_and_errors() {
        let text = table(&parse(REPLY));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert!(lines[0].starts_with("SCRIPT "));
        assert!(lines[1].starts_with("examples/echo  process  -"), "{text}");
        assert!(
            lines[1].contains("20.0K") && lines[1].contains("4.0M") && lines[1].contains("1.5ms")
        );
        assert_eq!(lines[2], "    entries: device=3");
        assert_eq!(lines[3], "    last error: echo.lua:3: boom");
        assert_eq!(lines[5], "    entries: softirq=7 packets=7");
        let state = lines[0].find("STATE").unwrap();
        assert_eq!(&lines[4][state..state + 7], "running");
    }

    #[test]
    fn json_has_numbers_strings_and_an_entries_object() {
        let v: serde_json::Value = serde_json::from_str(&json(&parse(REPLY))).unwrap();
        assert_eq!(v[0]["name"], "examples/echo");
        assert_eq!(v[0]["memory"], 20480);
        assert_eq!(v[0]["entries"]["device"], 3);
        assert_eq!(v[1]["cpu"], 1);
        assert_eq!(v[1]["aborts"], 2);
        assert_eq!(v[1]["last_error"], "");
    }
}
