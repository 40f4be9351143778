"""schemathesis hooks for the contract run (e2e/tests/contract.rs).

Browsers post Content-Security-Policy reports as JSON under their own media type,
`application/csp-report`, which schemathesis does not know how to write.
"""
import calendar
import json
import re

import schemathesis


@schemathesis.serializer("application/csp-report")
def csp_report(ctx, value):
    return json.dumps(value).encode()


DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})")
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def real_day(text):
    """A date (or the date of a date and time) the pattern allows but the calendar does not
    have (30 February), moved to the month's last day: a rule JSON Schema cannot state."""
    m = DATE.match(text) if isinstance(text, str) else None
    if not m:
        return text
    year, month, day = (int(g) for g in m.groups())
    last = calendar.monthrange(max(year, 1), month)[1] if 1 <= month <= 12 else day
    if day <= last:
        return text
    return f"{m.group(1)}-{m.group(2)}-{last:02d}" + text[10:]


def in_order(item):
    """Times the pattern allows put in order: a meeting, and each programme item with both
    times, ends after it starts (a rule across two fields)."""
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, str) and isinstance(end, str) and TIME.match(start) and TIME.match(end)):
        return
    if end < start:
        item["start"], item["end"] = end, start
    elif end == start:
        item["start"], item["end"] = "00:00", "23:59"


def a_meeting_the_domain_takes(case, body):
    """A meeting document's rules across fields, or of the calendar: real days, times in
    order, and on a PUT the id it is kept under (an id stays what it was made with)."""
    if "date" in body:
        body["date"] = real_day(body["date"])
    if isinstance(body.get("programme"), list):
        in_order(body)
        for item in body["programme"]:
            if isinstance(item, dict):
                in_order(item)
    registration = body.get("registration")
    if isinstance(registration, dict) and "deadline" in registration:
        registration["deadline"] = real_day(registration["deadline"])
    if case.method.upper() == "PUT" and "meetingId" in (case.path_parameters or {}):
        if isinstance(body.get("id"), str) and re.match(r"^[A-Za-z0-9_-]+$", body["id"]):
            body["id"] = case.path_parameters["meetingId"]


def a_membership_the_domain_takes(body):
    """A period's rules across fields, or of the calendar: real days, the end not before the
    start; and a renewal reaching forward."""
    for key in ("valid_from", "valid_until"):
        if isinstance(body.get(key), str):
            body[key] = real_day(body[key])
    start, end = body.get("valid_from"), body.get("valid_until")
    if isinstance(start, str) and isinstance(end, str) and DATE.match(start) and DATE.match(end) and end < start:
        body["valid_from"], body["valid_until"] = end, start
    starts = body.get("starts")
    if isinstance(starts, str) and re.match(r"^[0-9]{2}-[0-9]{2}$", starts):
        # A membership year starts on a day every year has: 29 February is not one.
        fixed = real_day("2021-" + starts)[5:]
        body["starts"] = fixed
    years = body.get("from_year"), body.get("to_year")
    if all(isinstance(y, int) and not isinstance(y, bool) for y in years) and years[1] <= years[0]:
        body["from_year"], body["to_year"] = min(years), max(years)
        if body["from_year"] == body["to_year"]:
            if body["to_year"] < 2100:
                body["to_year"] += 1
            else:
                body["from_year"] -= 1


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """An e-mail may appear once per submission (compared trimmed and case-insensitively), a
    rule JSON Schema cannot state. Later repeats get a distinct local part, so positive cases
    stay positive. Done before the call, so that every phase (the coverage phase bypasses the
    generation hooks) gets it; schemathesis checks the changed body against the schema again.
    """
    body = case.body
    if isinstance(body, dict) and "/members" in case.path:
        a_membership_the_domain_takes(body)
        case.body = body
        return
    if isinstance(body, dict) and "/organiser/meetings" in case.path and "/messages" not in case.path:
        a_meeting_the_domain_takes(case, body)
        case.body = body
        return
    attendees = body.get("attendees") if isinstance(body, dict) else None
    action = body.get("action") if isinstance(body, dict) else None
    if attendees is None and isinstance(action, dict):
        # A change through a manage link that adds attendees.
        attendees = action.get("attendees")
    if not isinstance(attendees, list):
        return
    seen, changed = set(), False
    for i, a in enumerate(attendees):
        if isinstance(a, dict) and isinstance(a.get("email"), str):
            if a["email"].strip().lower() in seen:
                a["email"] = f"{i}.{a['email']}"
                changed = True
            seen.add(a["email"].strip().lower())
    if changed:
        case.body = body
