//! Typesetting in a child process (ADR 0009, *Bounds*). Typst cannot be interrupted and bounds
//! no memory, so a server typesets each document in a process of its own, `radhus pdf-worker`,
//! which limits itself (address space, CPU time, no core file) before it reads the template,
//! and which the caller kills at the deadline. A runaway template then costs its deadline and
//! no more, and a memory bomb ends its own process instead of the server.
//!
//! The protocol is private to this crate (both ends are the same binary): the caller writes a
//! header (the limits) and the job to the worker's stdin, the worker writes one response to
//! its stdout. Every field is a little-endian `u64` or a length-prefixed byte string.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::{Diagnostic, PdfError};

/// How the worker is started and what it may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    /// The program to run, the server's own binary (`std::env::current_exe()`).
    pub program: PathBuf,
    /// Its arguments that make it a worker (`["pdf-worker"]`), which then calls [`serve_worker`].
    pub args: Vec<OsString>,
    /// The worker's address space in bytes (`RLIMIT_AS`), fonts and program included.
    pub memory: u64,
}

/// The worker's address space by default: 1 GiB. A memo needs about a fifth of it (ADR 0009).
pub const DEFAULT_MEMORY: u64 = 1 << 30;

static WORKER: OnceLock<Worker> = OnceLock::new();

/// Typeset every document of this process in a worker process (a server calls this once at
/// startup). Without it documents are typeset on a thread of this process, which cannot be
/// stopped or bounded in memory: fine for tests of the library, not for a server. A second
/// call with another worker is refused (`Err` gives it back).
pub fn use_worker(worker: Worker) -> Result<(), Worker> {
    match WORKER.set(worker) {
        Ok(()) => Ok(()),
        Err(w) if WORKER.get() == Some(&w) => Ok(()),
        Err(w) => Err(w),
    }
}

/// The worker set by [`use_worker`], if any.
pub fn worker() -> Option<&'static Worker> {
    WORKER.get()
}

const MAGIC: &[u8; 8] = b"RPDFJOB1";
/// No field of a job or a response is larger (the worker's whole address space is smaller).
const MAX_FIELD: u64 = 1 << 32;

/// One document to typeset, as the worker receives it.
struct Job {
    source: String,
    inputs: Vec<(String, String)>,
    files: Vec<(String, Vec<u8>)>,
    created: time::OffsetDateTime,
}

/// What the worker answers.
const OK: u64 = 0;
const TEMPLATE: u64 = 1;
const EXPORT: u64 = 2;
const PATH: u64 = 3;

fn put_u64(w: &mut impl Write, n: u64) -> io::Result<()> {
    w.write_all(&n.to_le_bytes())
}

fn put_bytes(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    put_u64(w, bytes.len() as u64)?;
    w.write_all(bytes)
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn get_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let len = get_u64(r)?;
    if len > MAX_FIELD {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "field too large"));
    }
    let mut bytes = Vec::new();
    r.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

fn get_string(r: &mut impl Read) -> io::Result<String> {
    String::from_utf8(get_bytes(r)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn write_job(
    w: &mut impl Write,
    limits: (u64, u64),
    source: &str,
    inputs: &[(&str, &str)],
    files: &[(&str, &[u8])],
    created: time::OffsetDateTime,
) -> io::Result<()> {
    w.write_all(MAGIC)?;
    put_u64(w, limits.0)?;
    put_u64(w, limits.1)?;
    put_bytes(w, source.as_bytes())?;
    put_u64(w, inputs.len() as u64)?;
    for (key, value) in inputs {
        put_bytes(w, key.as_bytes())?;
        put_bytes(w, value.as_bytes())?;
    }
    put_u64(w, files.len() as u64)?;
    for (path, data) in files {
        put_bytes(w, path.as_bytes())?;
        put_bytes(w, data)?;
    }
    // Two's complement: a date before 1970 round-trips.
    put_u64(w, created.unix_timestamp() as u64)?;
    w.flush()
}

/// The header: the limits the worker sets before it reads anything else.
fn read_limits(r: &mut impl Read) -> io::Result<(u64, u64)> {
    let mut magic = [0; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not a typesetting job"));
    }
    Ok((get_u64(r)?, get_u64(r)?))
}

fn read_job(r: &mut impl Read) -> io::Result<Job> {
    let source = get_string(r)?;
    let mut inputs = Vec::new();
    for _ in 0..get_u64(r)? {
        inputs.push((get_string(r)?, get_string(r)?));
    }
    let mut files = Vec::new();
    for _ in 0..get_u64(r)? {
        files.push((get_string(r)?, get_bytes(r)?));
    }
    let created =
        time::OffsetDateTime::from_unix_timestamp(get_u64(r)? as i64).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(Job { source, inputs, files, created })
}

fn write_response(w: &mut impl Write, result: &Result<Vec<u8>, PdfError>) -> io::Result<()> {
    match result {
        Ok(pdf) => {
            put_u64(w, OK)?;
            put_bytes(w, pdf)?;
        }
        Err(PdfError::Template(ds)) => {
            put_u64(w, TEMPLATE)?;
            put_u64(w, ds.len() as u64)?;
            for d in ds {
                put_u64(w, d.line.map_or(0, |l| l as u64))?;
                put_bytes(w, d.message.as_bytes())?;
            }
        }
        Err(PdfError::Path(m)) => {
            put_u64(w, PATH)?;
            put_bytes(w, m.as_bytes())?;
        }
        Err(PdfError::Export(m)) => {
            put_u64(w, EXPORT)?;
            put_bytes(w, m.as_bytes())?;
        }
        // Neither happens in a worker (its caller keeps the time and the slots).
        Err(other @ (PdfError::Timeout(_) | PdfError::Busy(_))) => {
            put_u64(w, EXPORT)?;
            put_bytes(w, other.to_string().as_bytes())?;
        }
    }
    w.flush()
}

fn read_response(r: &mut impl Read) -> io::Result<Result<Vec<u8>, PdfError>> {
    Ok(match get_u64(r)? {
        OK => Ok(get_bytes(r)?),
        TEMPLATE => {
            let mut ds = Vec::new();
            for _ in 0..get_u64(r)? {
                let line = usize::try_from(get_u64(r)?).ok().filter(|&l| l > 0);
                ds.push(Diagnostic { line, message: get_string(r)? });
            }
            Err(PdfError::Template(ds))
        }
        PATH => Err(PdfError::Path(get_string(r)?)),
        EXPORT => Err(PdfError::Export(get_string(r)?)),
        _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "unknown answer")),
    })
}

/// The worker's side: reads the limits from stdin and sets them, then reads one job, typesets
/// it and writes the PDF or the error to stdout. `Ok(true)`: a PDF was written; `Ok(false)`:
/// an error was (the caller exits with 1). Called by the server's hidden `pdf-worker` command.
pub fn serve_worker() -> io::Result<bool> {
    let mut stdin = io::stdin().lock();
    let (memory, cpu_seconds) = read_limits(&mut stdin)?;
    limit_self(memory, cpu_seconds)?;
    let job = read_job(&mut stdin)?;
    drop(stdin);
    let result = std::thread::Builder::new()
        .name("typst".into())
        .stack_size(crate::STACK)
        .spawn(move || {
            let inputs: Vec<(&str, &str)> = job.inputs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let files: Vec<(&str, &[u8])> = job.files.iter().map(|(p, d)| (p.as_str(), d.as_slice())).collect();
            crate::world(&job.source, &inputs, &files).and_then(|world| crate::compile(&world, job.created))
        })?
        .join()
        .unwrap_or_else(|_| Err(PdfError::Export("the typesetting panicked".into())));
    let mut stdout = io::stdout().lock();
    write_response(&mut stdout, &result)?;
    Ok(result.is_ok())
}

/// Address space, CPU time (`SIGXCPU` at the soft limit, `SIGKILL` a second later), no core
/// file, and death with the parent (Linux), all before the template is read.
#[cfg(unix)]
fn limit_self(memory: u64, cpu_seconds: u64) -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let set = |resource, current: u64, maximum: u64| {
        setrlimit(resource, Rlimit { current: Some(current), maximum: Some(maximum) }).map_err(io::Error::from)
    };
    set(Resource::Core, 0, 0)?;
    set(Resource::Cpu, cpu_seconds, cpu_seconds.saturating_add(1))?;
    set(Resource::As, memory, memory)?;
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    Ok(())
}

#[cfg(not(unix))]
fn limit_self(_memory: u64, _cpu_seconds: u64) -> io::Result<()> {
    Ok(())
}

/// The CPU seconds a worker may use: the deadline rounded up, plus one for starting.
fn cpu_seconds(deadline: Duration) -> u64 {
    deadline.as_secs() + u64::from(deadline.subsec_nanos() > 0) + 1
}

/// A worker that is killed and reaped however its caller leaves (deadline, error, panic).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How much of the worker's stderr is kept to explain a crash.
const STDERR_KEPT: u64 = 16 * 1024;

/// Typesets in `worker`, killing it at `deadline` (the caller holds the slot until it is gone).
pub(crate) fn render(
    worker: &Worker,
    source: &str,
    inputs: &[(&str, &str)],
    files: &[(&str, &[u8])],
    created: time::OffsetDateTime,
    deadline: Duration,
) -> Result<Vec<u8>, PdfError> {
    let child = Command::new(&worker.program)
        .args(&worker.args)
        // Nothing of the server's environment (its secrets included). glibc's malloc reserves
        // 64 MiB of address space per arena and rayon starts a thread per core: few of both
        // leave the limit to the document on any machine, and a slot is one core.
        .env_clear()
        .env("MALLOC_ARENA_MAX", "2")
        .env("RAYON_NUM_THREADS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PdfError::Export(format!("the typesetting process could not start: {e}")))?;
    let mut child = Running(child);
    let (Some(mut stdin), Some(mut stdout), Some(stderr)) = (child.0.stdin.take(), child.0.stdout.take(), child.0.stderr.take()) else {
        return Err(PdfError::Export("the typesetting process has no pipes".into()));
    };

    let mut job = Vec::new();
    write_job(&mut job, (worker.memory, cpu_seconds(deadline)), source, inputs, files, created)
        .map_err(|e| PdfError::Export(e.to_string()))?;
    let (done, answer) = mpsc::sync_channel(1);
    let io_error = |e: io::Error| PdfError::Export(format!("no thread for the typesetting process: {e}"));
    std::thread::Builder::new()
        .name("typst-io".into())
        .spawn(move || {
            // A worker that dies early closes its stdin: the answer (or its absence) says why.
            let _ = stdin.write_all(&job);
            drop(stdin);
            let mut out = Vec::new();
            let read = stdout.read_to_end(&mut out).map(|_| out);
            let _ = done.send(read);
        })
        .map_err(io_error)?;
    let errors = std::thread::Builder::new()
        .name("typst-err".into())
        .spawn(move || {
            let mut kept = Vec::new();
            let mut stderr = stderr;
            let _ = stderr.by_ref().take(STDERR_KEPT).read_to_end(&mut kept);
            let _ = io::copy(&mut stderr, &mut io::sink());
            String::from_utf8_lossy(&kept).into_owned()
        })
        .map_err(io_error)?;

    let out = match answer.recv_timeout(deadline) {
        Ok(out) => out,
        Err(RecvTimeoutError::Timeout) => {
            drop(child);
            return Err(PdfError::Timeout(deadline));
        }
        Err(RecvTimeoutError::Disconnected) => Err(io::Error::other("the reader ended")),
    };
    let status = child.0.wait().map_err(|e| PdfError::Export(format!("the typesetting process: {e}")))?;
    let stderr = errors.join().unwrap_or_default();
    match out.and_then(|out| read_response(&mut out.as_slice())) {
        Ok(result) => result,
        Err(_) => Err(failure(status, &stderr, worker.memory, deadline)),
    }
}

/// Why a worker ended without an answer.
fn failure(status: ExitStatus, stderr: &str, memory: u64, deadline: Duration) -> PdfError {
    if stderr.contains("memory allocation of") {
        let mib = memory / (1024 * 1024);
        return PdfError::Template(vec![Diagnostic {
            line: None,
            message: format!("the template needed more than the {mib} MiB of memory a document may use and was stopped"),
        }]);
    }
    #[cfg(unix)]
    {
        use rustix::process::Signal;
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal()
            && (signal == Signal::XCPU.as_raw() || signal == Signal::KILL.as_raw())
        {
            // The CPU limit (or the kernel's OOM killer): the deadline in another clock.
            return PdfError::Timeout(deadline);
        }
    }
    let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no message");
    PdfError::Export(format!("the typesetting process ended without a document ({status}): {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_and_its_answers_round_trip() {
        let created = time::macros::datetime!(1969-12-31 23:59:58 UTC);
        let mut bytes = Vec::new();
        write_job(&mut bytes, (7, 11), "= Å", &[("data", "{}")], &[("/logo.svg", b"<svg/>")], created).expect("write");
        let mut r = bytes.as_slice();
        assert_eq!(read_limits(&mut r).expect("limits"), (7, 11));
        let job = read_job(&mut r).expect("job");
        assert_eq!((job.source.as_str(), job.created), ("= Å", created));
        assert_eq!(job.inputs, vec![("data".to_string(), "{}".to_string())]);
        assert_eq!(job.files, vec![("/logo.svg".to_string(), b"<svg/>".to_vec())]);
        assert!(read_limits(&mut &b"RPDFJOB0"[..]).is_err());

        for answer in [
            Ok(b"%PDF-".to_vec()),
            Err(PdfError::Template(vec![
                Diagnostic { line: Some(3), message: "x".into() },
                Diagnostic { line: None, message: "y".into() },
            ])),
            Err(PdfError::Path("p".into())),
            Err(PdfError::Export("e".into())),
        ] {
            let mut bytes = Vec::new();
            write_response(&mut bytes, &answer).expect("write");
            let back = read_response(&mut bytes.as_slice()).expect("read");
            assert_eq!(format!("{back:?}"), format!("{answer:?}"));
        }
        assert!(read_response(&mut &[0u8, 0][..]).is_err(), "a truncated answer is no answer");
    }

    #[test]
    fn the_cpu_limit_is_the_deadline_rounded_up_plus_one_second() {
        assert_eq!(cpu_seconds(Duration::from_secs(10)), 11);
        assert_eq!(cpu_seconds(Duration::from_millis(2500)), 4);
        assert_eq!(cpu_seconds(Duration::from_millis(200)), 2);
    }
}
