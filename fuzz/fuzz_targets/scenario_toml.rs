//! The scenario loader on arbitrary text: it loads or reports problems, never panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    veeam_auth_mock::fuzz_harness::scenario_toml(data);
});
