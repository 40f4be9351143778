//! The statements that read the same in SQLite and PostgreSQL, written once. Parameters are
//! `$1`, `$2`, …, each first used in that order: PostgreSQL numbers them so, and SQLite reads
//! `$N` as a named parameter numbered by its first use, so one list of values binds both (the
//! test below holds every statement to it). Those only one dialect can say are named for it:
//! SQLite's reference counter (`NEXT_NUMBER`), PostgreSQL's bulk inserts through `unnest`
//! (`…_AT_ONCE`); row locks are added where `Conn::ROW_LOCKS`.

/// A member file's municipality, from `$3` (none: from before periods were kept), unless the
/// network has had it as a member (an import happens once; an organiser's changes stay).
pub const IMPORT_MEMBER: &str =
    "INSERT INTO memberships (network, municipality_code, valid_from, became, made_at)
     SELECT CAST($1 AS TEXT), CAST($2 AS INTEGER), CAST($3 AS TEXT), 'imported', CAST($4 AS BIGINT)
     WHERE NOT EXISTS (SELECT 1 FROM memberships WHERE network = $1 AND municipality_code = $2)";

/// Whether a membership holds the day (`$3`, `YYYY-MM-DD`, which sorts as a date).
pub const MEMBER_ON: &str = "SELECT EXISTS (SELECT 1 FROM memberships
     WHERE network = $1 AND municipality_code = $2
       AND (valid_from IS NULL OR valid_from <= $3) AND (valid_until IS NULL OR valid_until >= $3))";

/// The memberships that hold a day from `$2` through `$3`.
pub const MEMBERSHIPS_BETWEEN: &str =
    "SELECT id, municipality_code, valid_from, valid_until, became, made_by, note
     FROM memberships
     WHERE network = $1 AND (valid_until IS NULL OR valid_until >= $2)
       AND (valid_from IS NULL OR valid_from <= $3)
     ORDER BY municipality_code, COALESCE(valid_from, '')";

/// A municipality's memberships, the earliest first.
pub const MEMBERSHIPS_OF: &str =
    "SELECT id, municipality_code, valid_from, valid_until, became, made_by, note
     FROM memberships WHERE network = $1 AND municipality_code = $2
     ORDER BY COALESCE(valid_from, '')";

pub const ADD_MEMBERSHIP: &str = "INSERT INTO memberships
         (network, municipality_code, valid_from, valid_until, became, made_by, note, made_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub const SET_MEMBERSHIP_END: &str = "UPDATE memberships SET valid_until = $1 WHERE id = $2";

pub const DELETE_MEMBERSHIP: &str = "DELETE FROM memberships WHERE id = $1";

/// Whether the network has (or had) a member.
pub const NETWORK_HAS_MEMBERS: &str =
    "SELECT EXISTS (SELECT 1 FROM memberships WHERE network = $1)";

/// The memberships a renewal extends, written once for the count and the renewal: those of the
/// network (`$network`) ending on the old end (`$old`), unless the municipality has a later
/// membership already.
macro_rules! renewable {
    ($network:literal, $old:literal) => {
        concat!(
            "network = ",
            $network,
            " AND valid_until = ",
            $old,
            " AND NOT EXISTS (SELECT 1 FROM memberships later
                              WHERE later.network = memberships.network
                                AND later.municipality_code = memberships.municipality_code
                                AND later.valid_from > ",
            $old,
            ")"
        )
    };
}

/// `$1` the new end, `$2` the renewal, `$3` network, `$4` the old end.
pub const RENEW: &str = concat!(
    "UPDATE memberships SET valid_until = $1, renewal_id = $2 WHERE ",
    renewable!("$3", "$4")
);

/// How many a renewal would extend: `$1` network, `$2` the old end.
pub const RENEWABLE: &str = concat!(
    "SELECT COUNT(*) FROM memberships WHERE ",
    renewable!("$1", "$2")
);

pub const ADD_RENEWAL: &str = "INSERT INTO membership_renewals
         (network, from_year, to_year, old_until, new_until, renewed, done_at, done_by)
     VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id";

pub const SET_RENEWED: &str = "UPDATE membership_renewals SET renewed = $1 WHERE id = $2";

/// The network's latest renewal.
pub const LATEST_RENEWAL: &str =
    "SELECT id, from_year, to_year, old_until, new_until, renewed, done_at, done_by, undone_at
     FROM membership_renewals WHERE network = $1 ORDER BY id DESC LIMIT 1";

/// `$1` the old end, `$2` the renewal, `$3` its new end: what it extended and nobody changed
/// since goes back.
pub const UNDO_RENEWAL: &str = "UPDATE memberships SET valid_until = $1, renewal_id = NULL
     WHERE renewal_id = $2 AND valid_until = $3";

pub const RENEWAL_UNDONE: &str = "UPDATE membership_renewals SET undone_at = $1 WHERE id = $2";

pub const MEMBERSHIP_YEAR: &str = "SELECT starts FROM membership_years WHERE network = $1";

pub const SET_MEMBERSHIP_YEAR: &str = "INSERT INTO membership_years (network, starts)
     VALUES ($1, $2) ON CONFLICT (network) DO UPDATE SET starts = excluded.starts";

pub const ADD_MEMBERSHIP_EVENT: &str = "INSERT INTO membership_history
         (network, municipality_code, done_at, done_by, what, detail)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// A network's member history, the latest `$2` first.
pub const MEMBERSHIP_HISTORY: &str =
    "SELECT done_at, done_by, what, municipality_code, detail FROM membership_history
     WHERE network = $1 ORDER BY id DESC LIMIT $2";

/// Registrations in standing `$2` per meeting and municipality of a network.
pub const REGISTERED_PER_MUNICIPALITY: &str =
    "SELECT meeting_id, municipality_code, COUNT(*) FROM registrations
     WHERE network = $1 AND status = $2 GROUP BY meeting_id, municipality_code";

/// `$1` the new standing, `$2` now, `$3` meeting, `$4` municipality, `$5` the standing left.
pub const MOVE_REGISTRATIONS: &str = "UPDATE registrations SET status = $1, updated_at = $2
     WHERE meeting_id = $3 AND municipality_code = $4 AND status = $5";

/// The contact person of a municipality's first submission for a meeting.
pub const FIRST_CONTACT: &str = "SELECT contact_name, contact_email FROM submissions
     WHERE meeting_id = $1 AND municipality_code = $2 ORDER BY id LIMIT 1";

pub const ADD_SIGN_IN_LINK: &str =
    "INSERT INTO organiser_links (hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)";

/// How many links an address was sent since `$2`.
pub const SIGN_IN_LINKS_SINCE: &str =
    "SELECT COUNT(*) FROM organiser_links WHERE email = $1 AND created_at > $2";

/// Takes a link: once, before it expires; its address.
pub const USE_SIGN_IN_LINK: &str = "UPDATE organiser_links SET used_at = $1
     WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING email";

pub const ADD_SESSION: &str =
    "INSERT INTO organiser_sessions (hash, name, email, expires_at) VALUES ($1, $2, $3, $4)";

pub const SESSION: &str =
    "SELECT name, email FROM organiser_sessions WHERE hash = $1 AND expires_at > $2";

pub const END_SESSION: &str = "DELETE FROM organiser_sessions WHERE hash = $1";

/// Links and sessions past their time.
pub const FORGET_SIGN_INS: [&str; 2] = [
    "DELETE FROM organiser_links WHERE expires_at < $1",
    "DELETE FROM organiser_sessions WHERE expires_at < $1",
];

pub const APPLICATION_PENDING: &str = "SELECT EXISTS (SELECT 1 FROM applications
     WHERE network = $1 AND municipality_code = $2 AND approved_at IS NULL AND declined_at IS NULL)";

pub const ADD_APPLICATION: &str = "INSERT INTO applications
         (network, municipality_code, contact_name, contact_email, created_at, meeting_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (network, municipality_code)
     WHERE approved_at IS NULL AND declined_at IS NULL DO NOTHING";

pub const PENDING_APPLICATIONS: &str =
    "SELECT a.id, a.network, a.municipality_code, a.contact_name, a.contact_email, a.created_at,
            (SELECT COUNT(*) FROM registrations r
              WHERE r.network = a.network AND r.municipality_code = a.municipality_code
                AND r.status = $1)
     FROM applications a WHERE a.approved_at IS NULL AND a.declined_at IS NULL
     ORDER BY a.id";

/// A network's decided applications, the latest first: `$1` the network, `$2` how many.
pub const DECIDED_APPLICATIONS: &str =
    "SELECT id, municipality_code, approved_at IS NOT NULL, COALESCE(decided_by, ''),
            COALESCE(approved_at, declined_at), reason
     FROM applications
     WHERE network = $1 AND (approved_at IS NOT NULL OR declined_at IS NOT NULL)
     ORDER BY COALESCE(approved_at, declined_at) DESC, id DESC LIMIT $2";

/// Registrations per meeting that count (`$1` registered, `$2` waiting for membership).
pub const REGISTRATIONS_PER_MEETING: &str = "SELECT meeting_id, COUNT(*) FROM registrations
     WHERE status IN ($1, $2) GROUP BY meeting_id";

/// PostgreSQL adds `FOR UPDATE`.
pub const APPLICATION: &str =
    "SELECT network, municipality_code, approved_at IS NOT NULL, declined_at IS NOT NULL,
            meeting_id
     FROM applications WHERE id = $1";

pub const APPROVE_APPLICATION: &str =
    "UPDATE applications SET approved_at = $1, decided_by = $2 WHERE id = $3";

pub const DECLINE_APPLICATION: &str =
    "UPDATE applications SET declined_at = $1, reason = $2, decided_by = $3 WHERE id = $4";

/// `$1` the new status, `$2` now, `$3` network, `$4` municipality, `$5` the waiting status.
pub const SETTLE_WAITING: &str = "UPDATE registrations SET status = $1, updated_at = $2
     WHERE network = $3 AND municipality_code = $4 AND status = $5";

pub const STORED_RECEIPT: &str = "SELECT id, receipt, fingerprint FROM submissions
     WHERE meeting_id = $1 AND idempotency_key = $2";

pub const INSERT_SUBMISSION: &str = "INSERT INTO submissions
         (meeting_id, number, reference, network, municipality_code, contact_name, contact_email,
          idempotency_key, fingerprint, receipt, created_at, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11)
     ON CONFLICT (meeting_id, idempotency_key) DO NOTHING
     RETURNING id";

/// SQLite's reference numbers: the meeting's counter, raised in the submission's savepoint (a
/// submission rolled back gives its number back, so the numbers have no gaps).
pub const NEXT_NUMBER: &str = "INSERT INTO reference_counters (meeting_id, last) VALUES ($1, 1)
     ON CONFLICT (meeting_id) DO UPDATE SET last = last + 1 RETURNING last";

/// One attendee, unless the address is registered for the meeting (and not cancelled); its
/// calendar `SEQUENCE` one above the address's last cancelled registration for the meeting.
/// Answers the row's id and sequence.
pub const INSERT_ATTENDEE: &str = "INSERT INTO registrations
         (submission_id, meeting_id, network, municipality_code, name, email, email_key,
          title, department, status, created_at, updated_at, sequence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11,
             (SELECT COALESCE(MAX(sequence) + 1, 0) FROM registrations
               WHERE meeting_id = $2 AND email_key = $7))
     ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
     RETURNING id, sequence";

/// PostgreSQL's [`INSERT_ATTENDEE`] for a whole list at once (arrays `$7`..`$11`); answers each
/// stored row's address key, id and sequence.
pub const INSERT_ATTENDEES_AT_ONCE: &str = "INSERT INTO registrations
         (submission_id, meeting_id, network, municipality_code, name, email,
          email_key, title, department, status, created_at, updated_at, sequence)
     SELECT $1, $2, $3, $4, a.name, a.email, a.email_key, a.title, a.department, $5,
            $6, $6,
            (SELECT COALESCE(MAX(p.sequence) + 1, 0) FROM registrations p
              WHERE p.meeting_id = $2 AND p.email_key = a.email_key)
     FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
              WITH ORDINALITY AS a (name, email, email_key, title, department, row)
     ORDER BY a.row
     ON CONFLICT (meeting_id, email_key) WHERE status <> 'cancelled' DO NOTHING
     RETURNING email_key, id, sequence";

pub const SET_RECEIPT: &str = "UPDATE submissions SET receipt = $1 WHERE id = $2";

pub const ADD_TOKEN: &str =
    "INSERT INTO manage_tokens (selector, submission_id, verifier_hash, created_at)
     VALUES ($1, $2, $3, $4)";

/// PostgreSQL adds `FOR UPDATE OF s, t` for a change.
pub const SUBMISSION_BY_SELECTOR: &str =
    "SELECT s.id, s.reference, s.network, s.municipality_code, s.contact_name, s.contact_email,
            s.language, t.verifier_hash
     FROM manage_tokens t JOIN submissions s ON s.id = t.submission_id
     WHERE t.selector = $1 AND s.meeting_id = $2 AND t.replaced_at IS NULL";

/// The verifier hash of a link of a meeting's submission that a newer one replaced.
pub const REPLACED_TOKEN: &str = "SELECT t.verifier_hash
     FROM manage_tokens t JOIN submissions s ON s.id = t.submission_id
     WHERE t.selector = $1 AND s.meeting_id = $2 AND t.replaced_at IS NOT NULL";

/// Ends a submission's links (`$2`) as of `$1`.
pub const REPLACE_TOKENS: &str = "UPDATE manage_tokens SET replaced_at = $1
     WHERE submission_id = $2 AND replaced_at IS NULL";

/// The submissions of a municipality with attendees in standing `$3`, and their meetings:
/// the columns of [`SUBMISSION_BY_SELECTOR`]'s submission, then the meeting.
pub const SUBMISSIONS_WITH: &str =
    "SELECT s.id, s.reference, s.network, s.municipality_code, s.contact_name, s.contact_email,
            s.language, s.meeting_id
     FROM submissions s
     WHERE s.network = $1 AND s.municipality_code = $2
       AND EXISTS (SELECT 1 FROM registrations r WHERE r.submission_id = s.id AND r.status = $3)
     ORDER BY s.id";

pub const ROWS: &str =
    "SELECT id, name, email, title, department, status, sequence FROM registrations
     WHERE submission_id = $1 ORDER BY id";

pub const SEEN: &str = "SELECT EXISTS (SELECT 1 FROM changes
     WHERE submission_id = $1 AND idempotency_key = $2)";

pub const RECORD: &str =
    "INSERT INTO changes (submission_id, idempotency_key, at, by, kind, detail)
     VALUES ($1, $2, $3, $4, $5, $6)";

pub const UPDATE: &str =
    "UPDATE registrations SET name = $1, title = $2, department = $3, status = $4,
            sequence = $5, updated_at = $6,
            cancelled_at = CASE WHEN $4 = 'cancelled' THEN COALESCE(cancelled_at, $6) END
     WHERE id = $7";

pub const SET_CONTACT: &str =
    "UPDATE submissions SET contact_name = $1, contact_email = $2 WHERE id = $3";

pub const EXPORT: &str =
    "SELECT s.reference, r.municipality_code, r.name, r.email, r.title, r.department, r.status,
            s.contact_name, s.contact_email, r.created_at, r.cancelled_at, r.updated_at
     FROM registrations r JOIN submissions s ON s.id = r.submission_id
     WHERE r.meeting_id = $1 ORDER BY r.id";

/// The meetings kept with their documents: made on the organiser page, or imported.
pub const STORED_MEETINGS: &str = "SELECT id, document, status, cancel_reason FROM meetings
     WHERE document IS NOT NULL ORDER BY id";

/// One of them, by id.
pub const STORED_MEETING: &str = "SELECT id, document, status, cancel_reason FROM meetings
     WHERE id = $1 AND document IS NOT NULL";

/// A new meeting (`$2`: when it is over, for retention), unless a meeting with its id is kept
/// already (made, imported, or known by its data from before documents were kept).
pub const ADD_MEETING: &str =
    "INSERT INTO meetings (id, over_at, document, status, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING";

/// A meeting file's meeting, published, unless the store has that meeting's document already;
/// a meeting known only by its data from before gets its document.
pub const IMPORT_MEETING: &str = "INSERT INTO meetings (id, over_at, document, status, updated_at)
     VALUES ($1, $2, $3, 'published', $4)
     ON CONFLICT (id) DO UPDATE SET over_at = excluded.over_at, document = excluded.document,
         status = excluded.status, updated_at = excluded.updated_at
     WHERE meetings.document IS NULL";

/// A kept meeting's document and status, and when it is over.
pub const SAVE_MEETING: &str = "UPDATE meetings
     SET document = $1, over_at = $2, status = $3, cancel_reason = $4, updated_at = $5
     WHERE id = $6";

/// The number every change to a meeting raises (see `meetings_version` in the migrations).
pub const MEETINGS_VERSION: &str = "SELECT version FROM meetings_version";

pub const RAISE_MEETINGS_VERSION: &str = "UPDATE meetings_version SET version = version + 1";

/// A line of a meeting's history.
pub const ADD_MEETING_EVENT: &str =
    "INSERT INTO meeting_history (meeting_id, done_at, done_by, what, detail)
     VALUES ($1, $2, $3, $4, $5)";

/// A meeting's history, newest first.
pub const MEETING_HISTORY: &str = "SELECT done_at, done_by, what, detail FROM meeting_history
     WHERE meeting_id = $1 ORDER BY id DESC";

/// The meetings over before `$1` that still have data.
pub const MEETINGS_OVER: &str = "SELECT m.id FROM meetings m
     WHERE m.over_at < $1
       AND (EXISTS (SELECT 1 FROM submissions s WHERE s.meeting_id = m.id)
            OR EXISTS (SELECT 1 FROM outbox o WHERE o.meeting_id = m.id)
            OR EXISTS (SELECT 1 FROM messages g WHERE g.meeting_id = m.id))
     ORDER BY m.id";

/// Marks a meeting reminded, unless it was: the reminder is written once per meeting, by
/// whichever instance gets there first.
pub const MARK_REMINDED: &str =
    "UPDATE meetings SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL";

/// The reminder to be written again (the meeting moved to a later time).
pub const REMIND_AGAIN: &str = "UPDATE meetings SET reminded_at = NULL WHERE id = $1";

/// The online meeting's link, once set.
pub const JOIN_URL: &str = "SELECT join_url FROM meetings WHERE id = $1";

pub const SET_JOIN_URL: &str =
    "UPDATE meetings SET join_url = $1, join_url_set_at = $2 WHERE id = $3";

/// A new revision of every registered attendee's calendar entry: `$1` now, `$2` the meeting,
/// `$3` the registered standing.
pub const REVISE_REGISTERED: &str =
    "UPDATE registrations SET sequence = sequence + 1, updated_at = $1
     WHERE meeting_id = $2 AND status = $3";

/// Every attendee of a meeting in standing `$2`, with the language of their submission.
pub const ATTENDING: &str = "SELECT r.name, r.email, r.title, r.department, r.sequence, s.language
     FROM registrations r JOIN submissions s ON s.id = r.submission_id
     WHERE r.meeting_id = $1 AND r.status = $2
     ORDER BY r.id";

/// Applications decided before `$1` (those waiting stay until the organiser decides).
pub const DELETE_DECIDED_APPLICATIONS: &str =
    "DELETE FROM applications WHERE COALESCE(approved_at, declined_at) < $1";

/// A meeting's personal data, in the order the foreign keys allow (its manage links and
/// change history go with its submissions).
pub const DELETE_MEETING: [&str; 4] = [
    "DELETE FROM messages WHERE meeting_id = $1",
    "DELETE FROM outbox WHERE meeting_id = $1",
    "DELETE FROM registrations WHERE meeting_id = $1",
    "DELETE FROM submissions WHERE meeting_id = $1",
];

/// Keeps a message the organiser sent.
pub const ADD_MESSAGE: &str =
    "INSERT INTO messages (meeting_id, subject, body, sent_by, sent_at, recipients, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id";

/// A meeting's messages, newest first.
pub const MESSAGES: &str = "SELECT id, subject, body, sent_by, sent_at, recipients FROM messages
     WHERE meeting_id = $1 ORDER BY id DESC";

/// The message sent under a key the organiser page made (`$2`).
pub const MESSAGE_BY_KEY: &str =
    "SELECT id, subject, body, sent_by, sent_at, recipients FROM messages
     WHERE meeting_id = $1 AND idempotency_key = $2";

/// One mail. A public action's (`$10` is 1) is held back, not due, once its address has been
/// sent `$11` public mails in the hour before; PostgreSQL writes a list at once in its own
/// statement, held back alike.
pub const ENQUEUE: &str =
    "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text, body_html,
                         calendar, calendar_method, next_attempt_at, position, public, held_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $2, $9, $10,
             CASE WHEN $10 = 1
                   AND (SELECT COUNT(*) FROM outbox
                         WHERE public = 1 AND held_at IS NULL AND lower(recipient) = lower($3)
                           AND created_at > $2 - 3600) >= $11
             THEN $2 END)";

/// PostgreSQL's [`ENQUEUE`] for a whole list at once (arrays `$3`..`$8`, `$9` public, `$10` the
/// cap), each mail's place in the list its ordinality.
pub const ENQUEUE_AT_ONCE: &str =
    "INSERT INTO outbox (meeting_id, created_at, recipient, subject, body_text, body_html,
                         calendar, calendar_method, next_attempt_at, position, public, held_at)
     SELECT $1, $2, m.recipient, m.subject, m.body_text, m.body_html, m.calendar,
            m.calendar_method, $2, m.place - 1, $9::integer,
            CASE WHEN $9 = 1
                  AND (SELECT COUNT(*) FROM outbox o
                        WHERE o.public = 1 AND o.held_at IS NULL
                          AND lower(o.recipient) = lower(m.recipient)
                          AND o.created_at > $2::bigint - 3600) >= $10::bigint
            THEN $2::bigint END
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
          WITH ORDINALITY
          AS m (recipient, subject, body_text, body_html, calendar, calendar_method, place)";

/// A meeting's held-back mails, the latest first (`$2` how many).
pub const HELD_MAILS: &str = "SELECT recipient, subject, held_at FROM outbox
     WHERE meeting_id = $1 AND held_at IS NOT NULL ORDER BY held_at DESC, id DESC LIMIT $2";

/// The rows due, each batch's first mails before any batch's later ones, then oldest first;
/// PostgreSQL adds `FOR UPDATE SKIP LOCKED` inside.
pub const CLAIM_MAIL: [&str; 2] = [
    "UPDATE outbox SET claimed_until = $1 + $2
     WHERE id IN (SELECT id FROM outbox
                   WHERE sent_at IS NULL AND failed_at IS NULL AND held_at IS NULL
                     AND next_attempt_at <= $1
                     AND (claimed_until IS NULL OR claimed_until < $1)
                   ORDER BY position, id LIMIT $3",
    ")
     RETURNING id, recipient, subject, body_text, body_html, calendar, calendar_method, attempts,
               claimed_until",
];

pub const MAIL_SENT: &str =
    "UPDATE outbox SET sent_at = $1, claimed_until = NULL, body_text = '', body_html = '',
            calendar = NULL
     WHERE id = $2 AND claimed_until = $3";

pub const MAIL_FAILED: &str =
    "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3, claimed_until = NULL,
            failed_at = CASE WHEN $4 THEN CAST($2 AS BIGINT) END
     WHERE id = $5 AND claimed_until = $6";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statement's parameters are first used as `$1`, `$2`, … in order, so SQLite (which
    /// numbers named parameters by first use) binds the same list as PostgreSQL.
    #[test]
    fn parameters_are_first_used_in_order() {
        let claim = CLAIM_MAIL.concat();
        let all = [
            IMPORT_MEMBER,
            MEMBER_ON,
            MEMBERSHIPS_BETWEEN,
            MEMBERSHIPS_OF,
            ADD_MEMBERSHIP,
            SET_MEMBERSHIP_END,
            DELETE_MEMBERSHIP,
            NETWORK_HAS_MEMBERS,
            RENEW,
            RENEWABLE,
            ADD_RENEWAL,
            SET_RENEWED,
            LATEST_RENEWAL,
            UNDO_RENEWAL,
            RENEWAL_UNDONE,
            MEMBERSHIP_YEAR,
            SET_MEMBERSHIP_YEAR,
            ADD_MEMBERSHIP_EVENT,
            MEMBERSHIP_HISTORY,
            REGISTERED_PER_MUNICIPALITY,
            MOVE_REGISTRATIONS,
            FIRST_CONTACT,
            ADD_SIGN_IN_LINK,
            SIGN_IN_LINKS_SINCE,
            USE_SIGN_IN_LINK,
            ADD_SESSION,
            SESSION,
            END_SESSION,
            FORGET_SIGN_INS[0],
            FORGET_SIGN_INS[1],
            APPLICATION_PENDING,
            ADD_APPLICATION,
            PENDING_APPLICATIONS,
            DECIDED_APPLICATIONS,
            REGISTRATIONS_PER_MEETING,
            APPLICATION,
            APPROVE_APPLICATION,
            DECLINE_APPLICATION,
            SETTLE_WAITING,
            STORED_RECEIPT,
            INSERT_SUBMISSION,
            NEXT_NUMBER,
            INSERT_ATTENDEE,
            SET_RECEIPT,
            ADD_TOKEN,
            REPLACED_TOKEN,
            REPLACE_TOKENS,
            SUBMISSION_BY_SELECTOR,
            SUBMISSIONS_WITH,
            ROWS,
            SEEN,
            RECORD,
            UPDATE,
            SET_CONTACT,
            EXPORT,
            STORED_MEETINGS,
            STORED_MEETING,
            ADD_MEETING,
            IMPORT_MEETING,
            SAVE_MEETING,
            MEETINGS_VERSION,
            RAISE_MEETINGS_VERSION,
            ADD_MEETING_EVENT,
            MEETING_HISTORY,
            MARK_REMINDED,
            REMIND_AGAIN,
            JOIN_URL,
            SET_JOIN_URL,
            REVISE_REGISTERED,
            ATTENDING,
            MEETINGS_OVER,
            DELETE_DECIDED_APPLICATIONS,
            DELETE_MEETING[0],
            DELETE_MEETING[1],
            DELETE_MEETING[2],
            DELETE_MEETING[3],
            ADD_MESSAGE,
            MESSAGES,
            MESSAGE_BY_KEY,
            ENQUEUE,
            HELD_MAILS,
            claim.as_str(),
            MAIL_SENT,
            MAIL_FAILED,
        ];
        for sql in all {
            let mut seen: Vec<u32> = Vec::new();
            for part in sql.split('$').skip(1) {
                let n: u32 = part
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or_else(|_| panic!("a $ without a number in {sql}"));
                if !seen.contains(&n) {
                    assert_eq!(n as usize, seen.len() + 1, "first uses out of order: {sql}");
                    seen.push(n);
                }
            }
        }
    }
}
