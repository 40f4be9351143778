//! The organiser's CSV export, made for Danish Excel: UTF-8 with a byte-order mark (without it
//! Excel reads æ, ø, å as mojibake), `;` between cells (Danish Excel uses `,` as decimal mark),
//! CRLF line ends.

use crate::store::{AttendeeRow, Member};
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::{Lang, Municipality, list_text};

/// A sheet for Danish Excel: the header, then each row's cells, defused.
fn sheet<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> Vec<u8> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(header);
        for cells in rows {
            let _ = w.write_record(cells.map(|c| defuse(&c)));
        }
        let _ = w.flush();
    }
    out
}

/// A network's members in a year, for billing and reports: the municipality, its period, how
/// it became a member, by whom, and the note, in `lang`.
pub fn members_csv(members: &[Member], lang: Lang) -> Vec<u8> {
    let day = |d: Option<tilmelding_domain::calendar::Date>| d.map(|d| d.to_string());
    sheet(
        tilmelding_domain::members::columns(lang),
        members.iter().map(|m| {
            [
                m.municipality_code.to_string(),
                Municipality::by_code(m.municipality_code)
                    .map_or("", |m| m.name)
                    .to_owned(),
                day(m.valid_from).unwrap_or_default(),
                day(m.valid_until).unwrap_or_default(),
                m.became.words(lang).to_owned(),
                m.by.clone(),
                m.note.clone(),
            ]
        }),
    )
}

/// The export as bytes, ready to send, its column names and standings in `lang`.
pub fn csv(rows: &[AttendeeRow], lang: Lang) -> Vec<u8> {
    sheet(
        list_text::columns(lang),
        rows.iter().map(|r| {
            let municipality = Municipality::by_code(r.municipality_code).map_or("", |m| m.name);
            let status = list_text::standing(lang, r.status);
            [
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
            .map(str::to_owned)
        }),
    )
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
