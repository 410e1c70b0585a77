//! Static assets embedded in the binary (Designsystemet from npm, our own CSS; no
//! script: ADR 0015),
//! the per-municipality theme stylesheet and logo.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::tenancy::color;
use crate::web::{AppState, Ctx, Routes};

const DS_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/ds.css"));
const DS_THEME: &str = include_str!(concat!(env!("OUT_DIR"), "/ds-theme.css"));
const APP_CSS: &str = include_str!("../../assets/app.css");
const PLATFORM_COLOR: &str = "#1f4e79";

pub fn routes() -> Routes {
    Routes::new()
        .get("/assets/ds.css", || async { asset(DS_CSS, "text/css; charset=utf-8") })
        .get("/assets/ds-theme.css", || async { asset(DS_THEME, "text/css; charset=utf-8") })
        .get("/assets/app.css", || async { asset(APP_CSS, "text/css; charset=utf-8") })
        .get("/theme.css", theme_css)
        .get("/logo.svg", logo_svg)
}

fn asset(body: &'static str, mime: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}

/// Designsystemet's accent colour, derived from the municipality's primary colour. The
/// colour was checked for 4.5:1 contrast against white when it was saved.
pub fn theme_for(primary: &str) -> String {
    let base = color::parse_hex(primary).unwrap_or((0x1f, 0x4e, 0x79));
    let hover = color::to_hex(color::darken(base, 0.15));
    let active = color::to_hex(color::darken(base, 0.3));
    let tint = color::to_hex(color::lighten(base, 0.9));
    let subtle = color::to_hex(color::lighten(base, 0.8));
    let border = color::to_hex(color::lighten(base, 0.5));
    let text = color::to_hex(color::darken(base, 0.2));
    let base = color::to_hex(base);
    format!(
        ":root, [data-color-scheme] {{\n  --radhus-primary: {base};\n  --ds-color-accent-base-default: {base};\n  --ds-color-accent-base-hover: {hover};\n  --ds-color-accent-base-active: {active};\n  --ds-color-accent-base-contrast-default: #ffffff;\n  --ds-color-accent-base-contrast-subtle: #ffffff;\n  --ds-color-accent-background-tinted: {tint};\n  --ds-color-accent-surface-tinted: {tint};\n  --ds-color-accent-surface-default: {tint};\n  --ds-color-accent-surface-hover: {subtle};\n  --ds-color-accent-surface-active: {subtle};\n  --ds-color-accent-border-subtle: {border};\n  --ds-color-accent-border-default: {base};\n  --ds-color-accent-border-strong: {active};\n  --ds-color-accent-text-default: {text};\n  --ds-color-accent-text-subtle: {base};\n}}\n"
    )
}

async fn theme_css(ctx: Ctx) -> Response {
    let color = ctx.tenant().map(|t| t.primary_color.as_str()).unwrap_or(PLATFORM_COLOR);
    let mut r = theme_for(color).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn logo_svg(State(_st): State<AppState>, ctx: Ctx) -> Response {
    let svg = match ctx.tenant() {
        Some(t) => t.logo_svg.clone().unwrap_or_else(|| crate::tenancy::default_logo_svg(&t.name, &t.primary_color)),
        None => crate::tenancy::default_logo_svg("Rådhus", PLATFORM_COLOR),
    };
    let mut r = svg.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // An uploaded SVG opened directly must not run anything.
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    r
}
