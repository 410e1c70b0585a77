//! Where a login lands: the session cookie and the redirect, or, for a login made for another
//! site of the installation, the hand-back to it (`sso`).

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::Result;
use crate::identity::{login, session, sso};
use crate::web::AppState;
use crate::web::cookies::set_cookie;

pub(crate) fn with_session_cookie(st: &AppState, to: &str, token: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(st, session::session_cookie(&st.config), token, None, "Lax"));
    r
}

pub(crate) async fn citizen_logged_in(
    st: &AppState,
    login: login::CitizenLogin,
    target: Option<sso::Return>,
    next: &str,
) -> Result<Response> {
    match (target, &login.sso_group) {
        (Some(to), Some(group)) => {
            let mut r = sso::hand_back(st, group, &to, next).await?;
            r.headers_mut().append(header::SET_COOKIE, set_cookie(st, session::session_cookie(&st.config), &login.token, None, "Lax"));
            Ok(r)
        }
        _ => Ok(with_session_cookie(st, next, &login.token)),
    }
}
