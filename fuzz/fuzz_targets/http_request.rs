//! One HTTP request, decoded from the input, through the whole app (both products' token
//! parsers, bearer and cookie checks, the admin API): no panic, no hang, no 5xx.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    veeam_auth_mock::fuzz_harness::http_request(data);
});
