//! Public diary search at scale: generates 1,000,000 records in 400,000 cases across 290
//! municipalities on PostgreSQL, then measures the diary's own search (Swedish stems, GIN
//! index, the same `store::public_cases` the pages call) against a plain `ILIKE '%term%'`
//! query over the same data in the same run, and prints p50/p95/p99 and the ratio.
//!
//! `RADHUS_BENCH_DATABASE_URL=postgres://… cargo run --release -p radhus-bench-diarium`
//! (optional arguments: number of records, number of queries). Uses its own schema.

use std::str::FromStr;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope};
use radhus_platform::on_tx;
use radhus_platform::search;
use sqlx::postgres::PgConnectOptions;
use uuid::Uuid;

const TENANTS: usize = 290;
const SCHEMA: &str = "bench_diarium";

/// Title words as a caseworker writes them (inflected), each indexed by its stem.
const WORDS: &[&str] = &[
    "bygglov",
    "bygglovet",
    "ansökan",
    "tillbyggnad",
    "garage",
    "carport",
    "strandskydd",
    "dispens",
    "tillsyn",
    "ovårdad",
    "tomt",
    "livsmedel",
    "registrering",
    "restaurang",
    "skola",
    "förskolan",
    "plats",
    "skolskjuts",
    "bidrag",
    "föreningsbidrag",
    "kultur",
    "avtal",
    "upphandling",
    "remiss",
    "medborgarförslag",
    "belysning",
    "gatan",
    "parkering",
    "parkeringstillstånd",
    "rörelsehindrad",
    "buller",
    "klagomål",
    "nybyggnad",
    "enbostadshus",
    "fasadändring",
    "skylt",
    "rivning",
    "marklov",
    "detaljplan",
    "förhandsbesked",
    "serveringstillstånd",
    "alkohol",
    "tobak",
    "hemtjänst",
    "färdtjänst",
    "bostadsanpassning",
    "avfall",
    "vatten",
    "avlopp",
    "brandskydd",
];

fn words_sql(list: &[String]) -> String {
    let quoted: Vec<String> = list.iter().map(|w| format!("'{}'", w.replace('\'', "''"))).collect();
    format!("ARRAY[{}]::text[]", quoted.join(","))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("RADHUS_BENCH_DATABASE_URL").map_err(|_| anyhow::anyhow!("set RADHUS_BENCH_DATABASE_URL=postgres://…"))?;
    let args: Vec<String> = std::env::args().collect();
    let records: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let queries: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(400);
    let cases = records * 2 / 5;

    let admin = sqlx::PgPool::connect(&url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))).execute(&admin).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {SCHEMA}"))).execute(&admin).await?;
    admin.close().await;
    // The generator writes every municipality's rows: the session runs as the system scope ('*');
    // the measured queries set their own municipality per transaction, as the pages do.
    let db = Db::connect_pg(PgConnectOptions::from_str(&url)?.options([("search_path", SCHEMA), ("radhus.tenant_id", "*")])).await?;
    db.migrate().await?;
    let Db::Pg(pool) = &db else { anyhow::bail!("PostgreSQL only") };

    println!("generating {records} records in {cases} cases across {TENANTS} municipalities …");
    let started = Instant::now();
    let stems: Vec<String> = WORDS.iter().map(|w| search::stem_text(w)).collect();
    let words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    let (w, s) = (words_sql(&words), words_sql(&stems));
    let n = WORDS.len();
    sqlx::query(
        "INSERT INTO tenant (id, kommunkod, slug, name, primary_color, settings, created_at) \
         SELECT gen_random_uuid(), lpad(i::text, 4, '0'), 'bench-' || i, 'Kommun ' || i, '#005a9c', '{}'::jsonb, now() FROM generate_series(1, $1) i",
    )
    .bind(i32::try_from(TENANTS)?)
    .execute(pool)
    .await?;
    sqlx::query("INSERT INTO registry (tenant_id, id, code, name, number_format, created_at) SELECT id, gen_random_uuid(), 'KS', 'Kommunstyrelsen', '{code} {year}/{seq}', now() FROM tenant")
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO case_type (tenant_id, id, name, registry_id, target_days, active, created_at) SELECT r.tenant_id, gen_random_uuid(), 'Ärende', r.id, 60, true, now() FROM registry r")
        .execute(pool)
        .await?;
    let tenants: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM tenant ORDER BY slug").fetch_all(pool).await?;
    let per_tenant = cases / TENANTS + 1;
    let bar = ProgressBar::new(u64::try_from(TENANTS)?);
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} municipalities {elapsed}").unwrap_or(ProgressStyle::default_bar()));
    for (tenant,) in &tenants {
        // Titles of three words drawn from the list; the public search text holds their stems.
        let case_sql = format!(
            "INSERT INTO case_file (tenant_id, id, registry_id, year, seq, number, title, public_title, case_type_id, status, opened_at, due_at, public_search, created_at, updated_at) \
             SELECT ct.tenant_id, gen_random_uuid(), ct.registry_id, 2026, i, 'KS 2026/' || i, t, t, ct.id, CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'open' END, \
                    now() - (i || ' minutes')::interval, now(), 'ks 2026 ' || i || ' ' || st, now(), now() \
             FROM case_type ct, LATERAL (SELECT i, \
                    ({w})[1 + (i * 7) % {n}] || ' ' || ({w})[1 + (i * 13) % {n}] || ' ' || ({w})[1 + (i * 29) % {n}] AS t, \
                    ({s})[1 + (i * 7) % {n}] || ' ' || ({s})[1 + (i * 13) % {n}] || ' ' || ({s})[1 + (i * 29) % {n}] AS st \
                    FROM generate_series(1, $2) i) g WHERE ct.tenant_id = $1"
        );
        sqlx::query(sqlx::AssertSqlSafe(case_sql)).bind(tenant).bind(i32::try_from(per_tenant)?).execute(pool).await?;
        let record_sql = format!(
            "INSERT INTO record (tenant_id, id, case_id, running_no, kind, title, correspondent, status, registered_at, secret_fields, public_search, created_by, created_at, updated_at) \
             SELECT c.tenant_id, gen_random_uuid(), c.id, k, CASE WHEN k = 1 THEN 'inbound' ELSE 'outbound' END, \
                    ({w})[1 + (c.seq * k * 11) % {n}] || ' ' || ({w})[1 + (c.seq * 17 + k) % {n}], 'Avsändare AB', 'registered', now(), '[]'::jsonb, \
                    ({s})[1 + (c.seq * k * 11) % {n}] || ' ' || ({s})[1 + (c.seq * 17 + k) % {n}], 'bench', now(), now() \
             FROM case_file c, generate_series(1, 2 + c.seq % 2) k WHERE c.tenant_id = $1"
        );
        sqlx::query(sqlx::AssertSqlSafe(record_sql)).bind(tenant).execute(pool).await?;
        bar.inc(1);
    }
    bar.finish();
    for table in ["tenant", "registry", "case_type", "case_file", "record"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}"))).execute(pool).await?;
    }
    let (rc,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM record").fetch_one(pool).await?;
    let (cc,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_file").fetch_one(pool).await?;
    println!("generated {rc} records in {cc} cases in {:.1} s", started.elapsed().as_secs_f64());

    // The same random (municipality, word) pairs for both, alternating so caches favour neither.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % 1_000_000_007).unwrap_or(0)
    };
    let mut pairs = vec![];
    for _ in 0..queries {
        pairs.push((TenantId(tenants[next() % tenants.len()].0), WORDS[next() % WORDS.len()]));
    }
    // Query by query the two are alternated (which goes first swaps each time), so neither
    // profits from the other having warmed the municipality's pages.
    let (mut fts, mut ilike, mut hits) = (vec![], vec![], (0i64, 0i64));
    for (i, (tenant, word)) in pairs.iter().enumerate() {
        for first in [i % 2 == 0, i % 2 != 0] {
            let t0 = Instant::now();
            if first {
                hits.0 += diary_search(&db, *tenant, word).await?;
                fts.push(t0.elapsed());
            } else {
                hits.1 += ilike_search(&db, *tenant, word).await?;
                ilike.push(t0.elapsed());
            }
        }
    }
    // Warm against warm: each query is run once by both, then timed again by both (alternating
    // which goes first). The diary page's own path (`public::search_cases`) then answers from
    // its cache after one primary-key read of the municipality's diary generation; the ILIKE
    // baseline runs again on warm pages.
    let (mut cached, mut ilike_warm) = (vec![], vec![]);
    for (i, (tenant, word)) in pairs.iter().enumerate() {
        page_search(&db, *tenant, word).await?;
        ilike_search(&db, *tenant, word).await?;
        for first in [i % 2 == 0, i % 2 != 0] {
            let t0 = Instant::now();
            if first {
                page_search(&db, *tenant, word).await?;
                cached.push(t0.elapsed());
            } else {
                ilike_search(&db, *tenant, word).await?;
                ilike_warm.push(t0.elapsed());
            }
        }
    }
    let pct = |v: &mut Vec<Duration>, p: f64| {
        v.sort();
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i.min(v.len() - 1)].as_secs_f64() * 1000.0
    };
    println!("\n{queries} queries, one random municipality and word each (same pairs for both):");
    println!("{:<34} {:>9} {:>9} {:>9} {:>12}", "", "p50 ms", "p95 ms", "p99 ms", "total hits");
    let (f50, f95, f99) = (pct(&mut fts, 0.50), pct(&mut fts, 0.95), pct(&mut fts, 0.99));
    let (i50, i95, i99) = (pct(&mut ilike, 0.50), pct(&mut ilike, 0.95), pct(&mut ilike, 0.99));
    println!("{:<34} {f50:>9.2} {f95:>9.2} {f99:>9.2} {:>12}", "diary search (stems, tsvector)", hits.0);
    println!("{:<34} {i50:>9.2} {i95:>9.2} {i99:>9.2} {:>12}", "baseline ILIKE '%term%'", hits.1);
    let (c50, c95, c99) = (pct(&mut cached, 0.50), pct(&mut cached, 0.95), pct(&mut cached, 0.99));
    let (w50, w95, w99) = (pct(&mut ilike_warm, 0.50), pct(&mut ilike_warm, 0.95), pct(&mut ilike_warm, 0.99));
    println!("{:<34} {w50:>9.2} {w95:>9.2} {w99:>9.2}", "baseline ILIKE, repeated (warm)");
    println!("{:<34} {c50:>9.2} {c95:>9.2} {c99:>9.2}", "diary search, repeated (cached)");
    println!("ratio baseline / diary search:    {:>9.1} {:>9.1} {:>9.1}   (first runs, alternated)", i50 / f50, i95 / f95, i99 / f99);
    println!("ratio warm baseline / cached:     {:>9.1} {:>9.1} {:>9.1}   (both repeated on warm pages)", w50 / c50, w95 / c95, w99 / c99);
    println!("(the diary search also finds inflected forms the ILIKE baseline misses, e.g. \"bygglovet\" ↔ \"bygglov\")");
    Ok(())
}

/// The diary search as the store runs it (stems, stored tsvector, row-level security on):
/// the number of hits.
async fn diary_search(db: &Db, tenant: TenantId, word: &str) -> anyhow::Result<i64> {
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let (_, total) = radhus_cases::store::public_cases(&mut tx, tenant, &search::query_terms(word), 25, 0).await?;
    tx.commit().await?;
    Ok(total)
}

/// The diary page's path: the same search through `public::search_cases` and its cache.
async fn page_search(db: &Db, tenant: TenantId, word: &str) -> anyhow::Result<()> {
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    radhus_cases::public::search_cases(&mut tx, tenant, word, 1).await?;
    tx.commit().await?;
    Ok(())
}

/// The baseline: a plain `ILIKE '%term%'` over public titles and registered records' titles,
/// the first page and the count, as the diary query returns them.
async fn ilike_search(db: &Db, tenant: TenantId, word: &str) -> anyhow::Result<i64> {
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let pattern = format!("%{word}%");
    let total: i64 = on_tx!(&mut tx, c => {
        let cond = "c.tenant_id = $1 AND c.status <> 'obliterated' AND (c.public_title ILIKE $2 OR EXISTS (SELECT 1 FROM record r WHERE r.tenant_id = c.tenant_id AND r.case_id = c.id AND r.status <> 'drafted' AND r.title ILIKE $2))";
        let _rows: Vec<(Uuid,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT c.id FROM case_file c WHERE {cond} ORDER BY c.opened_at DESC, c.id DESC LIMIT 25"))).bind(tenant.0).bind(&pattern).fetch_all(&mut *c).await?;
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM case_file c WHERE {cond}"))).bind(tenant.0).bind(&pattern).fetch_one(&mut *c).await?;
        n
    });
    tx.commit().await?;
    Ok(total)
}
