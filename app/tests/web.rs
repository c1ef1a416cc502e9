//! Browser tests in headless Chromium (`cargo xtask test` runs them through
//! wasm-bindgen-test-runner and chromedriver): the app's components, and the crates' committed
//! trace hashes compiled to WebAssembly (`web/determinism.rs`). They are one test binary, so the
//! wasm32 debug build of the workspace is made and linked once.
#![cfg(target_arch = "wasm32")]

#[path = "web/determinism.rs"]
mod determinism;

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a browser document")
}

/// A new, empty `<div>` appended to the body, to mount a component into.
fn fresh_container() -> HtmlElement {
    let document = document();
    let container: HtmlElement = document
        .create_element("div")
        .expect("create a div")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("append the container");
    container
}

fn text_of(container: &HtmlElement, selector: &str) -> String {
    container
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

fn set_hash(hash: &str) {
    web_sys::window()
        .expect("a window")
        .location()
        .set_hash(hash)
        .expect("set location.hash");
}

/// Lets the browser run events and the reactive system settle until `done` holds (up to 2 s).
async fn settle_until(done: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        TimeoutFuture::new(20).await;
    }
    done()
}

#[wasm_bindgen_test]
async fn app_shows_the_header_and_follows_hash_routes() {
    set_hash("#/");
    TimeoutFuture::new(20).await;
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), app::App);

    let header = text_of(&container, "header");
    assert!(header.contains("Continuum"), "header text: {header:?}");
    let nav = text_of(&container, "header nav");
    assert!(
        nav.contains("Labs") && nav.contains("Network & broadcast") && nav.contains("About"),
        "nav text: {nav:?}"
    );
    assert_eq!(text_of(&container, "main h1"), "Continuum");

    set_hash("#/about");
    assert!(
        settle_until(|| text_of(&container, "main h1") == "About Continuum").await,
        "after #/about the heading is {:?}",
        text_of(&container, "main h1")
    );
    let current = container
        .query_selector("nav a[aria-current=page]")
        .ok()
        .flatten()
        .and_then(|link| link.text_content());
    assert_eq!(current.as_deref().map(str::trim), Some("About"));
    assert_eq!(document().title(), "About · Continuum");

    set_hash("#/nowhere");
    assert!(settle_until(|| text_of(&container, "main h1") == "Page not found").await);

    set_hash("#/");
    assert!(settle_until(|| text_of(&container, "main h1") == "Continuum").await);

    drop(mounted);
    container.remove();
}

#[wasm_bindgen_test]
fn crash_banner_is_shown_once() {
    app::crash_banner::show_banner();
    app::crash_banner::show_banner();
    let banners = document()
        .query_selector_all(&format!("#{}", app::crash_banner::BANNER_ID))
        .expect("query the banner");
    assert_eq!(banners.length(), 1);
    let banner = document()
        .get_element_by_id(app::crash_banner::BANNER_ID)
        .expect("the banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(
        text.contains("Something went wrong"),
        "banner text: {text:?}"
    );
    banner.remove();
}

fn attribute_of(container: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    container
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.get_attribute(name))
}

/// The button whose text is exactly `label`.
fn button(container: &HtmlElement, label: &str) -> Option<HtmlElement> {
    let buttons = container.query_selector_all("button").ok()?;
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().is_some_and(|t| t.trim() == label))
}

#[wasm_bindgen_test]
async fn the_network_lab_steps_a_moment_at_a_time() {
    set_hash("#/lab/network");
    TimeoutFuture::new(20).await;
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), app::App);
    assert!(
        settle_until(|| container
            .query_selector("canvas.lab-canvas")
            .ok()
            .flatten()
            .is_some())
        .await,
        "the live view's canvas is there"
    );
    let label = attribute_of(&container, "canvas.lab-canvas", "aria-label").unwrap_or_default();
    assert!(label.contains("25 nodes"), "canvas label: {label:?}");
    for name in ["Play", "Step", "Reset", "Run to end", "Share"] {
        assert!(button(&container, name).is_some(), "no {name} button");
    }
    assert!(
        container
            .query_selector("#lab-speed")
            .ok()
            .flatten()
            .is_some()
    );
    assert!(
        container
            .query_selector("#lab-preset")
            .ok()
            .flatten()
            .is_some()
    );

    let events = || attribute_of(&container, "#lab-status", "data-events").unwrap_or_default();
    let time = || attribute_of(&container, "#lab-status", "data-sim-time-ns").unwrap_or_default();
    assert_eq!(events(), "0");
    // One press runs the whole first moment: every start and the broadcast at time zero.
    button(&container, "Step").expect("a Step button").click();
    assert!(
        settle_until(|| events().parse::<u64>().is_ok_and(|n| n > 1)).await,
        "events: {}",
        events()
    );
    assert_eq!(time(), "0", "the starts all happen at time zero");
    let first = events();
    // The next press moves the clock to the next moment.
    button(&container, "Step").expect("a Step button").click();
    assert!(
        settle_until(|| time() != "0").await,
        "time: {}, events: {} (after {first})",
        time(),
        events()
    );

    drop(mounted);
    container.remove();
    set_hash("#/");
}

#[wasm_bindgen_test]
async fn a_broken_share_link_shows_an_alert_and_loads_the_default() {
    set_hash("#s=1.this-is-not-a-scenario");
    TimeoutFuture::new(20).await;
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), app::App);
    assert!(
        settle_until(|| text_of(&container, ".lab-alert").contains("could not be opened")).await,
        "no alert; page: {:?}",
        text_of(&container, "main")
    );
    let alert = text_of(&container, ".lab-alert");
    assert!(
        alert.contains("The default scenario was loaded instead."),
        "{alert:?}"
    );
    assert_eq!(
        attribute_of(&container, ".lab-alert", "role").as_deref(),
        Some("alert")
    );
    let label = attribute_of(&container, "canvas.lab-canvas", "aria-label").unwrap_or_default();
    assert!(label.contains("25 nodes"), "canvas label: {label:?}");
    drop(mounted);
    container.remove();
    set_hash("#/");
}

#[wasm_bindgen_test]
async fn the_crdt_lab_shows_every_replica_and_acts_on_the_selected_one() {
    set_hash("#/lab/crdt");
    TimeoutFuture::new(20).await;
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), app::App);
    let cards = || {
        container
            .query_selector_all(".replica-card")
            .map(|l| l.length())
            .unwrap_or(0)
    };
    assert!(
        settle_until(|| cards() == 5).await,
        "five replica panels, found {}",
        cards()
    );
    let value = || text_of(&container, ".replica-card .replica-value");
    assert_eq!(value(), "{}", "replica 0 starts empty");
    let events = || attribute_of(&container, "#lab-status", "data-events").unwrap_or_default();
    button(&container, "Step").expect("a Step button").click();
    assert!(
        settle_until(|| events() != "0" && !events().is_empty()).await,
        "events: {}",
        events()
    );

    // Replica 0 is selected from the start: add an element to it, applied at once.
    let input: web_sys::HtmlInputElement = container
        .query_selector("#crdt-element")
        .ok()
        .flatten()
        .expect("the element field")
        .unchecked_into();
    input.set_value("kiwi");
    input
        .dispatch_event(&web_sys::Event::new("input").expect("an input event"))
        .expect("dispatch input");
    button(&container, "Add").expect("an Add button").click();
    assert!(
        settle_until(|| value() == "{\"kiwi\"}").await,
        "replica 0 holds {}",
        value()
    );
    let status = text_of(&container, ".lab-actions [role=status]");
    assert!(status.contains("r0: add “kiwi”"), "status: {status:?}");

    drop(mounted);
    container.remove();
    set_hash("#/");
}
