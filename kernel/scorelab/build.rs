//! Refuses to build against a prebuilt library older than the crate's source, built from another
//! Cargo.lock or by another rustc than the one compiling the cells (which would reject it as
//! incompatible), or rebuilt since the kernel started (the kernel keeps the library it loaded
//! first), so a kernel never runs stale code. `make setup` records the lock and `rustc -vV` next
//! to the library. Cargo re-runs this whenever a file under `crate/`, the library, Cargo.lock or
//! a record changes, and rebuilds it for another rustc.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(rust_analyzer)");
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = here
        .join("../..")
        .canonicalize()
        .expect("the repository root");
    let source = root.join("crate");
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let library = flags
        .split('\x1f')
        .find_map(|flag| flag.strip_prefix("scorelab_prebuilt="))
        .map(PathBuf::from);
    let Some(library) = library else {
        println!(
            "cargo::error=kernel/scorelab is scorelab as the project's kernel loads it (prebuilt); \
             in a plain evcxr kernel write `:dep scorelab = {{ path = \"../crate\" }}` instead"
        );
        return;
    };
    for watched in ["src", "assets", "Cargo.toml"] {
        println!("cargo::rerun-if-changed={}", source.join(watched).display());
    }
    println!("cargo::rerun-if-changed={}", library.display());
    let lock = root.join("Cargo.lock");
    // Named as kernel/start.py names them (BUILT_WITH_LOCK, BUILT_BY_RUSTC).
    let built_with_lock = library.with_file_name("libscorelab.Cargo.lock");
    let built_by_rustc = library.with_file_name("libscorelab.rustc");
    for watched in [&lock, &built_with_lock, &built_by_rustc] {
        println!("cargo::rerun-if-changed={}", watched.display());
    }
    let built = match std::fs::metadata(&library).and_then(|m| m.modified()) {
        Ok(time) => time,
        Err(_) => {
            println!(
                "cargo::error=the prebuilt scorelab library {} is missing: run `make setup` (or `make lab`)",
                library.display()
            );
            return;
        }
    };
    if let Some((path, _)) =
        newest(&source, &["src", "assets", "Cargo.toml"]).filter(|(_, t)| *t > built)
    {
        println!(
            "cargo::error=the prebuilt scorelab library is older than {}: run `make setup` (or `make lab`) \
             to rebuild it, then restart the kernel",
            path.strip_prefix(&root).unwrap_or(&path).display()
        );
        return;
    }
    let (Ok(lock_now), Ok(lock_then), Ok(rustc_then)) = (
        std::fs::read(&lock),
        std::fs::read(&built_with_lock),
        std::fs::read_to_string(&built_by_rustc),
    ) else {
        println!(
            "cargo::error=no record of the Cargo.lock and rustc the prebuilt scorelab library was built with \
             ({}, {}): run `make setup` (or `make lab`) to rebuild it, then restart the kernel",
            built_with_lock.display(),
            built_by_rustc.display()
        );
        return;
    };
    if lock_now != lock_then {
        println!(
            "cargo::error=Cargo.lock changed after the prebuilt scorelab library was built: run `make setup` \
             (or `make lab`) to rebuild it, then restart the kernel"
        );
        return;
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let rustc_now = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    if rustc_now != rustc_then {
        let first = |text: &str| text.lines().next().unwrap_or("an unknown rustc").to_owned();
        println!(
            "cargo::error=the prebuilt scorelab library was built by {}, but cells are compiled by {}: \
             run `make setup` (or `make lab`) to rebuild it, then restart the kernel",
            first(&rustc_then),
            first(&rustc_now)
        );
        return;
    }
    println!("cargo::rerun-if-env-changed={STARTED_WITH}");
    let started_with = std::env::var(STARTED_WITH).ok();
    let now = built
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos().to_string())
        .ok();
    if started_with.is_some() && started_with != now {
        println!(
            "cargo::error=the prebuilt scorelab library was rebuilt after this kernel started: \
             restart the kernel to load the new one"
        );
    }
}

/// Set by kernel/start.py: the library's modification time, in ns, when the kernel started.
const STARTED_WITH: &str = "SCORELAB_KERNEL_LIBRARY_MTIME_NS";

/// The most recently modified file under `root`'s `entries`, with its time.
fn newest(root: &Path, entries: &[&str]) -> Option<(PathBuf, SystemTime)> {
    let mut stack: Vec<PathBuf> = entries.iter().map(|e| root.join(e)).collect();
    let mut best: Option<(PathBuf, SystemTime)> = None;
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(dir) = std::fs::read_dir(&path) {
                stack.extend(dir.flatten().map(|e| e.path()));
            }
        } else if let Ok(time) = meta.modified() {
            if best.as_ref().is_none_or(|(_, t)| time > *t) {
                best = Some((path, time));
            }
        }
    }
    best
}
