#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| safetygap_fuzz::inventory(data));
