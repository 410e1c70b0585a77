//! The public diary: registered cases and records, secret fields masked, no identity
//! numbers, Swedish stemming on both databases.

use radhus_cases::domain::RecordKind;
use radhus_cases::service::{self, NewCase, NewRecord};

#[expect(clippy::too_many_arguments, reason = "a test helper spelling out each field")]
async fn record(
    app: &radhus_testkit::TestApp,
    staff: &radhus_platform::identity::session::StaffUser,
    case: uuid::Uuid,
    kind: RecordKind,
    title: &str,
    corr: &str,
    person: bool,
    register: bool,
) -> uuid::Uuid {
    let n = NewRecord {
        kind,
        title: title.into(),
        correspondent: corr.into(),
        correspondent_is_person: person,
        document_date: None,
        received_on: None,
        memo_text: "x".into(),
        register,
    };
    service::add_record(&app.db, staff, case, &n, app.now()).await.expect("record")
}

#[tokio::test]
async fn the_public_diary_masks_secrets_and_finds_inflected_words() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase {
            case_type: ct,
            title: "Bygglov för garage, sökande 19811218-9876".into(),
            public_title: String::new(),
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("case");
    record(&app, &staff, case, RecordKind::Inbound, "Ansökan om bygglovet", "Anna Andersson", true, true).await;
    let secret = record(&app, &staff, case, RecordKind::Inbound, "Läkarintyg om sökandens hälsa", "Vårdcentralen Kil", false, true).await;
    record(&app, &staff, case, RecordKind::Outbound, "Utkast till beslut om bygglov", "Byggfirman AB", false, false).await;
    service::mark_secrecy(&app.db, &staff, secret, &["title".into(), "correspondent".into()], "OSL 25 kap. 1 §", app.now())
        .await
        .expect("secrecy");
    let (other, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Strandskydd vid Norsälven".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");

    let mut visitor = app.client("kil.localhost");
    let list = visitor.get("/diarium").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("KS 2026/1") && list.body.contains("KS 2026/2"));
    assert!(!list.body.contains("19811218-9876") && list.body.contains("[personnummer]"), "identity numbers never shown");
    // "bygglovet" (definite form) finds "Bygglov"; the strandskydd case does not match.
    let hits = visitor.get("/diarium?q=bygglovet").await;
    assert!(hits.body.contains("KS 2026/1") && !hits.body.contains("KS 2026/2"), "{}", hits.body);
    let hits = visitor.get("/diarium?q=Norsälven").await;
    assert!(hits.body.contains("KS 2026/2") && !hits.body.contains("KS 2026/1<"));
    // Secret words and drafts cannot be found.
    assert!(visitor.get("/diarium?q=läkarintyg").await.body.contains("Inga ärenden hittades"));
    assert!(visitor.get("/diarium?q=utkast").await.body.contains("Inga ärenden hittades"));
    let page = visitor.get(&format!("/diarium/arende/{case}")).await;
    assert!(page.body.contains("[Sekretess]") && page.body.contains("OSL 25 kap. 1 §"));
    assert!(!page.body.contains("Läkarintyg") && !page.body.contains("Vårdcentralen"));
    assert!(page.body.contains("[Privatperson]") && !page.body.contains("Anna Andersson"), "private persons' names are not published");
    assert!(!page.body.contains("Utkast till beslut"), "drafts are not in the diary");
    let api = visitor.get(&format!("/api/v1/diarium/{case}")).await.json();
    assert_eq!(api["records"].as_array().map(Vec::len), Some(2));
    assert_eq!(api["records"][1]["title"], "[Sekretess]");
    let api = visitor.get("/api/v1/diarium?q=bygglov").await.json();
    assert_eq!(api["total"], 1);
    // An obliterated case leaves the public diary.
    service::change_status(&app.db, &staff, other, radhus_cases::domain::CaseStatus::Obliterated, "Felregistrerat", app.now())
        .await
        .expect("obliterate");
    assert_eq!(visitor.get(&format!("/diarium/arende/{other}")).await.status, 404);
    assert!(!visitor.get("/diarium").await.body.contains("KS 2026/2"));
}

#[tokio::test]
async fn a_secrecy_marking_needs_its_legal_ground() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let (case, _) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Ärende".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let r = record(&app, &staff, case, RecordKind::Inbound, "Handling", "Avsändare AB", false, true).await;
    let err = service::mark_secrecy(&app.db, &staff, r, &["title".into()], "", app.now()).await.expect_err("no ground");
    assert_eq!(err.code().code, "WEB-004");
}

#[tokio::test]
async fn cached_diary_results_are_renewed_by_every_change_the_diary_shows() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Tillstånd för servering".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let mut anyone = app.client("kil.localhost");
    let page = anyone.get(&format!("/diarium/arende/{case}")).await;
    assert!(page.body.contains("Tillstånd för servering") && !page.body.contains("Remissvar"));
    assert_eq!(anyone.get("/api/v1/diarium?q=remissvar").await.json()["total"], 0);

    // The cache is used while nothing changes: a change behind the platform's back (no
    // generation raised) is not seen...
    let mut tx = app.db.write(radhus_platform::db::Scope::Tenant(t)).await.expect("tx");
    radhus_platform::on_tx!(&mut tx, c => sqlx::query("UPDATE case_file SET public_title = 'Ändrad i smyg' WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(case).execute(c).await.expect("update").rows_affected());
    tx.commit().await.expect("commit");
    assert!(anyone.get(&format!("/diarium/arende/{case}")).await.body.contains("Tillstånd för servering"), "served from the cache");

    // ...but every change through the platform renews it at once.
    let rec = record(&app, &staff, case, RecordKind::Inbound, "Remissvar från polisen", "Polismyndigheten", false, true).await;
    let page = anyone.get(&format!("/diarium/arende/{case}")).await;
    assert!(page.body.contains("Remissvar från polisen") && page.body.contains("Ändrad i smyg"), "{}", page.body);
    assert_eq!(anyone.get("/api/v1/diarium?q=remissvar").await.json()["total"], 1);
    service::mark_secrecy(&app.db, &staff, rec, &["title".into()], "OSL 18 kap. 1 §", app.now()).await.expect("secrecy");
    let page = anyone.get(&format!("/diarium/arende/{case}")).await;
    assert!(!page.body.contains("Remissvar från polisen") && page.body.contains("[Sekretess]"), "masked at once");
    assert_eq!(anyone.get("/api/v1/diarium?q=remissvar").await.json()["total"], 0, "no longer found by its secret title");
    service::change_status(&app.db, &staff, case, radhus_cases::domain::CaseStatus::Obliterated, "Fel", app.now())
        .await
        .expect("obliterate");
    assert_eq!(anyone.get(&format!("/diarium/arende/{case}")).await.status, 404);
}

#[tokio::test]
async fn inbound_records_keep_the_day_they_came_in() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let (case, _) = service::create_case(
        &app.db,
        &staff,
        &NewCase { case_type: ct, title: "Bygglov, Lyckan 2".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("case");
    let mut c = app.login("kil", &staff.email).await;
    let path = format!("/admin/arenden/{case}/handlingar");
    let form = |received: &'static str| {
        vec![("kind", "inbound"), ("title", "Ansökan"), ("correspondent", "Byggare AB"), ("received_on", received), ("register", "on")]
    };
    let r = c.post_form(&path, &form("2099-01-01")).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("kommit in i framtiden"), "{}", r.body);
    let r = c.post_form(&path, &form("2026-01-05")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form(&path, &form("")).await;
    assert_eq!(r.status, 303);
    let public = app.client("kil.localhost").get(&format!("/api/v1/diarium/{case}")).await.json();
    assert_eq!(public["records"][0]["received"], "2026-01-05");
    assert_eq!(public["records"][1]["received"], app.now().date().to_string(), "empty: the day it was registered");
    let page = app.client("kil.localhost").get(&format!("/diarium/arende/{case}")).await;
    assert!(page.body.contains("inkom 2026-01-05"));
}

/// Searches the public diary page and its API for `word`: the number of cases the API finds,
/// with both answers checked not to show the word.
async fn diary_hits(visitor: &mut radhus_testkit::Client, word: &str) -> i64 {
    let q = word.replace(' ', "+");
    let page = visitor.get(&format!("/diarium?q={q}")).await;
    assert_eq!(page.status, 200);
    let api = visitor.get(&format!("/api/v1/diarium?q={q}")).await;
    assert_eq!(api.status, 200);
    let total = api.json()["total"].as_i64().expect("total");
    if total == 0 {
        assert!(page.body.contains("Inga ärenden hittades"), "the page finds what the API does not: {word}");
    } else {
        assert!(!page.body.contains("Inga ärenden hittades"), "the API finds what the page does not: {word}");
    }
    total
}

/// Searching the public diary (the page and the API) for what it masks finds nothing of it:
/// for every record kind a secret title word and a secret correspondent — whether the record
/// was secret from the start (intake), marked secret once registered, or marked as a draft and
/// registered later —, a private person's name as correspondent, the case's own title behind its
/// public title, a person party's name, an identity number, a memo's text and a draft's title.
/// Beside each, something public of the same record is found, so the search itself works.
#[tokio::test]
async fn searching_the_public_diary_finds_nothing_it_masks() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let person = radhus_cases::parties::NewParty {
        role: radhus_cases::parties::PartyRole::Applicant,
        name: "Gunnel Grönqvist".into(),
        identity: radhus_cases::parties::Identity::Person("19811218-9876".parse().expect("pnr")),
        contact: String::new(),
    };
    let (case, number) = service::create_case(
        &app.db,
        &staff,
        &NewCase {
            case_type: ct,
            title: "Försörjningsstöd till Ingvar Isaksson 19811218-9876".into(),
            public_title: "Ansökan om bistånd".into(),
            parties: vec![person],
            ..Default::default()
        },
        app.now(),
    )
    .await
    .expect("case");
    let secret = |fields: &[&str]| fields.iter().map(|f| f.to_string()).collect::<Vec<String>>();
    // (kind, secret title word, secret correspondent, public word of the same record)
    let kinds = [
        (RecordKind::Inbound, "Läkarintyg", "Vårdcentralen Hagfors", "Inkommandeord"),
        (RecordKind::Outbound, "Skuldsanering", "Kronofogden Värmland", "Utgåendeord"),
        (RecordKind::Memo, "Missbruksutredning", "Socialjouren Arvika", "Anteckningsord"),
        (RecordKind::Decision, "Skyddsbedömning", "Familjerätten Säffle", "Beslutsord"),
    ];
    let mut hidden: Vec<String> =
        vec!["Ingvar".into(), "Isaksson".into(), "Försörjningsstöd".into(), "Grönqvist".into(), "19811218".into()];
    let mut public: Vec<String> = vec!["bistånd".into(), number.clone()];
    for (i, (kind, title_word, corr, public_word)) in kinds.into_iter().enumerate() {
        let corr_words: Vec<&str> = corr.split(' ').collect();
        let n = |title: String, correspondent: &str, is_person: bool, register: bool| NewRecord {
            kind,
            title,
            correspondent: correspondent.into(),
            correspondent_is_person: is_person,
            document_date: None,
            received_on: None,
            memo_text: format!("Anteckningstext{i} hemlig"),
            register,
        };
        // The title secret, marked once the record is registered.
        let r = service::add_record(&app.db, &staff, case, &n(format!("{title_word} i ärendet"), "Myndighet AB", false, true), app.now())
            .await
            .expect("record");
        service::mark_secrecy(&app.db, &staff, r, &secret(&["title"]), "OSL 25 kap. 1 §", app.now()).await.expect("secrecy");
        hidden.push(title_word.into());
        // The correspondent secret; the title public. Inbound mail is secret from the start
        // (intake); the other kinds are marked as drafts and registered afterwards.
        let title = format!("{public_word} yttrande");
        if kind == RecordKind::Inbound {
            let r = radhus_cases::intake::Inbound {
                title,
                correspondent: corr.into(),
                correspondent_is_person: false,
                received_on: None,
                secrecy: Some(radhus_cases::intake::Secrecy { fields: secret(&["correspondent"]), ground: "OSL 25 kap. 1 §".into() }),
                documents: vec![],
            };
            let mut tx = app.db.write(radhus_platform::db::Scope::Tenant(t)).await.expect("tx");
            radhus_cases::intake::add_inbound_in(&mut tx, t, &radhus_cases::intake::By::System("E-tjänst".into()), case, &r, app.now())
                .await
                .expect("intake");
            tx.commit().await.expect("commit");
        } else {
            let r = service::add_record(&app.db, &staff, case, &n(title, corr, false, false), app.now()).await.expect("draft");
            service::mark_secrecy(&app.db, &staff, r, &secret(&["correspondent"]), "OSL 25 kap. 1 §", app.now()).await.expect("secrecy");
            service::advance_record(&app.db, &staff, r, radhus_cases::domain::RecordStatus::Registered, app.now()).await.expect("register");
        }
        hidden.extend(corr_words.iter().map(|w| w.to_string()));
        public.push(public_word.into());
        // A private person's name as correspondent, the title public.
        let (first, last) = [("Anna", "Andersson"), ("Bertil", "Bengtsson"), ("Cecilia", "Carlsson"), ("David", "Dahlberg")][i];
        let person_title = format!("Privatbrev{i} om ärendet");
        service::add_record(&app.db, &staff, case, &n(person_title.clone(), &format!("{first} {last}"), true, true), app.now())
            .await
            .expect("record");
        hidden.extend([first.to_string(), last.to_string(), format!("Anteckningstext{i}")]);
        public.push(format!("Privatbrev{i}"));
    }
    // A draft's title.
    record(&app, &staff, case, RecordKind::Outbound, "Utkastord till beslut", "Byggfirman AB", false, false).await;
    hidden.push("Utkastord".into());

    let mut visitor = app.client("kil.localhost");
    for word in &public {
        assert_eq!(diary_hits(&mut visitor, word).await, 1, "the public {word:?} is found");
    }
    for word in &hidden {
        assert_eq!(diary_hits(&mut visitor, word).await, 0, "the masked {word:?} is not found");
    }
    // The diary shows none of it either: the case page and the API's case.
    let page = visitor.get(&format!("/diarium/arende/{case}")).await.body;
    let api = visitor.get(&format!("/api/v1/diarium/{case}")).await;
    assert_eq!(api.json()["records"].as_array().map(Vec::len), Some(12), "three registered records of each kind, not the draft");
    for word in &hidden {
        assert!(!page.contains(word.as_str()) && !api.body.contains(word.as_str()), "{word:?} is shown");
    }
}
