//! The organiser's list of attendees as a spreadsheet: its column names and the attendees'
//! standings, in Danish and English (see [`crate::words`]).

use crate::Lang;
use crate::organiser::Standing;

crate::texts! {
    /// The list's words.
    trait ListTexts;
    col_reference: "Reference", "Reference";
    col_code: "Kommunekode", "Municipality code";
    col_municipality: "Kommune", "Municipality";
    col_name: "Navn", "Name";
    col_email: "E-mail", "E-mail";
    col_title: "Stilling", "Job title";
    col_department: "Afdeling", "Department";
    col_status: "Status", "Status";
    col_contact: "Kontaktperson", "Contact person";
    col_contact_email: "Kontaktperson e-mail", "Contact person's e-mail";
    col_registered_at: "Tilmeldt", "Registered";
    col_cancelled_at: "Afmeldt", "Cancelled";
    col_changed_at: "Sidst ændret", "Last changed";
    registered: "Tilmeldt", "Registered";
    pending_membership: "Afventer medlemskab", "Waiting for membership";
    membership_declined: "Medlemskab afvist", "Membership declined";
    cancelled: "Afmeldt", "Cancelled";
}

/// The list's columns, in order.
pub fn columns(lang: Lang) -> [&'static str; 13] {
    [
        lang.col_reference(),
        lang.col_code(),
        lang.col_municipality(),
        lang.col_name(),
        lang.col_email(),
        lang.col_title(),
        lang.col_department(),
        lang.col_status(),
        lang.col_contact(),
        lang.col_contact_email(),
        lang.col_registered_at(),
        lang.col_cancelled_at(),
        lang.col_changed_at(),
    ]
}

/// A standing as the list names it.
pub fn standing(lang: Lang, s: Standing) -> &'static str {
    match s {
        Standing::Registered => lang.registered(),
        Standing::PendingMembership => lang.pending_membership(),
        Standing::MembershipDeclined => lang.membership_declined(),
        Standing::Cancelled => lang.cancelled(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_word_is_worded_in_both_languages() {
        for (name, text) in ALL {
            assert!(
                !text(Lang::Da).is_empty() && !text(Lang::En).is_empty(),
                "{name}"
            );
        }
        assert_eq!(columns(Lang::Da)[12], "Sidst ændret");
        assert_eq!(standing(Lang::En, Standing::Cancelled), "Cancelled");
    }
}
