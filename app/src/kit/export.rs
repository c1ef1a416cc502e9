//! Files a lab hands out: its curves as CSV (pure, tested natively), and the browser plumbing
//! that offers a text or a canvas's pixels (PNG) as a download.

use scenario::broadcast_run::Sample;
use scenario::crdt_run::CrdtSample;

fn ms(t: sim::SimTime) -> String {
    crate::kit::format::trim(t.as_millis_f64(), 6)
}

/// The network lab's curves, one row per sample.
pub fn broadcast_csv(samples: &[Sample]) -> String {
    let mut out = String::from("time_ms,informed_fraction,messages_sent,messages_dropped\n");
    for s in samples {
        out.push_str(&format!(
            "{},{},{},{}\n",
            ms(s.time),
            s.informed_fraction,
            s.messages_sent,
            s.messages_dropped
        ));
    }
    out
}

/// The CRDT lab's curves, one row per sample (an empty field: the type has no naive twin).
pub fn crdt_csv(samples: &[CrdtSample]) -> String {
    let mut out = String::from(
        "time_ms,distinct_states,distinct_state_sync,distinct_op_sync,distinct_delta_sync,bytes_state_sync,bytes_op_sync,bytes_delta_sync,metadata_bytes_per_replica,buffered_ops,naive_distinct_states\n",
    );
    for s in samples {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            ms(s.time),
            s.distinct_states,
            s.distinct_by_mode[0],
            s.distinct_by_mode[1],
            s.distinct_by_mode[2],
            s.bytes_by_mode[0],
            s.bytes_by_mode[1],
            s.bytes_by_mode[2],
            s.metadata_bytes_per_replica,
            s.buffered_ops,
            s.naive_distinct.map_or(String::new(), |d| d.to_string())
        ));
    }
    out
}

/// Offers `text` as a file download named `name` (browser only; does nothing elsewhere).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not offer the file".to_owned())?;
    let offered = download_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    offered
}

/// Offers what `url` points at (a blob or data URL) as a file download named `name`.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link element")?
        .unchecked_into();
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Offers the pixels of `canvas` as a PNG file named `name`.
pub fn download_png(name: &str, canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| "the browser could not read the plot's pixels".to_owned())?;
    download_url(name, &url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::crdt_lab::default_crdt_scenario;
    use scenario::scenario::broadcast_presets;
    use scenario::{BroadcastRun, CrdtRun};

    #[test]
    fn csv_has_a_header_and_one_row_per_sample() {
        let mut b = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        b.run_to_end();
        let csv = broadcast_csv(b.samples());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), b.samples().len() + 1);
        assert!(lines.iter().all(|l| l.split(',').count() == 4));
        assert!(
            lines.last().unwrap().starts_with("1000,"),
            "{}",
            lines.last().unwrap()
        );

        let mut c = CrdtRun::new(&default_crdt_scenario()).expect("valid");
        c.run_to_end();
        let csv = crdt_csv(c.samples());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), c.samples().len() + 1);
        assert!(
            lines.iter().all(|l| l.split(',').count() == 11),
            "{}",
            lines[1]
        );
    }
}
