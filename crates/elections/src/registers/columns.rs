//! The vocabulary of an import, shared by the import itself, the checks of Valmyndigheten's
//! files (`valimport`) and the export: the kinds of file, their columns (with the headers they
//! are recognised by), a checked row and the template file of each kind.

use std::collections::BTreeMap;

use radhus_kernel::csv_cell::safe_cell;
use radhus_platform::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Persons,
    Premises,
    Vallokaler,
    Rostningslokaler,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Persons => "persons",
            Kind::Premises => "premises",
            Kind::Vallokaler => "vallokaler",
            Kind::Rostningslokaler => "rostningslokaler",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Persons, Kind::Premises, Kind::Vallokaler, Kind::Rostningslokaler].into_iter().find(|k| k.key() == s)
    }
    /// Valmyndigheten's files go into an election.
    pub fn is_structure(self) -> bool {
        matches!(self, Kind::Vallokaler | Kind::Rostningslokaler)
    }
    pub fn columns(self) -> &'static [Col] {
        match self {
            Kind::Persons => PERSON_COLS,
            Kind::Premises => PREMISES_COLS,
            Kind::Vallokaler | Kind::Rostningslokaler => VALMYNDIGHETEN_COLS,
        }
    }
    /// The message id of the kind's name.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Persons => "el-registers-import-kind-persons",
            Kind::Premises => "el-registers-import-kind-premises",
            Kind::Vallokaler => "el-valimport-kind-vallokaler",
            Kind::Rostningslokaler => "el-valimport-kind-rostningslokaler",
        }
    }
}

/// A column of an import file: its field key (the label is `field-<key>`), the headers it is
/// recognised by (compared without case, spaces, hyphens or underscores; the first one is the
/// documented header) and whether the file must have it.
pub struct Col {
    pub key: &'static str,
    pub headers: &'static [&'static str],
    pub required: bool,
    /// The message id that documents the column's values.
    pub help: &'static str,
}

impl Col {
    pub fn header(&self) -> &'static str {
        self.headers[0]
    }
    pub fn label(&self) -> String {
        format!("field-{}", self.key)
    }
}

pub const PERSON_COLS: &[Col] = &[
    Col { key: "reg_given_name", headers: &["förnamn", "tilltalsnamn"], required: true, help: "el-registers-help-required" },
    Col { key: "reg_family_name", headers: &["efternamn"], required: true, help: "el-registers-help-required" },
    Col { key: "reg_pnr", headers: &["personnummer", "pnr", "personnr"], required: false, help: "el-registers-help-pnr" },
    Col { key: "email", headers: &["e-post", "epostadress", "mejl", "email"], required: false, help: "el-registers-help-text" },
    Col {
        key: "reg_phone",
        headers: &["telefon", "mobil", "mobiltelefon", "telefonnummer"],
        required: false,
        help: "el-registers-help-text",
    },
    Col { key: "address", headers: &["adress", "gatuadress", "utdelningsadress"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_postal_code", headers: &["postnummer", "postnr"], required: false, help: "el-registers-help-postal-code" },
    Col { key: "reg_city", headers: &["ort", "postort"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_languages", headers: &["språk"], required: false, help: "el-registers-help-languages" },
    Col { key: "lat", headers: &["latitud", "lat"], required: false, help: "el-registers-help-coord" },
    Col { key: "lon", headers: &["longitud", "lon", "long"], required: false, help: "el-registers-help-coord" },
    Col { key: "reg_preferences", headers: &["önskemål"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_notes", headers: &["anteckningar", "anteckning", "övrigt"], required: false, help: "el-registers-help-text" },
];

pub const PREMISES_COLS: &[Col] = &[
    Col { key: "name", headers: &["namn", "lokal", "lokalnamn"], required: true, help: "el-registers-help-premises-name" },
    Col { key: "reg_building", headers: &["byggnad"], required: false, help: "el-registers-help-building" },
    Col { key: "address", headers: &["adress", "gatuadress"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_postal_code", headers: &["postnummer", "postnr"], required: false, help: "el-registers-help-postal-code" },
    Col { key: "reg_city", headers: &["ort", "postort"], required: false, help: "el-registers-help-text" },
    Col { key: "lat", headers: &["latitud", "lat"], required: false, help: "el-registers-help-coord" },
    Col { key: "lon", headers: &["longitud", "lon", "long"], required: false, help: "el-registers-help-coord" },
    Col { key: "reg_accessibility", headers: &["tillgänglighet"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_capacity", headers: &["kapacitet", "antal personer"], required: false, help: "el-registers-help-capacity" },
    Col { key: "reg_keys", headers: &["nycklar", "nyckel"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_contact_name", headers: &["kontaktperson", "kontakt"], required: false, help: "el-registers-help-text" },
    Col { key: "contact_phone", headers: &["telefon", "kontakttelefon"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_notes", headers: &["anteckningar", "anteckning", "övrigt"], required: false, help: "el-registers-help-text" },
];

pub const VALMYNDIGHETEN_COLS: &[Col] = &[
    Col { key: "valimport_lankod", headers: &["LÄNSKOD", "LÄN"], required: false, help: "el-valimport-help-lankod" },
    Col { key: "valimport_kommunkod", headers: &["KOMMUNKOD", "KOMMUN"], required: false, help: "el-valimport-help-kommunkod" },
    Col {
        key: "valimport_district_code",
        headers: &["VALDISTRIKTKOD", "VALDISTRIKTSKOD", "DISTRIKTKOD"],
        required: false,
        help: "el-valimport-help-district-code",
    },
    Col {
        key: "valimport_district_name",
        headers: &["VALDISTRIKTNAMN", "VALDISTRIKTSNAMN", "DISTRIKTNAMN"],
        required: false,
        help: "el-valimport-help-district-name",
    },
    Col {
        key: "valimport_name",
        headers: &["LOKALNAMN", "VALLOKALNAMN", "RÖSTNINGSLOKALNAMN", "VALLOKAL", "RÖSTNINGSLOKAL", "NAMN", "LOKAL"],
        required: true,
        help: "el-valimport-help-name",
    },
    Col { key: "address", headers: &["ADRESS", "GATUADRESS", "BESÖKSADRESS"], required: false, help: "el-registers-help-text" },
    Col { key: "reg_postal_code", headers: &["POSTNUMMER", "POSTNR"], required: false, help: "el-registers-help-postal-code" },
    Col { key: "reg_city", headers: &["POSTORT", "ORT"], required: false, help: "el-registers-help-text" },
    Col { key: "lat", headers: &["LATITUD", "LAT"], required: true, help: "el-registers-help-coord" },
    Col { key: "lon", headers: &["LONGITUD", "LONG", "LON"], required: true, help: "el-registers-help-coord" },
    Col { key: "valimport_openings", headers: &["ÖPPETTIDER", "TIDER"], required: false, help: "el-valimport-help-openings" },
];

/// A checked row: its values by field key, its problems and what importing it does.
#[derive(Debug, Clone)]
pub struct Staged {
    pub row_no: u32,
    pub data: BTreeMap<String, String>,
    pub problems: Vec<FieldError>,
    /// "create" or "update".
    pub action: &'static str,
}

impl Staged {
    pub fn get(&self, k: &str) -> &str {
        self.data.get(k).map(String::as_str).unwrap_or("")
    }
}

/// The rows of a file after the checks, and how many rows were for other municipalities.
pub struct Checked {
    pub rows: Vec<Staged>,
    pub other_kommun: usize,
}

/// A template file with the documented headers and one example row.
pub fn template_csv(kind: Kind) -> String {
    let cols = kind.columns();
    // The cells are fixed text, but go through safe_cell like every CSV cell Rådhus writes.
    let mut out = cols.iter().map(|c| safe_cell(c.header())).collect::<Vec<_>>().join(";");
    out.push('\n');
    let example: Vec<&str> = match kind {
        Kind::Persons => vec![
            "Anna",
            "Andersson",
            "19800101-0019",
            "anna.andersson@example.se",
            "070-123 45 67",
            "Storgatan 1",
            "665 30",
            "Kil",
            "finska",
            "59,5035",
            "13,3190",
            "Vill arbeta i Kil centrum",
            "",
        ],
        Kind::Premises => vec![
            "Kils församlingshem",
            "Kils församlingshem",
            "Kyrkogatan 2",
            "665 30",
            "Kil",
            "59,5035",
            "13,3190",
            "Entré utan trappsteg, handikapptoalett",
            "80",
            "Nyckel hos vaktmästaren",
            "Eva Ek",
            "0554-123 45",
            "",
        ],
        Kind::Vallokaler | Kind::Rostningslokaler => vec![],
    };
    if !example.is_empty() {
        out.push_str(&example.iter().map(|c| safe_cell(c)).collect::<Vec<_>>().join(";"));
        out.push('\n');
    }
    out
}
