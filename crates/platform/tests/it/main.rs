//! Integration tests of the platform: they run on SQLite, and on PostgreSQL when
//! `RADHUS_TEST_DATABASE_URL` is set.

mod admin;
mod audit;
mod auth;
mod backup;
mod changes;
mod nodes;
mod notifications;
mod oidc;
mod outbox;
mod rls;
mod schema;
mod shell;
mod sso;
mod usability;
