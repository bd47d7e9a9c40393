//! `pipeline-world`: serves a generated world until SIGTERM/SIGINT or stdin closes.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Parser;
use pipeline_testkit::World;

/// Serve the simulated world on 127.0.0.1 and write a ready pipeline.toml, companies.csv and
/// service-account.json into DIR.
#[derive(Debug, Parser)]
#[command(name = "pipeline-world", version)]
struct Args {
    /// Seed of the generated world: same seed, same world.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of companies.
    #[arg(long, default_value_t = 50)]
    companies: usize,
    /// Mean postings per board: every board's drawn count scaled to this mean, keeping the generator's shape
    /// (some empty boards, a long tail); default: the generator's own (about 32).
    #[arg(long)]
    postings_per_board: Option<f64>,
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Directory for the generated files (default: a new temporary directory, kept).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep serving when stdin closes (only a signal stops the world).
    #[arg(long)]
    ignore_stdin: bool,
    /// Serve the providers' APIs on HTTPS too, with a certificate of a test CA made now: the generated
    /// pipeline.toml points the providers at it and trusts the CA (`world-ca.pem`) through `[http] ca_file`.
    #[arg(long)]
    tls: bool,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let dir = match args.dir {
        Some(dir) => dir,
        None => tempfile::Builder::new()
            .prefix("pipeline-world-")
            .tempdir()?
            .keep(),
    };
    let world = World::generate_with_postings(args.seed, args.companies, args.postings_per_board);
    let world = match args.tls {
        true => world.start_on_with_tls(args.port)?,
        false => world.start_on(args.port)?,
    };
    world.write_files(&dir)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "WORLD READY {} {}", world.base_url(), dir.display())?;
    stdout.flush()?;
    drop(stdout);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let ignore_stdin = args.ignore_stdin;
        let stdin_closed = async move {
            if ignore_stdin {
                return std::future::pending::<()>().await;
            }
            let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
            // A plain thread: a blocking read would keep the runtime from shutting down.
            std::thread::spawn(move || {
                let mut sink = [0u8; 1024];
                let mut stdin = std::io::stdin();
                while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
                let _ = closed_tx.send(());
            });
            let _ = closed_rx.await;
        };
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
            () = stdin_closed => {}
        }
        Ok::<(), std::io::Error>(())
    })?;
    world.shutdown();
    Ok(())
}
