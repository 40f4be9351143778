//! The manage view as one state: the submission as last answered, and the one change being
//! prepared (which form, its idempotency key, whether it is on its way, what was refused). The
//! view renders a [`Managing`] and calls its transitions; what each change may contain is the
//! domain's rule ([`Change::validate`]).

use crate::api::ApiError;
use serde::{Deserialize, Serialize};
use tilmelding_domain::manage::{Action, Change, Managed};
use tilmelding_domain::{Attendee, Contact, FieldError, Limits};

/// Which change a form makes; one is open at a time. A draft keeps it as it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Correct an attendee's name, job title or department.
    Edit(i64),
    /// Someone else takes an attendee's place.
    Replace(i64),
    /// Cancel these attendees (asked first; nothing to type).
    Cancel(Vec<i64>),
    /// One more attendee.
    Add,
    /// Another contact person.
    Contact,
}

impl Form {
    /// It asks for an e-mail address: a new person, or the contact.
    pub fn asks_email(&self) -> bool {
        matches!(self, Form::Replace(_) | Form::Add | Form::Contact)
    }

    /// It asks for a job title and a department: an attendee.
    pub fn asks_job(&self) -> bool {
        !matches!(self, Form::Contact | Form::Cancel(_))
    }

    /// What is typed into it is kept as a draft (a cancellation has nothing typed).
    pub fn typed(&self) -> bool {
        !matches!(self, Form::Cancel(_))
    }

    /// What it starts filled with: the attendee or the contact it corrects, or nothing.
    pub fn prefill(&self, managed: &Managed) -> Attendee {
        match self {
            Form::Edit(id) => managed
                .attendees
                .iter()
                .find(|a| a.id == *id)
                .map(|a| Attendee {
                    name: a.name.clone(),
                    email: a.email.clone(),
                    title: a.title.clone(),
                    department: a.department.clone(),
                })
                .unwrap_or_default(),
            Form::Contact => Attendee {
                name: managed.contact.name.clone(),
                email: managed.contact.email.clone(),
                ..Attendee::default()
            },
            _ => Attendee::default(),
        }
    }

    /// The change it makes, with what was typed.
    pub fn action(&self, typed: Attendee) -> Action {
        match self {
            Form::Edit(id) => Action::Edit {
                attendee: *id,
                name: typed.name,
                title: typed.title,
                department: typed.department,
            },
            Form::Replace(id) => Action::Replace {
                attendee: *id,
                person: typed,
            },
            Form::Add => Action::Add {
                attendees: vec![typed],
            },
            Form::Contact => Action::Contact {
                contact: Contact {
                    name: typed.name,
                    email: typed.email,
                },
            },
            Form::Cancel(ids) => Action::Cancel {
                attendees: ids.clone(),
            },
        }
    }
}

/// The open form, and the idempotency key every send of it carries: a retry, or a send after
/// a reload, counts as one change.
#[derive(Clone, Debug, PartialEq)]
pub struct Open {
    pub form: Form,
    pub key: String,
}

/// The open form as kept in the browser's storage, so a reload or a closed tab loses nothing
/// typed into it (see `draft`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    /// When it was saved (ms since the epoch).
    pub saved_at: f64,
    pub form: Form,
    /// The form's idempotency key: a send after the reload counts as the same change.
    pub key: String,
    /// What was typed.
    pub person: Attendee,
}

impl crate::draft::Stamped for Kept {
    fn saved_at(&self) -> f64 {
        self.saved_at
    }
    fn stamp(&mut self, now: f64) {
        self.saved_at = now;
    }
}

/// Where the manage view is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Managing {
    /// The submission as last answered (by the load, then by each change); none while it loads.
    pub managed: Option<Managed>,
    /// The form open, if any.
    pub open: Option<Open>,
    /// The open form's change is on its way.
    pub sending: bool,
    /// What the rules (the domain's, or the server's) refused in the open form.
    pub errors: Vec<FieldError>,
    /// The last send failed otherwise: shown with a retry, the form and its typing kept.
    pub failure: Option<ApiError>,
}

impl Managing {
    /// The submission, as loaded.
    pub fn loaded(&mut self, managed: Managed) {
        self.managed = Some(managed);
    }

    /// Opens a form (with a new key, or a draft's), closing any other; nothing while a change is
    /// on its way.
    pub fn open(&mut self, form: Form, key: String) {
        if self.sending {
            return;
        }
        self.open = Some(Open { form, key });
        self.errors.clear();
        self.failure = None;
    }

    /// Closes the open form ("Behold"), unless its change is on its way.
    pub fn close(&mut self) {
        if !self.sending {
            self.open = None;
            self.errors.clear();
            self.failure = None;
        }
    }

    /// Whether this form is the one open.
    pub fn is_open(&self, form: &Form) -> bool {
        self.open.as_ref().is_some_and(|o| o.form == *form)
    }

    /// The open form's change, checked by the domain's rules: the change to send (the view is
    /// then sending), or nothing, with the refusals shown. Nothing either while one is on its
    /// way.
    pub fn send(&mut self, typed: Attendee) -> Option<Change> {
        if self.sending {
            return None;
        }
        let open = self.open.as_ref()?;
        let change = Change {
            idempotency_key: open.key.clone(),
            action: open.form.action(typed),
        };
        match change.validate(&Limits::default()) {
            Ok(valid) => {
                self.errors.clear();
                self.failure = None;
                self.sending = true;
                Some(valid)
            }
            Err(found) => {
                self.errors = found;
                None
            }
        }
    }

    /// The server's answer to the change sent: the submission as it now stands (the form
    /// closes), the fields it refused, or a failure to retry.
    pub fn answered(&mut self, answer: Result<Managed, ApiError>) {
        self.sending = false;
        match answer {
            Ok(m) => {
                self.managed = Some(m);
                self.open = None;
            }
            Err(ApiError::Invalid { fields }) => self.errors = fields,
            Err(e) => self.failure = Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tilmelding_domain::manage::ManagedAttendee;
    use tilmelding_domain::wire::Status;

    fn managed() -> Managed {
        Managed {
            reference: "KNUB-1".into(),
            status: Status::Registered,
            municipality_code: 730,
            contact: Contact {
                name: "Kim Kontakt".into(),
                email: "kim@randers.dk".into(),
            },
            attendees: vec![ManagedAttendee {
                id: 7,
                name: "Anna Andersen".into(),
                email: "anna@randers.dk".into(),
                title: "Konsulent".into(),
                department: String::new(),
                cancelled: false,
            }],
            open: true,
            cancellable: true,
        }
    }

    fn person(name: &str, email: &str) -> Attendee {
        Attendee {
            name: name.into(),
            email: email.into(),
            title: "Planlægger".into(),
            department: String::new(),
        }
    }

    #[test]
    fn a_form_starts_with_what_it_corrects() {
        let m = managed();
        assert_eq!(Form::Edit(7).prefill(&m).name, "Anna Andersen");
        assert_eq!(Form::Contact.prefill(&m).email, "kim@randers.dk");
        assert_eq!(Form::Replace(7).prefill(&m), Attendee::default());
        assert!(Form::Contact.asks_email() && !Form::Contact.asks_job());
        assert!(!Form::Edit(7).asks_email() && Form::Edit(7).asks_job());
        assert!(!Form::Cancel(vec![7]).typed());
    }

    #[test]
    fn a_refused_change_is_not_sent_and_a_sent_one_closes_its_form() {
        let mut s = Managing::default();
        s.loaded(managed());
        s.open(Form::Add, "key-of-the-form".into());
        assert_eq!(s.send(person("", "not-an-address")), None);
        assert!(!s.errors.is_empty() && !s.sending);
        let change = s.send(person("Bo Berg", "bo@randers.dk")).unwrap();
        assert_eq!(change.idempotency_key, "key-of-the-form");
        assert!(s.sending && s.errors.is_empty());
        // Nothing else while it is on its way: no second send, no other form, no closing.
        assert_eq!(s.send(person("Bo Berg", "bo@randers.dk")), None);
        s.open(Form::Contact, "other".into());
        s.close();
        assert!(s.is_open(&Form::Add));
        s.answered(Ok(managed()));
        assert_eq!((s.open.clone(), s.sending), (None, false));
    }

    #[test]
    fn a_failed_send_keeps_the_form_and_its_key_for_the_retry() {
        let mut s = Managing::default();
        s.loaded(managed());
        s.open(Form::Replace(7), "same-key-on-retry".into());
        s.send(person("Cai Clausen", "cai@randers.dk")).unwrap();
        s.answered(Err(ApiError::Network));
        assert!(s.failure.is_some() && s.is_open(&Form::Replace(7)));
        let again = s.send(person("Cai Clausen", "cai@randers.dk")).unwrap();
        assert_eq!(again.idempotency_key, "same-key-on-retry");
        assert!(s.failure.is_none());
    }
}
