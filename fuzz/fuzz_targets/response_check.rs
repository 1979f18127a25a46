#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cmp_fuzz_targets::response_check(data));
