//! The browser plumbing that offers a text or a canvas's pixels (PNG) as a download (the curves
//! themselves are made as CSV by `scenario::export`).

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
