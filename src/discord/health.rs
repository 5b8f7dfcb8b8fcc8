//! `GET /health`, for systemd or an orchestrator: each shard's connection stage and latency,
//! and whether the store answers. 200 when every shard is connected and the store answers,
//! 503 otherwise (also while the shards start).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use poise::serenity_prelude as serenity;
use serde::Serialize;
use tokio::net::TcpListener;

use crate::store::Store;

/// How long the store may take to answer a health check.
const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/health` reports.
#[derive(Debug, Serialize)]
struct Health {
    status: Status,
    shards: Vec<Shard>,
    store: StoreState,
}

/// Whether the process serves: every shard connected and the store answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    Ok,
    Unavailable,
}

/// Whether the store answered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum StoreState {
    Ok,
    Unreachable,
}

#[derive(Debug, Serialize)]
struct Shard {
    id: u32,
    /// serenity's connection stage: connected, connecting, identifying, resuming ...
    stage: String,
    /// The last heartbeat's round trip, once there is one.
    latency_ms: Option<u128>,
}

/// Serves health checks on `listener` until the process ends.
pub async fn serve(listener: TcpListener, shards: Arc<serenity::ShardManager>, store: Arc<dyn Store>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("health endpoint: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (shards, store) = (shards.clone(), store.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (shards, store) = (shards.clone(), store.clone());
                async move { Ok::<_, Infallible>(respond(&request, &shards, store).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(5))
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond<B>(
    request: &Request<B>,
    shards: &serenity::ShardManager,
    store: Arc<dyn Store>,
) -> Response<Full<Bytes>> {
    if request.uri().path() != "/health" {
        return reply(StatusCode::NOT_FOUND, "{\"error\":\"not found: try /health\"}".into());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return reply(StatusCode::METHOD_NOT_ALLOWED, "{\"error\":\"use GET\"}".into());
    }
    let health = check(shards, store).await;
    let status = if health.status == Status::Ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    reply(status, serde_json::to_string(&health).expect("serialisable"))
}

async fn check(manager: &serenity::ShardManager, store: Arc<dyn Store>) -> Health {
    let mut shards: Vec<Shard> = manager
        .runners
        .lock()
        .await
        .iter()
        .map(|(id, runner)| Shard {
            id: id.0,
            stage: runner.stage.to_string(),
            latency_ms: runner.latency.map(|l| l.as_millis()),
        })
        .collect();
    shards.sort_by_key(|s| s.id);
    let answered = tokio::time::timeout(STORE_TIMEOUT, tokio::task::spawn_blocking(move || store.ping())).await;
    let store_ok = matches!(answered, Ok(Ok(Ok(()))));
    let connected = !shards.is_empty() && shards.iter().all(|s| s.stage == "connected");
    Health {
        status: if connected && store_ok { Status::Ok } else { Status::Unavailable },
        shards,
        store: if store_ok { StoreState::Ok } else { StoreState::Unreachable },
    }
}

fn reply(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json"));
    response
}
