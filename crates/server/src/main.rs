//! `radhus`: the one binary of the Rådhus platform.

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = radhus::cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(radhus::cli::run(cli))
}
