//! The `radhus` command line.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use radhus_kernel::{Clock, SystemClock};
use radhus_platform::config::{Config, Mode};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::citizen::{FixtureRegister, NoRegister, PopulationRegister};
use radhus_platform::outbox::Transports;
use radhus_platform::{Deps, audit, identity, tenancy};

use crate::settings::{self, Location};

#[derive(Parser, Debug)]
#[command(name = "radhus", version, about = "Rådhus – the shared municipal platform")]
pub struct Cli {
    #[command(flatten)]
    pub location: Location,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the demo: embedded SQLite in ./radhus-data, all Värmland municipalities, demo users.
    Demo {
        /// Address to listen on; else the configuration's `listen`, else 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Run in production (database_url may be postgres://…).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Municipalities.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The keys for personal identity numbers (ADR 0018).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Write a consistent copy of the embedded database to a new file, also while the server
    /// runs (on PostgreSQL: pg_dump, docs/operations.md).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup of the embedded database in place (stop the server first); the database
    /// there before is kept beside it.
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that is there (it is kept as `radhus.db.before-restore-<time>`).
        #[arg(long)]
        replace: bool,
    },
    /// Every table's row count and content hash, to compare before and after a backup,
    /// restore or move.
    Inventory,
    /// Copy a whole installation from the embedded database to a new, empty PostgreSQL
    /// database (stop the server first), then compare the two table by table
    /// (docs/operations.md, "From SQLite to PostgreSQL").
    Copy {
        /// The data folder of the embedded database (its radhus.db).
        #[arg(long, required_unless_present = "from_config", conflicts_with = "from_config")]
        from_data: Option<PathBuf>,
        /// Or the configuration file of the installation on SQLite.
        #[arg(long)]
        from_config: Option<PathBuf>,
        /// The configuration file whose database_url names the PostgreSQL database.
        #[arg(long)]
        to_config: PathBuf,
    },
    /// Typeset one document read from stdin, within limits it sets itself, and write the PDF to
    /// stdout (the process `serve` and `demo` start for each document; ADR 0009).
    #[command(hide = true)]
    PdfWorker,
}

#[derive(Subcommand, Debug)]
pub enum TenantCommand {
    /// Add a municipality.
    Add {
        #[arg(long)]
        kommunkod: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        slug: String,
        /// Host names, comma separated.
        #[arg(long)]
        hosts: String,
        #[arg(long, default_value = "#1f4e79")]
        color: String,
    },
    /// List municipalities.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff user (with `--tenant`) or a platform operator (with `--operator`).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The municipality's short name (slug).
        #[arg(long, conflicts_with = "operator")]
        tenant: Option<String>,
        #[arg(long)]
        operator: bool,
        /// Give the user the municipality's administrator role.
        #[arg(long)]
        admin: bool,
        /// The password; read from RADHUS_PASSWORD if not given.
        #[arg(long, env = "RADHUS_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every chain of the audit log; reports the first broken link of each.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Re-encrypt every stored personal identity number under the key file's active key
    /// (`active=`), after adding a new key line and pointing `active=` at it; reports counts.
    Rotate,
    /// Print a new key file (or with `--key-only` one new key line to add to a file).
    Generate {
        /// The key id; default `k<date and time>`.
        #[arg(long)]
        id: Option<String>,
        /// Print only a key line `id=<base64>`.
        #[arg(long)]
        key_only: bool,
    },
}

fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// Typeset in a worker process of this binary, so that a runaway template is killed at its
/// deadline and bounded in memory (ADR 0009).
fn use_pdf_worker() -> anyhow::Result<()> {
    let program = std::env::current_exe().map_err(|e| anyhow::anyhow!("cannot find this program for typesetting: {e}"))?;
    radhus_pdf::use_worker(radhus_pdf::Worker { program, args: vec!["pdf-worker".into()], memory: radhus_pdf::DEFAULT_MEMORY })
        .map_err(|w| anyhow::anyhow!("the PDF worker is already set to {}", w.program.display()))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::PdfWorker => {
            if radhus_pdf::serve_worker()? {
                Ok(())
            } else {
                anyhow::bail!("the document could not be made (the reason is in the answer)")
            }
        }
        Command::Demo { listen } => {
            let data = PathBuf::from("radhus-data");
            let mut cfg = settings::load(&cli.location, Mode::Demo, Some(&data))?;
            // The flag wins, then the file (or RADHUS_LISTEN), then the default.
            if let Some(listen) = listen {
                cfg.listen = listen;
            }
            init_tracing(cfg.log_json);
            use_pdf_worker()?;
            // Bound before anything else, so the links printed and e-mailed carry the port
            // really served (also when the address asks for any free port, `:0`).
            let listener = bind(&cfg.listen).await?;
            let port = listener.local_addr()?.port();
            cfg.public_url = format!("http://localhost:{port}");
            // The demo's key for personal identity numbers lives in its data folder (made on
            // the first run, reused after), or in pii_keys_file when that is set.
            let keys = crate::keys::install_demo(&cfg, cli.location.data.as_deref().unwrap_or(&data))?;
            let db = Db::connect(&cfg.database_url).await?;
            crate::keys::seal_leftovers(&db, keys).await?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let summary = crate::demo::seed(&db, clock.now()).await?;
            serve(cfg, listener, db, clock, Some(summary)).await
        }
        Command::Serve => {
            let cfg = settings::load(&cli.location, Mode::Production, None)?;
            init_tracing(cfg.log_json);
            use_pdf_worker()?;
            refuse_open_metrics(&cfg)?;
            if cfg.metrics_token.is_empty() {
                tracing::warn!("metrics_token is not set: /metrics answers 401 until it is");
            }
            // No key file, no start: nothing is served or written without it.
            let keys = crate::keys::install(&cfg, cli.location.data.as_deref())?;
            let listener = bind(&cfg.listen).await?;
            let db = Db::connect(&cfg.database_url).await?;
            crate::keys::seal_leftovers(&db, keys).await?;
            serve(cfg, listener, db, Arc::new(SystemClock), None).await
        }
        Command::Migrate => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            println!("migrations applied ({:?})", db.kind());
            Ok(())
        }
        Command::Tenant { command } => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            tenant_command(&db, command).await
        }
        Command::User { command } => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            user_command(&db, command).await
        }
        Command::Keys { command: KeysCommand::Generate { id, key_only } } => {
            let id = id.unwrap_or_else(crate::keys::new_id);
            let text = if key_only {
                radhus_platform::pii::Keyring::generate_key_line(&id).map(|l| format!("{l}\n"))
            } else {
                radhus_platform::pii::Keyring::generate_file(&id)
            };
            print!("{}", text.map_err(explain)?);
            Ok(())
        }
        Command::Keys { command: KeysCommand::Rotate } => {
            let cfg = open_config(&cli.location)?;
            let default = PathBuf::from("radhus-data");
            let data = if cli.location.config.is_none() { Some(cli.location.data.as_deref().unwrap_or(&default)) } else { None };
            let keys = crate::keys::install(&cfg, data)?;
            let db = Db::connect(&cfg.database_url).await?;
            let report = crate::keys::rotate(&db, keys).await?;
            for r in &report {
                println!("{}.{}: {} re-encrypted", r.table, r.column, r.rows);
            }
            println!("every personal identity number is sealed under key {}", keys.active_id());
            Ok(())
        }
        Command::Backup { to } => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            let check = radhus_platform::db::backup::backup_sqlite(&db, &to).await?;
            println!("backup written to {} ({} bytes, schema {}), checked", to.display(), check.bytes, check.schema_version);
            if let Some(keys) = crate::keys::key_path(&cfg, cli.location.data.as_deref()) {
                println!(
                    "the key file for personal identity numbers is not in the backup: keep a copy of {} apart from it",
                    keys.display()
                );
            }
            Ok(())
        }
        Command::Restore { from, replace } => {
            let cfg = open_config(&cli.location)?;
            let Some(target) = radhus_platform::db::backup::sqlite_path(&cfg.database_url) else {
                anyhow::bail!("this installation runs on PostgreSQL: restore it with pg_restore (docs/operations.md)");
            };
            let now = SystemClock.now().unix_timestamp();
            let restored = radhus_platform::db::backup::restore_sqlite(&from, &target, replace, now).await?;
            if let Some(kept) = &restored.kept {
                println!("the database that was there is kept as {}", kept.display());
            }
            // Opening brings an older backup's schema up to date.
            let db = Db::connect(&cfg.database_url).await?;
            let tables = radhus_platform::db::backup::inventory(&db).await?;
            let rows: u64 = tables.iter().map(|t| t.rows).sum();
            let report = audit::verify(&db).await?;
            println!(
                "restored {} to {} (schema {}): {} tables, {rows} rows",
                from.display(),
                target.display(),
                restored.check.schema_version,
                tables.len()
            );
            if !report.broken.is_empty() {
                anyhow::bail!("the restored audit log is broken in {} chains: run `radhus audit verify`", report.broken.len());
            }
            println!("audit log intact ({} chains, {} events)", report.chains, report.events);
            Ok(())
        }
        Command::Inventory => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            for t in radhus_platform::db::backup::inventory(&db).await? {
                println!("{:<40} {:>10} {}", t.table, t.rows, t.hash);
            }
            Ok(())
        }
        Command::Copy { from_data, from_config, to_config } => {
            let source = match (from_data, from_config) {
                (Some(dir), _) => dir.join("radhus.db"),
                (None, Some(file)) => {
                    let cfg = settings::load(&Location { data: None, config: Some(file) }, Mode::Production, None)?;
                    radhus_platform::db::backup::sqlite_path(&cfg.database_url)
                        .ok_or_else(|| anyhow::anyhow!("the source configuration's database_url must name an SQLite file"))?
                }
                (None, None) => anyhow::bail!("give --from-data DIR or --from-config FILE"),
            };
            let target = settings::load(&Location { data: None, config: Some(to_config) }, Mode::Production, None)?;
            let report = radhus_platform::db::copy::copy_installation(&source, &target.database_url).await?;
            print!("{report}");
            report.result()
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let cfg = open_config(&cli.location)?;
            let db = Db::connect(&cfg.database_url).await?;
            let report = audit::verify(&db).await?;
            println!("checked {} chains, {} events", report.chains, report.events);
            if report.broken.is_empty() {
                println!("audit log intact");
                Ok(())
            } else {
                for b in &report.broken {
                    let chain = if b.tenant_id == audit::PLATFORM_CHAIN { "platform".to_string() } else { b.tenant_id.to_string() };
                    println!("BROKEN chain {chain} at event {}: {}", b.seq, b.reason);
                }
                anyhow::bail!("the audit log has been tampered with")
            }
        }
    }
}

/// The shortest `metrics_token` `serve` accepts when it listens beyond loopback.
const MIN_METRICS_TOKEN: usize = 24;

/// `serve` on an address other machines reach needs a metrics token that cannot be guessed
/// (issue 14 item 7): without one the operator would learn of it only when scraping fails.
fn refuse_open_metrics(cfg: &Config) -> anyhow::Result<()> {
    let host = cfg.listen.rsplit_once(':').map_or(cfg.listen.as_str(), |(h, _)| h).trim_matches(['[', ']']);
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback && cfg.metrics_token.chars().count() < MIN_METRICS_TOKEN {
        anyhow::bail!(
            "serve listens on {}, beyond this machine: set metrics_token (RADHUS_METRICS_TOKEN) to a random value of at least {MIN_METRICS_TOKEN} characters",
            cfg.listen
        );
    }
    Ok(())
}

/// Commands that open the database: `--data DIR` (like `demo`, default ./radhus-data) or `--config FILE`.
fn open_config(loc: &Location) -> anyhow::Result<Config> {
    let default = PathBuf::from("radhus-data");
    settings::load(loc, Mode::Production, if loc.config.is_none() { Some(&default) } else { None })
}

async fn bind(listen: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen).await.map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))
}

async fn serve(
    cfg: Config,
    listener: tokio::net::TcpListener,
    db: Db,
    clock: Arc<dyn Clock>,
    demo: Option<crate::demo::Summary>,
) -> anyhow::Result<()> {
    let metrics = radhus_platform::metrics::install();
    let http = reqwest_client()?;
    let transports = Transports::from_config(&cfg, http)?;
    // The fixture register of fictitious persons only in demo mode (ADR 0007).
    let register: Arc<dyn PopulationRegister> =
        if cfg.mode.allows_test_eid() { Arc::new(FixtureRegister::new()) } else { Arc::new(NoRegister) };
    // The shared catalogue's starter bank: a new or newer shipped service is published (idempotent).
    radhus_eservices::catalogue::load_starter_bank(&db, clock.now()).await.map_err(|e| anyhow::anyhow!("starter bank: {e}"))?;
    let deps = Deps { db: db.clone(), config: cfg.clone(), clock: clock.clone(), register, metrics };
    let (router, state) = radhus_platform::build_app(deps, crate::modules(&cfg))?;
    let poll = std::time::Duration::from_millis(cfg.outbox_poll_ms.max(100));
    let (stopper, stop) = radhus_platform::shutdown::Stop::new();
    let delivery = radhus_platform::changes::spawn_delivery(db.clone(), clock.clone(), state.subscribers.clone(), poll, stop.clone());
    let worker = radhus_platform::outbox::spawn_worker(db.clone(), transports, clock, cfg.clone(), state.jobs.clone(), stop);
    let addr = listener.local_addr()?;
    if let Some(s) = demo {
        print_demo(addr.port(), &cfg, &s);
    }
    tracing::info!(listen = %addr, "serving");
    // On SIGTERM or SIGINT: the listener closes (a load balancer's next connection goes to
    // another node), requests in flight are answered, the background tasks finish the job,
    // message or event batch in hand; then the process exits with 0.
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            let signal = shutdown_signal().await;
            tracing::info!(signal, "shutting down: finishing the requests in flight and the running background work");
            stopper.stop();
        })
        .await?;
    for task in [Some(worker), delivery].into_iter().flatten() {
        if let Err(e) = task.await {
            tracing::error!(error = %e, "a background task ended abnormally");
        }
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGTERM (what a service manager or an orchestrator sends) or SIGINT (Ctrl-C);
/// returns its name.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut term), Ok(mut int)) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            },
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM; only Ctrl-C stops the server");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// A platform error as a readable message for the terminal (English, with field names).
fn explain(e: radhus_platform::error::Error) -> anyhow::Error {
    let i18n = match radhus_platform::web::I18n::new(&radhus_platform::web::i18n::PLATFORM_FTL) {
        Ok(i) => i,
        Err(err) => return err,
    };
    let t = |id: &str| i18n.message(radhus_kernel::Lang::En, id, None);
    let mut msg = match &e {
        radhus_platform::error::Error::Conflict(m) | radhus_platform::error::Error::Rule { message: m, .. } => t(m),
        other => t(&format!("err-{}", other.code().code)),
    };
    for f in e.field_errors() {
        msg.push_str(&format!("\n  {}: {}", f.field, t(&f.message)));
    }
    anyhow::anyhow!("{msg} [{}]", e.code())
}

fn reqwest_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build()?)
}

fn print_demo(port: u16, cfg: &Config, s: &crate::demo::Summary) {
    println!();
    println!("Rådhus demo is running.");
    println!("  Landing page:  http://localhost:{port}/");
    println!("  Karlstad:      http://karlstad.localhost:{port}/   (every municipality: http://<slug>.localhost:{port}/)");
    println!("  API docs:      http://localhost:{port}/api");
    println!();
    println!("Demo logins (password for all: {}):", crate::demo::DEMO_PASSWORD);
    for (who, email, host) in &s.logins {
        println!("  {who:<38} {email:<32} http://{host}:{port}/logga-in");
    }
    println!("  Citizens: test e-ID at http://karlstad.localhost:{port}/e-legitimation/test");
    println!();
    println!("Data is kept in {}; delete the folder to start over.", cfg.database_url.trim_start_matches("sqlite:"));
}

async fn tenant_command(db: &Db, command: TenantCommand) -> anyhow::Result<()> {
    match command {
        TenantCommand::Add { kommunkod, name, slug, hosts, color } => {
            let input = tenancy::TenantInput { kommunkod, name, slug, primary_color: color, hosts, ..Default::default() };
            let v = input.validate().map_err(explain)?;
            let now = SystemClock.now();
            let mut tx = db.write(Scope::Platform).await?;
            let id = tenancy::create(&mut tx, &v, now).await.map_err(explain)?;
            audit::record(
                &mut tx,
                None,
                &audit::Actor::system(),
                audit::Event::new("tenant.created", "tenant", id).with(serde_json::json!({ "via": "cli" })),
                now,
            )
            .await
            .map_err(explain)?;
            tx.commit().await?;
            println!("added {} ({id})", v.name);
            Ok(())
        }
        TenantCommand::List => {
            let mut tx = db.read(Scope::Platform).await?;
            let list = tenancy::list(&mut tx).await.map_err(explain)?;
            tx.commit().await?;
            for t in list {
                println!("{}  {:<14} {:<14} {}", t.kommunkod, t.name, t.slug, t.hosts.join(", "));
            }
            Ok(())
        }
    }
}

async fn user_command(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add { email, name, tenant, operator, admin, password } = command;
    if password.chars().count() < identity::password::MIN_LENGTH {
        anyhow::bail!("the password must have at least {} characters", identity::password::MIN_LENGTH);
    }
    let hash = identity::password::hash(&password).await.map_err(explain)?;
    let now = SystemClock.now();
    if operator {
        let mut tx = db.write(Scope::Platform).await?;
        let id = identity::operators::create(&mut tx, &email, &name, &hash, now).await.map_err(explain)?;
        audit::record(
            &mut tx,
            None,
            &audit::Actor::system(),
            audit::Event::new("operator.created", "operator", id).with(serde_json::json!({ "via": "cli" })),
            now,
        )
        .await
        .map_err(explain)?;
        tx.commit().await?;
        println!("added operator {email}");
        return Ok(());
    }
    let Some(slug) = tenant else { anyhow::bail!("give --tenant SLUG or --operator") };
    let mut tx = db.read(Scope::Platform).await?;
    let t = tenancy::by_slug(&mut tx, &slug)
        .await
        .map_err(explain)?
        .ok_or_else(|| anyhow::anyhow!("no municipality with short name {slug}"))?;
    tx.commit().await?;
    let input = identity::users::UserInput { email, name, active: Some("on".into()), ..Default::default() };
    let v = input.validate().map_err(explain)?;
    let mut tx = db.write(Scope::Tenant(t.id)).await?;
    let id = identity::users::create(&mut tx, t.id, &v, &hash, now).await.map_err(explain)?;
    if admin {
        let role = crate::demo::ensure_admin_role(&mut tx, t.id, now).await?;
        identity::roles::assign(&mut tx, t.id, id, role, None, now).await.map_err(explain)?;
    }
    audit::record(
        &mut tx,
        Some(t.id),
        &audit::Actor::system(),
        audit::Event::new("user.created", "user", id).with(serde_json::json!({ "via": "cli", "admin": admin })),
        now,
    )
    .await
    .map_err(explain)?;
    tx.commit().await?;
    println!("added {} to {}", v.email, t.name);
    Ok(())
}
