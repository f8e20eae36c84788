//! The safetygap server: a JSON API, the web page, and saved plans in an
//! embedded SQLite database.
//!
//! The API computes plans with the same library calls as the CLI
//! (`safetygap_data::inputs::plan_input`, `safetygap_core::compute`,
//! `safetygap_report::json::value`), so a plan from `POST /api/plan` equals
//! `safetygap plan --format json` for the same inputs. The page is plain
//! HTML, CSS and JavaScript compiled into the binary; nothing is loaded
//! from another origin.
//!
//! ```no_run
//! use safetygap_server::{serve, ServeConfig};
//! serve(ServeConfig { addr: "127.0.0.1:8080".parse().unwrap(), db: None, token: None }).unwrap();
//! ```
//!
//! Security: the server binds loopback by default and then answers only to
//! loopback Host names. Bound to any other address it refuses to start
//! without a bearer token, which every write (saving, updating, deleting a
//! saved plan) must carry. Every response carries a strict
//! Content-Security-Policy (no inline script), `nosniff`, `no-referrer` and
//! `DENY` framing; request bodies are limited to [`BODY_LIMIT`] bytes and
//! requests to [`TIMEOUT`]; a panic in a handler becomes a 500 problem.
#![deny(missing_docs)]

pub mod api;
pub mod assets;
pub mod openapi;
pub mod problem;
pub mod scenario;
pub mod security;
pub mod storage;

use axum::routing::{get, post};
use axum::Router;
use problem::{Kind, Problem};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use storage::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Largest request body accepted (a catalog override is tens of kilobytes).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Longest a request may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How long a request waits for a free worker for heavy work before the
/// server answers that it is busy.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Longest a client may take to send a request's headers; a connection
/// that trickles them in is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a connection may sit with nothing read or written (between
/// keep-alive requests, or mid-body) before it is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Most connections open at once; further clients wait in the listen
/// backlog instead of exhausting the process's file descriptors.
pub const MAX_CONNECTIONS: usize = 256;

thread_local! {
    /// The cancel flag of the heavy job running on this blocking thread.
    static CANCEL: std::cell::RefCell<Option<Arc<AtomicBool>>> = const { std::cell::RefCell::new(None) };
}

/// The cancel flag of the job running on this thread under
/// [`AppState::blocking`]: set once the request that started the job has
/// been answered or dropped (e.g. it timed out), so long work stops instead
/// of running on abandoned. A fresh, never-set flag elsewhere.
pub fn cancel_flag() -> Arc<AtomicBool> {
    CANCEL.with(|c| c.borrow().clone()).unwrap_or_default()
}

/// Sets the flag when dropped: when the request future goes away.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

type CompareCache = HashMap<(api::Level, Option<String>), Arc<Vec<api::CompareRow>>>;

/// What the router needs.
pub struct Inner {
    /// Saved plans.
    pub store: Store,
    /// Bearer token writes must carry, if any.
    pub token: Option<String>,
    /// Refuse Host headers that are not loopback names.
    pub check_host: bool,
    heavy: Arc<tokio::sync::Semaphore>,
    compare_cache: Mutex<CompareCache>,
}

/// Shared state of the router.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl AppState {
    /// State over a store. `token`: what writes must carry (None: writes
    /// are open, for loopback use). `check_host`: answer only to loopback
    /// Host names (set it when bound to loopback).
    pub fn new(store: Store, token: Option<String>, check_host: bool) -> Self {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState(Arc::new(Inner {
            store,
            token,
            check_host,
            heavy: Arc::new(tokio::sync::Semaphore::new(workers)),
            compare_cache: Mutex::new(HashMap::new()),
        }))
    }

    /// Runs CPU-heavy work on the blocking pool, at most one job per core
    /// at a time; a panic becomes a 500 problem. If the request goes away
    /// first (its timeout answered 503), the job's [`cancel_flag`] is set,
    /// and simulations check it between chunks of draws.
    pub async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T, Problem> + Send + 'static) -> Result<T, Problem> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.0.heavy.clone().acquire_owned())
            .await
            .map_err(|_| Problem::new(Kind::Unavailable, "the server is busy with other computations; try again in a moment."))?
            .map_err(|_| Problem::internal("the worker pool is closed."))?;
        let flag = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(flag.clone());
        self.blocking_io(move || {
            let _permit = permit;
            CANCEL.with(|c| *c.borrow_mut() = Some(flag));
            let r = f();
            CANCEL.with(|c| *c.borrow_mut() = None);
            r
        })
        .await
    }

    /// Runs blocking I/O (the database) on the blocking pool.
    pub async fn blocking_io<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T, Problem> + Send + 'static) -> Result<T, Problem> {
        match tokio::task::spawn_blocking(f).await {
            Ok(r) => r,
            Err(e) if e.is_panic() => Err(Problem::internal("the computation hit an unexpected error.")),
            Err(_) => Err(Problem::new(Kind::Unavailable, "the server is shutting down.")),
        }
    }
}

/// The complete application: API, page, assets and every middleware.
pub fn router(state: AppState) -> Router {
    router_with_extra(state, Router::new())
}

/// [`router`] with `extra` routes added among the real ones, under every
/// middleware (tests add a handler that panics).
pub fn router_with_extra(state: AppState, extra: Router<AppState>) -> Router {
    use axum::middleware::{from_fn, from_fn_with_state};
    let api = extra
        .route("/api/health", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/jurisdictions/{geoid}", get(api::jurisdiction))
        .route("/api/catalog", get(api::catalog))
        .route("/api/plan", get(api::plan_get).post(api::plan_post))
        .route("/api/explain/{program}", post(api::explain))
        .route("/api/export/{format}", post(api::export))
        .route("/api/charts/{chart}", post(api::chart))
        .route("/api/compare", get(api::compare))
        .route("/api/map/{state}", get(api::map))
        .route("/api/saved-plans", get(api::saved_list).post(api::saved_create))
        .route("/api/saved-plans/{id}", get(api::saved_get).put(api::saved_update).delete(api::saved_delete))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/api/docs", get(assets::docs))
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        // The problem middleware writes the 404 body, naming the path.
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .with_state(state.clone());
    // The routes are wrapped as one service so the middleware below sees
    // their finished responses (axum adds `Allow` to a 405 only at the
    // outermost router).
    Router::new()
        .fallback_service(api)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), security::auth))
        .layer(from_fn_with_state(state, security::loopback_host))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, TIMEOUT))
        .layer(from_fn(security::problems))
        .layer(from_fn(security::limits))
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(from_fn(security::headers))
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen (default 127.0.0.1:8080).
    pub addr: SocketAddr,
    /// Saved-plan database (default [`storage::default_path`]); `:memory:`
    /// keeps nothing.
    pub db: Option<PathBuf>,
    /// Bearer token for writes; required unless `addr` is loopback.
    pub token: Option<String>,
}

/// Shortest token accepted.
pub const MIN_TOKEN_LEN: usize = 16;

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// A setting is wrong; the text says how to fix it.
    Config(String),
    /// The database could not be opened.
    Store(storage::StoreError),
    /// Binding or serving failed.
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Config(m) => f.write_str(m),
            ServeError::Store(e) => write!(f, "{e}"),
            ServeError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Checks a configuration and opens its database: refuses a non-loopback
/// address without a token, and a token too short to resist guessing.
pub fn prepare(config: &ServeConfig) -> Result<AppState, ServeError> {
    let loopback = config.addr.ip().is_loopback();
    if let Some(t) = &config.token {
        if t.len() < MIN_TOKEN_LEN || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ServeError::Config(format!(
                "the token must be at least {MIN_TOKEN_LEN} characters with no spaces; generate one with `openssl rand -hex 32`"
            )));
        }
    } else if !loopback {
        return Err(ServeError::Config(format!(
            "refusing to listen on {} without a token: anyone who can reach it could change saved plans. Set a token in an \
             environment variable (e.g. `export SAFETYGAP_TOKEN=$(openssl rand -hex 32)`) and name it with --token-env, \
             or listen on 127.0.0.1",
            config.addr
        )));
    }
    let store = match config.db.as_deref() {
        Some(p) if p.as_os_str() == ":memory:" => Store::open_in_memory(),
        Some(p) => Store::open(p),
        None => {
            let p = storage::default_path().ok_or_else(|| {
                ServeError::Config("cannot find a data directory (neither XDG_DATA_HOME nor HOME is set); give --db FILE".into())
            })?;
            Store::open(&p)
        }
    }
    .map_err(ServeError::Store)?;
    Ok(AppState::new(store, config.token.clone(), loopback))
}

/// Runs the server until Ctrl-C or SIGTERM, on its own Tokio runtime.
/// Prints the address it listens on (useful with port 0) to stderr.
pub fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let state = prepare(&config)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Io)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| {
            ServeError::Io(std::io::Error::new(
                e.kind(),
                format!(
                    "cannot listen on {}: {e}; is another server using the port? Try --addr 127.0.0.1:0 for any free port",
                    config.addr
                ),
            ))
        })?;
        let local = listener.local_addr().map_err(ServeError::Io)?;
        let db = state.0.store.path().map_or_else(|| "in memory (nothing is kept)".to_string(), |p| p.display().to_string());
        eprintln!("safetygap: listening on http://{local}/");
        eprintln!("safetygap: saved plans in {db}");
        if state.0.token.is_some() {
            eprintln!("safetygap: writes need the bearer token");
        }
        let app = router(state);
        run(listener, app, shutdown()).await;
        Ok(())
    })
}

/// Serves `app` on `listener` until `stop` completes: HTTP/1.1 with
/// [`HEADER_READ_TIMEOUT`], [`IDLE_TIMEOUT`] and at most
/// [`MAX_CONNECTIONS`] open connections (axum::serve has none of these, so
/// a thousand half-sent requests held the server's file descriptors). On
/// stop, open connections finish their current request (up to 10 s).
pub async fn run(listener: tokio::net::TcpListener, app: Router, stop: impl std::future::Future<Output = ()>) {
    run_with(listener, app, stop, Limits::default()).await
}

/// Connection limits of [`run_with`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_READ_TIMEOUT`].
    pub header_read: Duration,
    /// See [`IDLE_TIMEOUT`].
    pub idle: Duration,
    /// See [`MAX_CONNECTIONS`].
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_read: HEADER_READ_TIMEOUT, idle: IDLE_TIMEOUT, max_connections: MAX_CONNECTIONS }
    }
}

/// [`run`] with given limits (tests use short ones).
pub async fn run_with(listener: tokio::net::TcpListener, app: Router, stop: impl std::future::Future<Output = ()>, limits: Limits) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = &mut stop => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(_) => {
                    // Out of file descriptors or similar: back off, retry.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut rx = rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let io = TokioIo::new(idle::IdleStream::new(stream, limits.idle));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read).max_headers(security::PARSED_HEADERS);
            let conn = builder.serve_connection(io, service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = rx.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(10), conn).await;
                }
            }
        });
    }
    drop(listener);
    let _ = tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(10), slots.acquire_many(limits.max_connections as u32)).await;
}

mod idle {
    //! A stream that fails once nothing was read or written for a while.
    use std::future::Future;
    use std::io;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;
    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
    use tokio::time::{Instant, Sleep};

    pub struct IdleStream<S> {
        inner: S,
        timeout: Duration,
        deadline: Pin<Box<Sleep>>,
    }

    impl<S> IdleStream<S> {
        pub fn new(inner: S, timeout: Duration) -> Self {
            IdleStream { inner, timeout, deadline: Box::pin(tokio::time::sleep(timeout)) }
        }

        fn touch(&mut self) {
            let t = Instant::now() + self.timeout;
            self.deadline.as_mut().reset(t);
        }

        fn expired(&mut self, cx: &mut Context<'_>) -> bool {
            self.deadline.as_mut().poll(cx).is_ready()
        }
    }

    fn timed_out() -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, "connection idle too long")
    }

    impl<S: AsyncRead + Unpin> AsyncRead for IdleStream<S> {
        fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            let before = buf.filled().len();
            match Pin::new(&mut self.inner).poll_read(cx, buf) {
                Poll::Ready(r) => {
                    if buf.filled().len() > before {
                        self.touch();
                    }
                    Poll::Ready(r)
                }
                Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
                Poll::Pending => Poll::Pending,
            }
        }
    }

    impl<S: AsyncWrite + Unpin> AsyncWrite for IdleStream<S> {
        fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            match Pin::new(&mut self.inner).poll_write(cx, buf) {
                Poll::Ready(r) => {
                    self.touch();
                    Poll::Ready(r)
                }
                Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
                Poll::Pending => Poll::Pending,
            }
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.inner).poll_flush(cx)
        }

        fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
            Pin::new(&mut self.inner).poll_shutdown(cx)
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
