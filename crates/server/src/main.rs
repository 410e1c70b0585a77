//! `radhus`: the one binary of the Rådhus platform.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = radhus::cli::Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(radhus::cli::run(cli)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // What went wrong, with its causes, for the person at the terminal: bad input, a missing
        // file, an unreachable database. No backtrace, whatever RUST_BACKTRACE says; a bug
        // panics, and a panic keeps its backtrace.
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
