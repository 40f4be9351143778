//! The shared types as JSON without serde, for the browser bundle.
//!
//! Why by hand: serde's derived decoders are generic code instantiated per type and per format,
//! about 70 KB of the wasm before optimisation (issue 9), and the browser already parses JSON
//! (`JSON.parse`). Here every type reads itself from any parsed [`Value`] (the app implements it
//! for JavaScript values) and writes itself as JSON text. The server keeps serde. The tests below
//! hold the two to one shape: every type decoded here and by serde from the same JSON gives the
//! same value, and what is written here serde reads back unchanged.

use crate::calendar::{Date, LocalDateTime, Time};
use crate::meeting::{
    ItemKind, Meeting, Network, PrivacyNotice, ProgrammeItem, Quote, RegistrationSettings, Speaker,
    Venue,
};
use crate::registration::{Attendee, ErrorCode, FieldError, Registration};
use crate::wire::{ErrorBody, MemberList, Membership, Receipt, Registered};

/// A parsed JSON value.
pub trait Value: Sized {
    /// Member `name` of an object; `None` when the value is no object, or the member is
    /// missing or `null`.
    fn get(&self, name: &str) -> Option<Self>;
    fn as_str(&self) -> Option<String>;
    fn as_f64(&self) -> Option<f64>;
    fn as_bool(&self) -> Option<bool>;
    /// The items of an array.
    fn items(&self) -> Option<Vec<Self>>;
    /// The member names of an object (not an array).
    fn keys(&self) -> Option<Vec<String>>;
}

/// Why a value is not the expected type: where (`programme[2].title`) and what.
#[derive(Clone, Debug, PartialEq)]
pub struct Error(pub String);

impl Error {
    fn expected(what: &str) -> Error {
        Error(format!(": {what} expected"))
    }

    /// Puts the member or index the error happened in in front of its path.
    fn at(self, step: &str) -> Error {
        let sep = if self.0.starts_with(['[', ':']) {
            ""
        } else {
            "."
        };
        Error(format!("{step}{sep}{}", self.0))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.trim_start_matches(": "))
    }
}

/// A type that reads itself from a parsed JSON value.
pub trait FromJson: Sized {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error>;
}

/// An object being read: checks for members it does not know (like serde's
/// `deny_unknown_fields`) and reads members with their names in error paths.
struct Object<'a, V> {
    v: &'a V,
}

impl<'a, V: Value> Object<'a, V> {
    /// An object that may carry members this version does not know (API answers: a newer
    /// server may add some).
    fn open(v: &'a V, _known: &[&str]) -> Result<Self, Error> {
        v.keys().ok_or_else(|| Error::expected("an object"))?;
        Ok(Object { v })
    }

    /// An object with only the `known` members (serde's `deny_unknown_fields`): a typo in a
    /// meeting file must not pass unnoticed.
    fn strict(v: &'a V, known: &[&str]) -> Result<Self, Error> {
        let keys = v.keys().ok_or_else(|| Error::expected("an object"))?;
        if let Some(k) = keys.iter().find(|k| !known.contains(&k.as_str())) {
            return Err(Error(format!(": unknown member `{k}`")));
        }
        Ok(Object { v })
    }

    fn req<T: FromJson>(&self, name: &str) -> Result<T, Error> {
        let m = self
            .v
            .get(name)
            .ok_or_else(|| Error(": missing".into()).at(name))?;
        T::from_json(&m).map_err(|e| e.at(name))
    }

    fn opt<T: FromJson>(&self, name: &str) -> Result<Option<T>, Error> {
        self.v
            .get(name)
            .map(|m| T::from_json(&m).map_err(|e| e.at(name)))
            .transpose()
    }

    fn or_default<T: FromJson + Default>(&self, name: &str) -> Result<T, Error> {
        Ok(self.opt(name)?.unwrap_or_default())
    }
}

impl FromJson for String {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        v.as_str().ok_or_else(|| Error::expected("a string"))
    }
}

impl FromJson for bool {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        v.as_bool().ok_or_else(|| Error::expected("true or false"))
    }
}

/// A whole number in `0..=max`.
fn whole<V: Value>(v: &V, max: f64) -> Result<f64, Error> {
    v.as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=max).contains(n))
        .ok_or_else(|| Error::expected("a whole number"))
}

impl FromJson for u16 {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        whole(v, u16::MAX.into()).map(|n| n as u16)
    }
}

impl FromJson for usize {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        // 2^53: the largest whole number a JSON number holds exactly.
        whole(v, 9_007_199_254_740_992.0).map(|n| n as usize)
    }
}

impl FromJson for f64 {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        v.as_f64().ok_or_else(|| Error::expected("a number"))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        let items = v.items().ok_or_else(|| Error::expected("an array"))?;
        // A loop, not `collect::<Result<…>>()`: its adapter is instantiated per item type and
        // costs more bundle bytes (issue 9).
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| e.at(&format!("[{i}]")))?);
        }
        Ok(out)
    }
}

/// An object whose members are all texts (extra request headers, field renames), in the
/// order given. A list, not a map: it is small, and a map type costs bundle bytes (issue 9).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts(pub Vec<(String, String)>);

impl Texts {
    /// The text for `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromJson for Texts {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        let keys = v.keys().ok_or_else(|| Error::expected("an object"))?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let text = v.get(&k).and_then(|m| m.as_str());
            let text = text.ok_or_else(|| Error::expected("a string").at(&k))?;
            out.push((k, text));
        }
        Ok(Texts(out))
    }
}

/// A string that [`str`] → `Option<T>` parses.
fn parsed<V: Value, T>(v: &V, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, Error> {
    v.as_str()
        .and_then(|s| parse(&s))
        .ok_or_else(|| Error::expected(what))
}

impl FromJson for Date {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        parsed(v, Date::parse, "a date YYYY-MM-DD")
    }
}

impl FromJson for Time {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        parsed(v, Time::parse, "a time HH:MM")
    }
}

impl FromJson for LocalDateTime {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        parsed(v, LocalDateTime::parse, "a date and time YYYY-MM-DDTHH:MM")
    }
}

/// `FromJson` for a struct: each member read as `req` (required), `opt` (may be missing) or
/// `or_default` (missing means the default, like serde's `#[serde(default)]`); `strict` refuses
/// members not listed (serde's `deny_unknown_fields`), `open` ignores them. One list per type,
/// so the members read and the members allowed cannot drift apart.
macro_rules! from_json {
    ($t:ident, $object:ident { $($member:ident: $how:ident),* $(,)? }) => {
        impl FromJson for $t {
            fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
                let o = Object::$object(v, &[$(stringify!($member)),*])?;
                Ok($t { $($member: o.$how(stringify!($member))?),* })
            }
        }
    };
}

from_json!(
    Meeting,
    strict {
        id: req,
        network: req,
        title: req,
        theme: req,
        intro: or_default,
        date: req,
        start: req,
        end: req,
        venue: req,
        programme: req,
        rules: or_default,
        registration: req,
    }
);
from_json!(
    Network,
    strict {
        id: req,
        name: req,
        short_name: opt,
        organiser: opt
    }
);
from_json!(
    ProgrammeItem,
    strict {
        kind: req,
        title: req,
        start: opt,
        end: opt,
        speakers: or_default,
        body: or_default,
        facts: or_default,
        quote: opt,
    }
);
from_json!(
    Speaker,
    strict {
        name: opt,
        organisation: req
    }
);
from_json!(Quote, strict { text: req, by: req });
from_json!(
    RegistrationSettings,
    strict {
        deadline: opt,
        privacy: req
    }
);
from_json!(
    PrivacyNotice,
    strict {
        text: req,
        url: req
    }
);
from_json!(
    Attendee,
    strict {
        name: req,
        email: req,
        title: req,
        department: or_default
    }
);
from_json!(
    MemberList,
    strict {
        network: req,
        members: req
    }
);
// API answers: a newer server may add members.
from_json!(
    Membership,
    open {
        municipality_code: req,
        network: req,
        member: req,
        application_pending: or_default,
    }
);
from_json!(
    Receipt,
    open {
        reference: req,
        status: req,
        registered: req,
        already_registered: or_default,
    }
);
from_json!(
    Registered,
    open {
        row: req,
        name: req,
        email: req
    }
);
from_json!(
    ErrorBody,
    open {
        error: req,
        message: req,
        fields: or_default
    }
);
from_json!(
    FieldError,
    open {
        field: req,
        code: req,
        message: req
    }
);

impl FromJson for Venue {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        let kind: String = Object::open(v, &[])?.req("kind")?;
        match kind.as_str() {
            "virtual" => {
                let o = Object::strict(v, &["kind", "note"])?;
                Ok(Venue::Virtual {
                    note: o.req("note")?,
                })
            }
            "physical" => {
                let o = Object::strict(v, &["kind", "address", "note"])?;
                Ok(Venue::Physical {
                    address: o.req("address")?,
                    note: o.opt("note")?,
                })
            }
            _ => Err(Error::expected("virtual or physical").at("kind")),
        }
    }
}

impl FromJson for ItemKind {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        match String::from_json(v)?.as_str() {
            "talk" => Ok(ItemKind::Talk),
            "discussion" => Ok(ItemKind::Discussion),
            "other" => Ok(ItemKind::Other),
            _ => Err(Error::expected("talk, discussion or other")),
        }
    }
}

impl FromJson for ErrorCode {
    fn from_json<V: Value>(v: &V) -> Result<Self, Error> {
        let code = String::from_json(v)?;
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| Error::expected("an error code"))
    }
}

/// JSON text being written. Strings are escaped as RFC 8259 requires; everything else this
/// crate writes is numbers, booleans and `null`.
#[derive(Default)]
pub struct Writer {
    out: String,
    /// Whether the next member or item needs a comma before it.
    comma: bool,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn sep(&mut self) {
        if std::mem::replace(&mut self.comma, true) {
            self.out.push(',');
        }
    }

    /// Writes an object whose members `body` writes with [`Writer::member`].
    pub fn object(&mut self, body: impl FnOnce(&mut Writer)) {
        self.sep();
        self.out.push('{');
        self.comma = false;
        body(self);
        self.out.push('}');
        self.comma = true;
    }

    /// Writes an array of `items`, each written by `item`.
    pub fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer, &T)) {
        self.sep();
        self.out.push('[');
        self.comma = false;
        for i in items {
            item(self, i);
        }
        self.out.push(']');
        self.comma = true;
    }

    /// Starts a member of an object: its name; its value follows.
    pub fn member(&mut self, name: &str) -> &mut Writer {
        self.str(name);
        self.out.push(':');
        self.comma = false;
        self
    }

    pub fn str(&mut self, s: &str) {
        self.sep();
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    self.out.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// A whole number.
    pub fn int(&mut self, n: i64) {
        self.sep();
        self.out.push_str(&n.to_string());
    }

    pub fn bool(&mut self, b: bool) {
        self.sep();
        self.out.push_str(if b { "true" } else { "false" });
    }

    pub fn null(&mut self) {
        self.sep();
        self.out.push_str("null");
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }
}

impl Attendee {
    /// Writes the attendee as the JSON object the API takes.
    pub fn write_json(&self, w: &mut Writer) {
        w.object(|w| {
            w.member("name").str(&self.name);
            w.member("email").str(&self.email);
            w.member("title").str(&self.title);
            w.member("department").str(&self.department);
        });
    }
}

impl Registration {
    /// The request body of `POST /api/meetings/{id}/registrations`.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.object(|w| {
            w.member("municipality_code")
                .int(self.municipality_code.into());
            w.member("contact").object(|w| {
                w.member("name").str(&self.contact.name);
                w.member("email").str(&self.contact.email);
            });
            w.member("attendees")
                .array(&self.attendees, |w, a| a.write_json(w));
            w.member("privacy_accepted").bool(self.privacy_accepted);
            w.member("apply_for_membership")
                .bool(self.apply_for_membership);
            w.member("idempotency_key")
                .opt_str(self.idempotency_key.as_deref());
            if !self.website.is_empty() {
                w.member("website").str(&self.website);
            }
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::Contact;
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Value as J, json};

    /// serde_json's values stand in for the browser's.
    impl Value for J {
        fn get(&self, name: &str) -> Option<Self> {
            self.as_object()?
                .get(name)
                .filter(|v| !v.is_null())
                .cloned()
        }
        fn as_str(&self) -> Option<String> {
            J::as_str(self).map(str::to_owned)
        }
        fn as_f64(&self) -> Option<f64> {
            J::as_f64(self)
        }
        fn as_bool(&self) -> Option<bool> {
            J::as_bool(self)
        }
        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
        fn keys(&self) -> Option<Vec<String>> {
            Some(self.as_object()?.keys().cloned().collect())
        }
    }

    /// Decodes `v` both ways; both must accept it, with the same result.
    fn same<T: FromJson + DeserializeOwned + PartialEq + std::fmt::Debug>(v: J) -> T {
        let ours = T::from_json(&v).unwrap_or_else(|e| panic!("ours refused {v}: {e}"));
        let serde: T = serde_json::from_value(v).unwrap();
        assert_eq!(ours, serde);
        ours
    }

    /// Both ways must refuse `v`.
    fn both_refuse<T: FromJson + DeserializeOwned>(v: J) -> Error {
        assert!(
            serde_json::from_value::<T>(v.clone()).is_err(),
            "serde took {v}"
        );
        T::from_json(&v)
            .err()
            .unwrap_or_else(|| panic!("ours took {v}"))
    }

    fn example() -> J {
        serde_json::from_str(include_str!("../../meetings/knub-2021-05-17.json")).unwrap()
    }

    #[test]
    fn the_example_meeting_decodes_as_serde_decodes_it() {
        let m: Meeting = same(example());
        assert_eq!(m.id, "knub-2021-05-17");
        // A physical venue and every optional member, too.
        let mut v = example();
        v["venue"] = json!({"kind": "physical", "address": "Weidekampsgade 10", "note": "3. sal"});
        v["registration"]["deadline"] = json!("2021-05-10T12:00");
        v["programme"][0]["quote"] = json!({"text": "x", "by": "y"});
        v["network"]["organiser"] = J::Null;
        same::<Meeting>(v);
    }

    #[test]
    fn meetings_serde_refuses_are_refused_with_a_path() {
        let cases = [
            ("/theme", J::Null),
            ("/date", json!("17-05-2021")),
            ("/start", json!("9.15")),
            ("/venue/kind", json!("hybrid")),
            ("/programme/1/kind", json!("talkshow")),
            ("/programme/0/speakers", json!("everyone")),
            ("/registration/privacy", json!({"text": "x"})),
            ("/network/id", json!(7)),
        ];
        for (pointer, bad) in cases {
            let mut v = example();
            *v.pointer_mut(pointer).unwrap() = bad;
            let e = both_refuse::<Meeting>(v);
            let first = pointer.trim_start_matches('/').split('/').next().unwrap();
            assert!(e.0.starts_with(first), "{pointer}: {e}");
        }
        let mut v = example();
        v["tema"] = json!("x");
        assert_eq!(
            both_refuse::<Meeting>(v).to_string(),
            "unknown member `tema`"
        );
        let mut v = example();
        v["programme"][2]["titel"] = json!("x");
        assert!(both_refuse::<Meeting>(v).0.starts_with("programme[2]"));
        both_refuse::<Meeting>(json!([1, 2]));
    }

    #[test]
    fn api_answers_decode_as_serde_decodes_them() {
        same::<Membership>(json!({"municipality_code": 730, "network": "knub", "member": true}));
        same::<Membership>(
            json!({"municipality_code": 101, "network": "knub", "member": false,
            "application_pending": true}),
        );
        same::<MemberList>(json!({"network": "knub", "members": [101, 730, 851]}));
        let receipt = json!({"reference": "KNUB-00001", "status": "registered",
            "registered": [{"row": 0, "name": "A", "email": "a@b.dk"}],
            "already_registered": [{"field": "attendees[1].email", "code": "already_registered",
                "message": "Allerede tilmeldt."}]});
        same::<Receipt>(receipt);
        same::<ErrorBody>(
            json!({"error": "validation", "message": "Fejl.", "fields": [
            {"field": "contact.email", "code": "invalid_email", "message": "Skriv …"}]}),
        );
        same::<ErrorBody>(json!({"error": "not_found", "message": "Ukendt."}));
        for code in ErrorCode::ALL {
            assert_eq!(same::<ErrorCode>(json!(code.as_str())), code);
        }
        both_refuse::<ErrorCode>(json!("nope"));
        both_refuse::<Membership>(json!({"municipality_code": -1, "network": "k", "member": true}));
        both_refuse::<Membership>(
            json!({"municipality_code": 7.5, "network": "k", "member": true}),
        );
        both_refuse::<MemberList>(json!({"network": "k", "members": ["101"]}));
    }

    fn registration() -> Registration {
        Registration {
            municipality_code: 730,
            contact: Contact {
                name: "Kontakt \"K\" \\ Person".into(),
                email: "k@randers.dk".into(),
            },
            attendees: vec![
                Attendee {
                    name: "Åse Ørum\tÆbelø".into(),
                    email: "a@randers.dk".into(),
                    title: "Leder\nny linje \u{1} <script>".into(),
                    department: String::new(),
                },
                Attendee::default(),
            ],
            privacy_accepted: true,
            apply_for_membership: false,
            idempotency_key: Some("k-1".into()),
            website: String::new(),
        }
    }

    fn writes_as_serde<T: Serialize>(ours: &str, value: &T) {
        let ours: J = serde_json::from_str(ours).expect("valid JSON");
        assert_eq!(ours, serde_json::to_value(value).unwrap());
    }

    #[test]
    fn registrations_are_written_as_serde_writes_them() {
        let mut reg = registration();
        writes_as_serde(&reg.to_json(), &reg);
        assert_eq!(
            serde_json::from_str::<Registration>(&reg.to_json()).unwrap(),
            reg
        );
        reg.idempotency_key = None;
        reg.website = "bot".into();
        reg.apply_for_membership = true;
        reg.attendees.clear();
        writes_as_serde(&reg.to_json(), &reg);
        for a in &registration().attendees {
            let mut w = Writer::new();
            a.write_json(&mut w);
            same::<Attendee>(serde_json::from_str(&w.finish()).unwrap());
        }
    }

    #[test]
    fn header_maps_take_only_texts() {
        let m = Texts::from_json(&json!({"X-Api-Key": "abc", "X-Other": "d"})).unwrap();
        assert_eq!(m.get("X-Api-Key"), Some("abc"));
        assert_eq!(m.get("X-Other"), Some("d"));
        assert_eq!(m.get("x-api-key"), None);
        let serde: std::collections::BTreeMap<String, String> =
            serde_json::from_value(json!({"X-Api-Key": "abc", "X-Other": "d"})).unwrap();
        assert_eq!(m.0, serde.into_iter().collect::<Vec<_>>());
        assert!(Texts::from_json(&json!({"X": 1})).is_err());
        assert!(Texts::from_json(&json!(["X"])).is_err());
    }
}
