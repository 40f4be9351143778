//! The registration flow as one state: which step the user is at, and what may follow it. The
//! views render a [`Step`] and call its transitions; no combination of flags can describe a
//! screen that cannot exist (a form without a municipality, a receipt while checking).

use crate::api::ApiError;
use tilmelding_domain::wire::{Membership, Receipt, Status};
use tilmelding_domain::{Attendee, Municipality};

/// Where the user is in the flow.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// No municipality picked yet.
    Pick,
    /// Asking whether the municipality is a member, and why it is asked.
    Checking(&'static Municipality, Asked),
    /// The membership question failed; the user may ask again (as it was asked first).
    CheckFailed(&'static Municipality, ApiError, Asked),
    /// Not a member: the offer to apply for membership and register in one go.
    Offer {
        municipality: &'static Municipality,
        /// An application from the municipality already waits for approval.
        application_pending: bool,
    },
    /// The form: a member registering, or a non-member applying and registering.
    Form(Enrolment),
    /// The form is being sent.
    Sending(Enrolment),
    /// The backend confirmed (registered, or pending until the membership is approved).
    Done {
        enrolment: Enrolment,
        receipt: Receipt,
        /// What was sent, to name the rows the receipt refers to.
        sent: Vec<Attendee>,
    },
}

/// Why membership is asked, which decides how the answer goes on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Asked {
    /// The person picked the municipality (or asked again): they wait for the answer, and
    /// their focus follows it.
    Picked,
    /// A draft from an earlier visit was put back: the answer does not pull a reader away
    /// from the top of the page, and a non-member's application goes straight back to its
    /// form.
    Restored { applying: bool },
}

/// Who is registering, and on what footing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Enrolment {
    pub municipality: &'static Municipality,
    /// The municipality is not a member and applies with this submission.
    pub apply: bool,
    /// An earlier application from the municipality waits for approval.
    pub application_pending: bool,
}

impl Step {
    /// The municipality the flow is about, once one is picked.
    pub fn municipality(&self) -> Option<&'static Municipality> {
        match self {
            Step::Pick => None,
            Step::Checking(m, _) | Step::CheckFailed(m, ..) => Some(m),
            Step::Offer { municipality, .. } => Some(municipality),
            Step::Form(e) | Step::Sending(e) | Step::Done { enrolment: e, .. } => {
                Some(e.municipality)
            }
        }
    }

    /// A municipality was picked (membership is asked next), or the pick was undone.
    pub fn pick(m: Option<&'static Municipality>) -> Step {
        m.map_or(Step::Pick, |m| Step::Checking(m, Asked::Picked))
    }

    /// A draft's municipality put back (membership is asked next), on the footing the draft
    /// was written: applying or not.
    pub fn restore(m: &'static Municipality, applying: bool) -> Step {
        Step::Checking(m, Asked::Restored { applying })
    }

    /// The membership answer for `code` arrived. Returns why it was asked, or `None` when it
    /// changed nothing: an answer for an earlier pick is ignored.
    pub fn answered(&mut self, code: u16, answer: Result<Membership, ApiError>) -> Option<Asked> {
        let Step::Checking(m, asked) = *self else {
            return None;
        };
        if m.code != code {
            return None;
        }
        *self = match answer {
            Ok(ms) if ms.member => Step::Form(Enrolment {
                municipality: m,
                apply: false,
                application_pending: false,
            }),
            Ok(ms) => Step::Offer {
                municipality: m,
                application_pending: ms.application_pending,
            },
            Err(e) => Step::CheckFailed(m, e, asked),
        };
        if asked == (Asked::Restored { applying: true }) {
            self.apply();
        }
        Some(asked)
    }

    /// The user asks again after a failed check.
    pub fn recheck(&mut self) {
        if let Step::CheckFailed(m, _, asked) = *self {
            *self = Step::Checking(m, asked);
        }
    }

    /// A non-member takes the offer: apply for membership and register.
    pub fn apply(&mut self) {
        if let Step::Offer {
            municipality,
            application_pending,
        } = *self
        {
            *self = Step::Form(Enrolment {
                municipality,
                apply: true,
                application_pending,
            });
        }
    }

    /// The form is sent. Returns false, and changes nothing, unless the form was showing: a
    /// second click while sending must not send twice.
    pub fn send(&mut self) -> bool {
        match *self {
            Step::Form(e) => {
                *self = Step::Sending(e);
                true
            }
            _ => false,
        }
    }

    /// The backend answered the submission: confirmed, or back to the form (which keeps
    /// everything typed) to show why not.
    pub fn sent(&mut self, answer: Result<(Receipt, Vec<Attendee>), ApiError>) {
        let Step::Sending(enrolment) = *self else {
            return;
        };
        *self = match answer {
            Ok((receipt, sent)) => Step::Done {
                enrolment,
                receipt,
                sent,
            },
            Err(_) => Step::Form(enrolment),
        };
    }

    /// "Register more from X": a fresh form for the same municipality, on the footing the
    /// last receipt left it (a pending application stays pending).
    pub fn more(&mut self) {
        if let Step::Done {
            enrolment, receipt, ..
        } = self
        {
            let pending = receipt.status == Status::PendingMembership;
            *self = Step::Form(Enrolment {
                application_pending: enrolment.application_pending || pending,
                ..*enrolment
            });
        }
    }

    /// The step as the screen shows it: sending looks like the form (with a busy button), so
    /// the form is not rebuilt, and loses no focus, when it is sent.
    pub fn screen(&self) -> Step {
        match self {
            Step::Sending(e) => Step::Form(*e),
            other => other.clone(),
        }
    }

    /// The user is applying for membership with the form.
    pub fn applying(&self) -> bool {
        matches!(self, Step::Form(e) | Step::Sending(e) if e.apply)
    }

    /// The form is being sent.
    pub fn is_sending(&self) -> bool {
        matches!(self, Step::Sending(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tilmelding_domain::wire::Registered;

    fn randers() -> &'static Municipality {
        Municipality::by_code(730).unwrap()
    }

    fn answer(code: u16, member: bool) -> Result<Membership, ApiError> {
        Ok(Membership {
            municipality_code: code,
            network: "knub".into(),
            member,
            application_pending: false,
        })
    }

    fn receipt(status: Status) -> Receipt {
        Receipt {
            reference: "KNUB-00001".into(),
            status,
            registered: vec![Registered {
                row: 0,
                name: "A".into(),
                email: "a@randers.dk".into(),
            }],
            already_registered: Vec::new(),
            manage_url: None,
        }
    }

    #[test]
    fn a_member_goes_from_pick_to_done_and_registers_more() {
        let mut s = Step::pick(Some(randers()));
        assert_eq!(s, Step::Checking(randers(), Asked::Picked));
        assert_eq!(s.answered(730, answer(730, true)), Some(Asked::Picked));
        let Step::Form(e) = s else { panic!("{s:?}") };
        assert!(!e.apply);
        assert!(s.send());
        assert!(s.is_sending());
        assert!(!s.send(), "a second send while sending is refused");
        assert_eq!(s.screen(), Step::Form(e));
        s.sent(Ok((receipt(Status::Registered), vec![])));
        assert!(matches!(s, Step::Done { .. }));
        s.more();
        assert_eq!(s, Step::Form(e));
    }

    #[test]
    fn a_non_member_is_offered_to_apply_and_stays_pending() {
        let mut s = Step::pick(Some(randers()));
        s.answered(730, answer(730, false));
        assert!(matches!(s, Step::Offer { .. }));
        assert!(!s.send(), "no form to send before the offer is taken");
        s.apply();
        let Step::Form(e) = s else { panic!("{s:?}") };
        assert!(e.apply && !e.application_pending);
        s.send();
        s.sent(Ok((receipt(Status::PendingMembership), vec![])));
        s.more();
        let Step::Form(e) = s else { panic!("{s:?}") };
        assert!(e.apply && e.application_pending);
    }

    #[test]
    fn a_late_answer_for_an_earlier_pick_is_ignored() {
        let mut s = Step::pick(Some(randers()));
        assert_eq!(s.answered(101, answer(101, true)), None);
        assert_eq!(s, Step::Checking(randers(), Asked::Picked));
        s.answered(730, Err(ApiError::Network));
        assert_eq!(
            s,
            Step::CheckFailed(randers(), ApiError::Network, Asked::Picked)
        );
        s.recheck();
        assert_eq!(s, Step::Checking(randers(), Asked::Picked));
        assert_eq!(Step::pick(None), Step::Pick);
    }

    #[test]
    fn a_failed_submission_returns_to_the_form() {
        let mut s = Step::pick(Some(randers()));
        s.answered(730, answer(730, true));
        let form = s.clone();
        s.send();
        s.sent(Err(ApiError::Timeout));
        assert_eq!(s, form);
    }

    #[test]
    fn a_restored_application_goes_straight_back_to_its_form() {
        let mut s = Step::restore(randers(), true);
        let asked = s.answered(730, answer(730, false));
        assert_eq!(asked, Some(Asked::Restored { applying: true }));
        let Step::Form(e) = s else { panic!("{s:?}") };
        assert!(e.apply);
        // Also when the first question failed and is asked again.
        let mut s = Step::restore(randers(), true);
        s.answered(730, Err(ApiError::Network));
        s.recheck();
        s.answered(730, answer(730, false));
        assert!(matches!(s, Step::Form(e) if e.apply), "{s:?}");
        // A restored member's draft, or one that did not apply, waits for the person.
        let mut s = Step::restore(randers(), false);
        s.answered(730, answer(730, false));
        assert!(matches!(s, Step::Offer { .. }));
        let mut s = Step::restore(randers(), true);
        s.answered(730, answer(730, true));
        let Step::Form(e) = s else { panic!("{s:?}") };
        assert!(
            !e.apply,
            "a municipality that became a member registers as one"
        );
    }
}
