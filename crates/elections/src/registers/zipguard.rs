//! The check every uploaded zip file (Excel `.xlsx` today, any later zip-based upload too)
//! passes before a parser opens it. A zip of a few kB can unpack to gigabytes, and a parser
//! trusts what the parts declare: calamine reserves as many strings as the shared-strings part
//! says it has. So before calamine sees the file, the archive is refused when it has too many
//! entries, when its entries declare more than the limit unpacked, when they actually unpack
//! to more (every entry is read through a reader that stops one byte past what is left of the
//! limit, so declared sizes are not trusted) or when a shared-strings part declares more strings
//! than a file may have cells. Decompression is deterministic: what the parser reads afterwards
//! is what was counted here.

use std::io::{Cursor, Read};

/// What an uploaded zip may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes all entries together unpack to (declared, and actually read).
    pub unpacked: u64,
    /// The most entries.
    pub entries: usize,
    /// The largest `uniqueCount` a shared-strings part may declare.
    pub shared_strings: u64,
}

/// An Excel file to import: 50 MB unpacked, 1,000 parts, a million shared strings.
pub const XLSX: Limits = Limits { unpacked: 50 * 1024 * 1024, entries: 1_000, shared_strings: 1_000_000 };

/// Why a zip was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not a zip the `zip` crate can read (also: encrypted or an unsupported compression).
    Unreadable,
    /// More than the limits allow.
    TooLarge,
}

/// Checks an uploaded zip against the limits without keeping more than one shared-strings part
/// (itself within the limit) in memory.
pub fn check(bytes: &[u8], limits: Limits) -> Result<(), Refused> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refused::Unreadable)?;
    if zip.len() > limits.entries {
        return Err(Refused::TooLarge);
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|_| Refused::Unreadable)?;
        declared = declared.saturating_add(f.size());
    }
    if declared > limits.unpacked {
        return Err(Refused::TooLarge);
    }
    let mut left = limits.unpacked;
    for i in 0..zip.len() {
        let f = zip.by_index(i).map_err(|_| Refused::Unreadable)?;
        // A name that cannot be decoded is scanned too.
        let shared = f.name().map_or(true, |n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        let mut limited = f.take(left + 1);
        let read = if shared {
            let mut part = Vec::new();
            limited.read_to_end(&mut part).map_err(|_| Refused::Unreadable)?;
            if max_unique_count(&part) > limits.shared_strings {
                return Err(Refused::TooLarge);
            }
            part.len() as u64
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| Refused::Unreadable)?
        };
        if read > left {
            return Err(Refused::TooLarge);
        }
        left -= read;
    }
    Ok(())
}

/// The largest number any `uniqueCount` attribute of the part declares (anywhere, comments
/// included: a hostile file is refused rather than parsed). Values calamine would not read as a
/// number (not all digits) count as nothing; leading zeros are skipped as calamine does.
fn max_unique_count(xml: &[u8]) -> u64 {
    const NAME: &[u8] = b"uniqueCount";
    let mut max = 0u64;
    let mut at = 0;
    while let Some(p) = xml[at..].windows(NAME.len()).position(|w| w == NAME) {
        at += p + NAME.len();
        let rest = &xml[at..];
        let mut i = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if rest.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        i += rest[i..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        let Some(&quote) = rest.get(i).filter(|q| **q == b'"' || **q == b'\'') else { continue };
        let value = &rest[i + 1..];
        let Some(end) = value.iter().position(|b| *b == quote) else { continue };
        let value = &value[..end];
        if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let digits = &value[value.iter().take_while(|b| **b == b'0').count()..];
        let n = if digits.len() > 18 { u64::MAX } else { digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) };
        max = max.max(n);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_counts_are_found_wherever_they_are() {
        assert_eq!(max_unique_count(b"<sst count=\"3\" uniqueCount=\"2\">"), 2);
        assert_eq!(max_unique_count(b"<x:sst uniqueCount = '0000012' ><!-- uniqueCount=\"7\" -->"), 12);
        assert_eq!(max_unique_count(b"<sst uniqueCount=\"99999999999999999999999\">"), u64::MAX);
        assert_eq!(max_unique_count(b"<sst uniqueCount=\"&#49;0\" uniqueCount>"), 0, "not a number calamine reads");
        assert_eq!(max_unique_count(b"<sst>"), 0);
    }

    /// A zip of one deflated entry of `len` spaces, declaring `declared` bytes unpacked (its
    /// local and central headers patched) when given.
    fn spaces(len: usize, declared: Option<u32>) -> Vec<u8> {
        use std::io::Write;
        let mut w = xlsx_zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = xlsx_zip::write::SimpleFileOptions::default().compression_method(xlsx_zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).expect("entry");
        w.write_all(&vec![b' '; len]).expect("write");
        let mut bytes = w.finish().expect("zip").into_inner();
        if let Some(d) = declared {
            let at = |sig: &[u8]| bytes.windows(4).position(|w| w == sig).expect("header");
            let (local, central) = (at(b"PK\x03\x04") + 22, at(b"PK\x01\x02") + 24);
            bytes[local..local + 4].copy_from_slice(&d.to_le_bytes());
            bytes[central..central + 4].copy_from_slice(&d.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn unpacked_size_is_bounded_by_declaration_and_by_what_is_read() {
        let limits = Limits { unpacked: 1 << 20, entries: 10, shared_strings: 10 };
        assert_eq!(check(&spaces(1 << 20, None), limits), Ok(()), "exactly the limit");
        assert_eq!(check(&spaces((1 << 20) + 1, None), limits), Err(Refused::TooLarge), "declared above");
        // Declaring 100 bytes while unpacking to 2 MB does not get past the check.
        let liar = spaces(2 << 20, Some(100));
        assert!(check(&liar, limits).is_err());
        let entries = Limits { entries: 0, ..limits };
        assert_eq!(check(&spaces(10, None), entries), Err(Refused::TooLarge), "too many entries");
    }

    #[test]
    fn not_a_zip_is_unreadable() {
        assert_eq!(check(b"PK\x03\x04garbage", XLSX), Err(Refused::Unreadable));
    }
}
