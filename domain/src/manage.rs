//! A submission seen and changed through its private manage link: the shapes of
//! `GET`/`POST /api/meetings/{id}/manage`, and the rules a change must meet. The rules are the
//! registration form's ([`crate::registration`]), applied to the part that changes.

use crate::field::{AttendeeField, FieldPath};
use crate::registration::{Attendee, Checker, Contact, ErrorCode, FieldError, Limits};
use crate::wire::Status;
use serde::{Deserialize, Serialize};

/// A submission as its manage link shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Managed {
    pub reference: String,
    /// Where the submission stands (registered, or waiting for membership).
    pub status: Status,
    pub municipality_code: u16,
    pub contact: Contact,
    /// Everyone ever registered by it, cancelled ones included, oldest first.
    pub attendees: Vec<ManagedAttendee>,
    /// Changes are allowed: registration has not closed.
    pub open: bool,
    /// Attendees can be cancelled: the meeting has not started (or a later deadline has not
    /// passed). True whenever `open` is.
    #[serde(default)]
    pub cancellable: bool,
}

/// What a manage link can still do at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    /// Every change (see [`crate::Meeting::registration_open`]).
    pub open: bool,
    /// Cancelling (see [`crate::Meeting::cancelling_open`]).
    pub cancellable: bool,
}

impl Allowed {
    pub fn at(meeting: &crate::Meeting, now_unix: i64) -> Allowed {
        Allowed {
            open: meeting.registration_open(now_unix),
            cancellable: meeting.cancelling_open(now_unix),
        }
    }

    /// Whether this change may be made.
    pub fn allows(&self, action: &Action) -> bool {
        match action {
            Action::Cancel { .. } => self.cancellable,
            _ => self.open,
        }
    }
}

/// One attendee of a managed submission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedAttendee {
    /// Names the attendee in a [`Change`].
    pub id: i64,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    /// Cancelled (or replaced by another person); such rows cannot change again.
    pub cancelled: bool,
}

/// One change through the manage link. The key makes a retried change count once, as a
/// submission's key does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub idempotency_key: String,
    pub action: Action,
}

/// What a change does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Corrects an attendee's name, title and department (the e-mail names the person: to
    /// change it, replace them).
    Edit {
        attendee: i64,
        name: String,
        title: String,
        #[serde(default)]
        department: String,
    },
    /// Another person takes the attendee's seat: the attendee is cancelled, the person
    /// registered in the same transaction.
    Replace { attendee: i64, person: Attendee },
    /// Cancels these attendees (cancelling one already cancelled changes nothing).
    Cancel { attendees: Vec<i64> },
    /// Registers more attendees with the submission.
    Add { attendees: Vec<Attendee> },
    /// A new contact person.
    Contact { contact: Contact },
}

impl Change {
    /// Checks the change by the form's rules and returns it normalised, or every field error.
    /// Errors of one person (edit, replace) are reported as row 0's.
    pub fn validate(&self, limits: &Limits) -> Result<Change, Vec<FieldError>> {
        let mut c = Checker::new(limits);
        let key = c.key(Some(&self.idempotency_key), 1).unwrap_or_default();
        let at = |f| FieldPath::Attendee(0, f);
        let action = match &self.action {
            Action::Edit {
                attendee,
                name,
                title,
                department,
            } => Action::Edit {
                attendee: *attendee,
                name: c.text(at(AttendeeField::Name), name, true),
                title: c.text(at(AttendeeField::Title), title, true),
                department: c.text(at(AttendeeField::Department), department, false),
            },
            Action::Replace { attendee, person } => Action::Replace {
                attendee: *attendee,
                person: c.attendee(0, person),
            },
            Action::Cancel { attendees } => {
                if attendees.is_empty() {
                    c.errors.push(FieldError::new(
                        FieldPath::Attendees,
                        ErrorCode::NoAttendees,
                    ));
                } else if attendees.len() > limits.max_attendees {
                    // A submission has at most this many attendees to cancel; a longer list is
                    // refused before any work that grows with it.
                    c.errors.push(FieldError::over(
                        FieldPath::Attendees,
                        ErrorCode::TooManyAttendees,
                        limits.max_attendees,
                    ));
                    return Err(c.errors);
                }
                // Each id once, in the order given. Not by sorting: a sort would add a
                // quicksort to the widget's bundle for lists of a few ids.
                let mut ids: Vec<i64> = Vec::with_capacity(attendees.len());
                for id in attendees {
                    if !ids.contains(id) {
                        ids.push(*id);
                    }
                }
                Action::Cancel { attendees: ids }
            }
            Action::Add { attendees } => match c.attendees(attendees) {
                Some(attendees) => Action::Add { attendees },
                None => return Err(c.errors),
            },
            Action::Contact { contact } => Action::Contact {
                contact: c.contact(contact),
            },
        };
        c.done(Change {
            idempotency_key: key,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(action: Action) -> Change {
        Change {
            idempotency_key: " k-1 ".into(),
            action,
        }
    }

    fn codes(c: &Change) -> Vec<(String, ErrorCode)> {
        c.validate(&Limits::default())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field.to_string(), e.code))
            .collect()
    }

    #[test]
    fn changes_follow_the_form_rules() {
        let ok = change(Action::Edit {
            attendee: 3,
            name: " Anna  B ".into(),
            title: "Chef".into(),
            department: String::new(),
        })
        .validate(&Limits::default())
        .unwrap();
        assert_eq!(ok.idempotency_key, "k-1");
        assert!(matches!(ok.action, Action::Edit { ref name, .. } if name == "Anna B"));
        let bad = change(Action::Replace {
            attendee: 3,
            person: Attendee {
                name: "Bo".into(),
                email: "bo@".into(),
                title: String::new(),
                department: String::new(),
            },
        });
        assert_eq!(
            codes(&bad),
            [
                ("attendees[0].email".into(), ErrorCode::InvalidEmail),
                ("attendees[0].title".into(), ErrorCode::Required)
            ]
        );
        let twice = Attendee {
            name: "C".into(),
            email: "c@kl.dk".into(),
            title: "T".into(),
            department: String::new(),
        };
        let add = change(Action::Add {
            attendees: vec![twice.clone(), twice],
        });
        assert_eq!(
            codes(&add),
            [(
                "attendees[1].email".into(),
                ErrorCode::DuplicateInSubmission
            )]
        );
        assert_eq!(
            codes(&change(Action::Cancel { attendees: vec![] })),
            [("attendees".into(), ErrorCode::NoAttendees)]
        );
        let huge = change(Action::Cancel {
            attendees: (0..1_001).collect(),
        });
        assert_eq!(
            codes(&huge),
            [("attendees".into(), ErrorCode::TooManyAttendees)]
        );
        let mut keyless = change(Action::Cancel { attendees: vec![1] });
        keyless.idempotency_key = "x y".into();
        assert_eq!(
            codes(&keyless),
            [("idempotency_key".into(), ErrorCode::InvalidKey)]
        );
    }

    #[test]
    fn the_wire_shape_is_tagged_by_kind() {
        let c: Change = serde_json::from_str(
            r#"{"idempotency_key":"k","action":{"kind":"cancel","attendees":[2,1,2]}}"#,
        )
        .unwrap();
        let c = c.validate(&Limits::default()).unwrap();
        assert_eq!(
            c.action,
            Action::Cancel {
                attendees: vec![2, 1]
            }
        );
        assert!(
            serde_json::from_str::<Change>(
                r#"{"idempotency_key":"k","action":{"kind":"cancel","attendees":[1],"x":1}}"#
            )
            .is_err()
        );
    }
}
