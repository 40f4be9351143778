"""schemathesis hooks for the contract run (e2e/tests/contract.rs).

Browsers post Content-Security-Policy reports as JSON under their own media type,
`application/csp-report`, which schemathesis does not know how to write.
"""
import json

import schemathesis


@schemathesis.serializer("application/csp-report")
def csp_report(ctx, value):
    return json.dumps(value).encode()


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """An e-mail may appear once per submission (compared trimmed and case-insensitively), a
    rule JSON Schema cannot state. Later repeats get a distinct local part, so positive cases
    stay positive. Done before the call, so that every phase (the coverage phase bypasses the
    generation hooks) gets it; schemathesis checks the changed body against the schema again.
    """
    body = case.body
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
