//! The 98 Danish municipalities with their official municipality codes (Danmarks Statistik,
//! "kommunekoder"; Christiansø, code 411, is not a municipality and is left out).

use crate::text::{search_key, sort_key};

/// A municipality: official code and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Municipality {
    /// Official three-digit municipality code.
    pub code: u16,
    /// Name as Danmarks Statistik writes it ("København", "Høje-Taastrup").
    pub name: &'static str,
}

/// All 98 municipalities, in Danish alphabetical order (checked by a test, so the table can be
/// kept by hand without sorting at run time).
pub static MUNICIPALITIES: [Municipality; 98] = {
    const fn m(code: u16, name: &'static str) -> Municipality {
        Municipality { code, name }
    }
    [
        m(165, "Albertslund"),
        m(201, "Allerød"),
        m(420, "Assens"),
        m(151, "Ballerup"),
        m(530, "Billund"),
        m(400, "Bornholm"),
        m(153, "Brøndby"),
        m(810, "Brønderslev"),
        m(155, "Dragør"),
        m(240, "Egedal"),
        m(561, "Esbjerg"),
        m(563, "Fanø"),
        m(710, "Favrskov"),
        m(320, "Faxe"),
        m(210, "Fredensborg"),
        m(607, "Fredericia"),
        m(147, "Frederiksberg"),
        m(813, "Frederikshavn"),
        m(250, "Frederikssund"),
        m(190, "Furesø"),
        m(430, "Faaborg-Midtfyn"),
        m(157, "Gentofte"),
        m(159, "Gladsaxe"),
        m(161, "Glostrup"),
        m(253, "Greve"),
        m(270, "Gribskov"),
        m(376, "Guldborgsund"),
        m(510, "Haderslev"),
        m(260, "Halsnæs"),
        m(766, "Hedensted"),
        m(217, "Helsingør"),
        m(163, "Herlev"),
        m(657, "Herning"),
        m(219, "Hillerød"),
        m(860, "Hjørring"),
        m(316, "Holbæk"),
        m(661, "Holstebro"),
        m(615, "Horsens"),
        m(167, "Hvidovre"),
        m(169, "Høje-Taastrup"),
        m(223, "Hørsholm"),
        m(756, "Ikast-Brande"),
        m(183, "Ishøj"),
        m(849, "Jammerbugt"),
        m(326, "Kalundborg"),
        m(440, "Kerteminde"),
        m(621, "Kolding"),
        m(101, "København"),
        m(259, "Køge"),
        m(482, "Langeland"),
        m(350, "Lejre"),
        m(665, "Lemvig"),
        m(360, "Lolland"),
        m(173, "Lyngby-Taarbæk"),
        m(825, "Læsø"),
        m(846, "Mariagerfjord"),
        m(410, "Middelfart"),
        m(773, "Morsø"),
        m(707, "Norddjurs"),
        m(480, "Nordfyns"),
        m(450, "Nyborg"),
        m(370, "Næstved"),
        m(727, "Odder"),
        m(461, "Odense"),
        m(306, "Odsherred"),
        m(730, "Randers"),
        m(840, "Rebild"),
        m(760, "Ringkøbing-Skjern"),
        m(329, "Ringsted"),
        m(265, "Roskilde"),
        m(230, "Rudersdal"),
        m(175, "Rødovre"),
        m(741, "Samsø"),
        m(740, "Silkeborg"),
        m(746, "Skanderborg"),
        m(779, "Skive"),
        m(330, "Slagelse"),
        m(269, "Solrød"),
        m(340, "Sorø"),
        m(336, "Stevns"),
        m(671, "Struer"),
        m(479, "Svendborg"),
        m(706, "Syddjurs"),
        m(540, "Sønderborg"),
        m(787, "Thisted"),
        m(550, "Tønder"),
        m(185, "Tårnby"),
        m(187, "Vallensbæk"),
        m(573, "Varde"),
        m(575, "Vejen"),
        m(630, "Vejle"),
        m(820, "Vesthimmerlands"),
        m(791, "Viborg"),
        m(390, "Vordingborg"),
        m(492, "Ærø"),
        m(580, "Aabenraa"),
        m(851, "Aalborg"),
        m(751, "Aarhus"),
    ]
};

impl Municipality {
    /// The municipality with this official code.
    pub fn by_code(code: u16) -> Option<&'static Municipality> {
        MUNICIPALITIES.iter().find(|m| m.code == code)
    }
}

/// Municipalities matching what the user typed, best first: names that start with the query,
/// then names with a word starting with it, then names containing it; each group in Danish
/// order. A three-digit code finds its municipality too. An empty query gives all 98.
pub fn search(query: &str) -> Vec<&'static Municipality> {
    let q = search_key(query);
    if q.is_empty() {
        return MUNICIPALITIES.iter().collect();
    }
    let hits: Vec<(u8, &'static Municipality)> = MUNICIPALITIES
        .iter()
        .filter_map(|m| {
            let key = search_key(m.name);
            let rank = if key.starts_with(&q) {
                0
            } else if key.split(' ').any(|w| w.starts_with(&q)) {
                1
            } else if key.contains(&q) {
                2
            } else if q.parse::<u16>().is_ok_and(|c| c == m.code) {
                0
            } else {
                return None;
            };
            Some((rank, m))
        })
        .collect();
    // Best rank first, each rank in the table's Danish order. Three passes rather than a stable
    // sort: a sort's code costs kilobytes in the browser bundle, the passes nothing.
    (0..=2)
        .flat_map(|rank| {
            hits.iter()
                .filter(move |(r, _)| *r == rank)
                .map(|(_, m)| *m)
        })
        .collect()
}

/// Sorts municipality names the Danish way; exposed for tests and tools.
pub fn is_in_danish_order(list: &[Municipality]) -> bool {
    list.windows(2)
        .all(|w| sort_key(w[0].name) < sort_key(w[1].name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_98_with_unique_official_codes() {
        assert_eq!(MUNICIPALITIES.len(), 98);
        let mut codes: Vec<u16> = MUNICIPALITIES.iter().map(|m| m.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 98);
        assert!(
            Municipality::by_code(411).is_none(),
            "Christiansø is not a municipality"
        );
        for (code, name) in [
            (101, "København"),
            (147, "Frederiksberg"),
            (400, "Bornholm"),
            (461, "Odense"),
            (492, "Ærø"),
            (730, "Randers"),
            (751, "Aarhus"),
            (825, "Læsø"),
            (851, "Aalborg"),
            (860, "Hjørring"),
        ] {
            assert_eq!(Municipality::by_code(code).map(|m| m.name), Some(name));
        }
    }

    #[test]
    fn the_table_is_in_danish_order() {
        assert!(is_in_danish_order(&MUNICIPALITIES));
        let last: Vec<_> = MUNICIPALITIES[94..].iter().map(|m| m.name).collect();
        assert_eq!(last, ["Ærø", "Aabenraa", "Aalborg", "Aarhus"]);
    }

    fn first(q: &str) -> &'static str {
        search(q).first().map(|m| m.name).unwrap_or("-")
    }

    #[test]
    fn search_forgives_case_and_danish_letters() {
        for q in ["kobenhavn", "koebenhavn", "københavn", "KØBEN", "101"] {
            assert_eq!(first(q), "København", "{q}");
        }
        for q in ["aarhus", "århus", "Århus", "751"] {
            assert_eq!(first(q), "Aarhus", "{q}");
        }
        assert_eq!(first("taastrup"), "Høje-Taastrup");
        assert_eq!(first("ran"), "Randers");
        assert!(search("zzz").is_empty());
        assert_eq!(search("").len(), 98);
        // Prefix matches come before matches inside a name.
        let hits: Vec<_> = search("her").iter().map(|m| m.name).collect();
        assert_eq!(&hits[..3], ["Herlev", "Herning", "Odsherred"]);
    }
}
