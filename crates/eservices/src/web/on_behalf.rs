//! "Vem gäller ansökan?" (`/e-tjanster/{tjanst}/{utkast}/vem`): before the first step of a
//! service that may be applied for someone else, the citizen says whom it concerns
//! (`crate::on_behalf`). The children come from the population register, named on the page
//! as the register it is (the fixture register in demo and test mode).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{Form, PathIds, submit_fields};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use super::common::{citizen_or_login, lang, today};
use crate::citizen::Citizen;
use crate::form::AppliesFor;
use crate::on_behalf::{self, Choice};
use crate::{EsError, service};

pub fn routes() -> Routes {
    Routes::new().get("/e-tjanster/{tjanst}/{utkast}/vem", get_choice).post("/e-tjanster/{tjanst}/{utkast}/vem", post_choice)
}

/// Where "Vem gäller ansökan?" is.
pub fn choice_url(key: &str, draft: Uuid) -> String {
    format!("/e-tjanster/{key}/{draft}/vem")
}

/// The citizen with the children in their custody as the register says today.
pub(super) fn with_custody(st: &AppState, mut who: Citizen) -> Citizen {
    who.custody = Some(st.register.children_in_custody(&who.pnr, today(st)));
    who
}

#[derive(Template)]
#[template(path = "eservices/on_behalf.html")]
struct ChoicePage<'a> {
    ctx: &'a Ctx,
    key: String,
    title: String,
    action: String,
    errors: FormErrors,
    vem: Field,
    /// The organisation's fields, when the service may be applied for one.
    org: Option<(Field, Field, Field)>,
    /// The register the children come from, and whether the person has none there.
    register: String,
    no_children: bool,
    asks_child: bool,
}

fn page(ctx: &Ctx, st: &AppState, key: &str, o: &service::Open, who: &Citizen, posted: &Choice, errors: FormErrors) -> Result<Response> {
    let allowed = o.def.subjects();
    let children = on_behalf::offered_children(who);
    let mut options: Vec<(String, String, bool)> = vec![];
    if allowed.contains(&AppliesFor::Myself) {
        options.push(("self".into(), ctx.tr.t1("es-vem-self", "name", who.name.as_str()), posted.vem == "self"));
    }
    if allowed.contains(&AppliesFor::Child) {
        for (value, name, born) in &children {
            let label = format!("{name}, {}", ctx.tr.t1("es-vem-born", "date", radhus_kernel::lang::swedish_date(*born)));
            options.push((value.clone(), label, posted.vem == *value));
        }
    }
    let asks_org = allowed.contains(&AppliesFor::Organisation);
    if asks_org {
        options.push(("organisation".into(), ctx.t("es-vem-organisation"), posted.vem == "organisation"));
    }
    let vem = Field::new(ctx, "vem", "es-vem-title").kind("radios").hint(ctx.t("es-vem-hint")).options(options, "").errors(&errors);
    let org = asks_org.then(|| {
        (
            Field::new(ctx, "orgnr", "es-vem-orgnr")
                .value(posted.orgnr.clone())
                .hint(ctx.t("es-vem-orgnr-hint"))
                .inputmode("numeric")
                .errors(&errors),
            Field::new(ctx, "org_namn", "es-vem-org-name").value(posted.org_namn.clone()).autocomplete("organization").errors(&errors),
            Field::new(ctx, "firmatecknare", "es-vem-signatory-label")
                .kind("checkboxes")
                .options(vec![("ja".into(), ctx.t("es-vem-signatory"), posted.firmatecknare == "ja")], "")
                .errors(&errors),
        )
    });
    let mut shown: Vec<&Field> = vec![&vem];
    if let Some((a, b, c)) = &org {
        shown.extend([a, b, c]);
    }
    let errors = errors.linked(&shown);
    render(&ChoicePage {
        ctx,
        key: key.to_string(),
        title: o.def.title.get(lang(ctx)).to_string(),
        action: choice_url(key, o.draft.id),
        errors,
        org,
        register: st.register.name().to_string(),
        no_children: allowed.contains(&AppliesFor::Child) && children.is_empty(),
        asks_child: allowed.contains(&AppliesFor::Child),
        vem,
    })
}

/// What the draft holds as posted values: the chosen subject shown chosen again.
fn as_posted(b: Option<&on_behalf::OnBehalf>) -> Choice {
    match b.map(|b| &b.subject) {
        Some(s) if s.kind == "child" => Choice { vem: format!("child:{}", s.number), ..Choice::default() },
        Some(s) if s.kind == "organisation" => {
            Choice { vem: "organisation".into(), orgnr: s.number.clone(), org_namn: s.name.clone(), firmatecknare: "ja".into() }
        }
        Some(s) => Choice { vem: s.kind.clone(), ..Choice::default() },
        None => Choice::default(),
    }
}

async fn get_choice(State(st): State<AppState>, ctx: Ctx, PathIds((key, draft)): PathIds<(String, Uuid)>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &choice_url(&key, draft))? {
        Ok(c) => with_custody(&st, c),
        Err(login) => return Ok(login),
    };
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let o = service::open(&mut tx, t, &who, &key, draft).await?;
    let chosen = on_behalf::of_draft(&mut tx, t, draft).await?;
    tx.commit().await?;
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    if !o.def.asks_subject() {
        return Err(Error::NotFound);
    }
    page(&ctx, &st, &key, &o, &who, &as_posted(chosen.as_ref()), FormErrors::none())
}

async fn post_choice(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds((key, draft)): PathIds<(String, Uuid)>,
    Form(f): Form<Choice>,
) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let who = match citizen_or_login(&ctx, &choice_url(&key, draft))? {
        Ok(c) => with_custody(&st, c),
        Err(login) => return Ok(login),
    };
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let mut o = service::open(&mut tx, t, &who, &key, draft).await?;
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    if !o.def.asks_subject() {
        return Err(Error::NotFound);
    }
    let res = on_behalf::choose(&mut tx, t, &who, &mut o, &f, st.now()).await;
    match &res {
        Ok(_) => tx.commit().await?,
        Err(_) => tx.rollback().await?,
    }
    let done = res.map(|_| {
        let to = match service::first_incomplete(&o.def, &o.answers, today(&st)) {
            Some(s) => format!("/e-tjanster/{key}/{draft}/steg/{s}"),
            None => format!("/e-tjanster/{key}/{draft}/granska"),
        };
        Redirect::to(&to).into_response()
    });
    submit_fields(&ctx, done, |errors| std::future::ready(page(&ctx, &st, &key, &o, &who, &f, errors))).await
}
