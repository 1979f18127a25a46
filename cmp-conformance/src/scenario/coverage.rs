//! Which requirement rows the scenarios and the passive checks cover, read against the RFC 9483
//! requirement matrix at run time (`../shared/spec/rfc9483-requirements.md`; never copied).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Scenario;

/// One row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    /// Row ID (`HDR-15`).
    pub id: String,
    /// Section.
    pub section: String,
    /// Keyword column.
    pub keyword: String,
    /// Test column (`response check`, `negative probe`, `flow`, `not observable`).
    pub test: String,
}

/// Whether a table cell is a row ID (`HDR-15`, `HTTP-R03`, `CONF7-01`).
fn is_row_id(s: &str) -> bool {
    let Some((prefix, num)) = s.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && prefix
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && !num.is_empty()
        && num
            .trim_start_matches('R')
            .chars()
            .all(|c| c.is_ascii_digit())
        && num.trim_start_matches('R').len() == num.len() - usize::from(num.starts_with('R'))
}

/// Parse the requirement rows of the matrix (tables whose first column is an ID and that have
/// a Test column).
pub fn parse_matrix(text: &str) -> Vec<MatrixRow> {
    let mut rows = Vec::new();
    let mut test_col: Option<usize> = None;
    let mut kw_col: Option<usize> = None;
    for line in text.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            test_col = None;
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.first() == Some(&"ID") {
            test_col = cells.iter().position(|c| *c == "Test");
            kw_col = cells.iter().position(|c| *c == "Kw");
            continue;
        }
        let (Some(tc), Some(id)) = (test_col, cells.first()) else {
            continue;
        };
        if !is_row_id(id) {
            continue;
        }
        rows.push(MatrixRow {
            id: id.to_string(),
            section: cells.get(1).unwrap_or(&"").to_string(),
            keyword: kw_col.and_then(|k| cells.get(k)).unwrap_or(&"").to_string(),
            test: cells.get(tc).unwrap_or(&"").to_string(),
        });
    }
    rows
}

/// The IDs the section 13 "Passive set P" paragraph lists.
pub fn passive_set(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(start) = text.find("**Passive set P**") else {
        return out;
    };
    let para = text[start..].split("\n\n").next().unwrap_or("");
    for tok in para.split(|c: char| c == ',' || c == ':' || c.is_whitespace() || c == '.') {
        if is_row_id(tok) {
            out.insert(tok.to_string());
        }
    }
    out
}

/// The coverage report as text: each scenario with its rows, the rows the passive checks
/// cover, and the matrix rows nothing covers.
pub fn report(matrix: &str, scenarios: &[Scenario], checked: &[&str]) -> String {
    let rows = parse_matrix(matrix);
    let mut s = String::new();
    let mut covered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let _ = writeln!(s, "Scenarios ({}):", scenarios.len());
    for sc in scenarios {
        let nums: Vec<String> = sc.checklist.iter().map(|n| format!("#{n}")).collect();
        let _ = writeln!(
            s,
            "  {:<30} [{}] {}{}: {}",
            sc.id,
            sc.suites.join(", "),
            if nums.is_empty() {
                String::new()
            } else {
                format!("(section 13 {}) ", nums.join(" "))
            },
            sc.title,
            sc.covers.join(", ")
        );
        for c in &sc.covers {
            covered.entry(c.clone()).or_default().push(sc.id.clone());
        }
    }
    let passive: BTreeSet<String> = checked.iter().map(|s| s.to_string()).collect();
    let _ = writeln!(
        s,
        "\nChecked on every response by the passive checks ({}): {}",
        passive.len(),
        passive.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    let testable: Vec<&MatrixRow> = rows
        .iter()
        .filter(|r| !r.test.starts_with("not observable"))
        .collect();
    let uncovered: Vec<&&MatrixRow> = testable
        .iter()
        .filter(|r| !covered.contains_key(&r.id) && !passive.contains(&r.id))
        .collect();
    let _ = writeln!(
        s,
        "\nMatrix rows: {} ({} testable, {} not observable); covered: {}; not covered: {}",
        rows.len(),
        testable.len(),
        rows.len() - testable.len(),
        testable.len() - uncovered.len(),
        uncovered.len()
    );
    let _ = writeln!(s, "\nTestable rows no scenario or passive check covers:");
    for r in &uncovered {
        let _ = writeln!(
            s,
            "  {:<10} {:<12} {:<28} {}",
            r.id, r.section, r.keyword, r.test
        );
    }
    let unknown: Vec<&String> = covered
        .keys()
        .filter(|k| !rows.iter().any(|r| &r.id == *k))
        .collect();
    if !unknown.is_empty() {
        let _ = writeln!(
            s,
            "\nIDs scenarios cover that are not matrix rows (other documents): {}",
            unknown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let p = passive_set(matrix);
    let not_checked: Vec<&String> = p
        .iter()
        .filter(|id| !passive.contains(*id) && !covered.contains_key(*id))
        .collect();
    if !not_checked.is_empty() {
        let _ = writeln!(
            s,
            "\nRows of the matrix's passive set P not checked yet: {}",
            not_checked
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_passive_set() {
        let m =
            "| ID | § | Binds | Kw | On the wire | Test | Diff |\n|---|---|---|---|---|---|---|\n\
                 | HDR-15 | 3.1 | all | MUST | x | response check | OK |\n\
                 | HTTP-R03 | 6712 | PME | MAY | y | negative probe | OK |\n\
                 | PREQ-01 | 3.4 | EE | MUST | z | not observable | M |\n\n\
                 **Passive set P** — applied: HDR-15, PROT-02.\n\nnext";
        let rows = parse_matrix(m);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].id, "HTTP-R03");
        assert_eq!(rows[1].test, "negative probe");
        assert_eq!(
            passive_set(m),
            ["HDR-15", "PROT-02"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
        let r = report(m, &[], &["HDR-15"]);
        assert!(r.contains("HTTP-R03"), "{r}");
        assert!(!r.contains("  HDR-15 "), "{r}");
        assert!(is_row_id("CONF7-01"));
        assert!(!is_row_id("ID"));
        assert!(!is_row_id("RFC 9483"));
    }
}
