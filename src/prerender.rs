//! The programme as HTML before the wasm arrives, rendered natively by the widget's own
//! components with Leptos's server-side rendering: no second renderer and no copy of the
//! markup. The reference server serves it beside each meeting file (`<id>.html`, and
//! `<id>.en.html` in English); `tilmelding-server prerender DIR` writes the same files next to
//! each meeting file for a static host. `embed.js` shows it inside the widget's shadow root
//! while the wasm downloads, and the app takes its place in one frame (see `crate::handover`).
//!
//! Only what needs no browser is rendered ([`PublicPage`]): the language switch, the programme,
//! and the registration's heading, rules and municipality picker (a plain text field until the
//! app runs, so a name typed early is kept), or the note that registration has closed.
//!
//! # The handover's contract
//!
//! Three parties meet in the widget's shadow root: this page, the loader (`embed.js`, plain
//! JavaScript, so that it can speak when the wasm cannot run) and the app
//! (`crate::handover`). They agree on these names, and the tests below hold the loader to them:
//! - the files: `<id>.json`'s widget is [`file_name`] beside it, `<id>` and [`suffix`]
//!   (`.html`, `.en.html`); the loader asks for the one in its host element's `data-lang`;
//! - the mark: the pre-rendered root carries [`crate::handover::MARK`] until the app has taken
//!   its place; the loader shows a page only if it has the mark, puts its fallback message in
//!   place of the picker and removes the mark when the wasm cannot run, and leaves a root
//!   without it alone (the app's own);
//! - the picker: [`crate::handover::PICKER`] is the text field in both widgets; the loader
//!   carries its value over when the language switch fetches the other page, and the app
//!   carries the value, the focus and the caret over when it takes the page's place;
//! - the classes the loader reaches for: `.tlm-root` (either widget's root), `.tlm-boot` (its
//!   own loading text and fallback), `.tlm-registration` (left out of a manage link's page) and
//!   `.tlm-lang button` (the language switch).

use crate::components::public::PublicPage;
use crate::i18n::Lang;
use leptos::prelude::*;
use tilmelding_domain::Meeting;

/// The meeting's pre-rendered widget in one language, as it stands at `now` (Unix seconds):
/// open for registration or closed.
pub fn page(meeting: &Meeting, lang: Lang, now: i64) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(RwSignal::new(lang));
        view! {
            <div class="tlm-root" part="root" lang=lang.code() data-tlm-prerendered="">
                <PublicPage meeting=meeting.clone() now/>
            </div>
        }
        .to_html()
    })
}

/// The file name of a meeting's pre-rendered widget in a language, beside `<id>.json`.
pub fn file_name(id: &str, lang: Lang) -> String {
    format!("{id}{}", suffix(lang))
}

/// What follows a meeting's id in its pre-rendered widget's file name, per language.
pub fn suffix(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => ".html",
        Lang::En => ".en.html",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handover::MARK;

    fn meeting() -> Meeting {
        serde_json::from_str(include_str!("../meetings/knub-2021-05-17.json")).unwrap()
    }

    #[test]
    fn the_programme_and_the_picker_are_rendered_while_registration_is_open() {
        let m = meeting();
        let html = page(&m, Lang::Da, m.closes() - 86_400 * 30);
        assert!(html.starts_with("<div ") && html.contains("class=\"tlm-root\""));
        assert!(html.contains(MARK));
        assert!(html.contains(&m.title));
        assert!(html.contains("id=\"tlm-kommune\""), "the picker: {html}");
        assert!(html.contains(">English</button>"), "the switch: {html}");
        for item in &m.programme {
            assert!(
                html.contains(&item.title.replace('&', "&amp;")),
                "{}",
                item.title
            );
        }
    }

    #[test]
    fn a_closed_meeting_gets_the_note_in_place_of_the_picker_and_english_its_labels() {
        let m = meeting();
        let html = page(&m, Lang::En, m.closes() + 60);
        assert!(!html.contains("tlm-kommune"), "{html}");
        assert!(html.contains("lang=\"en\""));
        assert!(html.contains(">Dansk</button>"));
        assert_eq!(file_name(&m.id, Lang::En), format!("{}.en.html", m.id));
    }

    /// The loader speaks the contract's names (see the module's comment): the mark, the picker,
    /// the files and the classes, as the page and the app write them.
    #[test]
    fn the_loader_uses_the_names_of_the_page_and_the_app() {
        use crate::handover::PICKER;
        let loader = include_str!("../embed.js");
        let m = meeting();
        let html = page(&m, Lang::Da, m.closes() - 86_400 * 30);
        for name in [
            format!("'{MARK}'"),
            format!("[{MARK}]"),
            format!("'#{PICKER}'"),
            format!("getElementById('{PICKER}')"),
            format!("en ? '{}' : '{}'", suffix(Lang::En), suffix(Lang::Da)),
        ] {
            assert!(loader.contains(&name), "embed.js has no {name}");
        }
        assert!(html.contains(&format!("id=\"{PICKER}\"")), "{html}");
        for class in ["tlm-root", "tlm-registration", "tlm-lang"] {
            assert!(html.contains(class), "the page has no .{class}");
            assert!(
                loader.contains(&format!(".{class}")),
                "embed.js has no .{class}"
            );
        }
        // Every other spelling of the mark or the picker in the loader is one of the above.
        let marks = loader.matches("tlm-prerendered").count();
        assert_eq!(marks, loader.matches(MARK).count(), "a misspelt mark");
        let pickers = loader.matches("tlm-kommune").count();
        assert_eq!(pickers, loader.matches(PICKER).count());
    }
}
