//! Installs the front-end dependencies (Designsystemet) with npm from the
//! committed lockfile into OUT_DIR and copies the files the server embeds, so a
//! fresh clone builds with `cargo` alone (ADR 0004).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=assets/package.json");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    // sqlx::migrate! embeds the migrations: a new file must rebuild the crate.
    println!("cargo:rerun-if-changed=../../migrations");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let npm_dir = out.join("npm");
    if let Err(e) = install(&npm_dir) {
        panic!("installing the front-end packages with npm failed: {e}. Is `npm` on PATH and the npm registry reachable?");
    }
    let nm = npm_dir.join("node_modules");
    let files: [(&str, &str); 2] =
        [("@digdir/designsystemet-css/dist/src/index.css", "ds.css"), ("@digdir/designsystemet-theme/brand/digdir.css", "ds-theme.css")];
    for (from, to) in files {
        if let Err(e) = std::fs::copy(nm.join(from), out.join(to)) {
            panic!("copying {from} failed: {e}");
        }
    }
}

fn install(dir: &Path) -> std::io::Result<()> {
    let marker = dir.join("node_modules/.radhus-installed");
    let lock = std::fs::read("assets/package-lock.json")?;
    if std::fs::read(&marker).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    std::fs::copy("assets/package.json", dir.join("package.json"))?;
    std::fs::write(dir.join("package-lock.json"), &lock)?;
    let status =
        Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(dir).status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!("npm ci exited with {status}")));
    }
    std::fs::write(marker, lock)
}
