//! Replays the fuzz targets' seeds, minimized corpus and every crash input ever found
//! (`fuzz/seeds`, `fuzz/corpus`, `fuzz/regressions`) through the same harness, so what the
//! fuzzer once broke stays fixed in the ordinary test suite. The harness is behind the
//! `fuzzing` feature: `cargo test --features fuzzing --test api fuzz_replay` (CI runs it).

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for folder in ["seeds", "corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder).join(target)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                found.push((path.display().to_string(), std::fs::read(&path).expect("readable")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_saved_http_input_is_answered_without_an_unasked_5xx() {
    let inputs = inputs("http_request");
    assert!(inputs.len() >= 10, "the seeds are there");
    let mut answered = 0;
    for (_, data) in inputs {
        // The harness itself fails on a panic and on a 5xx no fault asked for (an input may add
        // a fault over the admin API, and the next ones then see it, as the fuzzer does).
        if veeam_auth_mock::fuzz_harness::http_request(&data) != 0 {
            answered += 1;
        }
    }
    assert!(answered >= 10, "{answered}");
}

#[test]
fn every_saved_scenario_input_loads_or_is_refused_without_panic() {
    let inputs = inputs("scenario_toml");
    let loaded = inputs.iter().filter(|(_, data)| veeam_auth_mock::fuzz_harness::scenario_toml(data)).count();
    assert!(loaded >= 7, "the sample scenarios among the seeds load ({loaded})");
}

#[test]
fn every_saved_fault_input_reads_back_as_itself_or_is_refused() {
    let inputs = inputs("fault_json");
    let read = inputs.iter().filter(|(_, data)| veeam_auth_mock::fuzz_harness::fault_json(data)).count();
    assert!(read >= 5, "the seed faults are valid ({read})");
}
