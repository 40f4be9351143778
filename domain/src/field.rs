//! Where a field is in a registration: the one type that names a field, from validation to the
//! server's 422 body to the input the form marks. On the wire it is a path string
//! (`contact.email`, `attendees[3].title`), written by [`Display`](std::fmt::Display) and read
//! by [`FromStr`](std::str::FromStr); nothing else builds or splits those strings.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A field of an attendee row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttendeeField {
    Name,
    Email,
    Title,
    Department,
}

impl AttendeeField {
    /// Every field, in the order the form shows them.
    pub const ALL: [AttendeeField; 4] = [
        AttendeeField::Name,
        AttendeeField::Email,
        AttendeeField::Title,
        AttendeeField::Department,
    ];

    /// The member name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            AttendeeField::Name => "name",
            AttendeeField::Email => "email",
            AttendeeField::Title => "title",
            AttendeeField::Department => "department",
        }
    }
}

/// A field of a [`crate::Registration`], as validation and the API name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum FieldPath {
    MunicipalityCode,
    ContactName,
    ContactEmail,
    /// The attendee list as a whole (none, or too many).
    Attendees,
    /// A field of the attendee at this 0-based row.
    Attendee(usize, AttendeeField),
    PrivacyAccepted,
    IdempotencyKey,
}

impl FieldPath {
    /// The attendee row this path is in, if any (0-based).
    pub fn row(self) -> Option<usize> {
        match self {
            FieldPath::Attendee(row, _) => Some(row),
            _ => None,
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::MunicipalityCode => f.write_str("municipality_code"),
            FieldPath::ContactName => f.write_str("contact.name"),
            FieldPath::ContactEmail => f.write_str("contact.email"),
            FieldPath::Attendees => f.write_str("attendees"),
            FieldPath::Attendee(row, field) => write!(f, "attendees[{row}].{}", field.as_str()),
            FieldPath::PrivacyAccepted => f.write_str("privacy_accepted"),
            FieldPath::IdempotencyKey => f.write_str("idempotency_key"),
        }
    }
}

/// A path string that names no field of a registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField(pub String);

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown field path {:?}", self.0)
    }
}

impl std::error::Error for UnknownField {}

impl FromStr for FieldPath {
    type Err = UnknownField;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownField(s.to_owned());
        Ok(match s {
            "municipality_code" => FieldPath::MunicipalityCode,
            "contact.name" => FieldPath::ContactName,
            "contact.email" => FieldPath::ContactEmail,
            "attendees" => FieldPath::Attendees,
            "privacy_accepted" => FieldPath::PrivacyAccepted,
            "idempotency_key" => FieldPath::IdempotencyKey,
            _ => {
                let (row, field) = s
                    .strip_prefix("attendees[")
                    .and_then(|rest| rest.split_once("]."))
                    .ok_or_else(unknown)?;
                // Only plain decimal rows: `+1` or ` 1` would parse as numbers but are not
                // paths anyone writes.
                if row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(unknown());
                }
                let field = AttendeeField::ALL
                    .into_iter()
                    .find(|f| f.as_str() == field)
                    .ok_or_else(unknown)?;
                FieldPath::Attendee(row.parse().map_err(|_| unknown())?, field)
            }
        })
    }
}

impl TryFrom<String> for FieldPath {
    type Error = UnknownField;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<FieldPath> for String {
    fn from(p: FieldPath) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_reads_back_as_written() {
        let mut all = vec![
            FieldPath::MunicipalityCode,
            FieldPath::ContactName,
            FieldPath::ContactEmail,
            FieldPath::Attendees,
            FieldPath::PrivacyAccepted,
            FieldPath::IdempotencyKey,
        ];
        for row in [0, 7, 999] {
            all.extend(AttendeeField::ALL.map(|f| FieldPath::Attendee(row, f)));
        }
        for p in all {
            assert_eq!(p.to_string().parse::<FieldPath>(), Ok(p), "{p}");
        }
        assert_eq!(
            FieldPath::Attendee(3, AttendeeField::Email).to_string(),
            "attendees[3].email"
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "contact",
            "attendees[].name",
            "attendees[x].name",
            "attendees[+1].name",
            "attendees[1].phone",
            "attendees[1]name",
            "website",
        ] {
            assert!(bad.parse::<FieldPath>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_uses_the_path_string() {
        let p = FieldPath::Attendee(2, AttendeeField::Title);
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"attendees[2].title\"");
        assert_eq!(
            serde_json::from_str::<FieldPath>("\"contact.email\"").unwrap(),
            FieldPath::ContactEmail
        );
        assert!(serde_json::from_str::<FieldPath>("\"nope\"").is_err());
    }
}
