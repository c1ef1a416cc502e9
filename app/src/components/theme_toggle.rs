//! The theme switch: follow the system, or force light or dark. The choice is kept in
//! `localStorage` and applied as `data-theme` on `<html>`, which the CSS and the canvases read.

use leptos::prelude::*;

/// The user's theme choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow `prefers-color-scheme`.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// The stored value (`None` for the system default).
    pub fn stored(self) -> Option<&'static str> {
        match self {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some("light"),
            ThemeChoice::Dark => Some("dark"),
        }
    }
    /// Parses a stored value; anything unknown means the system default.
    pub fn from_stored(value: Option<&str>) -> ThemeChoice {
        match value {
            Some("light") => ThemeChoice::Light,
            Some("dark") => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }
    /// The next choice when the button is pressed.
    pub fn next(self) -> ThemeChoice {
        match self {
            ThemeChoice::System => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::System,
        }
    }
    /// What the button says.
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }
}

const STORAGE_KEY: &str = "continuum-theme";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn apply(choice: ThemeChoice) {
    if let Some(root) = document().document_element() {
        let _ = match choice.stored() {
            Some(value) => root.set_attribute("data-theme", value),
            None => root.remove_attribute("data-theme"),
        };
    }
    if let Some(s) = storage() {
        let _ = match choice.stored() {
            Some(value) => s.set_item(STORAGE_KEY, value),
            None => s.remove_item(STORAGE_KEY),
        };
    }
}

/// A button cycling system → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let initial = ThemeChoice::from_stored(
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .as_deref(),
    );
    apply(initial);
    let (choice, set_choice) = signal(initial);
    let on_click = move |_| {
        let next = choice.get_untracked().next();
        apply(next);
        set_choice.set(next);
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            on:click=on_click
            title="Switch between the system's theme, light and dark"
        >
            {move || choice.get().label()}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_cycles_through_all_three_and_round_trips_storage() {
        let mut c = ThemeChoice::System;
        for _ in 0..3 {
            assert_eq!(ThemeChoice::from_stored(c.stored()), c);
            c = c.next();
        }
        assert_eq!(c, ThemeChoice::System);
        assert_eq!(
            ThemeChoice::from_stored(Some("purple")),
            ThemeChoice::System
        );
    }
}
