//! What the registration form holds while it is typed: the contact, the attendee rows (each
//! with its own signals and a stable id, so `<For>` re-renders only the row typed in), the
//! privacy acknowledgement, and the errors and failures to show. The flow owns it, so it
//! survives failures and "register more".

use crate::api::{self, ApiError};
use crate::components::fields::Typed;
use crate::dom;
use crate::draft::Draft;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::{Attendee, AttendeeField, Contact, FieldError, FieldPath, Registration};

/// One attendee row.
#[derive(Clone, Copy)]
pub struct Row {
    /// Stable id for keys and element ids (positions shift when rows are removed).
    pub id: usize,
    pub typed: Typed,
}

impl Row {
    fn new(id: usize, a: Attendee) -> Row {
        Row {
            id,
            typed: Typed::new(a),
        }
    }

    fn is_blank(&self) -> bool {
        is_blank(&self.typed.untracked())
    }
}

fn is_blank(a: &Attendee) -> bool {
    [&a.name, &a.email, &a.title, &a.department]
        .iter()
        .all(|s| s.trim().is_empty())
}

/// An error shown next to a field and in the summary; its text is chosen at render time, in
/// the language of the moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// Element id of the field.
    pub id: String,
    /// Where the field is, for the summary.
    pub place: Place,
    /// The stable id of the attendee row the field is in, if any.
    pub row: Option<usize>,
    pub error: FieldError,
}

/// Where a field is, for the error summary ("Deltager 3: …").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    Contact,
    Municipality,
    Privacy,
    Attendees,
    Row(usize),
    Registration,
}

impl Place {
    pub(crate) fn label(self, lang: Lang) -> String {
        match self {
            Place::Contact => lang.contact().into(),
            Place::Municipality => lang.place_municipality().into(),
            Place::Privacy => lang.place_privacy().into(),
            Place::Attendees => lang.attendees().into(),
            Place::Row(n) => lang.attendee(n),
            Place::Registration => lang.place_registration().into(),
        }
    }
}

/// Everything the user typed, kept by the flow so it survives failures and "register more".
#[derive(Clone, Copy)]
pub struct FormState {
    pub contact_name: RwSignal<String>,
    pub contact_email: RwSignal<String>,
    pub rows: RwSignal<Vec<Row>>,
    next_id: StoredValue<usize>,
    pub privacy: RwSignal<bool>,
    /// Idempotency key of the submission being prepared; new after each confirmation.
    pub key: StoredValue<String>,
    pub errors: RwSignal<Vec<Shown>>,
    /// Why the last submission was not sent (not a refusal of the input: that is `errors`).
    pub failure: RwSignal<Option<ApiError>>,
    /// Why sending is waiting, while it is.
    pub waiting: RwSignal<Option<api::Waiting>>,
    /// The honeypot field's value (see `Registration::website`).
    pub(crate) website: RwSignal<String>,
    /// The reactive owner of the flow. Rows are created under it: rows added from an event
    /// handler or an action would otherwise belong to the form view, and die with it when the
    /// confirmation replaces the form.
    owner: StoredValue<Owner>,
}

impl FormState {
    /// An empty form with one blank attendee row.
    pub fn new() -> FormState {
        let s = FormState {
            contact_name: RwSignal::new(String::new()),
            contact_email: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            privacy: RwSignal::new(false),
            key: StoredValue::new(dom::new_key()),
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            waiting: RwSignal::new(None),
            website: RwSignal::new(String::new()),
            owner: StoredValue::new(Owner::current().expect("created inside a component")),
        };
        s.add_rows(vec![Attendee::default()]);
        s
    }

    /// Appends rows.
    pub fn add_rows(&self, attendees: Vec<Attendee>) {
        let first = self.next_id.get_value();
        self.next_id.set_value(first + attendees.len());
        let new: Vec<Row> = self.owner.with_value(|owner| {
            owner.with(|| {
                attendees
                    .into_iter()
                    .enumerate()
                    .map(|(i, a)| Row::new(first + i, a))
                    .collect()
            })
        });
        self.rows.update(|rows| rows.extend(new));
    }

    /// Appends pasted rows; the form's lone blank row, if that is all there is, makes way for
    /// them. Returns the position of the first pasted row.
    pub fn paste_rows(&self, attendees: Vec<Attendee>) -> usize {
        let lone_blank = self
            .rows
            .with_untracked(|rows| (rows.len() == 1 && rows[0].is_blank()).then(|| rows[0]));
        if let Some(row) = lone_blank {
            self.rows.update(Vec::clear);
            row.typed.dispose();
        }
        let first = self.rows.with_untracked(Vec::len);
        self.add_rows(attendees);
        first
    }

    /// Clears the attendees for another submission from the same municipality; the contact
    /// person stays.
    pub fn reset_attendees(&self) {
        self.clear_rows();
        self.add_rows(vec![Attendee::default()]);
        self.privacy.set(false);
        self.errors.set(Vec::new());
        self.key.set_value(dom::new_key());
    }

    /// The form as a draft, tracking every value; `None` while no attendee has been typed
    /// (nothing worth keeping, and nothing personal to leave on a shared PC).
    pub fn draft(&self, municipality: Option<u16>, apply: bool) -> Option<Draft> {
        let rows: Vec<Attendee> = self
            .rows
            .with(|rows| rows.iter().map(|r| r.typed.tracked()).collect());
        if rows.iter().all(is_blank) {
            return None;
        }
        Some(Draft {
            saved_at: 0.0,
            municipality,
            apply,
            contact_name: self.contact_name.get(),
            contact_email: self.contact_email.get(),
            rows,
            key: self.key.get_value(),
        })
    }

    /// Puts a saved draft back into the form.
    pub fn restore(&self, d: &Draft) {
        self.contact_name.set(d.contact_name.clone());
        self.contact_email.set(d.contact_email.clone());
        self.clear_rows();
        self.add_rows(d.rows.clone());
        if !d.key.is_empty() {
            self.key.set_value(d.key.clone());
        }
    }

    /// Empties the whole form, contact person included.
    pub fn clear(&self) {
        self.contact_name.set(String::new());
        self.contact_email.set(String::new());
        self.reset_attendees();
    }

    /// The registration as typed.
    pub(crate) fn registration(&self, municipality: u16, apply: bool) -> Registration {
        Registration {
            municipality_code: municipality,
            contact: Contact {
                name: self.contact_name.get_untracked(),
                email: self.contact_email.get_untracked(),
            },
            attendees: self
                .rows
                .with_untracked(|rows| rows.iter().map(|r| r.typed.untracked()).collect()),
            privacy_accepted: self.privacy.get_untracked(),
            apply_for_membership: apply,
            idempotency_key: Some(self.key.get_value()),
            website: self.website.get_untracked(),
        }
    }

    /// Removes every row, disposing of its signals.
    fn clear_rows(&self) {
        for row in self.rows.try_update(std::mem::take).unwrap_or_default() {
            row.typed.dispose();
        }
    }

    /// Removes one row (disposing of its signals) and its errors; the form always keeps one.
    pub fn remove_row(&self, id: usize) {
        let mut removed = None;
        self.rows.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id) {
                removed = Some(rows.remove(i));
            }
        });
        if let Some(row) = removed {
            row.typed.dispose();
        }
        if self.rows.with_untracked(Vec::is_empty) {
            self.add_rows(vec![Attendee::default()]);
        }
        self.errors.update(|e| e.retain(|s| s.row != Some(id)));
    }

    /// Shows these errors next to their fields and in the summary.
    pub fn show_errors(&self, errors: &[FieldError]) {
        let ids: Vec<usize> = self
            .rows
            .with_untracked(|rows| rows.iter().map(|r| r.id).collect());
        let shown = errors
            .iter()
            .map(|e| {
                let (id, place, row) = match e.field {
                    FieldPath::ContactName => ("tlm-contact-name".to_owned(), Place::Contact, None),
                    FieldPath::ContactEmail => {
                        ("tlm-contact-email".to_owned(), Place::Contact, None)
                    }
                    FieldPath::MunicipalityCode => {
                        ("tlm-kommune".to_owned(), Place::Municipality, None)
                    }
                    FieldPath::PrivacyAccepted => ("tlm-privacy".to_owned(), Place::Privacy, None),
                    FieldPath::Attendees => ("tlm-add-row".to_owned(), Place::Attendees, None),
                    FieldPath::Attendee(i, field) => match ids.get(i) {
                        Some(&rid) => (row_field_id(rid, field), Place::Row(i + 1), Some(rid)),
                        None => ("tlm-submit".to_owned(), Place::Registration, None),
                    },
                    FieldPath::IdempotencyKey => {
                        ("tlm-submit".to_owned(), Place::Registration, None)
                    }
                };
                Shown {
                    id,
                    place,
                    row,
                    error: e.clone(),
                }
            })
            .collect();
        self.errors.set(shown);
    }

    /// The message for a field, if it has an error.
    pub fn error_for(&self, field: FieldPath, lang: Lang) -> Option<String> {
        self.errors.with(|e| {
            e.iter()
                .find(|s| s.error.field == field)
                .map(|s| lang.field_error(&s.error))
        })
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// The element id of a row's input.
pub(crate) fn row_field_id(row: usize, field: AttendeeField) -> String {
    format!("tlm-a{row}-{}", field.as_str())
}
