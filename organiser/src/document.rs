//! A meeting document as the editor holds it: JSON, so that whatever the organiser types is kept
//! as typed (a date half written too), and the domain reads it as the server will, naming the
//! field of a mistake by its path (`programme[2].start`), which is also how the editor finds
//! the field to show it at.

use serde_json::{Map, Value, json};
use tilmelding_domain::Meeting;
use tilmelding_domain::meeting::MeetingError;

/// One step of a field path: a member, or a place in a list.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `programme[2].start` as its steps.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Step::Index(i));
            }
        }
    }
    out
}

/// The value at a field path, if there is one.
pub fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path).into_iter().try_fold(doc, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// The text at a field path: a text as it is, a number written out, nothing as empty.
pub fn text(doc: &Value, path: &str) -> String {
    match get(doc, path) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Puts a value at a field path, making the objects on the way; `None` removes it (an optional
/// field left empty is absent from the document, as in a meeting file).
pub fn set(doc: &mut Value, path: &str, value: Option<Value>) {
    let steps = steps(path);
    let Some((last, before)) = steps.split_last() else {
        return;
    };
    let mut at = doc;
    for step in before {
        at = match step {
            Step::Key(k) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                at.as_object_mut()
                    .map(|o| o.entry(*k).or_insert(Value::Null))
                    .expect("an object")
            }
            Step::Index(i) => match at.get_mut(*i) {
                Some(v) => v,
                None => return,
            },
        };
    }
    match (last, value) {
        (Step::Key(k), Some(v)) => {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            if let Some(o) = at.as_object_mut() {
                o.insert((*k).to_owned(), v);
            }
        }
        (Step::Key(k), None) => {
            if let Some(o) = at.as_object_mut() {
                o.remove(*k);
            }
        }
        (Step::Index(i), v) => {
            if let Some(slot) = at.get_mut(*i) {
                *slot = v.unwrap_or(Value::Null);
            }
        }
    }
}

/// The element id of the field at a path (`m-programme-2-start`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("m-");
    for c in path.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => id.push(c),
            _ if !id.ends_with('-') => id.push('-'),
            _ => {}
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// A list of texts as one text: paragraphs apart by a blank line, or lines.
pub fn joined(doc: &Value, path: &str, paragraphs: bool) -> String {
    let sep = if paragraphs { "\n\n" } else { "\n" };
    get(doc, path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(sep)
        })
        .unwrap_or_default()
}

/// One text as a list: the paragraphs (apart by a blank line) or the lines, trimmed, the empty
/// ones left out.
pub fn split(text: &str, paragraphs: bool) -> Value {
    let parts: Vec<String> = if paragraphs {
        let mut parts = vec![String::new()];
        for line in text.lines() {
            if line.trim().is_empty() {
                parts.push(String::new());
            } else if let Some(last) = parts.last_mut() {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(line.trim());
            }
        }
        parts
    } else {
        text.lines().map(|l| l.trim().to_owned()).collect()
    };
    Value::from(
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>(),
    )
}

/// A programme item's speakers as lines: "Name, Organisation", or the organisation alone.
pub fn speakers_text(doc: &Value, path: &str) -> String {
    get(doc, path)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|s| {
                    let org = s.get("organisation").and_then(Value::as_str).unwrap_or("");
                    match s.get("name").and_then(Value::as_str) {
                        Some(name) => format!("{name}, {org}"),
                        None => org.to_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Lines of speakers as the document's list: the text before the first comma is the name.
pub fn speakers(text: &str) -> Value {
    Value::from(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once(',') {
                Some((name, org)) => json!({"name": name.trim(), "organisation": org.trim()}),
                None => json!({ "organisation": l }),
            })
            .collect::<Vec<_>>(),
    )
}

/// A new programme item: a talk, its title to write.
pub fn new_item() -> Value {
    json!({"kind": "talk", "title": ""})
}

/// A new meeting's document: the network of the meeting it starts from (if any), a virtual
/// venue, one programme item, and every text to write.
pub fn blank(network: Option<&Value>) -> Value {
    json!({
        "id": "",
        "network": network.cloned().unwrap_or_else(|| json!({"id": "", "name": ""})),
        "title": "",
        "theme": "",
        "date": "",
        "start": "",
        "end": "",
        "venue": {"kind": "virtual", "note": ""},
        "programme": [new_item()],
        "registration": {"privacy": {"text": "", "url": ""}},
    })
}

/// The document as the domain reads it, with the rules a meeting the organiser writes must
/// keep: the meeting, or the first mistake at its field.
pub fn check(doc: &Value) -> Result<Meeting, MeetingError> {
    let meeting = Meeting::from_json(&doc.to_string())?;
    meeting.check_edit()?;
    Ok(meeting)
}
