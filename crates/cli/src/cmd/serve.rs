//! `safetygap serve`: the web page and JSON API.

use anyhow::{bail, Result};
use safetygap_server::{serve, ServeConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Serve the web page and the JSON API.
///
/// Open http://127.0.0.1:8080/ for the page; the API reference is at
/// /api/docs and the OpenAPI document at /api/openapi.json.
///
/// Examples:
///   safetygap serve
///   safetygap serve --addr 127.0.0.1:9000 --db ./plans.db
///   SAFETYGAP_TOKEN=$(openssl rand -hex 32) safetygap serve --addr 0.0.0.0:8080 --token-env SAFETYGAP_TOKEN
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Address to listen on. Loopback by default; any other address needs a
    /// token (--token-env). Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Saved-plan database (SQLite). Default: plans.db in the data directory
    /// (--data-dir, else $SAFETYGAP_DATA_DIR, else $XDG_DATA_HOME/safetygap,
    /// else ~/.local/share/safetygap); `:memory:` keeps nothing.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Name of the environment variable holding the bearer token that
    /// saving, updating and deleting saved plans must carry. Used when the
    /// variable is set; required off loopback.
    #[arg(long, value_name = "VAR", default_value = "SAFETYGAP_TOKEN")]
    pub token_env: String,
}

pub fn run(a: Args) -> Result<()> {
    let token = match std::env::var(&a.token_env) {
        Ok(t) if t.trim().is_empty() => bail!("the environment variable {} is set but empty; put the token in it or unset it", a.token_env),
        Ok(t) => Some(t.trim().to_string()),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(_)) => bail!("the environment variable {} is not valid UTF-8", a.token_env),
    };
    // Plans use the data the user imported, as `safetygap plan` does: refuse
    // to start on unreadable imports rather than silently use other figures.
    safetygap_data::store::try_default_data()?;
    let db = match a.db {
        Some(db) => db,
        None => safetygap_data::store::default_dir()?.path.join("plans.db"),
    };
    Ok(serve(ServeConfig { addr: a.addr, db: Some(db), token })?)
}
