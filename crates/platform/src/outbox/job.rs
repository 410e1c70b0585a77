//! What a module's periodic job gets from the background worker: the database, the time and
//! the installation's configuration, so that links in the e-mails it queues point at the
//! right municipality's public host.

use std::sync::Arc;

use radhus_kernel::ids::TenantId;
use time::OffsetDateTime;

use crate::config::Config;
use crate::db::{Db, Tx};
use crate::error::Result;

#[derive(Clone)]
pub struct JobCtx {
    pub db: Db,
    pub now: OffsetDateTime,
    pub config: Arc<Config>,
}

impl JobCtx {
    pub fn new(db: Db, now: OffsetDateTime, config: Arc<Config>) -> Self {
        Self { db, now, config }
    }

    /// `scheme://host[:port]` of a host of this installation (as `AppState::site_url`).
    pub fn site_url(&self, host: &str) -> String {
        crate::config::site_url(&self.config.public_url, host)
    }

    /// The public base URL of the municipality: its first host name, with the scheme and port
    /// of `public_url`. A municipality without a host gets `public_url`.
    pub async fn tenant_url(&self, tx: &mut Tx, tenant: TenantId) -> Result<String> {
        let t = crate::tenancy::get(tx, tenant).await?;
        Ok(match t.hosts.first() {
            Some(h) => self.site_url(h),
            None => self.platform_url(),
        })
    }

    /// The platform host's base URL (`public_url` without a trailing slash).
    pub fn platform_url(&self) -> String {
        self.config.public_url.trim_end_matches('/').to_string()
    }
}
