//! The organiser's CSV export, made for Danish Excel: UTF-8 with a byte-order mark (without it
//! Excel reads æ, ø, å as mojibake), `;` between cells (Danish Excel uses `,` as decimal mark),
//! CRLF line ends.

use crate::store::AttendeeRow;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::{Lang, Municipality, list_text};

/// The export as bytes, ready to send, its column names and standings in `lang`.
pub fn csv(rows: &[AttendeeRow], lang: Lang) -> Vec<u8> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let _ = w.write_record(list_text::columns(lang));
        for r in rows {
            let municipality = Municipality::by_code(r.municipality_code).map_or("", |m| m.name);
            let status = list_text::standing(lang, r.status);
            let cells = [
                r.reference.as_str(),
                &r.municipality_code.to_string(),
                municipality,
                &r.name,
                &r.email,
                &r.title,
                &r.department,
                status,
                &r.contact_name,
                &r.contact_email,
                &format_local(r.created_at),
                &r.cancelled_at.map(format_local).unwrap_or_default(),
                &format_local(r.updated_at),
            ]
            .map(defuse);
            // Writing to a Vec cannot fail.
            let _ = w.write_record(&cells);
        }
        let _ = w.flush();
    }
    out
}

/// Spreadsheets run a cell that starts with `= + - @` (or a tab or CR) as a formula: prefix
/// such cells with an apostrophe so they are shown as text (OWASP's advice for CSV injection).
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Anna"), "Anna");
    }
}
