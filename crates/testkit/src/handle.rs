//! A running world: start it, point the pipeline at it, change it, inject faults, read its log and sheets.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::config;
use crate::days::DayReport;
use crate::faults::{Fault, Faults, Target};
use crate::google::Google;
use crate::log::RequestLog;
use crate::model::{Board, BoardRef, Company, DirectoryKind, Posting};
use crate::server::{self, Latency, Shared, lock, read};
use crate::tls::TestTls;
use crate::world::{GroundTruth, World};

/// The world, serving on 127.0.0.1 from its own runtime thread until dropped.
pub struct WorldHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// The HTTPS listener (same world, same log), when started with TLS, and its test CA.
    tls: Option<(SocketAddr, TestTls)>,
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WorldHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorldHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Files written by [`WorldHandle::write_files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldFiles {
    pub config: PathBuf,
    pub companies_csv: PathBuf,
    pub service_account: PathBuf,
}

impl World {
    /// Starts serving the world on 127.0.0.1 at a free port.
    pub fn start(self) -> io::Result<WorldHandle> {
        WorldHandle::start(self, 0)
    }

    /// Starts serving on a given port (0 = any free port).
    pub fn start_on(self, port: u16) -> io::Result<WorldHandle> {
        WorldHandle::start(self, port)
    }

    /// Starts serving on two free ports: plain HTTP, and HTTPS with a certificate of a test CA made now
    /// ([`WorldHandle::ca_pem`]); [`WorldHandle::config_toml`] then puts the providers' APIs on HTTPS.
    pub fn start_with_tls(self) -> io::Result<WorldHandle> {
        self.start_on_with_tls(0)
    }

    /// [`World::start_with_tls`], plain HTTP on a given port (0 = any free port).
    pub fn start_on_with_tls(self, port: u16) -> io::Result<WorldHandle> {
        let tls = TestTls::generate().map_err(io::Error::other)?;
        WorldHandle::start_serving(self, port, Some(tls))
    }
}

impl WorldHandle {
    fn start(world: World, port: u16) -> io::Result<WorldHandle> {
        WorldHandle::start_serving(world, port, None)
    }

    fn start_serving(mut world: World, port: u16, tls: Option<TestTls>) -> io::Result<WorldHandle> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        world.bind_port(addr.port());
        let tls_listener = match &tls {
            Some(tls) => {
                let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
                listener.set_nonblocking(true)?;
                Some((listener.local_addr()?, listener, tls.clone()))
            }
            None => None,
        };
        let tls_addr = tls_listener.as_ref().map(|(addr, _, _)| *addr);
        let shared = Arc::new(Shared {
            google: Mutex::new(Google::new(&world.spreadsheet_id)),
            faults: Mutex::new(Faults::new(world.seed)),
            clock: pipeline_domain::ManualClock::new(world.now()),
            world: RwLock::new(world),
            log: Mutex::new(RequestLog::default()),
            latency: Mutex::new(Latency::default()),
            replies: Mutex::default(),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pipeline-world")
            .enable_all()
            .build()?;
        let shutdown = CancellationToken::new();
        let thread = {
            let (shared, shutdown) = (shared.clone(), shutdown.clone());
            std::thread::Builder::new()
                .name("pipeline-world".to_owned())
                .spawn(move || {
                    runtime.block_on(async move {
                        if let Some((_, listener, tls)) = tls_listener {
                            match tokio::net::TcpListener::from_std(listener) {
                                Ok(listener) => {
                                    let (shared, shutdown) = (shared.clone(), shutdown.clone());
                                    tokio::spawn(server::serve(
                                        listener,
                                        shared,
                                        shutdown,
                                        Some(tls.acceptor),
                                    ));
                                }
                                Err(_) => shutdown.cancel(),
                            }
                        }
                        match tokio::net::TcpListener::from_std(listener) {
                            Ok(listener) => server::serve(listener, shared, shutdown, None).await,
                            Err(_) => shutdown.cancel(),
                        }
                    });
                })?
        };
        Ok(WorldHandle {
            shared,
            addr,
            tls: tls_addr.zip(tls),
            shutdown,
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// `https://127.0.0.1:TLS_PORT` when started with TLS.
    pub fn tls_base_url(&self) -> Option<String> {
        self.tls
            .as_ref()
            .map(|(addr, _)| format!("https://127.0.0.1:{}", addr.port()))
    }

    /// The PEM of the test CA that signed the HTTPS listener's certificate, when started with TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.tls.as_ref().map(|(_, tls)| tls.ca_pem.as_str())
    }

    /// A company's website URL (`http://acme.test:PORT/`), reached through the `*.test` resolve override.
    pub fn site_url(&self, domain: &str) -> String {
        World::website_url(domain, self.port())
    }

    /// A directory's listing URL (`http://catalonia.test:PORT/list-of-startups`).
    pub fn directory_url(&self, kind: DirectoryKind) -> String {
        format!("http://{}:{}{}", kind.host(), self.port(), kind.listing_path())
    }

    pub fn spreadsheet_id(&self) -> String {
        read(&self.shared.world).spreadsheet_id.clone()
    }

    /// The `pipeline.toml` text for this world; writes the service-account key file into `dir` (and, with
    /// TLS, the test CA as `world-ca.pem`, trusted through `[http] ca_file`, the APIs on HTTPS).
    pub fn config_toml(&self, dir: &Path) -> io::Result<String> {
        let key = dir.join(config::SERVICE_ACCOUNT_FILE);
        std::fs::write(&key, config::service_account_json(&self.base_url()))?;
        let key = std::path::absolute(&key)?;
        let ca = match &self.tls {
            Some((addr, tls)) => {
                let path = std::path::absolute(dir.join(config::CA_FILE))?;
                std::fs::write(&path, &tls.ca_pem)?;
                Some((addr.port(), path))
            }
            None => None,
        };
        let tls = ca.as_ref().map(|(port, path)| (*port, path.as_path()));
        Ok(config::pipeline_toml_with_api(
            self.port(),
            tls,
            &self.spreadsheet_id(),
            &key,
        ))
    }

    /// Writes `pipeline.toml`, `companies.csv` and `service-account.json` into `dir`.
    pub fn write_files(&self, dir: &Path) -> io::Result<WorldFiles> {
        std::fs::create_dir_all(dir)?;
        let files = WorldFiles {
            config: dir.join("pipeline.toml"),
            companies_csv: dir.join("companies.csv"),
            service_account: dir.join(config::SERVICE_ACCOUNT_FILE),
        };
        let toml = self.config_toml(dir)?;
        std::fs::write(&files.config, toml)?;
        std::fs::write(&files.companies_csv, self.companies_csv())?;
        Ok(files)
    }

    /// `name,website` CSV of the world's companies, websites with this world's port.
    pub fn companies_csv(&self) -> String {
        read(&self.shared.world).companies_csv(self.port())
    }

    /// Reads the world.
    pub fn read<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&read(&self.shared.world))
    }

    /// Changes the world; requests see the change as soon as `f` returns.
    pub fn update<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.world_mut())
    }

    /// A copy of the world as it is now.
    pub fn world(&self) -> World {
        self.read(Clone::clone)
    }

    pub fn truth(&self) -> GroundTruth {
        self.read(World::truth)
    }

    /// One day passes: the world changes (see [`World::advance_day`]) and its clock moves to 08:00 UTC of
    /// the new day.
    pub fn advance_day(&self) -> DayReport {
        server::advance_day(&self.shared)
    }

    /// The world's clock: give it to the engine under test, so the pipeline and the world agree on the
    /// day (`advance_day` moves both). Clones share the time.
    pub fn clock(&self) -> pipeline_domain::ManualClock {
        self.shared.clock.clone()
    }

    pub fn add_company(&self, company: Company) {
        self.update(|w| w.add_company(company));
    }

    pub fn add_board(&self, board: Board) {
        self.update(|w| w.add_board(board));
    }

    pub fn remove_board(&self, reference: &BoardRef) -> Option<Board> {
        self.update(|w| w.remove_board(reference))
    }

    pub fn add_posting(&self, reference: &BoardRef, posting: Posting) -> bool {
        self.update(|w| w.add_posting(reference, posting))
    }

    pub fn close_posting(&self, reference: &BoardRef, id: &str) -> Option<Posting> {
        self.update(|w| w.close_posting(reference, id))
    }

    /// Changes a posting in place (bumps its and its board's `updated_at`). False when not found.
    pub fn modify_posting(&self, reference: &BoardRef, id: &str, change: impl FnOnce(&mut Posting)) -> bool {
        self.update(|w| w.modify_posting(reference, id, change))
    }

    /// The next `count` requests matching `target` answer `fault`.
    pub fn script_fault(&self, target: Target, count: usize, fault: Fault) {
        lock(&self.shared.faults).script(target, count, fault);
    }

    /// Requests matching `target` answer `fault` with this probability (seeded by the world's seed).
    pub fn random_fault(&self, target: Target, probability: f64, fault: Fault) {
        lock(&self.shared.faults).random(target, probability, fault);
    }

    pub fn faults<R>(&self, f: impl FnOnce(&mut Faults) -> R) -> R {
        f(&mut lock(&self.shared.faults))
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Delay added to every request (default 0).
    pub fn set_latency(&self, delay: Duration) {
        lock(&self.shared.latency).default = delay;
    }

    /// Delay for requests with one route label (`lever`, `sheets`, `site`, ...).
    pub fn set_latency_for(&self, label: &str, delay: Duration) {
        lock(&self.shared.latency)
            .per_label
            .insert(label.to_owned(), delay);
    }

    /// A snapshot of the request log.
    pub fn log(&self) -> RequestLog {
        lock(&self.shared.log).clone()
    }

    pub fn clear_log(&self) {
        *lock(&self.shared.log) = RequestLog::default();
    }

    pub fn google<R>(&self, f: impl FnOnce(&mut Google) -> R) -> R {
        f(&mut lock(&self.shared.google))
    }

    /// The cells of a tab of the world's spreadsheet, row by row (rows as stored: trailing cells may be empty).
    pub fn sheet(&self, tab: &str) -> Vec<Vec<String>> {
        let id = self.spreadsheet_id();
        self.google(|g| {
            g.spreadsheets
                .get(&id)
                .and_then(|s| s.tab(tab))
                .map(|t| t.rows.clone())
                .unwrap_or_default()
        })
    }

    /// Replaces a tab's cells (creating the tab).
    pub fn seed_sheet(&self, tab: &str, rows: Vec<Vec<String>>) {
        let id = self.spreadsheet_id();
        self.google(|g| g.seed_tab(&id, tab, rows));
    }

    /// The `spreadsheets.batchUpdate` requests received (setDataValidation, copyPaste, ...).
    pub fn sheet_requests(&self) -> Vec<Value> {
        let id = self.spreadsheet_id();
        self.google(|g| {
            g.spreadsheets
                .get(&id)
                .map(|s| s.requests.clone())
                .unwrap_or_default()
        })
    }

    /// Stops serving and waits for the server thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for WorldHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
