//! The API contract (`api/openapi.yaml`) says what the shared Rust rules enforce, so the two
//! cannot drift apart: the limits, codes and municipality list are read from the domain, and
//! the schema's patterns are run against the domain's validation on the same inputs.
//! (schemathesis runs the contract against the live server: `e2e/tests/contract.rs`.)

// fancy-regex, not regex: the text patterns refuse links with a lookahead, as ECMA 262 (the
// dialect of JSON Schema's patterns) and Python's `re` (schemathesis) read them.
use fancy_regex::Regex;
use serde_json::{Value, json};
use tilmelding_domain::registration::{ErrorCode, is_valid_email};
use tilmelding_domain::{Limits, MUNICIPALITIES, Registration};

fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/openapi.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn component(name: &str) -> Value {
    schema()["components"]["schemas"][name].clone()
}

fn pattern(name: &str) -> Regex {
    Regex::new(component(name)["pattern"].as_str().unwrap()).unwrap()
}

#[test]
fn the_contract_states_the_domain_limits_codes_and_municipalities() {
    let limits = Limits::default();
    let reg = component("Registration");
    let props = &reg["properties"];
    let mut codes: Vec<u64> = MUNICIPALITIES.iter().map(|m| m.code.into()).collect();
    codes.sort_unstable();
    assert_eq!(props["municipality_code"]["enum"], json!(codes));
    assert_eq!(props["attendees"]["minItems"], 1);
    assert_eq!(props["attendees"]["maxItems"], limits.max_attendees);
    assert!(
        props["idempotency_key"]["pattern"]
            .as_str()
            .unwrap()
            .contains(&format!(
                "{{{},{}}}",
                limits.min_submission_key, limits.max_key
            ))
    );
    assert_eq!(props["privacy_accepted"]["enum"], json!([true]));
    assert_eq!(props["website"]["maxLength"], 0);
    for text in ["Text", "RequiredText"] {
        assert_eq!(component(text)["maxLength"], limits.max_text, "{text}");
    }
    assert_eq!(component("Email")["maxLength"], limits.max_email);
    let codes: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
    assert_eq!(
        component("FieldError")["properties"]["code"]["enum"],
        json!(codes)
    );
    // A change through a manage link has the registration's key rule, but for the minimum
    // (its key is no secret: it only counts behind the link), and its attendee shape.
    let change = component("Change");
    assert_eq!(
        change["properties"]["idempotency_key"]["pattern"]
            .as_str()
            .unwrap(),
        props["idempotency_key"]["pattern"]
            .as_str()
            .unwrap()
            .replace(&format!("{{{},", limits.min_submission_key), "{1,")
    );
    assert_eq!(
        props["attendees"]["items"],
        json!({"$ref": "#/components/schemas/Attendee"})
    );
    let add = &change["properties"]["action"]["oneOf"][3]["properties"];
    assert_eq!(add["kind"]["enum"], json!(["add"]));
    assert_eq!(add["attendees"]["maxItems"], limits.max_attendees);
    let cancel = &change["properties"]["action"]["oneOf"][2]["properties"];
    assert_eq!(cancel["kind"]["enum"], json!(["cancel"]));
    assert_eq!(cancel["attendees"]["maxItems"], limits.max_attendees);
}

/// Whether the domain accepts `value` as the first attendee's `field`, the rest being valid.
fn accepted(field: &str, value: &str) -> bool {
    let mut attendee = json!({"name": "Kim", "email": "kim@randers.dk", "title": "Konsulent"});
    attendee[field] = json!(value);
    let reg: Registration = serde_json::from_value(json!({
        "municipality_code": 730,
        "contact": {"name": "Kim", "email": "kim@randers.dk"},
        "attendees": [attendee],
        "privacy_accepted": true,
        "idempotency_key": "key-0123456789abcdef",
    }))
    .unwrap();
    let path = format!("attendees[0].{field}");
    match reg.validate(&Limits::default()) {
        Ok(_) => true,
        Err(errors) => !errors.iter().any(|e| e.field.to_string() == path),
    }
}

/// Text the schema and the domain must judge alike: white space of every kind, control
/// characters on both sides of what counts as white space, letters from far away.
/// Format characters (invisible) and links too.
const TEXTS: &[&str] = &[
    "Kim Kontakt",
    "\u{85}",
    "\u{1680}\u{2028}",
    "\u{202f}\u{205f}x",
    "",
    " ",
    "\t\n\r",
    "\u{a0}\u{2003}\u{3000}",
    "  Søren  Ærø ",
    "a\u{1}b",
    "a\u{8}",
    "a\tb\nc",
    "\u{7f}",
    "x\u{85}y",
    "\u{84}",
    "\u{9f}",
    "Zoë 山田 Ωmega",
    "\u{200b}",
    "a\u{e}",
    "Anna \u{202e}nesrednA",
    "\u{ad}x",
    "x\u{feff}",
    "https://example.com",
    "se WwW.example.com",
    "www",
    "kl.dk og http:/x",
    "a\n://",
    // Links of every form, and Danish names, titles and degrees that only look like them.
    "log ind på kl-login.dk/bekraeft",
    "sikker.kl-tilmelding.com/login",
    "KL.DK",
    "Se kl.dk.",
    "xn--rr-lka",
    "ærø.dk",
    "Ærø.Dk",
    "mailto:anna@kl.dk",
    "anna@kl.dk",
    "javascript:alert(1)",
    "tel:+4512345678",
    "\\\\server\\deling",
    "Afd. (borger.INFO)",
    "borger.infox",
    "cand.it",
    "Cand.IT",
    "cand.it/login",
    "cand.it.dk",
    "x cand.it",
    "xcand.it",
    ".cand.it",
    "cand.com",
    "mag.art",
    "cand.scient.pol",
    "dr.med. Jens Hansen",
    "Lars K. Hansen",
    "H.C. Andersen",
    "M.Sc. i økonomi",
    "Ph.D.",
    "afd.leder",
    "adm.direktør",
    "Chef: Anna",
    "Mødes kl:14",
    "Team:Nord",
    "ab:\u{b}",
    "ab:\u{c}",
    "a:b",
    "Nord/Syd",
    "2.sal",
    "ab.c1",
    "ab.-dk",
    "a-b.dk",
    "日本.jp",
    "x\u{1f600}.dk",
    "\u{1f600}\u{1f600}.dk",
];

#[test]
fn the_contract_patterns_judge_text_as_the_domain_does() {
    let (text, required) = (pattern("Text"), pattern("RequiredText"));
    let long = "x".repeat(Limits::default().max_text + 1);
    for value in TEXTS.iter().copied().chain([long.as_str()]) {
        let fits = value.chars().count() <= Limits::default().max_text;
        assert_eq!(
            fits && required.is_match(value).unwrap(),
            accepted("name", value),
            "RequiredText and a name: {value:?}"
        );
        assert_eq!(
            fits && text.is_match(value).unwrap(),
            accepted("department", value),
            "Text and a department: {value:?}"
        );
    }
}

#[test]
fn every_address_the_domain_accepts_fits_the_contract_pattern() {
    let email = pattern("Email");
    let accepted_by_both = [
        "kim@randers.dk",
        " kim@randers.dk ",
        "kim.kontakt+knub@kommune.randers.dk",
        "o'brien@x.dk",
        "0@0.com",
        "søren@randers.dk",
    ];
    let refused_by_both = [
        "",
        "kim",
        "kim@randers",
        "kim@randers.",
        "k m@x.dk",
        "@x.dk",
        "a@[1.2.3.4]",
    ];
    for value in accepted_by_both {
        assert!(
            email.is_match(value).unwrap() && accepted("email", value),
            "{value:?}"
        );
    }
    for value in refused_by_both {
        assert!(
            !email.is_match(value).unwrap() && !accepted("email", value),
            "{value:?}"
        );
    }
    // Where the pattern is wider, the RFC's character rules (`format: email` in the schema)
    // refuse: these fit the pattern's shape, and the server refuses them.
    for value in ["(x)@randers.dk", "a@b..dk", "a..b@x.dk", "a@-x.dk"] {
        assert!(email.is_match(value).unwrap(), "{value:?}");
        assert!(!is_valid_email(value.trim()), "{value:?}");
    }
}

#[test]
fn idempotency_keys_are_taken_exactly_as_the_pattern_says() {
    // The pattern spells out the white space Rust's `trim` removes (`\s` differs at the edges).
    let key = Regex::new(
        component("Registration")["properties"]["idempotency_key"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for value in [
        "key-1",
        "ABC-def-0123-4567",
        " key-0123456789abcdef",
        "0123456789abcdef\t",
        "0123456789abcde",
        "key_0123456789abcdef",
        "",
        "nøgle",
        "a b",
    ] {
        let reg: Registration = serde_json::from_value(json!({
            "municipality_code": 730,
            "contact": {"name": "Kim", "email": "kim@randers.dk"},
            "attendees": [{"name": "Kim", "email": "kim@randers.dk", "title": "Konsulent"}],
            "privacy_accepted": true,
            "idempotency_key": value,
        }))
        .unwrap();
        assert_eq!(
            key.is_match(value).unwrap(),
            reg.validate(&Limits::default()).is_ok(),
            "{value:?}"
        );
    }
}
