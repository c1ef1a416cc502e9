//! Turning what the learner typed into a replica's text box into text updates: the changed
//! middle between the old and the new text becomes a delete and an insertion at character
//! positions (what an editor would send).

use scenario::crdt_lab::{MAX_TYPED_CHARS, Update};

/// The updates that turn `old` into `new`: delete the changed middle, type the new middle (in
/// chunks of at most [`MAX_TYPED_CHARS`]). Empty when nothing changed.
pub fn text_edits(old: &str, new: &str) -> Vec<Update> {
    let old: Vec<char> = old.chars().collect();
    let new: Vec<char> = new.chars().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = old.len() - prefix - suffix;
    let typed = &new[prefix..new.len() - suffix];
    let mut updates = Vec::new();
    let mut left = removed;
    while left > 0 {
        let len = left.min(MAX_TYPED_CHARS);
        updates.push(Update::Erase {
            pos: prefix as u32,
            len: len as u32,
        });
        left -= len;
    }
    for (i, chunk) in typed.chunks(MAX_TYPED_CHARS).enumerate() {
        updates.push(Update::Type {
            pos: (prefix + i * MAX_TYPED_CHARS) as u32,
            text: chunk.iter().collect(),
        });
    }
    updates
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies updates to a plain string, as the text CRDT would at one replica.
    fn apply(text: &str, updates: &[Update]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for u in updates {
            match u {
                Update::Erase { pos, len } => {
                    chars.drain(*pos as usize..(*pos + *len) as usize);
                }
                Update::Type { pos, text } => {
                    let at = *pos as usize;
                    chars.splice(at..at, text.chars());
                }
                other => panic!("not a text update: {other:?}"),
            }
        }
        chars.into_iter().collect()
    }

    #[test]
    fn typing_deleting_and_replacing_become_minimal_updates() {
        assert_eq!(text_edits("abc", "abc"), []);
        assert_eq!(
            text_edits("Hello", "Hello!"),
            [Update::Type {
                pos: 5,
                text: "!".into()
            }]
        );
        assert_eq!(
            text_edits("Hello", "Hllo"),
            [Update::Erase { pos: 1, len: 1 }]
        );
        assert_eq!(
            text_edits("cat", "cut"),
            [
                Update::Erase { pos: 1, len: 1 },
                Update::Type {
                    pos: 1,
                    text: "u".into()
                }
            ]
        );
    }

    #[test]
    fn edits_reproduce_the_new_text_including_long_pastes_and_unicode() {
        let long: String = "λ".repeat(MAX_TYPED_CHARS * 2 + 7);
        for (old, new) in [
            ("", "héllo wörld"),
            ("héllo wörld", ""),
            ("aaaa", "aa"),
            ("abcabc", "abXYZc"),
            ("x", long.as_str()),
            (long.as_str(), "y"),
        ] {
            let updates = text_edits(old, new);
            assert_eq!(apply(old, &updates), new, "{old:?} → {new:?}");
            for u in &updates {
                scenario::crdt_lab::CrdtType::Text
                    .check(u)
                    .expect("every update is within the limits");
            }
        }
    }
}
