//! Every statement of [`Tx`], written once over [`Conn`]: the same SQL (`sql.rs`), the same
//! values bound in the same order, the same columns read, on SQLite and on PostgreSQL. What
//! only one dialect can say is the driver's (`Conn::take_number`, `write_attendees`,
//! `write_mails`, and row locks where `Conn::ROW_LOCKS`).

use super::conn::{Conn, Record, values};
use super::outbox::{self, Failed};
use super::{
    Application, ApplicationState, AttendeeRow, Became, Date, DecidedApplication, HeldMail,
    KeptMembership, KeptRenewal, Mail, MeetingAction, MeetingEvent, MeetingStatus, Member,
    MembershipAction, MembershipEvent, NewMeetingEvent, NewMembershipEvent, NewMessage, NewRenewal,
    NewSubmission, Placing, Queued, Recorded, Result, Row, SavedMeeting, SentMessage, Standing,
    StoreError, StoredMeeting, StoredReceipt, Sub, Tx, parse_standing, sql,
};
use tilmelding_domain::{Attendee, Contact, Lang};

/// A submission from the first columns of a row (see `sql::SUBMISSION_BY_SELECTOR`).
fn sub(r: &Record) -> Result<Sub> {
    Ok(Sub {
        id: r.int(0)?,
        reference: r.text(1)?,
        network: r.text(2)?,
        municipality_code: r.int(3)?,
        contact: Contact {
            name: r.text(4)?,
            email: r.text(5)?,
        },
        lang: Lang::from_code(&r.text(6)?),
    })
}

/// An attendee from four columns from `first` on: name, e-mail, title, department.
fn attendee(r: &Record, first: usize) -> Result<Attendee> {
    Ok(Attendee {
        name: r.text(first)?,
        email: r.text(first + 1)?,
        title: r.text(first + 2)?,
        department: r.text(first + 3)?,
    })
}

/// A kept message (`sql::MESSAGES`' columns).
fn sent_message(r: &Record) -> Result<SentMessage> {
    Ok(SentMessage {
        id: r.int(0)?,
        subject: r.text(1)?,
        body: r.text(2)?,
        sent_by: r.text(3)?,
        sent_at: r.int(4)?,
        recipients: r.int(5)?,
    })
}

/// A kept meeting (`sql::STORED_MEETING`'s columns).
fn stored_meeting(r: &Record) -> Result<StoredMeeting> {
    let status = r.text(2)?;
    Ok(StoredMeeting {
        id: r.text(0)?,
        document: r.text(1)?,
        status: MeetingStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown meeting status {status:?}")))?,
        cancel_reason: r.opt_text(3)?,
    })
}

/// A date as kept, `YYYY-MM-DD`.
fn date(text: &str) -> Result<Date> {
    Date::parse(text).ok_or_else(|| StoreError::Corrupt(format!("not a date: {text:?}")))
}

/// A kept membership (`sql::MEMBERSHIPS_OF`'s columns).
fn membership(r: &Record) -> Result<KeptMembership> {
    let became = r.text(4)?;
    Ok(KeptMembership {
        id: r.int(0)?,
        member: Member {
            municipality_code: r.int(1)?,
            valid_from: r.opt_text(2)?.as_deref().map(date).transpose()?,
            valid_until: r.opt_text(3)?.as_deref().map(date).transpose()?,
            became: Became::parse(&became)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown way in {became:?}")))?,
            by: r.text(5)?,
            note: r.text(6)?,
            upcoming: Vec::new(),
        },
    })
}

/// `sql` with a row lock where the store has them.
fn locking<C: Conn>(sql: &str, clause: &str) -> String {
    if C::ROW_LOCKS {
        format!("{sql} {clause}")
    } else {
        sql.to_owned()
    }
}

/// Every row of a statement, each read by `read`.
async fn all<C: Conn, T>(
    c: &mut C,
    sql: &str,
    values: &[super::conn::Value<'_>],
    read: impl Fn(&Record) -> Result<T>,
) -> Result<Vec<T>> {
    c.query(sql, values).await?.iter().map(read).collect()
}

impl<C: Conn> Tx for C {
    async fn savepoint(&mut self) -> Result<()> {
        Conn::batch(self, "SAVEPOINT submission").await
    }

    async fn release_savepoint(&mut self) -> Result<()> {
        Conn::batch(self, "RELEASE SAVEPOINT submission").await
    }

    async fn roll_back_to_savepoint(&mut self) -> Result<()> {
        Conn::batch(
            self,
            "ROLLBACK TO SAVEPOINT submission; RELEASE SAVEPOINT submission",
        )
        .await
    }

    async fn batch(&mut self, sql: &str) -> Result<()> {
        Conn::batch(self, sql).await
    }

    async fn import_member(
        &mut self,
        network: &str,
        code: u16,
        from: Option<Date>,
        now: i64,
    ) -> Result<bool> {
        let from = from.map(|d| d.to_string());
        let values = values![network, code, from.as_ref(), now];
        Ok(self.exec(sql::IMPORT_MEMBER, values).await? == 1)
    }

    async fn member_on(&mut self, network: &str, code: u16, day: Date) -> Result<bool> {
        let day = day.to_string();
        self.one(sql::MEMBER_ON, values![network, code, &day])
            .await?
            .flag(0)
    }

    async fn memberships_between(
        &mut self,
        network: &str,
        from: Date,
        until: Date,
    ) -> Result<Vec<KeptMembership>> {
        let (from, until) = (from.to_string(), until.to_string());
        let values = values![network, &from, &until];
        all(self, sql::MEMBERSHIPS_BETWEEN, values, membership).await
    }

    async fn memberships_of(&mut self, network: &str, code: u16) -> Result<Vec<KeptMembership>> {
        all(
            self,
            sql::MEMBERSHIPS_OF,
            values![network, code],
            membership,
        )
        .await
    }

    async fn add_membership(&mut self, network: &str, m: &Member, now: i64) -> Result<()> {
        let from = m.valid_from.map(|d| d.to_string());
        let until = m.valid_until.map(|d| d.to_string());
        let values = values![
            network,
            m.municipality_code,
            from.as_ref(),
            until.as_ref(),
            m.became.as_str(),
            &m.by,
            &m.note,
            now
        ];
        self.exec(sql::ADD_MEMBERSHIP, values).await?;
        Ok(())
    }

    async fn set_membership_end(&mut self, id: i64, until: Option<Date>) -> Result<()> {
        let until = until.map(|d| d.to_string());
        self.exec(sql::SET_MEMBERSHIP_END, values![until.as_ref(), id])
            .await?;
        Ok(())
    }

    async fn delete_membership(&mut self, id: i64) -> Result<()> {
        self.exec(sql::DELETE_MEMBERSHIP, values![id]).await?;
        Ok(())
    }

    async fn network_has_members(&mut self, network: &str) -> Result<bool> {
        self.one(sql::NETWORK_HAS_MEMBERS, values![network])
            .await?
            .flag(0)
    }

    async fn renew(&mut self, r: &NewRenewal<'_>) -> Result<(i64, i64)> {
        let (old, new) = (r.old_until.to_string(), r.new_until.to_string());
        let values = values![r.network, r.from_year, r.to_year, &old, &new, r.at, r.by];
        let id: i64 = self.one(sql::ADD_RENEWAL, values).await?.int(0)?;
        let renewed = self
            .exec(sql::RENEW, values![&new, id, r.network, &old])
            .await? as i64;
        self.exec(sql::SET_RENEWED, values![renewed, id]).await?;
        Ok((id, renewed))
    }

    async fn renewable(&mut self, network: &str, old_until: Date) -> Result<i64> {
        let old = old_until.to_string();
        self.one(sql::RENEWABLE, values![network, &old])
            .await?
            .int(0)
    }

    async fn latest_renewal(&mut self, network: &str) -> Result<Option<KeptRenewal>> {
        let Some(r) = self.opt(sql::LATEST_RENEWAL, values![network]).await? else {
            return Ok(None);
        };
        Ok(Some(KeptRenewal {
            id: r.int(0)?,
            from_year: r.int(1)?,
            to_year: r.int(2)?,
            old_until: date(&r.text(3)?)?,
            new_until: date(&r.text(4)?)?,
            renewed: r.int(5)?,
            at: r.int(6)?,
            by: r.text(7)?,
            undone: r.opt_int::<i64>(8)?.is_some(),
        }))
    }

    async fn undo_renewal(&mut self, r: &KeptRenewal, now: i64) -> Result<usize> {
        let (old, new) = (r.old_until.to_string(), r.new_until.to_string());
        let undone = self
            .exec(sql::UNDO_RENEWAL, values![&old, r.id, &new])
            .await?;
        self.exec(sql::RENEWAL_UNDONE, values![now, r.id]).await?;
        Ok(undone)
    }

    async fn membership_year(&mut self, network: &str) -> Result<Option<String>> {
        self.opt(sql::MEMBERSHIP_YEAR, values![network])
            .await?
            .map(|r| r.text(0))
            .transpose()
    }

    async fn set_membership_year(&mut self, network: &str, starts: &str) -> Result<()> {
        self.exec(sql::SET_MEMBERSHIP_YEAR, values![network, starts])
            .await?;
        Ok(())
    }

    async fn add_membership_event(&mut self, e: &NewMembershipEvent<'_>) -> Result<()> {
        let values = values![e.network, e.code, e.at, e.by, e.action.as_str(), e.detail];
        self.exec(sql::ADD_MEMBERSHIP_EVENT, values).await?;
        Ok(())
    }

    async fn membership_history(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<MembershipEvent>> {
        all(
            self,
            sql::MEMBERSHIP_HISTORY,
            values![network, limit],
            |r| {
                let what = r.text(2)?;
                Ok(MembershipEvent {
                    at: r.int(0)?,
                    by: r.text(1)?,
                    action: MembershipAction::parse(&what).ok_or_else(|| {
                        StoreError::Corrupt(format!("unknown member action {what:?}"))
                    })?,
                    municipality_code: r.opt_int(3)?,
                    detail: r.text(4)?,
                })
            },
        )
        .await
    }

    async fn registered_per_municipality(
        &mut self,
        network: &str,
        standing: Standing,
    ) -> Result<Vec<(String, u16, i64)>> {
        let values = values![network, standing.as_str()];
        all(self, sql::REGISTERED_PER_MUNICIPALITY, values, |r| {
            Ok((r.text(0)?, r.int(1)?, r.int(2)?))
        })
        .await
    }

    async fn move_registrations(
        &mut self,
        meeting_id: &str,
        code: u16,
        from: Standing,
        to: Standing,
        now: i64,
    ) -> Result<usize> {
        let values = values![to.as_str(), now, meeting_id, code, from.as_str()];
        self.exec(sql::MOVE_REGISTRATIONS, values).await
    }

    async fn first_contact(&mut self, meeting_id: &str, code: u16) -> Result<Option<Contact>> {
        self.opt(sql::FIRST_CONTACT, values![meeting_id, code])
            .await?
            .map(|r| {
                Ok(Contact {
                    name: r.text(0)?,
                    email: r.text(1)?,
                })
            })
            .transpose()
    }

    async fn add_sign_in_link(
        &mut self,
        hash: &[u8],
        email: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.exec(sql::ADD_SIGN_IN_LINK, values![hash, email, now, expires_at])
            .await?;
        Ok(())
    }

    async fn sign_in_links_since(&mut self, email: &str, since: i64) -> Result<i64> {
        self.one(sql::SIGN_IN_LINKS_SINCE, values![email, since])
            .await?
            .int(0)
    }

    async fn use_sign_in_link(&mut self, hash: &[u8], now: i64) -> Result<Option<String>> {
        self.opt(sql::USE_SIGN_IN_LINK, values![now, hash])
            .await?
            .map(|r| r.text(0))
            .transpose()
    }

    async fn add_session(
        &mut self,
        hash: &[u8],
        name: &str,
        email: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.exec(sql::ADD_SESSION, values![hash, name, email, expires_at])
            .await?;
        Ok(())
    }

    async fn session(&mut self, hash: &[u8], now: i64) -> Result<Option<(String, String)>> {
        self.opt(sql::SESSION, values![hash, now])
            .await?
            .map(|r| Ok((r.text(0)?, r.text(1)?)))
            .transpose()
    }

    async fn end_session(&mut self, hash: &[u8]) -> Result<()> {
        self.exec(sql::END_SESSION, values![hash]).await?;
        Ok(())
    }

    async fn forget_sign_ins(&mut self, now: i64) -> Result<()> {
        for sql in sql::FORGET_SIGN_INS {
            self.exec(sql, values![now]).await?;
        }
        Ok(())
    }

    async fn application_pending(&mut self, network: &str, code: u16) -> Result<bool> {
        self.one(sql::APPLICATION_PENDING, values![network, code])
            .await?
            .flag(0)
    }

    async fn add_application(
        &mut self,
        network: &str,
        code: u16,
        contact: &Contact,
        meeting_id: &str,
        now: i64,
    ) -> Result<()> {
        let (name, email) = (&contact.name, &contact.email);
        self.exec(
            sql::ADD_APPLICATION,
            values![network, code, name, email, now, meeting_id],
        )
        .await?;
        Ok(())
    }

    async fn pending_applications(&mut self) -> Result<Vec<Application>> {
        let waiting = Standing::PendingMembership.as_str();
        all(self, sql::PENDING_APPLICATIONS, values![waiting], |r| {
            Ok(super::application(
                r.int(0)?,
                r.text(1)?,
                r.int(2)?,
                [r.text(3)?, r.text(4)?],
                r.int(5)?,
                r.int(6)?,
            ))
        })
        .await
    }

    async fn decided_applications(
        &mut self,
        network: &str,
        limit: i64,
    ) -> Result<Vec<DecidedApplication>> {
        all(
            self,
            sql::DECIDED_APPLICATIONS,
            values![network, limit],
            |r| {
                Ok(super::decided(
                    r.int(0)?,
                    r.int(1)?,
                    r.flag(2)?,
                    r.text(3)?,
                    r.int(4)?,
                    r.opt_text(5)?,
                ))
            },
        )
        .await
    }

    async fn registrations_per_meeting(&mut self) -> Result<Vec<(String, i64)>> {
        let [registered, waiting] =
            [Standing::Registered, Standing::PendingMembership].map(Standing::as_str);
        all(
            self,
            sql::REGISTRATIONS_PER_MEETING,
            values![registered, waiting],
            |r| Ok((r.text(0)?, r.int(1)?)),
        )
        .await
    }

    async fn application(&mut self, id: i64) -> Result<Option<ApplicationState>> {
        // Locked: two organisers deciding at once (on two instances) take turns, and the
        // second finds it decided.
        let sql = locking::<C>(sql::APPLICATION, "FOR UPDATE");
        self.opt(&sql, values![id])
            .await?
            .map(|r| {
                Ok(ApplicationState {
                    network: r.text(0)?,
                    municipality_code: r.int(1)?,
                    approved: r.flag(2)?,
                    declined: r.flag(3)?,
                    meeting_id: r.opt_text(4)?,
                })
            })
            .transpose()
    }

    async fn approve_application(&mut self, id: i64, by: &str, now: i64) -> Result<()> {
        self.exec(sql::APPROVE_APPLICATION, values![now, by, id])
            .await?;
        Ok(())
    }

    async fn decline_application(
        &mut self,
        id: i64,
        reason: &str,
        by: &str,
        now: i64,
    ) -> Result<()> {
        self.exec(sql::DECLINE_APPLICATION, values![now, reason, by, id])
            .await?;
        Ok(())
    }

    async fn settle_waiting(
        &mut self,
        network: &str,
        code: u16,
        to: Standing,
        now: i64,
    ) -> Result<usize> {
        let waiting = Standing::PendingMembership.as_str();
        self.exec(
            sql::SETTLE_WAITING,
            values![to.as_str(), now, network, code, waiting],
        )
        .await
    }

    async fn next_number(&mut self, meeting_id: &str) -> Result<i64> {
        Conn::take_number(self, meeting_id).await
    }

    async fn stored_receipt(
        &mut self,
        meeting_id: &str,
        key: &str,
    ) -> Result<Option<StoredReceipt>> {
        self.opt(sql::STORED_RECEIPT, values![meeting_id, key])
            .await?
            .map(|r| Ok((r.int(0)?, r.text(1)?, r.opt_text(2)?)))
            .transpose()
    }

    async fn insert_submission(&mut self, s: &NewSubmission<'_>) -> Result<Option<i64>> {
        let (name, email) = (&s.contact.name, &s.contact.email);
        self.opt(
            sql::INSERT_SUBMISSION,
            values![
                s.meeting_id,
                s.number,
                s.reference,
                s.network,
                s.municipality_code,
                name,
                email,
                s.idempotency_key,
                s.fingerprint,
                s.now,
                s.lang.code(),
            ],
        )
        .await?
        .map(|r| r.int(0))
        .transpose()
    }

    async fn insert_attendees(
        &mut self,
        at: &Placing<'_>,
        attendees: &[Attendee],
    ) -> Result<Vec<Option<(i64, i32)>>> {
        Conn::write_attendees(self, at, attendees).await
    }

    async fn set_receipt(&mut self, submission: i64, json: &str) -> Result<()> {
        self.exec(sql::SET_RECEIPT, values![json, submission])
            .await?;
        Ok(())
    }

    async fn add_token(
        &mut self,
        selector: &str,
        submission: i64,
        hash: &[u8],
        now: i64,
    ) -> Result<()> {
        self.exec(sql::ADD_TOKEN, values![selector, submission, hash, now])
            .await?;
        Ok(())
    }

    async fn submission(
        &mut self,
        meeting_id: &str,
        selector: &str,
        lock: bool,
    ) -> Result<Option<(Sub, Vec<u8>)>> {
        // For a change, the submission's row and the link's are locked: two changes to one
        // submission (on two instances) take turns, and one that waited sees a link the first
        // replaced as replaced. A read locks nothing.
        let sql = if lock {
            locking::<C>(sql::SUBMISSION_BY_SELECTOR, "FOR UPDATE OF s, t")
        } else {
            sql::SUBMISSION_BY_SELECTOR.to_owned()
        };
        self.opt(&sql, values![selector, meeting_id])
            .await?
            .map(|r| Ok((sub(&r)?, r.bytes(7)?)))
            .transpose()
    }

    async fn replaced_token(
        &mut self,
        meeting_id: &str,
        selector: &str,
    ) -> Result<Option<Vec<u8>>> {
        self.opt(sql::REPLACED_TOKEN, values![selector, meeting_id])
            .await?
            .map(|r| r.bytes(0))
            .transpose()
    }

    async fn replace_tokens(&mut self, submission: i64, now: i64) -> Result<()> {
        self.exec(sql::REPLACE_TOKENS, values![now, submission])
            .await?;
        Ok(())
    }

    async fn submissions_with(
        &mut self,
        network: &str,
        code: u16,
        standing: Standing,
    ) -> Result<Vec<(Sub, String)>> {
        let values = values![network, code, standing.as_str()];
        all(self, sql::SUBMISSIONS_WITH, values, |r| {
            Ok((sub(r)?, r.text(7)?))
        })
        .await
    }

    async fn rows(&mut self, submission: i64) -> Result<Vec<Row>> {
        all(self, sql::ROWS, values![submission], |r| {
            Ok(Row {
                id: r.int(0)?,
                attendee: attendee(r, 1)?,
                status: parse_standing(&r.text(5)?)?,
                sequence: r.int(6)?,
            })
        })
        .await
    }

    async fn seen(&mut self, submission: i64, key: &str) -> Result<bool> {
        self.one(sql::SEEN, values![submission, key]).await?.flag(0)
    }

    async fn record(&mut self, c: &Recorded<'_>) -> Result<()> {
        self.exec(
            sql::RECORD,
            values![c.submission, c.key, c.at, c.by, c.kind, c.detail],
        )
        .await?;
        Ok(())
    }

    async fn update(&mut self, row: &Row, now: i64) -> Result<()> {
        let a = &row.attendee;
        let status = row.status.as_str();
        self.exec(
            sql::UPDATE,
            values![
                &a.name,
                &a.title,
                &a.department,
                status,
                row.sequence,
                now,
                row.id
            ],
        )
        .await?;
        Ok(())
    }

    async fn set_contact(&mut self, submission: i64, contact: &Contact) -> Result<()> {
        let (name, email) = (&contact.name, &contact.email);
        self.exec(sql::SET_CONTACT, values![name, email, submission])
            .await?;
        Ok(())
    }

    async fn export(&mut self, meeting_id: &str) -> Result<Vec<AttendeeRow>> {
        all(self, sql::EXPORT, values![meeting_id], |r| {
            Ok(AttendeeRow {
                reference: r.text(0)?,
                municipality_code: r.int(1)?,
                name: r.text(2)?,
                email: r.text(3)?,
                title: r.text(4)?,
                department: r.text(5)?,
                status: parse_standing(&r.text(6)?)?,
                contact_name: r.text(7)?,
                contact_email: r.text(8)?,
                created_at: r.int(9)?,
                cancelled_at: r.opt_int(10)?,
                updated_at: r.int(11)?,
            })
        })
        .await
    }

    async fn delete_meeting(&mut self, meeting_id: &str) -> Result<usize> {
        let [messages, outbox, registrations, submissions] = sql::DELETE_MEETING;
        self.exec(messages, values![meeting_id]).await?;
        self.exec(outbox, values![meeting_id]).await?;
        let n = self.exec(registrations, values![meeting_id]).await?;
        self.exec(submissions, values![meeting_id]).await?;
        Ok(n)
    }

    async fn stored_meetings(&mut self) -> Result<Vec<StoredMeeting>> {
        all(self, sql::STORED_MEETINGS, values![], stored_meeting).await
    }

    async fn stored_meeting(&mut self, id: &str, lock: bool) -> Result<Option<StoredMeeting>> {
        let sql = match lock {
            true => locking::<C>(sql::STORED_MEETING, "FOR UPDATE"),
            false => sql::STORED_MEETING.to_owned(),
        };
        self.opt(&sql, values![id])
            .await?
            .map(|r| stored_meeting(&r))
            .transpose()
    }

    async fn add_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<bool> {
        let status = m.status.as_str();
        let values = values![m.id, m.over_at, m.document, status, m.now];
        Ok(self.exec(sql::ADD_MEETING, values).await? == 1)
    }

    async fn import_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<bool> {
        let values = values![m.id, m.over_at, m.document, m.now];
        Ok(self.exec(sql::IMPORT_MEETING, values).await? == 1)
    }

    async fn save_meeting(&mut self, m: &SavedMeeting<'_>) -> Result<()> {
        let status = m.status.as_str();
        let values = values![m.document, m.over_at, status, m.cancel_reason, m.now, m.id];
        self.exec(sql::SAVE_MEETING, values).await?;
        Ok(())
    }

    async fn meetings_version(&mut self) -> Result<i64> {
        self.one(sql::MEETINGS_VERSION, values![]).await?.int(0)
    }

    async fn raise_meetings_version(&mut self) -> Result<()> {
        self.exec(sql::RAISE_MEETINGS_VERSION, values![]).await?;
        Ok(())
    }

    async fn add_meeting_event(&mut self, e: &NewMeetingEvent<'_>) -> Result<()> {
        let action = e.action.as_str();
        let values = values![e.meeting_id, e.at, e.by, action, e.detail];
        self.exec(sql::ADD_MEETING_EVENT, values).await?;
        Ok(())
    }

    async fn meeting_history(&mut self, meeting_id: &str) -> Result<Vec<MeetingEvent>> {
        all(self, sql::MEETING_HISTORY, values![meeting_id], |r| {
            let what = r.text(2)?;
            Ok(MeetingEvent {
                at: tilmelding_domain::calendar::format_local(r.int(0)?),
                by: r.text(1)?,
                action: MeetingAction::parse(&what)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown action {what:?}")))?,
                detail: r.text(3)?,
            })
        })
        .await
    }

    async fn meetings_over(&mut self, before: i64) -> Result<Vec<String>> {
        all(self, sql::MEETINGS_OVER, values![before], |r| r.text(0)).await
    }

    async fn add_message(&mut self, m: &NewMessage<'_>) -> Result<i64> {
        let values = values![
            m.meeting_id,
            m.subject,
            m.body,
            m.by,
            m.now,
            m.recipients,
            m.key
        ];
        self.one(sql::ADD_MESSAGE, values).await?.int(0)
    }

    async fn messages(&mut self, meeting_id: &str) -> Result<Vec<SentMessage>> {
        all(self, sql::MESSAGES, values![meeting_id], sent_message).await
    }

    async fn message_by_key(&mut self, meeting_id: &str, key: &str) -> Result<Option<SentMessage>> {
        self.opt(sql::MESSAGE_BY_KEY, values![meeting_id, key])
            .await?
            .map(|r| sent_message(&r))
            .transpose()
    }

    async fn mark_reminded(&mut self, meeting_id: &str, now: i64) -> Result<bool> {
        Ok(self
            .exec(sql::MARK_REMINDED, values![now, meeting_id])
            .await?
            == 1)
    }

    async fn remind_again(&mut self, meeting_id: &str) -> Result<()> {
        self.exec(sql::REMIND_AGAIN, values![meeting_id]).await?;
        Ok(())
    }

    async fn join_url(&mut self, meeting_id: &str) -> Result<Option<String>> {
        match self.opt(sql::JOIN_URL, values![meeting_id]).await? {
            Some(r) => r.opt_text(0),
            None => Ok(None),
        }
    }

    async fn set_join_url(&mut self, meeting_id: &str, url: &str, now: i64) -> Result<()> {
        self.exec(sql::SET_JOIN_URL, values![url, now, meeting_id])
            .await?;
        Ok(())
    }

    async fn revise_registered(&mut self, meeting_id: &str, now: i64) -> Result<usize> {
        let registered = Standing::Registered.as_str();
        self.exec(sql::REVISE_REGISTERED, values![now, meeting_id, registered])
            .await
    }

    async fn attending(&mut self, meeting_id: &str) -> Result<Vec<(Attendee, i32, Lang)>> {
        let registered = Standing::Registered.as_str();
        all(self, sql::ATTENDING, values![meeting_id, registered], |r| {
            Ok((attendee(r, 0)?, r.int(4)?, Lang::from_code(&r.text(5)?)))
        })
        .await
    }

    async fn delete_decided_applications(&mut self, before: i64) -> Result<usize> {
        self.exec(sql::DELETE_DECIDED_APPLICATIONS, values![before])
            .await
    }

    async fn enqueue(
        &mut self,
        meeting_id: &str,
        mails: &[Mail],
        now: i64,
        cause: outbox::Cause,
    ) -> Result<()> {
        Conn::write_mails(self, meeting_id, mails, now, cause).await
    }

    async fn held_mails(&mut self, meeting_id: &str, limit: i64) -> Result<Vec<HeldMail>> {
        all(self, sql::HELD_MAILS, values![meeting_id, limit], |r| {
            Ok(HeldMail {
                to: r.text(0)?,
                subject: r.text(1)?,
                held_at: r.int(2)?,
            })
        })
        .await
    }

    async fn claim_mail(&mut self, now: i64, lease: i64, limit: i64) -> Result<Vec<Queued>> {
        // Several instances' workers claim side by side: each skips the rows another holds.
        let [select, update] = sql::CLAIM_MAIL;
        let sql = format!("{}{update}", locking::<C>(select, "FOR UPDATE SKIP LOCKED"));
        let mut claimed = all(self, &sql, values![now, lease, limit], |r| {
            Ok(outbox::queued(
                r.int(0)?,
                r.int(8)?,
                [r.text(1)?, r.text(2)?, r.text(3)?, r.text(4)?],
                r.opt_text(5)?,
                r.opt_text(6)?,
                r.int(7)?,
            ))
        })
        .await?;
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    async fn mail_sent(&mut self, id: i64, claim: i64, now: i64) -> Result<()> {
        self.exec(sql::MAIL_SENT, values![now, id, claim]).await?;
        Ok(())
    }

    async fn mail_failed(&mut self, f: &Failed<'_>) -> Result<()> {
        let values = values![f.attempts, f.next, f.error, f.give_up, f.id, f.claim];
        self.exec(sql::MAIL_FAILED, values).await?;
        Ok(())
    }
}

/// Attendees inserted one statement each, in order (SQLite: no arrays, and in process a
/// statement costs no round trip). See [`Tx::insert_attendees`].
pub(super) async fn insert_attendees_one_by_one<C: Conn>(
    c: &mut C,
    at: &Placing<'_>,
    attendees: &[Attendee],
) -> Result<Vec<Option<(i64, i32)>>> {
    let mut stored = Vec::with_capacity(attendees.len());
    for a in attendees {
        let key = tilmelding_domain::registration::email_key(&a.email);
        let values = values![
            at.submission,
            at.meeting_id,
            at.network,
            at.municipality_code,
            &a.name,
            &a.email,
            &key,
            &a.title,
            &a.department,
            at.status.as_str(),
            at.now,
        ];
        let row = c.opt(sql::INSERT_ATTENDEE, values).await?;
        let stored_row = |r: Record| -> Result<(i64, i32)> { Ok((r.int(0)?, r.int(1)?)) };
        stored.push(row.map(stored_row).transpose()?);
    }
    Ok(stored)
}

/// Mails written one statement each (see [`insert_attendees_one_by_one`]). See [`Tx::enqueue`].
pub(super) async fn enqueue_one_by_one<C: Conn>(
    c: &mut C,
    meeting_id: &str,
    mails: &[Mail],
    now: i64,
    cause: outbox::Cause,
) -> Result<()> {
    let (public, cap) = cause.columns();
    for (position, m) in (0_i64..).zip(mails) {
        let (method, ics) = m.calendar.as_ref().map(|(m, f)| (m.name(), f)).unzip();
        let values = values![
            meeting_id, now, &m.to, &m.subject, &m.text, &m.html, ics, method, position, public,
            cap
        ];
        c.exec(sql::ENQUEUE, values).await?;
    }
    Ok(())
}
