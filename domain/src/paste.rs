//! Turning a block copied from a spreadsheet into attendee rows.
//!
//! Excel and LibreOffice put tabs between cells and CRLF between rows on the clipboard, and
//! quote a cell that contains a tab, a newline or a quote. Danish CSV files use `;`. Written by
//! hand rather than with the `csv` crate: the clipboard format needs separator sniffing and header
//! detection on top, and the crate would be the largest piece of the wasm bundle for ~60 lines.

use crate::registration::Attendee;

/// What a paste produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pasted {
    /// One attendee per non-blank data row, not yet validated.
    pub rows: Vec<Attendee>,
    /// A header row was recognised and skipped.
    pub header_skipped: bool,
}

#[derive(Clone, Copy)]
struct Columns {
    name: Option<usize>,
    email: Option<usize>,
    title: Option<usize>,
    department: Option<usize>,
}

const DEFAULT_COLUMNS: Columns = Columns {
    name: Some(0),
    email: Some(1),
    title: Some(2),
    department: Some(3),
};

/// Parses a pasted block: tab-separated if any line has a tab, else `;`-separated, else
/// `,`-separated. Columns are name, e-mail, title, department, unless a header row names them
/// in another order. Blank lines are skipped, extra columns ignored.
pub fn parse(text: &str) -> Pasted {
    let sep = if text.contains('\t') {
        '\t'
    } else if text.contains(';') {
        ';'
    } else {
        ','
    };
    let records = split_records(text, sep);
    let mut out = Pasted::default();
    let mut cols = DEFAULT_COLUMNS;
    let mut first = true;
    for rec in records {
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if std::mem::take(&mut first)
            && let Some(header) = header_columns(&rec)
        {
            cols = header;
            out.header_skipped = true;
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        out.rows.push(Attendee {
            name: cell(cols.name),
            email: cell(cols.email),
            title: cell(cols.title),
            department: cell(cols.department),
        });
    }
    out
}

/// Recognises a header row: no cell looks like an e-mail and at least one names a column.
fn header_columns(rec: &[String]) -> Option<Columns> {
    if rec.iter().any(|c| c.contains('@')) {
        return None;
    }
    let mut cols = Columns {
        name: None,
        email: None,
        title: None,
        department: None,
    };
    for (i, cell) in rec.iter().enumerate() {
        let c = crate::text::search_key(cell).replace(' ', "");
        let slot = if c.contains("mail") {
            &mut cols.email
        } else if c.contains("navn") || c.contains("name") {
            &mut cols.name
        } else if c.contains("stilling")
            || c.contains("titel")
            || c.contains("title")
            || c.contains("job")
        {
            &mut cols.title
        } else if c.contains("afdeling") || c.contains("forvaltning") || c.contains("department") {
            &mut cols.department
        } else {
            continue;
        };
        slot.get_or_insert(i);
    }
    (cols.name.is_some() || cols.email.is_some()).then_some(cols)
}

/// Splits into records of cells, honouring double quotes (`""` is a quote inside a quoted cell).
fn split_records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut rec = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            c if c == sep => {
                rec.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                rec.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut rec));
                at_cell_start = true;
            }
            c => {
                if !(at_cell_start && c == ' ') {
                    at_cell_start = false;
                }
                cell.push(c);
            }
        }
    }
    if !cell.is_empty() || !rec.is_empty() {
        rec.push(cell);
        records.push(rec);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Pasted) -> Vec<(&str, &str, &str, &str)> {
        p.rows
            .iter()
            .map(|a| (&*a.name, &*a.email, &*a.title, &*a.department))
            .collect()
    }

    #[test]
    fn excel_tab_block_with_crlf_and_blank_lines() {
        let p = parse("Anna A\tanna@kl.dk\tKonsulent\r\n\r\nBo B\tbo@kl.dk\tChef\tByg\r\n");
        assert!(!p.header_skipped);
        assert_eq!(
            names(&p),
            [
                ("Anna A", "anna@kl.dk", "Konsulent", ""),
                ("Bo B", "bo@kl.dk", "Chef", "Byg")
            ]
        );
    }

    #[test]
    fn semicolon_csv_with_header_in_another_order_and_extra_columns() {
        let p = parse("E-mail;Navn;Telefon;Stilling\nanna@kl.dk;Anna A;1234;Konsulent\n");
        assert!(p.header_skipped);
        assert_eq!(names(&p), [("Anna A", "anna@kl.dk", "Konsulent", "")]);
    }

    #[test]
    fn quoted_cells_keep_separators_and_quotes() {
        let p = parse("\"Hansen; Anna\";anna@kl.dk;\"Leder af \"\"Byen\"\"\"\n");
        assert_eq!(
            names(&p),
            [("Hansen; Anna", "anna@kl.dk", "Leder af \"Byen\"", "")]
        );
        let p = parse("\"Anna\nA\"\tanna@kl.dk\tX");
        assert_eq!(p.rows.len(), 1);
    }

    #[test]
    fn odd_input_never_panics_and_keeps_rows_for_validation() {
        assert_eq!(parse("").rows.len(), 0);
        assert_eq!(parse("\n\n\r\n").rows.len(), 0);
        // A row with only a name is kept; validation then asks for the rest.
        assert_eq!(names(&parse("Anna\n")), [("Anna", "", "", "")]);
        assert_eq!(parse("\"unterminated\tanna@kl.dk").rows.len(), 1);
    }

    #[test]
    fn fifty_rows() {
        let text: String = (0..50)
            .map(|i| format!("Navn {i}\tn{i}@kl.dk\tKonsulent\n"))
            .collect();
        assert_eq!(parse(&text).rows.len(), 50);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panic(s in "\\PC*") {
            let _ = parse(&s);
        }
    }
}
