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

/// Whether the text holds a link of any form: a scheme (`https://`, `mailto:`, `javascript:`),
/// `www.`, a UNC path (`\\server\share`), a punycode label (`xn--`), or a bare domain such as
/// `kl-login.dk/bekraeft`. Text a submitter types is put into mails sent from the
/// organisation's own address to other people; a link there would lend it the organisation's
/// name, and mail programs turn bare domains into links.
///
/// Danish names and titles are not links: "Lars K. Hansen", "cand.it", "M.Sc." and
/// "A.P. Møller" pass (see `is_domain`).
///
/// Written by hand, not with `linkify`: that crate finds where links end, which this does not
/// need, and without a scheme it takes any "afd.leder" for a domain. The rule must also be one
/// the API contract can state as a pattern (`Text` in `api/openapi.yaml`), which its tests
/// compare with this function.
pub fn has_link(s: &str) -> bool {
    let lower = lower(s);
    lower.contains("://")
        || lower.contains("www.")
        || lower.contains("xn--")
        || lower.contains("\\\\")
        || has_scheme(&lower)
        || is_domain(&lower)
}

/// A scheme such as `mailto:anna@x.dk` or `javascript:alert(1)`: a word of ASCII letters
/// right before a colon that is followed by something other than a space or a digit (so
/// "Chef: Anna" and "kl:14" are no schemes).
fn has_scheme(lower: &str) -> bool {
    let b = lower.as_bytes();
    (2..b.len()).any(|i| {
        b[i] == b':'
            && b[i - 2..i].iter().all(u8::is_ascii_lowercase)
            && b.get(i + 1)
                .is_some_and(|n| !n.is_ascii_whitespace() && !n.is_ascii_digit())
    })
}

/// Top-level domains of more than two letters that are common in text, between spaces; every
/// two-letter one (a country's) counts too. The full list of over a thousand would cost
/// kilobytes in the browser, and would take Danish degrees such as "mag.art" and "cand.med" for
/// domains. One text, not a list of texts: the browser's bundle then carries no table of their
/// addresses.
const TOP_LEVEL_DOMAINS: &str = "com net org info biz gov edu xyz top online site app dev link \
     click shop store live club email cloud tech icu website";

/// Degrees written as one word with a dot, whose second part is also a country's domain
/// ("cand.it"): no domain unless a path follows.
const DEGREES: [&str; 5] = ["cand", "mag", "lic", "dr", "stud"];

/// A bare domain: a label of two or more characters, a dot and a top-level domain, inside
/// one word of letters, digits, hyphens and dots ("kl-login.dk/bekraeft",
/// "sikker.kl-tilmelding.com").
fn is_domain(lower: &str) -> bool {
    let b = lower.as_bytes();
    // Every byte of a non-ASCII character is a word's, so words begin and end at ASCII bytes,
    // which are character boundaries.
    let word = |c: &u8| *c == b'-' || *c == b'.' || !c.is_ascii() || c.is_ascii_alphanumeric();
    let mut start = 0;
    while start < b.len() {
        let end = b[start..]
            .iter()
            .position(|c| !word(c))
            .map_or(b.len(), |n| start + n);
        // A path after the word makes even a degree a domain.
        if has_domain(&lower[start..end], b.get(end) == Some(&b'/')) {
            return true;
        }
        start = end + 1;
    }
    false
}

/// Whether one word of labels holds a domain (see [`is_domain`]).
fn has_domain(word: &str, path: bool) -> bool {
    let mut labels = word.split('.');
    let mut label = labels.next().unwrap_or_default();
    let degree = !path && word.split('.').count() == 2 && DEGREES.contains(&label);
    labels.any(|tld| {
        let top_level = tld.bytes().all(|b| b.is_ascii_lowercase())
            && (tld.len() == 2 || TOP_LEVEL_DOMAINS.split(' ').any(|t| t == tld));
        let found = top_level && label.chars().count() >= 2 && !degree;
        label = tld;
        found
    })
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
    fn links_of_every_form_are_found() {
        for s in [
            "https://x.dk",
            "se WWW.kl.dk",
            "ftp://a",
            "www.x",
            "log ind på kl-login.dk/bekraeft",
            "sikker.kl-tilmelding.com/login",
            "KL.DK",
            "Se kl.dk.",
            "xn--rr-lka.dk",
            "XN--RR-LKA",
            "ærø.dk",
            "mailto:anna@kl.dk",
            "anna@kl.dk",
            "javascript:alert(1)",
            "tel:+4512345678",
            "\\\\server\\deling",
            "Afd. (borger.info)",
            "cand.it/login",
            "kl.dk:443",
            "http:/x",
        ] {
            assert!(has_link(s), "{s}");
        }
    }

    /// Real Danish names, titles and departments, as people write them.
    #[test]
    fn danish_names_and_titles_are_no_links() {
        for s in [
            "Anna Andersen",
            "Anne-Marie Sørensen",
            "Lars K. Hansen",
            "H.C. Andersen",
            "A.P. Møller",
            "Chef for Teknik og Miljø",
            "Konsulent, Team www",
            "Afd. for Børn og Unge",
            "afd.leder",
            "adm.direktør",
            "kst. chef",
            "cand.it",
            "cand.scient.pol",
            "mag.art",
            "cand.med.",
            "dr.med. Jens Hansen",
            "Ph.D.",
            "M.Sc. i økonomi",
            "Sct. Georgs Gade",
            "Chef: Anna",
            "Mødes kl:14",
            "Teamleder, Nord/Syd",
            "Center for Udsatte Boligområder (CUB)",
            "Jobcenter - Ydelse, 2. sal",
            "Sagsbehandler (SSD-teamet)",
        ] {
            assert!(!has_link(s), "{s}");
        }
    }
}
