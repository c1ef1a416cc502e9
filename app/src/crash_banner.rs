//! What the user sees when the app panics: a visible banner instead of a silently dead page.

use wasm_bindgen::JsCast;

/// The `id` of the banner element, so it is shown once however many panics follow.
pub const BANNER_ID: &str = "crash-banner";

/// Installs a panic hook that logs the panic to the console and shows [`show_banner`].
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner();
    }));
}

/// Puts a "Something went wrong" alert at the top of the page; does nothing without a DOM.
///
/// Only plain DOM calls: after a panic the reactive system may be in any state.
pub fn show_banner() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.get_element_by_id(BANNER_ID).is_some() {
        return;
    }
    let element = |tag: &str, text: &str| {
        let element = document.create_element(tag).ok()?;
        element.set_text_content(Some(text));
        Some(element)
    };
    let build = || -> Option<web_sys::Element> {
        let banner = document.create_element("div").ok()?;
        banner.set_id(BANNER_ID);
        banner.set_attribute("role", "alert").ok()?;
        let headline = element("strong", "Something went wrong.")?;
        banner.append_child(&headline).ok()?;
        let explanation = document.create_text_node(
            " Continuum stopped because of a bug (details are in the browser console). ",
        );
        banner.append_child(&explanation).ok()?;
        let reload = element("a", "Reload the page")?;
        reload.set_attribute("href", "").ok()?;
        banner.append_child(&reload).ok()?;
        Some(banner)
    };
    if let (Some(banner), Some(body)) = (build(), document.body()) {
        let _ = body.prepend_with_node_1(banner.unchecked_ref());
    }
}
