//! `serve --watch`: reloads the scenario file when it changes.
//!
//! Polls the file's modification time and size twice a second rather than using inotify: one
//! file, no extra dependency, and it works the same on bind mounts in containers, where change
//! events often do not arrive. A file that fails to load is reported on stderr and the running
//! scenario stays.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use veeam_auth_mock::{MockControl, Scenario};

/// How often the file is looked at.
const POLL: Duration = Duration::from_millis(500);

/// Starts the watcher thread; it lives as long as the process.
pub(crate) fn spawn(path: PathBuf, control: MockControl) {
    let stamp = |path: &PathBuf| -> Option<(SystemTime, u64)> {
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    };
    let mut last = stamp(&path);
    let shown = path.display().to_string();
    let spawned = std::thread::Builder::new().name("scenario-watch".into()).spawn(move || {
        loop {
            std::thread::sleep(POLL);
            let now = stamp(&path);
            if now.is_none() || now == last {
                continue;
            }
            last = now;
            match Scenario::from_path(&path) {
                Ok(scenario) => {
                    control.load(scenario);
                    eprintln!("veeam-auth-mock: reloaded {}", path.display());
                }
                Err(err) => {
                    eprintln!("veeam-auth-mock: {} not reloaded:", path.display());
                    for problem in err.problems() {
                        eprintln!("  {problem}");
                    }
                    if err.problems().is_empty() {
                        eprintln!("  {err}");
                    }
                }
            }
        }
    });
    if let Err(err) = spawned {
        eprintln!("veeam-auth-mock: cannot watch {shown}: {err}");
    }
}
