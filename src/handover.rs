//! The pre-rendered widget handed over to the app. The loader (`embed.js`) may have shown the
//! meeting's widget pre-rendered (see `prerender` in the server's build): the programme and a
//! picker the visitor can already type in. The app renders beside it, hidden, and once it has
//! the meeting on screen it takes the early widget's place within one frame: no flash, no
//! layout shift, and what was typed into the picker (with the focus and the caret) carried
//! over.

use tilmelding_domain::Lang;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

/// The attribute the pre-rendered widget carries (written by `prerender`, read by the loader).
pub const MARK: &str = "data-tlm-prerendered";

/// The picker's id, in both widgets.
pub const PICKER: &str = "tlm-kommune";

/// One widget's early markup and the app's element that replaces it.
#[derive(Clone)]
pub struct Handover {
    root: ShadowRoot,
    app: HtmlElement,
}

impl Handover {
    /// Hides `app` behind the early widget, if the loader showed one in `root`.
    pub fn begin(root: &ShadowRoot, app: &HtmlElement) -> Option<Handover> {
        root.query_selector(&format!("[{MARK}]")).ok().flatten()?;
        app.set_hidden(true);
        Some(Handover {
            root: root.clone(),
            app: app.clone(),
        })
    }

    fn picker(&self) -> Option<HtmlInputElement> {
        self.root
            .get_element_by_id(PICKER)
            .and_then(|e| e.dyn_into().ok())
    }

    /// The early widget shown now: the loader replaces it when the visitor switches its
    /// language.
    fn early(&self) -> Option<Element> {
        self.root
            .query_selector(&format!("[{MARK}]"))
            .ok()
            .flatten()
    }

    /// Puts the app in the early widget's place, keeping what was typed, and answers the
    /// language the visitor was reading it in (they may have switched it before the app came),
    /// for the app to go on in. Called once the app has rendered the meeting (or its error); a
    /// second call does nothing.
    pub fn finish(&self) -> Option<Lang> {
        let early = self.early()?;
        let lang = early.get_attribute("lang").map(|l| Lang::from_code(&l));
        // The early picker comes first in the tree, so the id finds it until it is gone.
        let typed = self.picker().map(|input| {
            let focused = self
                .root
                .active_element()
                .is_some_and(|a| a == *input.unchecked_ref::<Element>());
            let caret = (
                input.selection_start().ok().flatten(),
                input.selection_end().ok().flatten(),
            );
            (input.value(), focused, caret)
        });
        // The visitor who just switched the language goes on from the app's switch.
        let on_switch = self
            .root
            .active_element()
            .and_then(|a| a.closest(".tlm-lang").ok().flatten())
            .is_some();
        early.remove();
        self.app.set_hidden(false);
        if on_switch && let Ok(Some(switch)) = self.app.query_selector(".tlm-lang button") {
            let _ = switch.unchecked_into::<HtmlElement>().focus();
        }
        let (Some((text, focused, (start, end))), Some(input)) = (typed, self.picker()) else {
            return lang;
        };
        if !text.is_empty() {
            input.set_value(&text);
            // The picker's own handler takes the text, as if it had been typed here.
            if let Ok(ev) = web_sys::Event::new("input") {
                let _ = input.dispatch_event(&ev);
            }
        }
        if focused {
            let _ = input.focus();
            if let (Some(s), Some(e)) = (start, end) {
                let _ = input.set_selection_range(s, e);
            }
        }
        lang
    }
}
