//! Noticing that Discord wants more shards.
//!
//! When a bot outgrows its shards, Discord closes the gateway session with close code 4011
//! ("sharding required"). serenity 0.12 reports that only in its log and then reconnects with the
//! same shard count, forever. [`ShardingRequired`] is a tracing layer that watches serenity's log
//! for that report (whatever filter the operator set for the printed log), so [`super::run`] can
//! stop and be started again with as many shards as Discord then recommends.

use std::sync::Arc;

use tokio::sync::Notify;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::{Context, Layer};

/// Where serenity reports a 4011 close, and the words it reports it with.
const TARGET: &str = "serenity::gateway::shard";
const REPORT: &str = "Shard has too many guilds";

/// Wakes whoever waits when serenity reports a 4011 close.
#[derive(Clone, Default)]
pub struct ShardingRequired {
    notify: Arc<Notify>,
}

impl ShardingRequired {
    /// The layer to add to the tracing subscriber; it sees only serenity's gateway errors.
    pub fn layer<S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>>(
        &self,
    ) -> Filtered<ShardingRequired, Targets, S> {
        self.clone().with_filter(Targets::new().with_target(TARGET, Level::ERROR))
    }

    /// Returns when a shard was closed with 4011 (one already reported counts once).
    pub async fn notified(&self) {
        self.notify.notified().await;
    }
}

impl<S: Subscriber> Layer<S> for ShardingRequired {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut message = Message(false);
        event.record(&mut message);
        if message.0 {
            self.notify.notify_one();
        }
    }
}

/// Whether an event's message is serenity's report of a 4011 close.
struct Message(bool);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" && format!("{value:?}").contains(REPORT) {
            self.0 = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    #[tokio::test]
    async fn serenitys_report_of_a_4011_close_wakes_the_waiter_and_nothing_else_does() {
        let watch = ShardingRequired::default();
        let subscriber = tracing_subscriber::registry().with(watch.layer());
        let quiet = std::time::Duration::from_millis(50);
        tracing::subscriber::with_default(subscriber, || {
            tracing::error!(target: "serenity::gateway::shard", "[ShardInfo] Sent invalid message.");
            tracing::warn!(target: "serenity::gateway::shard", "[ShardInfo] Shard has too many guilds.");
        });
        assert!(tokio::time::timeout(quiet, watch.notified()).await.is_err(), "other reports and levels are ignored");
        let subscriber = tracing_subscriber::registry().with(watch.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::error!(target: "serenity::gateway::shard", "[ShardInfo {{ id: 0 }}] Shard has too many guilds.");
        });
        assert!(tokio::time::timeout(quiet, watch.notified()).await.is_ok());
    }
}
