//! Export of a closed case as an archive package: a zip in the E-ARK CSIP layout with a
//! METS file, an ERMS description of the case (FGS Ärendehantering / E-ARK ERMS element
//! names) and every document version's file with its SHA-256 checksum.

use std::io::Write;

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::web::escape as x;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;
use zip::write::SimpleFileOptions;

use crate::domain::{CaseError, CaseStatus, RecordKind};
use crate::service;
use crate::store::{self, CaseEvent, CaseRow, DocumentVersion, RecordRow};

fn rfc(t: &OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn direction(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Inbound => "incoming",
        RecordKind::Outbound => "outgoing",
        RecordKind::Memo | RecordKind::Decision => "internal",
    }
}

/// File name inside the package: the version's id keeps it unique, the name stays readable.
pub fn data_path(v: &DocumentVersion) -> String {
    let clean: String =
        v.filename.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    format!("representations/rep1/data/{}-v{}-{clean}", v.id, v.version_no)
}

/// The ERMS description of one case.
pub fn erms_xml(
    municipality: &str,
    package: &str,
    c: &CaseRow,
    records: &[(RecordRow, Vec<DocumentVersion>)],
    events: &[CaseEvent],
    by: &str,
    now: OffsetDateTime,
) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<erms xmlns=\"https://DILCIS.eu/XML/ERMS\">\n");
    out.push_str(&format!(
        "  <control>\n    <identification>{}</identification>\n    <maintenanceInformation>\n      <maintenanceStatus value=\"new\"/>\n      <maintenanceAgency><agencyName>{}</agencyName></maintenanceAgency>\n      <maintenanceHistory><maintenanceEvent><eventType value=\"created\"/><eventDateTime>{}</eventDateTime><agent>{}</agent></maintenanceEvent></maintenanceHistory>\n    </maintenanceInformation>\n  </control>\n",
        x(package), x(municipality), rfc(&now), x(by)
    ));
    out.push_str("  <aggregations>\n    <aggregation type=\"caseFile\">\n");
    out.push_str(&format!("      <identification>{}</identification>\n", x(&c.number)));
    out.push_str(&format!("      <title>{}</title>\n      <title type=\"public\">{}</title>\n", x(&c.title), x(&c.public_title)));
    out.push_str(&format!("      <status value=\"{}\"/>\n", x(c.status.as_str())));
    out.push_str(&format!("      <caseType>{}</caseType>\n", x(&c.case_type_name)));
    if let Some(cl) = &c.class_code {
        out.push_str(&format!("      <classification>{}</classification>\n", x(cl)));
    }
    out.push_str(&format!(
        "      <dates><created>{}</created>{}</dates>\n",
        rfc(&c.opened_at),
        c.closed_at.map(|d| format!("<closed>{}</closed>", rfc(&d))).unwrap_or_default()
    ));
    out.push_str("      <agents>\n");
    if let Some(u) = &c.unit_name {
        out.push_str(&format!("        <agent type=\"responsibleUnit\"><name>{}</name></agent>\n", x(u)));
    }
    if let Some(w) = &c.caseworker_name {
        out.push_str(&format!("        <agent type=\"caseworker\"><name>{}</name></agent>\n", x(w)));
    }
    out.push_str("      </agents>\n      <records>\n");
    for (r, versions) in records {
        out.push_str("        <record>\n");
        out.push_str(&format!("          <identification>{}-{}</identification>\n", x(&c.number), r.running_no));
        out.push_str(&format!(
            "          <direction value=\"{}\"/>\n          <recordType>{}</recordType>\n",
            direction(r.kind),
            x(r.kind.as_str())
        ));
        out.push_str(&format!("          <title>{}</title>\n          <status value=\"{}\"/>\n", x(&r.title), x(r.status.as_str())));
        if !r.secret_fields.0.is_empty() {
            // OSL 5 kap. 5 §: the marking travels with the record, with its ground.
            out.push_str(&format!(
                "          <restriction type=\"secrecy\" legalBasis=\"{}\">{}</restriction>\n",
                x(&r.secrecy_ground),
                x(&r.secret_fields.0.join(" "))
            ));
        }
        if !r.correspondent.is_empty() {
            let role = if r.kind == RecordKind::Outbound { "recipient" } else { "sender" };
            out.push_str(&format!("          <agents><agent type=\"{role}\"><name>{}</name></agent></agents>\n", x(&r.correspondent)));
        }
        out.push_str(&format!(
            "          <dates><created>{}</created>{}</dates>\n",
            rfc(&r.created_at),
            r.registered_at.map(|d| format!("<registered>{}</registered>", rfc(&d))).unwrap_or_default()
        ));
        if !r.memo_text.is_empty() {
            out.push_str(&format!("          <note>{}</note>\n", x(&r.memo_text)));
        }
        out.push_str("          <documents>\n");
        for v in versions {
            out.push_str(&format!(
                "            <document><title>{}</title><role>{}</role><version>{}</version><file href=\"{}\" mimetype=\"{}\" size=\"{}\" checksum=\"{}\" checksumType=\"SHA-256\"/></document>\n",
                x(&v.document_title), x(&v.role), v.version_no, x(&data_path(v)), x(&v.mime), v.size, v.sha256
            ));
        }
        out.push_str("          </documents>\n        </record>\n");
    }
    out.push_str("      </records>\n      <events>\n");
    for e in events.iter().rev() {
        out.push_str(&format!("        <event><eventDateTime>{}</eventDateTime><agent>{}</agent><eventType>{}</eventType><description>{}</description></event>\n", rfc(&e.at), x(&e.actor_name), x(&e.kind), x(&e.text)));
    }
    out.push_str("      </events>\n    </aggregation>\n  </aggregations>\n</erms>\n");
    out
}

fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

/// METS root file: lists the ERMS file and every data file with checksum, size and type.
pub fn mets_xml(package: &str, label: &str, erms: &[u8], files: &[(String, &DocumentVersion)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mets xmlns=\"http://www.loc.gov/METS/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" OBJID=\"{}\" LABEL=\"{}\" TYPE=\"ERMS\" PROFILE=\"https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml\">\n",
        x(package),
        x(label)
    );
    out.push_str(&format!(
        "  <dmdSec ID=\"dmd-erms\"><mdRef LOCTYPE=\"URL\" MDTYPE=\"OTHER\" OTHERMDTYPE=\"ERMS\" xlink:href=\"metadata/descriptive/erms.xml\" MIMETYPE=\"text/xml\" SIZE=\"{}\" CHECKSUM=\"{}\" CHECKSUMTYPE=\"SHA-256\"/></dmdSec>\n",
        erms.len(),
        sha256(erms)
    ));
    out.push_str("  <fileSec><fileGrp USE=\"Representations/rep1/Data\">\n");
    for (i, (path, v)) in files.iter().enumerate() {
        out.push_str(&format!(
            "    <file ID=\"file-{i}\" MIMETYPE=\"{}\" SIZE=\"{}\" CHECKSUM=\"{}\" CHECKSUMTYPE=\"SHA-256\"><FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"{}\"/></file>\n",
            x(&v.mime), v.size, v.sha256, x(path)
        ));
    }
    out.push_str("  </fileGrp></fileSec>\n  <structMap TYPE=\"PHYSICAL\" LABEL=\"CSIP\"><div LABEL=\"");
    out.push_str(&x(package));
    out.push_str("\"><div LABEL=\"Metadata\" DMDID=\"dmd-erms\"/><div LABEL=\"Representations/rep1\">");
    for i in 0..files.len() {
        out.push_str(&format!("<fptr FILEID=\"file-{i}\"/>"));
    }
    out.push_str("</div></div></structMap>\n</mets>\n");
    out
}

/// An archive package: its name (`radhus-KS-2026-12`, the zip's top folder) and the zip.
pub struct Package {
    pub name: String,
    pub zip: Vec<u8>,
}

/// Exports a closed case the user may read as an E-ARK package (`CASE-014` when it is not
/// closed); the export is logged. `municipality` names the maintenance agency.
pub async fn export(db: &Db, s: &StaffUser, id: Uuid, municipality: &str, now: OffsetDateTime) -> Result<Package> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = service::readable_case(&mut tx, s, id).await?;
    if c.status != CaseStatus::Closed {
        return Err(CaseError::ExportNotClosed.into());
    }
    let mut records = vec![];
    for r in store::records(&mut tx, t, id).await? {
        let versions = store::versions(&mut tx, t, r.id).await?;
        records.push((r, versions));
    }
    let events = store::events(&mut tx, t, id).await?;
    let mut contents = vec![];
    for (_, versions) in &records {
        for v in versions {
            let bytes = store::blob(&mut tx, t, &v.sha256).await?.ok_or_else(|| Error::Internal("missing file content".into()))?;
            contents.push((data_path(v), v.clone(), bytes));
        }
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor::of(&Principal::Staff(s.clone())),
        Event::new("case.exported", "case", id).with(serde_json::json!({ "files": contents.len() })),
        now,
    )
    .await?;
    tx.commit().await?;

    let package = format!("radhus-{}", c.number.replace(['/', ' '], "-"));
    let erms = erms_xml(municipality, &package, &c, &records, &events, &s.name, now);
    let files: Vec<(String, &DocumentVersion)> = contents.iter().map(|(p, v, _)| (p.clone(), v)).collect();
    let mets = mets_xml(&package, &c.number, erms.as_bytes(), &files);
    let zip = build_zip(&package, &mets, &erms, &contents).map_err(|e| Error::Internal(format!("zip: {e}")))?;
    Ok(Package { name: package, zip })
}

fn build_zip(package: &str, mets: &str, erms: &str, contents: &[(String, DocumentVersion, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Stored, not compressed: archival packages stay readable with the simplest tools.
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file(format!("{package}/METS.xml"), opts)?;
    w.write_all(mets.as_bytes())?;
    w.start_file(format!("{package}/metadata/descriptive/erms.xml"), opts)?;
    w.write_all(erms.as_bytes())?;
    for (path, _, bytes) in contents {
        w.start_file(format!("{package}/{path}"), opts)?;
        w.write_all(bytes)?;
    }
    Ok(w.finish()?.into_inner())
}
