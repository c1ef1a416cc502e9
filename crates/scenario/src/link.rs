//! The share-link codec: bytes ⇄ `s=<version>.<payload>` URL fragments.
//!
//! A share link is the page URL plus a fragment:
//!
//! ```text
//! https://example.org/continuum/#s=1.<payload>&t=1500000000
//!                                 │ │ │         └ optional: the moment to open at, in integer nanoseconds
//!                                 │ │ └ base64url, no padding, of the zlib-compressed bytes
//!                                 │ └ format version: a decimal u16
//!                                 └ the scenario parameter
//! ```
//!
//! Parameters are `&`-separated `key=value` pairs in any order; `s` is required, `t` optional, and
//! any other key is an error (so a typo never silently opens a different moment).
//!
//! Decoding is total: every input, however long or damaged, yields either a value or a
//! [`LinkError`] whose message tells a non-programmer what happened and what to do. Work and
//! memory are bounded by [`LinkLimits`]: the fragment length is checked before anything else, and
//! decompression stops at [`LinkLimits::max_decompressed_bytes`], so a decompression bomb costs at
//! most that much memory.
//!
//! The zlib wrapper (RFC 1950) adds 6 bytes around the deflate stream, among them an Adler-32
//! checksum of the contents, so a link edited inside its payload is caught as corrupted instead of
//! silently opening a different scenario (raw deflate let about a third of single-character edits
//! through in a measurement over real links).

use core::fmt;
use core::ops::RangeInclusive;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::TINFLStatus;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The fragment key that carries the scenario: `s=<version>.<payload>`.
pub const SCENARIO_KEY: &str = "s";

/// The fragment key that carries the moment to open at: `t=<integer nanoseconds>`.
pub const TIME_KEY: &str = "t";

/// The fragment key that names the lab a link belongs to: `lab=<route>`. It is only a hint for
/// opening a link whose scenario cannot be decoded in the right page (see [`lab_hint`]); the
/// scenario itself names its lab.
pub const LAB_KEY: &str = "lab";

/// The longest lab hint accepted.
const MAX_LAB_HINT_CHARS: usize = 16;

/// Whether `text` is a well-formed lab hint: 1–16 ASCII lowercase letters.
fn is_lab_hint(text: &str) -> bool {
    (1..=MAX_LAB_HINT_CHARS).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase())
}

/// The lab a share-link fragment says it belongs to (`lab=<route>`), even when its scenario is
/// broken, so a damaged link still opens in its own lab with the error explained there.
///
/// ```
/// assert_eq!(scenario::link::lab_hint("#s=1.broken&lab=energy"), Some("energy"));
/// assert_eq!(scenario::link::lab_hint("s=1.broken"), None);
/// assert_eq!(scenario::link::lab_hint("s=1.x&lab=Not-A-Lab"), None);
/// ```
pub fn lab_hint(fragment: &str) -> Option<&str> {
    let fragment = fragment
        .split_once('#')
        .map_or(fragment, |(_, after)| after)
        .trim();
    parameters(fragment)
        .filter_map(|(_, part)| part.strip_prefix(LAB_KEY)?.strip_prefix('='))
        .find(|value| is_lab_hint(value))
}

/// Deflate level used when making links (miniz scale 0–10; 9 is zlib's "best").
///
/// Links are made rarely and are small, so the slowest standard level costs nothing noticeable and
/// gives the shortest links. Output is deterministic for a given `miniz_oxide` version; decoding
/// never depends on it.
const COMPRESSION_LEVEL: u8 = 9;

/// Bounds on the work and memory that opening one link may cost.
///
/// The defaults ([`LinkLimits::default`]) fit every link [`to_link`] makes: `to_link` refuses to
/// make a link that would exceed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkLimits {
    /// Most bytes accepted after `#` (the same as characters: a valid link is ASCII).
    /// Default [`LinkLimits::DEFAULT_MAX_FRAGMENT_LEN`].
    pub max_fragment_len: usize,
    /// Most bytes the payload may decompress to. Default
    /// [`LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES`].
    pub max_decompressed_bytes: usize,
}

impl LinkLimits {
    /// Default fragment limit: 64 KiB characters.
    ///
    /// Browsers open far longer URLs (Chromium caps them at 2 MiB, `kMaxURLChars`; Firefox at
    /// 1 MiB, `network.standard-url.max-length`), so this is not about browsers. It is about the
    /// places links travel: slides, chat, e-mail and issue trackers mangle or cut long URLs, and a
    /// realistic scenario with a long action log compresses to a few kilobytes. 64 KiB leaves ten
    /// times that headroom (≈ 48 KiB of compressed data) while keeping the work on a hostile link
    /// to well under a millisecond.
    pub const DEFAULT_MAX_FRAGMENT_LEN: usize = 64 * 1024;

    /// Default decompressed-size limit: 1 MiB.
    ///
    /// Deflate expands by up to ≈ 1032×, so 48 KiB of payload could otherwise claim ≈ 50 MB (and a
    /// crafted link with a raised fragment limit, gigabytes). 1 MiB is far above any real scenario
    /// (a postcard-encoded action costs about ten bytes, so it holds ≈ 100 000 actions) and small
    /// enough that even a phone tab shrugs it off.
    pub const DEFAULT_MAX_DECOMPRESSED_BYTES: usize = 1024 * 1024;

    /// The default limits, usable in `const` contexts.
    pub const DEFAULT: Self = Self {
        max_fragment_len: Self::DEFAULT_MAX_FRAGMENT_LEN,
        max_decompressed_bytes: Self::DEFAULT_MAX_DECOMPRESSED_BYTES,
    };
}

impl Default for LinkLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A share link taken apart: its format version, its decompressed bytes and its optional time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedLink {
    /// Format version from `s=<version>.`; not checked here (see [`DecodedLink::check_version`]).
    pub version: u16,
    /// The decompressed payload, at most [`LinkLimits::max_decompressed_bytes`] long.
    pub bytes: Vec<u8>,
    /// The moment to open at, from `t=`, in simulated nanoseconds.
    pub at_time_ns: Option<u64>,
}

impl DecodedLink {
    /// Fails with [`LinkError::UnknownVersion`] unless `supported` contains this link's version.
    pub fn check_version(&self, supported: RangeInclusive<u16>) -> Result<(), LinkError> {
        check_version(self.version, supported)
    }

    /// Deserializes the bytes (postcard) as a `T`; trailing bytes are an error.
    ///
    /// Use this to read older format versions into their own types before migrating them. `T`
    /// should not be recursive nor hold sequences of zero-sized values: postcard does not bound
    /// nesting depth, nor the length of a sequence whose elements take no bytes.
    pub fn contents<T: DeserializeOwned>(&self) -> Result<T, LinkError> {
        match postcard::take_from_bytes::<T>(&self.bytes) {
            Ok((value, [])) => Ok(value),
            Ok((_, rest)) => Err(LinkError::Malformed {
                detail: format!("{} unexpected bytes after the end", rest.len()),
            }),
            Err(error) => Err(LinkError::Malformed {
                detail: error.to_string(),
            }),
        }
    }
}

/// A value read from a share link by [`from_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkContents<T> {
    /// Format version the link was made with (within the range passed to [`from_link`]).
    pub version: u16,
    /// The value the link carries.
    pub value: T,
    /// The moment to open at, from `t=`, in simulated nanoseconds.
    pub at_time_ns: Option<u64>,
}

/// Why a share link could not be opened (or made). `Display` says it in words for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after `#`.
    Empty,
    /// The fragment has no `s=` parameter: it is something else (an app route such as `#/crdt`).
    NotAShareLink,
    /// `s=` is present but has nothing after it.
    EmptyScenario,
    /// The text before the `.` in `s=<version>.` is not a decimal number from 0 to 65535.
    BadVersion {
        /// The offending text (shortened if long).
        text: String,
    },
    /// The version is well-formed but this build does not open it.
    UnknownVersion {
        /// The link's version.
        found: u16,
        /// The versions this build opens.
        supported: RangeInclusive<u16>,
    },
    /// The payload contains a character that cannot be there, or ends in an impossible one.
    DamagedText {
        /// 1-based position of the character, counted from the first character after `#`.
        position: usize,
        /// The character found there.
        character: char,
    },
    /// The payload stops early: it is missing, or its length is impossible for base64.
    TruncatedData,
    /// The payload is valid base64 but not a valid zlib stream, or its checksum does not match.
    CorruptedData {
        /// The stream ended before its end marker (typical of a link cut off when copied).
        ended_early: bool,
    },
    /// The payload would decompress (or the value would serialize) to more than the limit.
    TooLarge {
        /// The limit, [`LinkLimits::max_decompressed_bytes`].
        limit_bytes: usize,
    },
    /// The fragment is longer than [`LinkLimits::max_fragment_len`].
    TooLong {
        /// The fragment's length in bytes (characters, for ASCII).
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// The bytes are not a valid value of the expected type (postcard's message), or have
    /// trailing bytes; or, when making a link, the value could not be serialized.
    Malformed {
        /// What postcard (or the trailing-bytes check) reported.
        detail: String,
    },
    /// A parameter other than `s` and `t`, or a part without `=`.
    UnknownParameter {
        /// The parameter's key, or the whole part if it has no `=` (shortened if long).
        name: String,
    },
    /// A parameter appears more than once.
    RepeatedParameter {
        /// The repeated key.
        name: String,
    },
    /// The value of `t=` is not a whole number of nanoseconds that fits in a `u64`.
    BadTime {
        /// The offending text (shortened if long).
        text: String,
    },
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const RECOPY: &str = "Copy the whole link again from where it was shared.";
        match self {
            Self::Empty => write!(
                f,
                "The link has nothing after '#': there is no scenario in it to open."
            ),
            Self::NotAShareLink => write!(
                f,
                "The part of the link after '#' is not a Continuum share link \
                 (share links contain 's=', as in '#s=1.…')."
            ),
            Self::EmptyScenario => write!(
                f,
                "The link's scenario ('s=') is empty: the link was probably cut off when it was \
                 copied. {RECOPY}"
            ),
            Self::BadVersion { text } => write!(
                f,
                "The link's format number ('s={text}…') is not a number from 0 to 65535, so the \
                 link is damaged: share links start with 's=', a number, and a dot, as in \
                 '#s=1.…'. {RECOPY}"
            ),
            Self::UnknownVersion { found, supported } => {
                let opens = VersionRange(supported);
                if supported.is_empty() {
                    write!(f, "This build of Continuum opens no share-link formats.")
                } else if found > supported.end() {
                    write!(
                        f,
                        "This link was made by a newer Continuum (link format {found}); this one \
                         opens {opens}. Open the link in an up-to-date Continuum."
                    )
                } else {
                    write!(
                        f,
                        "This link uses link format {found}, which is too old for this Continuum \
                         (it opens {opens}). Open it with an older Continuum and share it again."
                    )
                }
            }
            Self::DamagedText {
                position,
                character,
            } => write!(
                f,
                "The link is damaged at character {position} after '#': {character:?} does not \
                 belong there. It was probably changed or cut off when it was copied (some chat \
                 and e-mail programs do this). {RECOPY}"
            ),
            Self::TruncatedData => write!(
                f,
                "The link's scenario data stops too early: the link was probably cut off when it \
                 was copied. {RECOPY}"
            ),
            Self::CorruptedData { ended_early: true } => write!(
                f,
                "The link's scenario data stops before its end: the link was probably cut off \
                 when it was copied. {RECOPY}"
            ),
            Self::CorruptedData { ended_early: false } => write!(
                f,
                "The link's scenario data is corrupted and cannot be unpacked: the link was \
                 probably changed when it was copied. {RECOPY}"
            ),
            Self::TooLarge { limit_bytes } => write!(
                f,
                "The scenario is larger than {}, the most a share link may hold. A link this \
                 large is damaged or was made to overload the page; a scenario this large cannot \
                 be shared as a link.",
                Bytes(*limit_bytes)
            ),
            Self::TooLong { length, limit } => write!(
                f,
                "The link is {length} characters long after '#', more than the {limit} a share \
                 link may have. Long links are usually two links pasted together or something \
                 other than a Continuum link."
            ),
            Self::Malformed { detail } => write!(
                f,
                "The link unpacks, but what it holds is not a scenario this Continuum \
                 understands ({detail}). It was probably edited, or made by an incompatible \
                 build. {RECOPY}"
            ),
            Self::UnknownParameter { name } => write!(
                f,
                "The link has a part Continuum does not understand, '{name}'. After '#', a share \
                 link has 's=' (the scenario) and optionally 't=' (the time to open at, in \
                 nanoseconds), joined by '&'. Remove the unknown part or copy the original link."
            ),
            Self::RepeatedParameter { name } => write!(
                f,
                "The link has '{name}=' more than once, so it is ambiguous; probably two links \
                 were pasted together. {RECOPY}"
            ),
            Self::BadTime { text } => write!(
                f,
                "The time to open at, 't={text}', is not a whole number of nanoseconds (for \
                 example 't=1500000000' opens at 1.5 s). Fix or remove the 't=' part."
            ),
        }
    }
}

impl std::error::Error for LinkError {}

/// Formats a supported-version range for people: "link format 1" or "link formats 1 to 3".
struct VersionRange<'a>(&'a RangeInclusive<u16>);

impl fmt::Display for VersionRange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (start, end) = (self.0.start(), self.0.end());
        if start == end {
            write!(f, "link format {start}")
        } else {
            write!(f, "link formats {start} to {end}")
        }
    }
}

/// Formats a byte count for people: "1 MiB (1048576 bytes)" or "1000 bytes".
struct Bytes(usize);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: usize = 1024;
        const MIB: usize = 1024 * 1024;
        let n = self.0;
        if n >= MIB && n.is_multiple_of(MIB) {
            write!(f, "{} MiB ({n} bytes)", n / MIB)
        } else if n >= KIB && n.is_multiple_of(KIB) {
            write!(f, "{} KiB ({n} bytes)", n / KIB)
        } else {
            write!(f, "{n} bytes")
        }
    }
}

/// Makes the fragment (without `#`) for `bytes` in format `version`, opening at `at_time_ns`.
///
/// Does not check [`LinkLimits`]: [`to_link`] does, for the default limits.
pub fn encode_fragment(version: u16, bytes: &[u8], at_time_ns: Option<u64>) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(bytes, COMPRESSION_LEVEL);
    let mut fragment = String::with_capacity(16 + compressed.len().div_ceil(3) * 4);
    fragment.push_str(SCENARIO_KEY);
    fragment.push('=');
    fragment.push_str(&version.to_string());
    fragment.push('.');
    URL_SAFE_NO_PAD.encode_string(&compressed, &mut fragment);
    if let Some(time) = at_time_ns {
        fragment.push('&');
        fragment.push_str(TIME_KEY);
        fragment.push('=');
        fragment.push_str(&time.to_string());
    }
    fragment
}

/// Takes a share link apart: version, decompressed bytes and time, within `limits`.
///
/// Accepts the fragment with or without its leading `#`, or a whole URL (everything up to the
/// first `#` is ignored); surrounding whitespace is ignored. The version is returned as found, not
/// checked: dispatch on it, or use [`from_link`], which checks it before decompressing.
pub fn decode_fragment(fragment: &str, limits: &LinkLimits) -> Result<DecodedLink, LinkError> {
    let parsed = parse_fragment(fragment, limits)?;
    let bytes = decode_payload(&parsed, limits)?;
    Ok(DecodedLink {
        version: parsed.version,
        bytes,
        at_time_ns: parsed.at_time_ns,
    })
}

/// Serializes `value` (postcard) into a share-link fragment (without `#`) in format `version`.
///
/// Fails with [`LinkError::Malformed`] if serde cannot serialize the value, and with
/// [`LinkError::TooLarge`] or [`LinkError::TooLong`] if the link would break the default
/// [`LinkLimits`], so every link made here opens with them.
///
/// ```
/// use scenario::link::{from_link, to_link, LinkLimits};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, PartialEq, Serialize, Deserialize)]
/// struct Counter {
///     replicas: u8,
///     increments: Vec<(u8, u64)>,
/// }
///
/// let counter = Counter { replicas: 3, increments: vec![(0, 5), (2, 7)] };
/// let fragment = to_link(1, &counter, Some(1_500_000_000))?;
/// assert!(fragment.starts_with("s=1."));
/// assert!(fragment.ends_with("&t=1500000000"));
///
/// // The page reads `location.hash` (with its `#`) and opens it:
/// let opened = from_link::<Counter>(&format!("#{fragment}"), 1..=1, &LinkLimits::default())?;
/// assert_eq!(opened.value, counter);
/// assert_eq!(opened.at_time_ns, Some(1_500_000_000));
/// # Ok::<(), scenario::link::LinkError>(())
/// ```
pub fn to_link<T: Serialize>(
    version: u16,
    value: &T,
    at_time_ns: Option<u64>,
) -> Result<String, LinkError> {
    let limits = LinkLimits::default();
    let bytes = postcard::to_allocvec(value).map_err(|error| LinkError::Malformed {
        detail: error.to_string(),
    })?;
    if bytes.len() > limits.max_decompressed_bytes {
        return Err(LinkError::TooLarge {
            limit_bytes: limits.max_decompressed_bytes,
        });
    }
    let fragment = encode_fragment(version, &bytes, at_time_ns);
    if fragment.len() > limits.max_fragment_len {
        return Err(LinkError::TooLong {
            length: fragment.len(),
            limit: limits.max_fragment_len,
        });
    }
    Ok(fragment)
}

/// Opens a share link as a `T` (postcard), if its version is in `supported`.
///
/// Accepts what [`decode_fragment`] accepts. The version is checked before the payload is
/// decompressed, so a link from a newer build says so rather than failing on its contents.
/// See [`to_link`] for an example, and [`DecodedLink::contents`] for what `T` may be.
pub fn from_link<T: DeserializeOwned>(
    fragment: &str,
    supported: RangeInclusive<u16>,
    limits: &LinkLimits,
) -> Result<LinkContents<T>, LinkError> {
    let parsed = parse_fragment(fragment, limits)?;
    check_version(parsed.version, supported)?;
    let link = DecodedLink {
        version: parsed.version,
        bytes: decode_payload(&parsed, limits)?,
        at_time_ns: parsed.at_time_ns,
    };
    Ok(LinkContents {
        version: link.version,
        value: link.contents()?,
        at_time_ns: link.at_time_ns,
    })
}

fn check_version(version: u16, supported: RangeInclusive<u16>) -> Result<(), LinkError> {
    if supported.contains(&version) {
        Ok(())
    } else {
        Err(LinkError::UnknownVersion {
            found: version,
            supported,
        })
    }
}

/// A fragment split into its parameters, before the payload is decoded.
#[derive(Debug)]
struct ParsedFragment<'a> {
    /// The fragment proper (after `#`, trimmed); positions in errors count from its start.
    fragment: &'a str,
    version: u16,
    /// The base64 text after `s=<version>.`.
    payload: &'a str,
    /// Byte offset of `payload` within `fragment`.
    payload_offset: usize,
    at_time_ns: Option<u64>,
}

fn parse_fragment<'a>(
    input: &'a str,
    limits: &LinkLimits,
) -> Result<ParsedFragment<'a>, LinkError> {
    let fragment = input
        .split_once('#')
        .map_or(input, |(_, after)| after)
        .trim();
    if fragment.len() > limits.max_fragment_len {
        return Err(LinkError::TooLong {
            length: fragment.len(),
            limit: limits.max_fragment_len,
        });
    }
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let scenario_prefix = "s=";
    if !parameters(fragment).any(|(_, part)| part.starts_with(scenario_prefix)) {
        return Err(LinkError::NotAShareLink);
    }

    // (offset of the value in `fragment`, value)
    let mut scenario: Option<(usize, &str)> = None;
    let mut time: Option<&str> = None;
    let mut lab: Option<&str> = None;
    for (offset, part) in parameters(fragment) {
        if part.is_empty() {
            continue; // tolerate "&&" and a trailing "&"
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(LinkError::UnknownParameter {
                name: excerpt(part),
            });
        };
        let repeated = match key {
            SCENARIO_KEY => scenario.replace((offset + key.len() + 1, value)).is_some(),
            TIME_KEY => time.replace(value).is_some(),
            LAB_KEY if is_lab_hint(value) => lab.replace(value).is_some(),
            _ => {
                return Err(LinkError::UnknownParameter { name: excerpt(key) });
            }
        };
        if repeated {
            return Err(LinkError::RepeatedParameter {
                name: key.to_owned(),
            });
        }
    }

    // Present: checked above that some part starts with "s=".
    let Some((value_offset, value)) = scenario else {
        return Err(LinkError::NotAShareLink);
    };
    if value.is_empty() {
        return Err(LinkError::EmptyScenario);
    }
    let (version_text, payload) = match value.split_once('.') {
        Some(split) => split,
        None => {
            // "s=1": a version with the rest cut off, or no version at all.
            return Err(match parse_decimal::<u16>(value) {
                Some(_) => LinkError::TruncatedData,
                None => LinkError::BadVersion {
                    text: excerpt(value),
                },
            });
        }
    };
    let version = parse_decimal::<u16>(version_text).ok_or_else(|| LinkError::BadVersion {
        text: excerpt(version_text),
    })?;
    let at_time_ns = match time {
        None => None,
        Some(text) => Some(
            parse_decimal::<u64>(text).ok_or_else(|| LinkError::BadTime {
                text: excerpt(text),
            })?,
        ),
    };
    Ok(ParsedFragment {
        fragment,
        version,
        payload,
        payload_offset: value_offset + version_text.len() + 1,
        at_time_ns,
    })
}

/// `&`-separated parts of `fragment`, each with its byte offset.
fn parameters(fragment: &str) -> impl Iterator<Item = (usize, &str)> {
    fragment.split('&').scan(0, |offset, part| {
        let start = *offset;
        *offset += part.len() + 1;
        Some((start, part))
    })
}

/// Parses ASCII digits only (no sign, no spaces: `str::parse` alone would accept a leading `+`).
fn parse_decimal<N: core::str::FromStr>(text: &str) -> Option<N> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// At most 32 characters of `text`, for quoting in a message.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 32;
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

fn decode_payload(parsed: &ParsedFragment<'_>, limits: &LinkLimits) -> Result<Vec<u8>, LinkError> {
    if parsed.payload.is_empty() {
        return Err(LinkError::TruncatedData);
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(parsed.payload)
        .map_err(|error| base64_error(parsed, error))?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(
        &compressed,
        limits.max_decompressed_bytes,
    )
    .map_err(|error| match error.status {
        TINFLStatus::HasMoreOutput => LinkError::TooLarge {
            limit_bytes: limits.max_decompressed_bytes,
        },
        TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
            LinkError::CorruptedData { ended_early: true }
        }
        _ => LinkError::CorruptedData { ended_early: false },
    })
}

fn base64_error(parsed: &ParsedFragment<'_>, error: base64::DecodeError) -> LinkError {
    let offset_in_payload = match error {
        base64::DecodeError::InvalidByte(offset, _)
        | base64::DecodeError::InvalidLastSymbol(offset, _) => offset,
        base64::DecodeError::InvalidPadding => match parsed.payload.find('=') {
            Some(offset) => offset,
            None => return LinkError::TruncatedData,
        },
        base64::DecodeError::InvalidLength(_) => return LinkError::TruncatedData,
    };
    let offset = parsed.payload_offset.saturating_add(offset_in_payload);
    // `offset` is a char boundary for any error base64 reports (it stops at the first bad byte,
    // and a multi-byte character's first byte is already bad); fall back gracefully regardless.
    match (parsed.fragment.get(..offset), parsed.fragment.get(offset..)) {
        (Some(before), Some(after)) => match after.chars().next() {
            Some(character) => LinkError::DamagedText {
                position: before.chars().count() + 1,
                character,
            },
            None => LinkError::TruncatedData,
        },
        _ => LinkError::TruncatedData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(fragment: &str) -> Result<DecodedLink, LinkError> {
        decode_fragment(fragment, &LinkLimits::default())
    }

    #[test]
    fn empty_payload_encodes_to_a_known_fragment() {
        // zlib of nothing: header 78 DA, an empty fixed block 03 00, Adler-32 of nothing 00 00 00 01.
        assert_eq!(encode_fragment(1, b"", None), "s=1.eNoDAAAAAAE");
        assert_eq!(encode_fragment(7, b"", Some(0)), "s=7.eNoDAAAAAAE&t=0");
        let link = decode("s=1.eNoDAAAAAAE").expect("valid link");
        assert_eq!(
            link,
            DecodedLink {
                version: 1,
                bytes: vec![],
                at_time_ns: None
            }
        );
    }

    #[test]
    fn accepts_hash_whole_url_whitespace_and_any_parameter_order() {
        let fragment = encode_fragment(3, b"hello hello hello", Some(42));
        let expected = DecodedLink {
            version: 3,
            bytes: b"hello hello hello".to_vec(),
            at_time_ns: Some(42),
        };
        assert_eq!(decode(&fragment), Ok(expected.clone()));
        assert_eq!(decode(&format!("#{fragment}")), Ok(expected.clone()));
        assert_eq!(
            decode(&format!("https://example.org/c/?x=1#{fragment}\n")),
            Ok(expected.clone())
        );
        let (s, t) = fragment.split_once('&').expect("has a time");
        assert_eq!(decode(&format!("{t}&{s}&")), Ok(expected.clone()));
        assert_eq!(decode(&format!("&&{s}&&{t}")), Ok(expected));
    }

    #[test]
    fn empty_and_foreign_fragments() {
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(decode("#"), Err(LinkError::Empty));
        assert_eq!(decode("  # "), Err(LinkError::Empty));
        assert_eq!(decode("#/crdt"), Err(LinkError::NotAShareLink));
        assert_eq!(decode("#t=5"), Err(LinkError::NotAShareLink));
        assert_eq!(decode("#S=1.eNoDAAAAAAE"), Err(LinkError::NotAShareLink));
        assert_eq!(decode("#s="), Err(LinkError::EmptyScenario));
        assert_eq!(decode("#s=&t=1"), Err(LinkError::EmptyScenario));
    }

    #[test]
    fn version_must_be_a_plain_u16() {
        for bad in ["x", "+1", "-1", "65536", " 1", "1e3", ""] {
            assert_eq!(
                decode(&format!("s={bad}.eNoDAAAAAAE")),
                Err(LinkError::BadVersion {
                    text: bad.to_owned()
                }),
                "{bad:?}"
            );
        }
        assert_eq!(
            decode("s=abc"),
            Err(LinkError::BadVersion {
                text: "abc".to_owned()
            })
        );
        assert_eq!(decode("s=65535.eNoDAAAAAAE").map(|l| l.version), Ok(65535));
        assert_eq!(decode("s=0001.eNoDAAAAAAE").map(|l| l.version), Ok(1));
    }

    #[test]
    fn unknown_versions_name_the_supported_range() {
        let link = decode("s=9.eNoDAAAAAAE").expect("valid link");
        let newer = link.check_version(1..=3).expect_err("9 is not in 1..=3");
        assert_eq!(
            newer,
            LinkError::UnknownVersion {
                found: 9,
                supported: 1..=3
            }
        );
        let message = newer.to_string();
        assert!(
            message.contains("newer") && message.contains("formats 1 to 3"),
            "{message}"
        );
        let older = LinkError::UnknownVersion {
            found: 0,
            supported: 2..=2,
        }
        .to_string();
        assert!(
            older.contains("too old") && older.contains("format 2"),
            "{older}"
        );
        assert_eq!(link.check_version(9..=9), Ok(()));
    }

    #[test]
    fn truncated_payloads() {
        assert_eq!(decode("s=1"), Err(LinkError::TruncatedData));
        assert_eq!(decode("s=1."), Err(LinkError::TruncatedData));
        assert_eq!(decode("s=1.&t=5"), Err(LinkError::TruncatedData));
        // One base64 character is never a whole byte.
        assert_eq!(decode("s=1.A"), Err(LinkError::TruncatedData));
        // One byte, 0x03: the header of a final fixed-Huffman block, and nothing after it.
        assert_eq!(
            decode("s=1.Aw"),
            Err(LinkError::CorruptedData { ended_early: true })
        );
    }

    #[test]
    fn damaged_characters_are_located() {
        // Position counts characters after '#', 1-based: "s=1." is 4, so the payload starts at 5.
        assert_eq!(
            decode("#s=1.A!A"),
            Err(LinkError::DamagedText {
                position: 6,
                character: '!'
            })
        );
        assert_eq!(
            decode("t=1&s=12.Aé"),
            Err(LinkError::DamagedText {
                position: 11,
                character: 'é'
            })
        );
        // Standard base64's '+' and '/' are not URL-safe base64.
        assert_eq!(
            decode("s=1.A+A"),
            Err(LinkError::DamagedText {
                position: 6,
                character: '+'
            })
        );
        // Padding is never written, so it is not accepted either.
        assert_eq!(
            decode("s=1.eNoDAAAAAAE="),
            Err(LinkError::DamagedText {
                position: 16,
                character: '='
            })
        );
        // "AwB": the last character carries bits that do not fit in whole bytes.
        assert_eq!(
            decode("s=1.AwB"),
            Err(LinkError::DamagedText {
                position: 7,
                character: 'B'
            })
        );
        let message = LinkError::DamagedText {
            position: 6,
            character: '!',
        }
        .to_string();
        assert!(
            message.contains("character 6") && message.contains("'!'"),
            "{message}"
        );
    }

    #[test]
    fn corrupted_deflate_stream() {
        // 0xff: final block of reserved type 3.
        let fragment = format!("s=1.{}", URL_SAFE_NO_PAD.encode([0xff, 0xff, 0xff]));
        assert_eq!(
            decode(&fragment),
            Err(LinkError::CorruptedData { ended_early: false })
        );
    }

    #[test]
    fn parameters_are_checked() {
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&x=1"),
            Err(LinkError::UnknownParameter {
                name: "x".to_owned()
            })
        );
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&/crdt"),
            Err(LinkError::UnknownParameter {
                name: "/crdt".to_owned()
            })
        );
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&s=1.eNoDAAAAAAE"),
            Err(LinkError::RepeatedParameter {
                name: "s".to_owned()
            })
        );
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&t=1&t=2"),
            Err(LinkError::RepeatedParameter {
                name: "t".to_owned()
            })
        );
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&lab=crdt&lab=energy"),
            Err(LinkError::RepeatedParameter {
                name: "lab".to_owned()
            })
        );
        assert!(
            decode("s=1.eNoDAAAAAAE&t=1&lab=crdt").is_ok(),
            "a lab hint is accepted"
        );
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&lab=CRDT"),
            Err(LinkError::UnknownParameter {
                name: "lab".to_owned()
            }),
            "a lab hint is lowercase letters"
        );
        let long = "k".repeat(100);
        let Err(LinkError::UnknownParameter { name }) =
            decode(&format!("s=1.eNoDAAAAAAE&{long}=1"))
        else {
            panic!("expected an unknown parameter");
        };
        assert_eq!(
            name.chars().count(),
            33,
            "shortened to 32 characters and '…'"
        );
    }

    #[test]
    fn time_must_be_whole_nanoseconds() {
        for bad in ["", "1.5", "+1", "-1", "1s", "18446744073709551616", "１"] {
            assert_eq!(
                decode(&format!("s=1.eNoDAAAAAAE&t={bad}")),
                Err(LinkError::BadTime {
                    text: bad.to_owned()
                }),
                "{bad:?}"
            );
        }
        assert_eq!(
            decode("s=1.eNoDAAAAAAE&t=18446744073709551615").map(|l| l.at_time_ns),
            Ok(Some(u64::MAX))
        );
    }

    #[test]
    fn fragment_length_limit_is_exact() {
        let limits = LinkLimits {
            max_fragment_len: 15,
            ..LinkLimits::default()
        };
        assert!(
            decode_fragment("#s=1.eNoDAAAAAAE", &limits).is_ok(),
            "15 characters after '#'"
        );
        assert_eq!(
            decode_fragment("#s=1.eNoDAAAAAAE&", &limits),
            Err(LinkError::TooLong {
                length: 16,
                limit: 15
            })
        );
    }

    #[test]
    fn decompressed_size_limit_is_exact() {
        let bytes = vec![7_u8; 10_000];
        let fragment = encode_fragment(1, &bytes, None);
        let at = |max_decompressed_bytes| LinkLimits {
            max_decompressed_bytes,
            ..LinkLimits::default()
        };
        assert_eq!(
            decode_fragment(&fragment, &at(10_000)).map(|l| l.bytes),
            Ok(bytes)
        );
        assert_eq!(
            decode_fragment(&fragment, &at(9_999)),
            Err(LinkError::TooLarge { limit_bytes: 9_999 })
        );
        assert_eq!(
            decode_fragment(&encode_fragment(1, b"", None), &at(0)).map(|l| l.bytes),
            Ok(vec![])
        );
    }

    #[test]
    fn contents_reject_trailing_and_missing_bytes() {
        let link = DecodedLink {
            version: 1,
            bytes: vec![5, 0],
            at_time_ns: None,
        };
        assert_eq!(
            link.contents::<u8>(),
            Err(LinkError::Malformed {
                detail: "1 unexpected bytes after the end".to_owned()
            })
        );
        assert_eq!(link.contents::<(u8, u8)>(), Ok((5, 0)));
        let Err(LinkError::Malformed { detail }) = link.contents::<(u8, u8, u8)>() else {
            panic!("expected malformed contents");
        };
        assert!(!detail.is_empty());
    }

    #[test]
    fn to_link_refuses_links_that_would_not_open() {
        let too_big = vec![0_u8; LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES];
        // postcard adds a length prefix, so this is one limit plus a few bytes.
        assert_eq!(
            to_link(1, &too_big, None),
            Err(LinkError::TooLarge {
                limit_bytes: LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES
            })
        );
        // Incompressible: a simple xorshift stream, 60 KiB → ≈ 80 K base64 characters.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let noise: Vec<u8> = (0..60 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        assert!(matches!(
            to_link(1, &noise, None),
            Err(LinkError::TooLong { limit, .. }) if limit == LinkLimits::DEFAULT_MAX_FRAGMENT_LEN
        ));
    }

    #[test]
    fn from_link_checks_the_version_before_the_payload() {
        // A future link whose payload this build could not even read still says "newer".
        assert_eq!(
            from_link::<u8>("s=2.!!!", 1..=1, &LinkLimits::default()),
            Err(LinkError::UnknownVersion {
                found: 2,
                supported: 1..=1
            })
        );
    }

    #[test]
    fn every_message_is_a_sentence() {
        let errors = [
            LinkError::Empty,
            LinkError::NotAShareLink,
            LinkError::EmptyScenario,
            LinkError::BadVersion { text: "x".into() },
            LinkError::UnknownVersion {
                found: 4,
                supported: 1..=3,
            },
            LinkError::UnknownVersion {
                found: 4,
                #[allow(clippy::reversed_empty_ranges)]
                supported: 3..=1,
            },
            LinkError::DamagedText {
                position: 1,
                character: '!',
            },
            LinkError::TruncatedData,
            LinkError::CorruptedData { ended_early: true },
            LinkError::CorruptedData { ended_early: false },
            LinkError::TooLarge {
                limit_bytes: 1 << 20,
            },
            LinkError::TooLong {
                length: 70_000,
                limit: 65_536,
            },
            LinkError::Malformed {
                detail: "eof".into(),
            },
            LinkError::UnknownParameter { name: "x".into() },
            LinkError::RepeatedParameter { name: "t".into() },
            LinkError::BadTime { text: "x".into() },
        ];
        for error in errors {
            let message = error.to_string();
            assert!(
                message.starts_with(char::is_uppercase) && message.ends_with('.'),
                "{message}"
            );
        }
        assert!(
            LinkError::TooLarge {
                limit_bytes: 1 << 20
            }
            .to_string()
            .contains("1 MiB (1048576 bytes)")
        );
    }
}

#[cfg(test)]
mod checksum_tests {
    use super::*;

    /// Every single-character edit of a real link's payload that changes its bytes is rejected:
    /// the Adler-32 checksum catches what the deflate stream alone lets through.
    #[test]
    fn every_edit_that_changes_the_bytes_is_rejected() {
        let bytes: Vec<u8> = (0..400u32).map(|i| (i * 7 % 251) as u8).collect();
        let fragment = encode_fragment(1, &bytes, None);
        let start = fragment.find('.').map_or(0, |i| i + 1);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let (mut edits, mut accepted) = (0, 0);
        for pos in start..fragment.len() {
            for &c in alphabet.iter().step_by(5) {
                let mut edited = fragment.clone().into_bytes();
                if edited[pos] == c {
                    continue;
                }
                edited[pos] = c;
                let edited = String::from_utf8(edited).expect("ascii");
                edits += 1;
                if let Ok(link) = decode_fragment(&edited, &LinkLimits::default())
                    && link.bytes != bytes
                {
                    accepted += 1;
                }
            }
        }
        assert!(edits > 1000);
        assert_eq!(
            accepted, 0,
            "{accepted} of {edits} edits opened as different contents"
        );
    }
}
