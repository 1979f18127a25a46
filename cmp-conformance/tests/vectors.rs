//! The readable tree of every test vector, as insta snapshots, and the JSON `body` of every
//! vector checked against its manifest.
//!
//! * The repository's own vectors: `vectors/**/*.der` (minus `credentials/`), snapshots in
//!   `snapshots/own/`; bodies checked against `vectors/*/MANIFEST.tsv`.
//! * The third-party vectors under `$CMP_SHARED_VECTORS` (see its `MANIFEST.md` files):
//!   `.der`, `.bin`, `.pkimessage` and `.pem` files, snapshots in `snapshots/shared/`; bodies
//!   checked against the `MANIFEST.md` tables. Without the variable these tests print a
//!   `SKIPPED` line and pass.
//!
//! Snapshot names are the vector's path below its root, with `/` written as `__`. New vector
//! files are picked up by `insta::glob!` and need their snapshot accepted
//! (`INSTA_UPDATE=always cargo test -p cmp-conformance --test vectors`, then review the diff).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use cmp_codec::PKIMessage;
use cmp_conformance::{input, inspect::tree};

/// The directory of the repository's own vectors.
fn own_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

/// The shared vectors directory, or `None` (after saying so on stderr) when it is not set.
fn shared_root(test: &str) -> Option<PathBuf> {
    match std::env::var_os("CMP_SHARED_VECTORS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "CMP_SHARED_VECTORS={} is not a directory",
                dir.display()
            );
            Some(dir)
        }
        None => {
            // Straight to the process's stderr: libtest captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED {test}: set CMP_SHARED_VECTORS=/path/to/shared/vectors \
                 (e.g. /work/shared/vectors) to run the shared-vector tests ***\n"
            );
            None
        }
    }
}

/// `path` relative to `root`, with `/` separators.
fn relative(root: &Path, path: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a shared-vector file is meant to be a PKIMessage. The collections also hold
/// credentials, CSRs, CRLs, header/body fragments and bad inputs (their `MANIFEST.md` files
/// list them); those are recognised by name, and PEM files by their label.
fn is_shared_message(rel: &str, path: &Path) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit('.').next().unwrap_or("");
    if !matches!(ext, "der" | "bin" | "pkimessage" | "pem") {
        return false;
    }
    // Directories of credentials, CRMF fragments and CLI test data, no messages.
    if rel
        .split('/')
        .any(|d| matches!(d, "credentials" | "crmf" | "80-test_cmp_http_data"))
    {
        return false;
    }
    // Not PKIMessages (see the manifests): a PKCS#10 request, 100 KiB of random bytes,
    // certificates named "*-key.der", and the header/body fragments of rustcrypto's messages.
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if name == "pkcs10.der"
        || name == "random.bin"
        || name.starts_with("ec384-")
        || stem.contains("_header_")
        || stem.contains("_body_")
    {
        return false;
    }
    if ext == "pem" {
        // Real PEM (certificates, keys, CSRs) has a label other than PKIMESSAGE; the Siemens
        // messages are bare base64 after '#' comments.
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.starts_with("-----BEGIN ")) {
            return line.contains("PKIMESSAGE");
        }
    }
    true
}

/// The snapshot text for one file: its tree, or the error when it does not parse.
fn dump(path: &Path) -> String {
    let input = match input::read_file(path) {
        Ok(i) => i,
        Err(e) => return format!("input error: {e}\n"),
    };
    match PKIMessage::parse(&input.der) {
        Ok(msg) => tree::render(&msg),
        Err(e) => format!("decode error: {e}\n"),
    }
}

/// insta counts `glob!` failures on one process-wide stack: two globs running in parallel
/// test threads would mix up their counts, so the glob tests take turns.
static GLOB_LOCK: Mutex<()> = Mutex::new(());

/// Assert the snapshot of `path` under the stable name `rel`, in `snapshots/<dir>/`.
fn snapshot(dir: &str, rel: &str, path: &Path) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("snapshots/{dir}"));
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.remove_input_file();
    settings.set_description(format!("cmp inspect of {dir} vector {rel}"));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(rel.to_string(), dump(path)));
}

#[test]
fn own_vectors_tree() {
    let root = own_root();
    let _turn = GLOB_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut settings = insta::Settings::clone_current();
    settings.set_allow_empty_glob(true);
    settings.bind(|| {
        insta::glob!("../../vectors", "**/*.der", |path| {
            let rel = relative(&root, path);
            if rel.split('/').any(|d| d == "credentials") {
                return;
            }
            snapshot("own", &rel, path);
        });
    });
}

#[test]
fn shared_vectors_tree() {
    let Some(root) = shared_root("shared_vectors_tree") else {
        return;
    };
    let _turn = GLOB_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut settings = insta::Settings::clone_current();
    settings.set_allow_empty_glob(true);
    settings.bind(|| {
        insta::glob!(&root, "**/*.{der,bin,pkimessage,pem}", |path| {
            let rel = relative(&root, path);
            if is_shared_message(&rel, path) {
                snapshot("shared", &rel, path);
            }
        });
    });
}

/// Every file below `root` (sorted), as (relative path, path).
fn walk(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((relative(root, &path), path));
            }
        }
    }
    out.sort();
    out
}

/// `cmp inspect --json` over `files`: the `body` of each, by file name as given.
fn json_bodies(files: &[PathBuf]) -> BTreeMap<String, String> {
    let mut bodies = BTreeMap::new();
    for chunk in files.chunks(200) {
        let out = Command::new(env!("CARGO_BIN_EXE_cmp"))
            .arg("inspect")
            .arg("--json")
            .args(chunk)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "cmp inspect --json failed:\n{stderr}");
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            bodies.insert(
                v["file"].as_str().unwrap().to_string(),
                v["body"].as_str().unwrap().to_string(),
            );
        }
    }
    bodies
}

/// The PKIMessage rows of a `MANIFEST.md`: every backquoted path in the first cell, with the
/// body arm named by the `[N]` tag at the start of the second cell.
fn manifest_md(text: &str) -> Vec<(String, &'static str)> {
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').collect();
        if cells.len() < 4 {
            continue;
        }
        let body = cells[2].trim().trim_start_matches('*');
        let Some(tag) = body
            .strip_prefix('[')
            .and_then(|b| b.split_once(']'))
            .and_then(|(n, _)| n.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(arm) = cmp_codec::body::BODY_NAMES.get(tag) else {
            continue;
        };
        for (i, part) in cells[1].split('`').enumerate() {
            if i % 2 == 1 {
                rows.push((part.to_string(), *arm));
            }
        }
    }
    rows
}

/// The body a file name announces: the last `.`/`_`/`-` separated word that is an arm name
/// (`ir_poll.rsp1.ip_waiting.der` is an `ip`, `02-rsp-pkiconf.der` a `pkiconf`).
fn arm_from_name(name: &str) -> Option<&'static str> {
    name.split(['.', '_', '-']).rev().find_map(|w| {
        cmp_codec::body::BODY_NAMES
            .iter()
            .find(|a| a.eq_ignore_ascii_case(w))
            .copied()
    })
}

#[test]
fn shared_vectors_body_matches_manifest() {
    let Some(root) = shared_root("shared_vectors_body_matches_manifest") else {
        return;
    };
    // Manifest rows by collection (the directory holding MANIFEST.md).
    let mut manifests: Vec<(String, Vec<(String, &'static str)>)> = Vec::new();
    for (rel, path) in walk(&root) {
        if rel.ends_with("MANIFEST.md") {
            let dir = rel.trim_end_matches("MANIFEST.md").to_string();
            manifests.push((dir, manifest_md(&std::fs::read_to_string(path).unwrap())));
        }
    }
    assert!(
        !manifests.is_empty(),
        "no MANIFEST.md under {}",
        root.display()
    );

    let messages: Vec<(String, PathBuf)> = walk(&root)
        .into_iter()
        .filter(|(rel, path)| is_shared_message(rel, path))
        .collect();
    let files: Vec<PathBuf> = messages.iter().map(|(_, p)| p.clone()).collect();
    let bodies = json_bodies(&files);

    let mut listed_and_found = vec![false; manifests.iter().map(|(_, r)| r.len()).sum()];
    let mut problems = Vec::new();
    for (rel, path) in &messages {
        let got = &bodies[&path.display().to_string()];
        // The manifest of the collection, matched by path suffix; a Siemens `data/X.pem` is
        // listed as its decoding `der/X.der`.
        let mut expected = None;
        let mut index = 0;
        for (dir, rows) in &manifests {
            for (file, arm) in rows {
                let in_collection = rel.strip_prefix(dir.as_str());
                let alias = in_collection.and_then(|r| {
                    r.strip_prefix("data/")
                        .and_then(|r| r.strip_suffix(".pem"))
                        .map(|stem| format!("der/{stem}.der"))
                });
                let hit = in_collection.is_some_and(|r| {
                    r == file || r.ends_with(&format!("/{file}")) || alias.as_deref() == Some(file)
                });
                if hit {
                    listed_and_found[index] = true;
                    expected = Some(("MANIFEST.md", *arm));
                }
                index += 1;
            }
        }
        let name = rel.rsplit('/').next().unwrap();
        let expected = expected.or_else(|| arm_from_name(name).map(|a| ("file name", a)));
        match expected {
            Some((_, arm)) if arm == got => {}
            Some((source, arm)) => problems.push(format!("{rel}: body {got}, {source} says {arm}")),
            None => problems.push(format!("{rel}: body {got}, listed nowhere")),
        }
    }
    let mut index = 0;
    for (dir, rows) in &manifests {
        for (file, _) in rows {
            if !listed_and_found[index] {
                problems.push(format!(
                    "{dir}MANIFEST.md lists {file}, not found as a message"
                ));
            }
            index += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        messages.len() >= 100,
        "only {} shared messages",
        messages.len()
    );
}

#[test]
fn own_vectors_body_matches_manifest() {
    let root = own_root();
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    let mut problems = Vec::new();
    for entry in entries {
        let dir = entry.unwrap().path();
        let Ok(tsv) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
            continue;
        };
        let mut lines = tsv.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let (Some(file_col), Some(body_col)) = (col("file"), col("body")) else {
            problems.push(format!("{}: no file/body columns", dir.display()));
            continue;
        };
        let rows: Vec<(PathBuf, String)> = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let cells: Vec<&str> = l.split('\t').collect();
                (dir.join(cells[file_col]), cells[body_col].to_string())
            })
            .collect();
        let files: Vec<PathBuf> = rows.iter().map(|(p, _)| p.clone()).collect();
        for f in &files {
            if !f.is_file() {
                problems.push(format!("{} listed but missing", f.display()));
            }
        }
        let bodies = json_bodies(&files);
        for (path, want) in &rows {
            let got = bodies.get(&path.display().to_string());
            if got != Some(want) {
                problems.push(format!(
                    "{}: body {got:?}, manifest says {want}",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn manifest_and_name_parsing() {
    let md = "| file | body |\n|---|---|\n| `a/x.der` (= `der/y.der`) | **[1] ip**, note |\n| `c.bin` | `CertReqMessages` |\n";
    assert_eq!(
        manifest_md(md),
        vec![
            ("a/x.der".to_string(), "ip"),
            ("der/y.der".to_string(), "ip")
        ]
    );
    assert_eq!(arm_from_name("ir_poll.rsp1.ip_waiting.der"), Some("ip"));
    assert_eq!(arm_from_name("cr_pbm256.rsp.pkiConf.der"), Some("pkiconf"));
    assert_eq!(arm_from_name("02-rsp-certConf.der"), Some("certConf"));
    assert_eq!(arm_from_name("random.bin"), None);
}
