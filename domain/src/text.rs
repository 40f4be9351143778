//! Danish text handling: forgiving search keys and Danish sort order.
//!
//! Written by hand: ICU collation (`icu_collator`) gets this right too, but its data alone is
//! several hundred kilobytes of wasm, and the app only ever sorts and searches 98 names.

/// A search key that forgives case and the usual ways of typing Danish letters on a keyboard
/// without them: `københavn`, `kobenhavn` and `koebenhavn` all give `kobenhavn`; `århus`,
/// `aarhus` and `arhus` all give `arhus`. Hyphens count as spaces.
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().map(fold_case) {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push('o'),
            'å' | 'à' | 'á' | 'â' => out.push('a'),
            'é' | 'è' | 'ê' => out.push('e'),
            'ü' => out.push('u'),
            '-' | '_' | '.' | ',' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    // Folded digraphs last, so that a typed "oe" and a folded "ø" meet in the same place.
    out.replace("aa", "a").replace("oe", "o").replace("ae", "a")
}

/// Lower case for the letters of the Latin alphabets of Denmark and its neighbours (ASCII and
/// Latin-1: ÆØÅ, ÄÖÜ, É, …); every other character is kept as it is.
///
/// Written by hand, not `char::to_lowercase`: the full Unicode case table costs about 3 KB
/// brotli in the browser bundle, and names, e-mails and municipalities typed here
/// are in these alphabets.
pub fn fold_case(c: char) -> char {
    match c {
        'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' => char::from_u32(c as u32 + 32).unwrap_or(c),
        c => c,
    }
}

/// `s` with [`fold_case`] applied to every character.
pub fn lower(s: &str) -> String {
    s.chars().map(fold_case).collect()
}

/// A key that sorts the Danish way: æ, ø, å after z, and "aa" as "å" (Aabenraa and Aarhus
/// come last, Faaborg after Fredericia).
pub fn sort_key(s: &str) -> Vec<u32> {
    let lower: Vec<char> = s.chars().map(fold_case).collect();
    let mut key = Vec::with_capacity(lower.len());
    let mut i = 0;
    while i < lower.len() {
        let c = lower[i];
        // a..z weigh 3..=28, then æ, ø, å.
        let weight = match c {
            'a' if lower.get(i + 1) == Some(&'a') => {
                i += 1;
                31
            }
            'a'..='z' => c as u32 - 'a' as u32 + 3,
            'æ' | 'ä' => 29,
            'ø' | 'ö' => 30,
            'å' => 31,
            'é' | 'è' => 'e' as u32 - 'a' as u32 + 3,
            'ü' => 'u' as u32 - 'a' as u32 + 3,
            ' ' | '-' => 1,
            '0'..='9' => 2,
            _ => 32 + c as u32,
        };
        key.push(weight);
        i += 1;
    }
    key
}

/// Compares two strings in Danish order.
pub fn cmp_da(a: &str, b: &str) -> std::cmp::Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Unicode's format characters (general category Cf): invisible, yet they change how the text
/// around them shows. A right-to-left override (U+202E) turns "Anna" into what reads as another
/// name in a mail, the list or the organiser page; zero-width ones make two names that look
/// alike differ.
///
/// Written by hand, not with `unicode-properties`: its table of every category would add
/// kilobytes to the browser bundle for one category of 21 ranges. The domain's tests check
/// this table against that crate's, character by character.
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{ad}', '\u{ad}'),
    ('\u{600}', '\u{605}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{6dd}', '\u{6dd}'),
    ('\u{70f}', '\u{70f}'),
    ('\u{890}', '\u{891}'),
    ('\u{8e2}', '\u{8e2}'),
    ('\u{180e}', '\u{180e}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0001}', '\u{e0001}'),
    ('\u{e0020}', '\u{e007f}'),
];

/// Whether `c` is a format character (Unicode general category Cf).
pub fn is_format_character(c: char) -> bool {
    FORMAT_CHARACTERS
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
}

/// Whether the text holds a web link: `://` or `www.` (any case). Text a submitter types is
/// put into mails sent from the organisation's own address to other people; a link there
/// would lend it the organisation's name.
pub fn has_link(s: &str) -> bool {
    s.contains("://") || lower(s).contains("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_folding_covers_the_nordic_and_western_letters() {
        assert_eq!(
            lower("KØBENHAVN Æble Århus ÉÜÖÄ Þ"),
            "københavn æble århus éüöä þ"
        );
        // The multiplication sign sits among the capitals but is no letter.
        assert_eq!(fold_case('×'), '×');
        // Outside Latin-1, characters are kept as they are (see fold_case).
        assert_eq!(lower("ŁÓDŹ"), "ŁódŹ");
        assert_eq!(search_key("KØBENHAVN"), search_key("københavn"));
    }

    #[test]
    fn search_keys_forgive_danish_letters() {
        for typed in [
            "københavn",
            "kobenhavn",
            "koebenhavn",
            "KØBENHAVN",
            " Kobenhavn ",
        ] {
            assert_eq!(search_key(typed), search_key("København"), "{typed}");
        }
        for typed in ["aarhus", "århus", "Aarhus", "ÅRHUS", "arhus"] {
            assert_eq!(search_key(typed), search_key("Aarhus"), "{typed}");
        }
        assert_eq!(search_key("ærø"), search_key("aeroe"));
        assert_eq!(search_key("lyngby taarbæk"), search_key("Lyngby-Taarbæk"));
    }

    #[test]
    fn danish_order_puts_ae_oe_aa_last() {
        let mut names = vec![
            "Aarhus",
            "Ærø",
            "Aabenraa",
            "Albertslund",
            "Østerbro",
            "Zealand",
        ];
        names.sort_by(|a, b| cmp_da(a, b));
        assert_eq!(
            names,
            [
                "Albertslund",
                "Zealand",
                "Ærø",
                "Østerbro",
                "Aabenraa",
                "Aarhus"
            ]
        );
        assert!(cmp_da("Faaborg-Midtfyn", "Fredericia").is_gt());
        assert!(cmp_da("Høje-Taastrup", "Holbæk").is_gt());
    }

    #[test]
    fn format_characters_are_unicode_s_category_cf() {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(
                is_format_character(c),
                c.general_category() == GeneralCategory::Format,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn links_are_found_in_any_case() {
        for s in ["https://x.dk", "se WWW.kl.dk", "ftp://a", "www.x"] {
            assert!(has_link(s), "{s}");
        }
        for s in ["Anna Andersen", "Konsulent, Team www", "kl.dk", "http:/x"] {
            assert!(!has_link(s), "{s}");
        }
    }
}
