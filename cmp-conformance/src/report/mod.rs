//! Reports of a run: a terminal summary, `report.json` (everything, also what `cmp replay`
//! needs) and `junit.xml` (one test case per scenario; FAIL and ERROR are failures).

use std::fmt::Write as _;
use std::path::Path;

use crate::check::Severity;
use crate::run::{RunReport, ScenarioResult, Status};

/// The terminal summary: per scenario its status and findings above INFO, then the counts.
pub fn summary(report: &RunReport, verbose: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nCMP conformance run: profile {}, server {}",
        report.profile, report.server
    );
    for r in &report.scenarios {
        let _ = writeln!(s, "{:<16} {}  {}", r.status.label(), r.id, r.title);
        if !r.note.is_empty() && !matches!(r.status, Status::Pass) {
            let _ = writeln!(
                s,
                "                   note: {}",
                r.note.trim_end_matches("; ")
            );
        }
        for f in &r.findings {
            if f.severity == Severity::Info && !verbose {
                continue;
            }
            let ex = f
                .exchange
                .map(|e| format!(" [#{e:03}]"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "                   {:<15} {:<10} {} {} {}: {}{ex}",
                f.severity.label(),
                f.rule,
                f.document,
                f.section,
                f.level,
                f.seen
            );
        }
    }
    let counts: Vec<String> = report
        .counts()
        .iter()
        .map(|(st, n)| format!("{n} {}", st.label()))
        .collect();
    let fails = report
        .findings()
        .iter()
        .filter(|(_, f)| f.severity == Severity::Fail)
        .count();
    let warns = report
        .findings()
        .iter()
        .filter(|(_, f)| f.severity == Severity::Warn)
        .count();
    let known = report
        .findings()
        .iter()
        .filter(|(_, f)| f.severity == Severity::KnownDeviation)
        .count();
    let _ = writeln!(
        s,
        "\n{} scenarios: {}; findings: {fails} FAIL, {warns} WARN, {known} KNOWN-DEVIATION; {} exchanges",
        report.scenarios.len(),
        counts.join(", "),
        report.exchanges.len()
    );
    s
}

/// The rules that failed, each once with the scenarios where it failed.
pub fn failed_rules(report: &RunReport) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (sc, f) in report.findings() {
        if f.severity != Severity::Fail {
            continue;
        }
        match out.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, v)) => {
                if !v.iter().any(|x| x == sc) {
                    v.push(sc.to_string())
                }
            }
            None => out.push((f.rule.clone(), vec![sc.to_string()])),
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn finding_lines(r: &ScenarioResult) -> String {
    let mut s = String::new();
    for f in &r.findings {
        let ex = f
            .exchange
            .map(|e| format!(" [exchange {e:03}]"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{} {} ({} {}, {}): {} -- seen: {}{ex}",
            f.severity.label(),
            f.rule,
            f.document,
            f.section,
            f.level,
            f.text,
            f.seen
        );
    }
    s
}

/// JUnit XML: one `<testsuite>` per suite name of the run, one `<testcase>` per scenario.
pub fn junit(report: &RunReport) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = report
        .scenarios
        .iter()
        .filter(|r| r.status == Status::Fail)
        .count();
    let errors = report
        .scenarios
        .iter()
        .filter(|r| r.status == Status::Error)
        .count();
    let skipped = report
        .scenarios
        .iter()
        .filter(|r| matches!(r.status, Status::NotOffered | Status::Skipped))
        .count();
    let time: u64 = report.scenarios.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(
        s,
        "<testsuites name=\"cmp conformance {}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        xml_escape(&report.profile),
        report.scenarios.len(),
        time as f64 / 1000.0
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        xml_escape(&report.profile),
        report.scenarios.len()
    );
    for r in &report.scenarios {
        let class = r.suites.first().cloned().unwrap_or_default();
        let _ = write!(
            s,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            xml_escape(&class),
            xml_escape(&r.id),
            r.duration_ms as f64 / 1000.0
        );
        let body = finding_lines(r);
        match r.status {
            Status::Pass => {
                let _ = writeln!(s, "/>");
            }
            Status::Fail => {
                let first = r.findings.iter().find(|f| f.severity == Severity::Fail);
                let msg = first
                    .map(|f| format!("{}: {}", f.rule, f.seen))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    ">\n      <failure message=\"{}\" type=\"FAIL\">{}</failure>\n    </testcase>",
                    xml_escape(&msg),
                    xml_escape(&body)
                );
            }
            Status::Error => {
                let _ = writeln!(
                    s,
                    ">\n      <error message=\"{}\" type=\"ERROR\">{}</error>\n    </testcase>",
                    xml_escape(&r.note),
                    xml_escape(&body)
                );
            }
            Status::NotOffered | Status::Skipped => {
                let _ = writeln!(
                    s,
                    ">\n      <skipped message=\"{}: {}\"/>\n    </testcase>",
                    r.status.label(),
                    xml_escape(&r.note)
                );
            }
            Status::Warn | Status::KnownDeviation => {
                let _ = writeln!(
                    s,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml_escape(&body)
                );
            }
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// Write `report.json`, `junit.xml` and `summary.txt` into the run folder.
pub fn write_all(report: &RunReport, dir: &Path) -> Result<(), String> {
    let json = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.json"), json).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("junit.xml"), junit(report))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("summary.txt"), summary(report, true))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(())
}

/// Read `report.json` of a run folder.
pub fn read(dir: &Path) -> Result<RunReport, String> {
    let p = dir.join("report.json");
    let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
}
