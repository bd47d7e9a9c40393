//! `pause PROVIDER [--for DURATION] [--reason TEXT]` and `resume PROVIDER`.

use std::sync::Arc;

use pipeline_domain::Provider;
use pipeline_domain::config::{Config, duration_text};

use crate::exit::{CmdResult, Exit, Failure};
use crate::output::time;
use crate::wiring;

fn provider(name: &str) -> Result<Provider, Failure> {
    Provider::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.key()).collect();
        Failure::usage(format!("unknown provider `{name}` (known: {})", known.join(", ")))
    })
}

async fn engine(config: &Config) -> Result<pipeline_engine::Engine, Failure> {
    let stages = wiring::stages(config)?;
    let c = config.clone();
    let db = super::blocking(move || wiring::open_db(&c, true)).await?;
    wiring::engine(config, &db, Arc::new(pipeline_engine::NoProgress), stages)
}

pub async fn pause(config: &Config, name: &str, duration: Option<&str>, reason: Option<String>) -> CmdResult {
    let provider = provider(name)?;
    let duration = match duration {
        Some(text) => duration_text::parse(text).map_err(|e| Failure::usage(format!("--for: {e}")))?,
        None => config.ingestion.pause_for,
    };
    let reason = reason.unwrap_or_else(|| "paused by hand".to_owned());
    let pause = engine(config)
        .await?
        .pause_provider(provider.key(), duration, Some(&reason))
        .await?;
    println!(
        "{} paused until {} ({reason})",
        pause.provider,
        time(pause.paused_until)
    );
    Ok(Exit::Ok)
}

pub async fn resume(config: &Config, name: &str) -> CmdResult {
    let provider = provider(name)?;
    if engine(config).await?.resume_provider(provider.key()).await? {
        println!("{provider} resumed");
    } else {
        println!("{provider} was not paused");
    }
    Ok(Exit::Ok)
}
