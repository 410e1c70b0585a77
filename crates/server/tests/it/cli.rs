//! The `radhus` binary as an operator runs it: errors as messages, the demo's listen address.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn radhus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radhus"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("radhus-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn a_cli_error_is_a_message_without_a_backtrace() {
    let dir = temp_dir("error");
    let out = radhus()
        .args(["tenant", "add", "--data"])
        .arg(&dir)
        .args(["--kommunkod", "1715", "--name", "Kil", "--slug", "Inte OK!", "--hosts", "kil.example.se"])
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .output()
        .expect("run radhus");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a bad slug must fail");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("slug"), "the field error is named: {stderr}");
    assert!(!stderr.to_lowercase().contains("backtrace"), "no backtrace for bad input: {stderr}");
    // A missing configuration file is a message too.
    let out = radhus().args(["tenant", "list", "--config"]).arg(dir.join("saknas.toml")).env("RUST_BACKTRACE", "1").output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("does not exist") && !stderr.to_lowercase().contains("backtrace"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A free port on loopback (bound and released; the demo binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Starts `radhus demo` with the given arguments and returns what it printed up to the ready
/// line, killing it afterwards.
fn demo_output(args: &[&str], dir: &std::path::Path) -> String {
    let mut child = radhus()
        .arg("demo")
        .args(args)
        .arg("--data")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn demo");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = String::new();
    let started = Instant::now();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("Data is kept in") || started.elapsed() > Duration::from_secs(300) {
            break;
        }
    }
    // What it printed is where it serves: the health check answers there.
    let port = printed.split("http://localhost:").nth(1).and_then(|s| s.split('/').next()).unwrap_or("0").to_string();
    let answer = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).ok().and_then(|mut s| {
        use std::io::{Read, Write};
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
        let mut body = String::new();
        s.read_to_string(&mut body).ok()?;
        Some(body)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.as_deref().is_some_and(|a| a.starts_with("HTTP/1.1 200")), "no health answer on port {port}: {answer:?}\n{printed}");
    printed
}

#[test]
fn demo_listens_where_the_flag_then_the_file_says_and_prints_that() {
    let dir = temp_dir("demo");
    let from_file = free_port();
    let config = dir.join("radhus.toml");
    std::fs::write(&config, format!("listen = \"127.0.0.1:{from_file}\"\n")).expect("config");
    let printed = demo_output(&["--config", config.to_str().expect("path")], &dir);
    assert!(printed.contains(&format!("http://localhost:{from_file}/")), "{printed}");
    assert!(!printed.contains(":8080"), "{printed}");
    let from_flag = free_port();
    let printed = demo_output(&["--config", config.to_str().expect("path"), "--listen", &format!("127.0.0.1:{from_flag}")], &dir);
    assert!(printed.contains(&format!("http://karlstad.localhost:{from_flag}/")), "the flag wins: {printed}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_restore_and_inventory_from_the_command_line() {
    let dir = temp_dir("backup");
    let (a, b, file) = (dir.join("a"), dir.join("b"), dir.join("kopia.db"));
    let run = |args: &[&str], data: &std::path::Path| {
        let out = radhus().args(args).arg("--data").arg(data).env("RUST_LOG", "warn").output().expect("run radhus");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, _, err) = run(&["tenant", "add", "--kommunkod", "1715", "--name", "Kil", "--slug", "kil", "--hosts", "kil.example.se"], &a);
    assert!(ok, "{err}");
    let file_arg = file.to_str().expect("utf-8");
    let (ok, out, err) = run(&["backup", "--to", file_arg], &a);
    assert!(ok && out.contains("backup written") && out.contains("key file"), "{out}{err}");
    let (ok, _, err) = run(&["backup", "--to", file_arg], &a);
    assert!(!ok && err.contains("exists already"), "{err}");

    let (ok, out, err) = run(&["restore", "--from", file_arg], &b);
    assert!(ok && out.contains("audit log intact"), "{out}{err}");
    let (ok, _, err) = run(&["restore", "--from", file_arg], &b);
    assert!(!ok && err.contains("--replace"), "{err}");

    let (ok, left, err) = run(&["inventory"], &a);
    assert!(ok, "{err}");
    let (_, right, _) = run(&["inventory"], &b);
    assert!(left.contains("tenant ") && left.lines().count() > 20, "{left}");
    assert_eq!(left, right, "the restored database is the original, table by table");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_beyond_loopback_needs_a_metrics_token() {
    let dir = temp_dir("metrics");
    let serve = |listen: &str, token: &str| {
        let out = radhus()
            .args(["serve", "--data"])
            .arg(&dir)
            .env("RADHUS_LISTEN", listen)
            .env("RADHUS_METRICS_TOKEN", token)
            .env("RADHUS_PII_KEYS_FILE", dir.join("saknas"))
            .env("RUST_LOG", "warn")
            .output()
            .expect("run radhus");
        assert!(!out.status.success(), "no key file: serve never starts here");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    for (listen, token) in [("0.0.0.0:0", ""), ("[::]:0", ""), ("10.0.0.5:8080", "kort")] {
        let err = serve(listen, token);
        assert!(err.contains("metrics_token") && err.contains(listen), "{listen}: {err}");
    }
    // On loopback, or with a long token, it goes on to the next check (the key file).
    for (listen, token) in
        [("127.0.0.1:0", ""), ("localhost:0", ""), ("[::1]:0", ""), ("0.0.0.0:0", "en-lång-slumpmässig-nyckel-för-mätvärden")]
    {
        let err = serve(listen, token);
        assert!(!err.contains("metrics_token") && err.contains("PLT-010"), "{listen}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
