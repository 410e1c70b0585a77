//! The extractors of who is asking, for handlers: `Staff`, `Require<P>` and `Operator` (the
//! types live in `identity::permissions`; how a request yields them is the web layer's part).

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::Error;
use crate::identity::permissions::{Operator, Permission, Require, Staff};
use crate::identity::session::Principal;
use crate::web::Ctx;

impl<S: Send + Sync, P: Permission> FromRequestParts<S> for Require<P> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let Staff(staff) = Staff::from_request_parts(parts, state).await?;
        if !staff.grants.has_anywhere(P::KEY) {
            return Err(Error::Forbidden);
        }
        Ok(Require(staff, PhantomData))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match (ctx.staff(), ctx.tenant()) {
            (Some(s), Some(t)) if s.tenant_id == t.id => Ok(Staff(s.clone())),
            _ if ctx.session_expired => Err(Error::SessionExpired),
            _ => Err(Error::Unauthenticated),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Operator {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match &ctx.principal {
            Some(Principal::Operator { id, name }) if ctx.is_platform() => Ok(Operator { id: *id, name: name.clone() }),
            _ if ctx.session_expired => Err(Error::SessionExpired),
            _ => Err(Error::Unauthenticated),
        }
    }
}
