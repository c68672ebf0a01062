//! A fault as the admin API reads it (JSON), and back: no panic, and it reads back as itself.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    veeam_auth_mock::fuzz_harness::fault_json(data);
});
