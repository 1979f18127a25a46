#!/bin/bash -eu
# Build every fuzz target of fuzz/Cargo.toml for OSS-Fuzz / ClusterFuzzLite, with the
# sanitizer the infrastructure asks for ($SANITIZER, handled by the builder's cargo wrapper),
# and give each a seed corpus and a dictionary-free options file.
cd "$SRC/cmp-rs/fuzz"

# fuzz/ is a workspace of its own; start from the main lockfile (as `cargo xtask fuzz` does).
[ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock

cargo fuzz build -O --debug-assertions

targets=$(cargo fuzz list)
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
