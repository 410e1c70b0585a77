//! Configuration: defaults, then a TOML file (`--config`), then `RADHUS_*` environment
//! variables (nested keys with `__`, e.g. `RADHUS_SMTP__HOST`).

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use radhus_platform::config::{Config, Mode};

/// Where the database lives: `--data DIR` (embedded SQLite) or `--config FILE`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Location {
    /// Directory of the embedded SQLite database.
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,
    /// TOML configuration file (production).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("radhus.db").display())
}

pub fn load(loc: &Location, mode: Mode, default_data: Option<&Path>) -> anyhow::Result<Config> {
    // Citizen single sign-on is on for the demo and in production unless configured off.
    let mut base = Config { mode, citizen_sso: true, ..Config::default() };
    if let Some(dir) = loc.data.as_deref().or(default_data) {
        std::fs::create_dir_all(dir)?;
        base.database_url = sqlite_url(dir);
    }
    let mut fig = Figment::from(Serialized::defaults(base));
    if let Some(file) = &loc.config {
        if !file.exists() {
            anyhow::bail!("configuration file {} does not exist", file.display());
        }
        fig = fig.merge(Toml::file(file));
    }
    let mut cfg: Config = fig.merge(Env::prefixed("RADHUS_").split("__")).extract()?;
    // The mode is decided by the command, never by a file: `serve` cannot enable the test e-ID.
    cfg.mode = mode;
    if let Some(dir) = &loc.data {
        cfg.database_url = sqlite_url(dir);
    }
    if let Some(path) = cfg.database_url.strip_prefix("sqlite:")
        && let Some(parent) = Path::new(path.split('?').next().unwrap_or(path)).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_and_file_layer() {
        let dir = std::env::temp_dir().join(format!("radhus-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("radhus.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\nmode = \"demo\"\n[smtp]\nhost = \"mail.example\"\n").expect("write");
        let cfg = load(&Location { data: None, config: Some(file.clone()) }, Mode::Production, None).expect("load");
        assert_eq!(cfg.listen, "0.0.0.0:9000");
        assert_eq!(cfg.smtp.host, "mail.example");
        assert_eq!(cfg.mode, Mode::Production, "a file cannot switch on demo mode");
        let cfg = load(&Location { data: Some(dir.clone()), config: None }, Mode::Demo, None).expect("load");
        assert!(cfg.database_url.ends_with("radhus.db"));
        assert!(load(&Location { data: None, config: Some(dir.join("missing.toml")) }, Mode::Production, None).is_err());
    }

    /// The file the child process loads (not a `RADHUS_` variable: those are configuration).
    const CHILD_FILE: &str = "SETTINGS_TEST_FILE_FOR_CHILD";

    /// The environment layer over the file: the variables are set on a child process (this test
    /// binary again, running only [`env_layer_child`]), since a test cannot change its own
    /// environment safely.
    #[test]
    fn the_environment_overrides_the_file() {
        let dir = std::env::temp_dir().join(format!("radhus-settings-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("radhus.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\nlockout_minutes = 30\n[smtp]\nhost = \"mail.example\"\nport = 2525\n")
            .expect("write");
        let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "settings::tests::env_layer_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_FILE, &file)
            .env("RADHUS_SMTP__HOST", "relay.env.example")
            .env("RADHUS_LOGIN_ATTEMPTS_PER_MINUTE", "7")
            .env("RADHUS_BEHIND_PROXY", "true")
            .env("RADHUS_MODE", "demo")
            .output()
            .expect("child");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
    }

    /// Run by [`the_environment_overrides_the_file`] with its variables; ignored otherwise.
    #[test]
    #[ignore = "run as a child process by the_environment_overrides_the_file"]
    fn env_layer_child() {
        let file = std::env::var_os(CHILD_FILE).expect("started by the_environment_overrides_the_file");
        let cfg = load(&Location { data: None, config: Some(file.into()) }, Mode::Production, None).expect("load");
        assert_eq!(cfg.smtp.host, "relay.env.example", "a nested key (`__`) from the environment wins over the file");
        assert_eq!(cfg.smtp.port, 2525, "the file's other keys of the same table stay");
        assert_eq!(cfg.listen, "0.0.0.0:9000", "what the environment does not set comes from the file");
        assert_eq!(cfg.lockout_minutes, 30);
        assert_eq!(cfg.login_attempts_per_minute, 7, "a number from the environment");
        assert!(cfg.behind_proxy, "a boolean from the environment");
        assert_eq!(cfg.mode, Mode::Production, "the environment cannot switch on demo mode either");
    }
}
