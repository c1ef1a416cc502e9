//! Properties of the share-link codec: round trips, totality on hostile input, and limits.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::deflate::core::{
    CompressorOxide, TDEFLFlush, TDEFLStatus, compress, create_comp_flags_from_zip_params,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use scenario::link::{
    DecodedLink, LinkError, LinkLimits, decode_fragment, encode_fragment, from_link, to_link,
};
use serde::{Deserialize, Serialize};

/// 256 cases per property: the whole file runs in a few seconds in a debug build.
/// `PROPTEST_CASES=10000 cargo test -p scenario` digs deeper.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// A stand-in for a scenario: the kinds of fields one has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sample {
    name: String,
    seed: u64,
    nodes: u16,
    actions: Vec<(u64, Action)>,
    partition: Option<(Vec<u16>, Vec<u16>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Action {
    Increment { replica: u16, by: i64 },
    Crash(u16),
    Note(String),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (any::<u16>(), any::<i64>()).prop_map(|(replica, by)| Action::Increment { replica, by }),
        any::<u16>().prop_map(Action::Crash),
        ".{0,20}".prop_map(Action::Note),
    ]
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        ".{0,40}",
        any::<u64>(),
        any::<u16>(),
        vec((any::<u64>(), action()), 0..64),
        proptest::option::of((vec(any::<u16>(), 0..8), vec(any::<u16>(), 0..8))),
    )
        .prop_map(|(name, seed, nodes, actions, partition)| Sample {
            name,
            seed,
            nodes,
            actions,
            partition,
        })
}

/// Payloads both incompressible (random bytes) and very compressible (few distinct bytes).
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![vec(any::<u8>(), 0..2048), vec(0_u8..4, 0..8192)]
}

/// Text that looks like a share link more often than arbitrary strings do.
fn link_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "#?s=[0-9+.-]{0,7}\\.[A-Za-z0-9_=-]{0,64}(&[stx]=[0-9a-z.+-]{0,24}){0,3}&?",
        "[#&=s.t0-9A-Za-z_-]{0,40}",
    ]
}

fn decode(fragment: &str) -> Result<DecodedLink, LinkError> {
    decode_fragment(fragment, &LinkLimits::default())
}

/// Checks what every decode result must satisfy, whatever the input.
fn assert_well_behaved(result: &Result<DecodedLink, LinkError>, limits: &LinkLimits) {
    match result {
        Ok(link) => assert!(link.bytes.len() <= limits.max_decompressed_bytes),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn bytes_round_trip(
        version in any::<u16>(),
        bytes in payload(),
        at_time_ns in proptest::option::of(any::<u64>()),
    ) {
        let fragment = encode_fragment(version, &bytes, at_time_ns);
        let expected = DecodedLink { version, bytes, at_time_ns };
        prop_assert_eq!(decode(&fragment), Ok(expected.clone()));
        prop_assert_eq!(decode(&format!("#{fragment}")), Ok(expected));
    }

    #[test]
    fn values_round_trip(
        version in any::<u16>(),
        value in sample(),
        at_time_ns in proptest::option::of(any::<u64>()),
    ) {
        let fragment = to_link(version, &value, at_time_ns)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let opened = from_link::<Sample>(&fragment, version..=version, &LinkLimits::default());
        prop_assert_eq!(opened.map(|c| (c.version, c.value, c.at_time_ns)),
            Ok((version, value, at_time_ns)));
    }

    #[test]
    fn decompressed_size_is_capped_exactly(bytes in payload(), limit in 0_usize..8192) {
        let limits = LinkLimits { max_decompressed_bytes: limit, ..LinkLimits::default() };
        let result = decode_fragment(&encode_fragment(1, &bytes, None), &limits);
        if bytes.len() <= limit {
            prop_assert_eq!(result.map(|link| link.bytes), Ok(bytes));
        } else {
            prop_assert_eq!(result, Err(LinkError::TooLarge { limit_bytes: limit }));
        }
    }

    #[test]
    fn any_text_is_decoded_or_rejected(text in link_like()) {
        let limits = LinkLimits::default();
        assert_well_behaved(&decode_fragment(&text, &limits), &limits);
        let _ = from_link::<Sample>(&text, 0..=u16::MAX, &limits);
    }

    #[test]
    fn garbage_payloads_are_decoded_or_rejected(
        version in any::<u16>(),
        garbage in vec(any::<u8>(), 0..512),
        time in proptest::option::of(any::<u64>()),
    ) {
        let mut fragment = format!("s={version}.{}", URL_SAFE_NO_PAD.encode(&garbage));
        if let Some(time) = time {
            fragment.push_str(&format!("&t={time}"));
        }
        let limits = LinkLimits::default();
        assert_well_behaved(&decode_fragment(&fragment, &limits), &limits);
        let _ = from_link::<Sample>(&fragment, version..=version, &limits);
    }

    #[test]
    fn truncated_links_are_rejected(
        bytes in payload(),
        time in proptest::option::of(any::<u64>()),
        cut in any::<prop::sample::Index>(),
    ) {
        let fragment = encode_fragment(1, &bytes, time);
        // Cutting inside "&t=…" may leave a shorter, valid time; anywhere before, the link breaks.
        let scenario_len = fragment.find('&').unwrap_or(fragment.len());
        let cut = cut.index(scenario_len);
        let result = decode(&fragment[..cut]);
        prop_assert!(result.is_err(), "{:?} opened as {:?}", &fragment[..cut], result);
    }

    #[test]
    fn mutated_links_are_decoded_or_rejected(
        value in sample(),
        at in any::<prop::sample::Index>(),
        replacement in prop_oneof![
            prop::sample::select(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.&=#"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            any::<char>(),
        ],
    ) {
        let fragment = to_link(1, &value, Some(7)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut chars: Vec<char> = fragment.chars().collect();
        let at = at.index(chars.len());
        chars[at] = replacement;
        let mutated: String = chars.into_iter().collect();
        let limits = LinkLimits::default();
        assert_well_behaved(&decode_fragment(&mutated, &limits), &limits);
        let _ = from_link::<Sample>(&mutated, 1..=1, &limits);
    }

    #[test]
    fn fragment_length_is_capped(limit in 0_usize..256, extra in 1_usize..64, filler in "[a-z]") {
        let limits = LinkLimits { max_fragment_len: limit, ..LinkLimits::default() };
        let long = format!("#{}", filler.repeat(limit + extra));
        prop_assert_eq!(
            decode_fragment(&long, &limits),
            Err(LinkError::TooLong { length: limit + extra, limit })
        );
    }

    #[test]
    fn a_link_exactly_at_the_length_limit_opens(bytes in payload()) {
        let fragment = encode_fragment(1, &bytes, None);
        let limits = LinkLimits { max_fragment_len: fragment.len(), ..LinkLimits::default() };
        prop_assert_eq!(decode_fragment(&fragment, &limits).map(|l| l.bytes), Ok(bytes));
    }
}

/// zlib-compresses `len` zero bytes without ever holding them: a decompression bomb.
fn deflated_zeros(len: usize) -> Vec<u8> {
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(9, 15, 0));
    let zeros = [0_u8; 64 * 1024];
    let mut out_buf = vec![0_u8; 64 * 1024];
    let mut compressed = Vec::new();
    let mut remaining = len;
    loop {
        let take = remaining.min(zeros.len());
        remaining -= take;
        let flush = if remaining == 0 {
            TDEFLFlush::Finish
        } else {
            TDEFLFlush::None
        };
        let mut input = &zeros[..take];
        loop {
            let (status, consumed, produced) =
                compress(&mut compressor, input, &mut out_buf, flush);
            compressed.extend_from_slice(&out_buf[..produced]);
            input = &input[consumed..];
            match status {
                TDEFLStatus::Done => return compressed,
                TDEFLStatus::Okay if input.is_empty() && flush == TDEFLFlush::None => break,
                TDEFLStatus::Okay => {}
                other => panic!("compressor failed: {other:?}"),
            }
        }
    }
}

fn bomb_fragment(zeros: usize) -> String {
    format!("#s=1.{}", URL_SAFE_NO_PAD.encode(deflated_zeros(zeros)))
}

/// Peak heap use of the whole test binary, all threads, since it started.
///
/// Other tests run concurrently, but each stays within a few MiB, so a bound of 32 MiB still
/// tells a capped decompression (≈ 1 MiB) from an uncapped 100 MB one.
const PEAK_HEAP_BOUND_BYTES: usize = 32 * 1024 * 1024;

#[test]
fn decompression_bomb_is_rejected_without_inflating_it() {
    let zeros = 100_000_000;
    let fragment = bomb_fragment(zeros);
    assert!(
        fragment.len() < 150_000,
        "100 MB of zeros fit in {} characters",
        fragment.len()
    );

    // The default fragment limit already stops this one, before any decoding.
    assert!(matches!(decode(&fragment), Err(LinkError::TooLong { .. })));

    // With the fragment limit lifted, the decompression limit stops it.
    let limits = LinkLimits {
        max_fragment_len: usize::MAX,
        ..LinkLimits::default()
    };
    let result = decode_fragment(&fragment, &limits);
    assert_eq!(
        result,
        Err(LinkError::TooLarge {
            limit_bytes: LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES
        })
    );
    let peak = crate::ALLOCATOR.max_allocated();
    assert!(
        peak < PEAK_HEAP_BOUND_BYTES,
        "peak heap {peak} bytes: the bomb was inflated past its limit"
    );
}

#[test]
fn decompression_bomb_within_the_length_limit_is_rejected() {
    // ≈ 40 MB of zeros compress to ≈ 39 KB: a link short enough to pass the length limit.
    let fragment = bomb_fragment(40_000_000);
    assert!(fragment.len() <= LinkLimits::DEFAULT_MAX_FRAGMENT_LEN);
    assert_eq!(
        decode(&fragment),
        Err(LinkError::TooLarge {
            limit_bytes: LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES
        })
    );
    assert_eq!(
        from_link::<Sample>(&fragment, 1..=1, &LinkLimits::default()),
        Err(LinkError::TooLarge {
            limit_bytes: LinkLimits::DEFAULT_MAX_DECOMPRESSED_BYTES
        })
    );
    let peak = crate::ALLOCATOR.max_allocated();
    assert!(peak < PEAK_HEAP_BOUND_BYTES, "peak heap {peak} bytes");
}
