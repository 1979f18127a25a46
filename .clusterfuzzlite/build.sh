#!/bin/bash -eu
# Build every fuzz target of fuzz/Cargo.toml for OSS-Fuzz / ClusterFuzzLite, with the
# sanitizer the infrastructure asks for ($SANITIZER, handled by the builder's cargo wrapper),
# and give each a seed corpus and a dictionary-free options file.
cd "$SRC/cmp-rs/fuzz"

# fuzz/ is a workspace of its own; start from the main lockfile (as `cargo xtask fuzz` does).
[ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock

# -O (release): fuzz/Cargo.toml's release profile turns on debug assertions and overflow
# checks for everything but RustCrypto's arithmetic.
cargo fuzz build -O

targets=$(cargo fuzz list)
# The targets this project ships (fuzz/Cargo.toml [[bin]]s; checked against it by the test
# suite, fuzz/targets/tests/corpus_replay.rs): fail rather than silently build fewer.
# response_check embeds its requests and answers from vectors/openssl/ (include_bytes!).
for t in parse roundtrip structured inspect verify response_check; do
  echo "$targets" | grep -qx "$t" || { echo "build.sh: fuzz target $t is missing" >&2; exit 1; }
done
release="target/x86_64-unknown-linux-gnu/release"

# Seeds: the committed peer-generated vectors (DER), the committed seeds and every saved
# crash of the target.
seeds=$(mktemp -d)
find ../vectors -name '*.der' -exec cp {} "$seeds/" \;

for t in $targets; do
  cp "$release/$t" "$OUT/"
  corpus=$(mktemp -d)
  cp "$seeds"/* "$corpus/" 2>/dev/null || true
  for d in "seeds/$t" "regressions/$t"; do
    [ -d "$d" ] && find "$d" -type f -exec cp {} "$corpus/" \;
  done
  (cd "$corpus" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  printf '[libfuzzer]\nmax_len = 16384\ntimeout = 10\nrss_limit_mb = 2048\n' > "$OUT/$t.options"
done
