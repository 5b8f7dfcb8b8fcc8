//! Keeps serenity's REST ratelimiter from growing for as long as the bot runs.
//!
//! Straight to Discord (no `api_proxy_url`), serenity keeps one ratelimit bucket per route and
//! major id it has used, and never drops one. An interaction's reply is keyed by the
//! interaction's own id, so every command, click and autocomplete answered adds a bucket that is
//! never used again. Once a minute this drops the buckets no request holds whose window has
//! ended (or never began): a fresh bucket made on the next request behaves the same.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use poise::serenity_prelude as serenity;
use serenity::{Ratelimit, RatelimitingBucket};
use tokio::sync::{Mutex, RwLock};

/// How often idle buckets are dropped.
const EVERY: Duration = Duration::from_secs(60);

type Buckets = RwLock<HashMap<RatelimitingBucket, Arc<Mutex<Ratelimit>>>>;

/// Drops idle buckets from `http`'s ratelimiter every minute, for as long as the bot runs; does
/// nothing when the ratelimiter is off (a proxy does the ratelimiting).
pub async fn prune_forever(http: Arc<serenity::Http>) {
    let Some(ratelimiter) = &http.ratelimiter else { return };
    let buckets = ratelimiter.routes();
    loop {
        tokio::time::sleep(EVERY).await;
        let dropped = prune(&buckets, SystemTime::now()).await;
        tracing::debug!("dropped {dropped} idle ratelimit buckets");
    }
}

/// Drops the buckets that no request holds and whose window ended before `now`; returns how
/// many. A bucket in use, or still counting down, is kept.
async fn prune(buckets: &Buckets, now: SystemTime) -> usize {
    let mut buckets = buckets.write().await;
    let before = buckets.len();
    // The write lock stops new requests from taking a bucket while this looks.
    buckets.retain(|_, bucket| {
        Arc::strong_count(bucket) > 1 || bucket.try_lock().map_or(true, |b| b.reset().is_some_and(|at| at > now))
    });
    before - buckets.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use poise::serenity_prelude::{InteractionId, Route};

    fn bucket(id: u64) -> RatelimitingBucket {
        Route::InteractionResponse { interaction_id: InteractionId::new(id), token: "t" }.ratelimiting_bucket()
    }

    #[tokio::test]
    async fn idle_buckets_go_and_held_ones_stay() {
        let buckets: Buckets = RwLock::default();
        for id in 1..=1_000 {
            buckets.write().await.insert(bucket(id), Arc::default());
        }
        // A request in flight holds its bucket.
        let held = buckets.read().await[&bucket(7)].clone();
        assert_eq!(prune(&buckets, SystemTime::now()).await, 999);
        let left = buckets.read().await;
        assert_eq!(left.len(), 1);
        assert!(Arc::ptr_eq(&left[&bucket(7)], &held));
    }
}
