//! The [`Sweep`]'s HTML player: the image, a slider per parameter and a play / pause button,
//! as a self-contained fragment for a notebook or a standalone page.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Sweep;
use crate::output::display::{evcxr_block, to_base64};
use crate::plot::PlotError;

impl Sweep {
    /// The player as a self-contained HTML fragment (no external files or libraries).
    pub fn to_html(&self) -> String {
        let id = self.element_id();
        let frames = self.frames();
        let frame = &frames[self.initial];
        let shown = escape(&self.describe(self.initial));
        let n = frames.len();
        let pngs = self.shown_pngs();
        let mut html =
            String::with_capacity(pngs.iter().map(Vec::len).sum::<usize>() * 4 / 3 + 4096);
        let _ = write!(
            html,
            r##"<div class="scorelab-sweep" id="{id}" data-frames="{n}" style="font-family:sans-serif;font-size:14px">
<img id="{id}-img" src="data:image/png;base64,{src}" width="{w}" height="{h}" alt="{shown}" style="max-width:100%;height:auto">
<div id="{id}-controls" style="display:none"><div style="display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;margin:4px 0">
<button id="{id}-play" type="button" title="play / pause" style="min-width:5.5em">&#9654; Play</button>
"##,
            src = to_base64(&pngs[self.initial]),
            w = frame.width(),
            h = frame.height(),
        );
        for (a, axis) in self.sliders.iter().enumerate() {
            let _ = writeln!(
                html,
                r##"<label for="{id}-s{a}">{name}</label><input id="{id}-s{a}" type="range" min="0" max="{max}" step="1" value="{value}" style="width:{width}px"><output id="{id}-v{a}" for="{id}-s{a}">{label}</output>"##,
                name = escape(&axis.name),
                max = axis.labels.len() - 1,
                value = self.position(self.initial, a),
                width = (frame.width() / 2).clamp(160, 400),
                label = escape(&axis.labels[self.position(self.initial, a)]),
            );
        }
        let _ = write!(
            html,
            r##"</div></div>
<p id="{id}-note" style="margin:4px 0;color:#555">Showing {shown} (frame {k} of {n}). To move through all {n} frames with a slider, trust this notebook: in JupyterLab, <b>File &gt; Trust Notebook</b> (or run <code>jupyter trust</code> on it), then re-open it; re-running the cell also works.</p>
<script>
(function () {{
  var id = {id_js};
  var root = (document.currentScript && document.currentScript.parentNode) || document.getElementById(id);
  if (!root) {{ return; }}
  var get = function (suffix) {{ return root.querySelector("#" + id + suffix); }};
  var frames = [{frames_js}];
  var labels = [{labels_js}];
  var img = get("-img"), play = get("-play"), timer = null;
  // Every frame but the first shown (null) is what it changes over that one, transparent
  // elsewhere: drawn over it on a canvas of the images' own pixels, which is then shown at the
  // image's size. Composed before any scaling, no trace of the first frame shows through.
  var canvas = document.createElement("canvas"), wanted = null;
  canvas.style.cssText = "display:none;max-width:100%;height:auto;width:" + img.getAttribute("width") + "px";
  canvas.setAttribute("role", "img");
  img.parentNode.insertBefore(canvas, img.nextSibling);
  function draw(index) {{
    wanted = index;
    if (frames[index] === null) {{
      canvas.style.display = "none";
      img.style.display = "";
      return;
    }}
    var over = new Image();
    over.onload = function () {{
      if (wanted !== index || !img.complete) {{ return; }}
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      var context = canvas.getContext("2d");
      context.drawImage(img, 0, 0);
      context.drawImage(over, 0, 0);
      canvas.setAttribute("aria-label", img.alt);
      canvas.style.display = "";
      img.style.display = "none";
    }};
    over.src = frames[index];
  }}
  var sliders = labels.map(function (_, a) {{ return get("-s" + a); }});
  var outputs = labels.map(function (_, a) {{ return get("-v" + a); }});
  function show() {{
    var index = 0;
    sliders.forEach(function (s, a) {{
      var i = parseInt(s.value, 10);
      index = index * labels[a].length + i;
      outputs[a].textContent = labels[a][i];
    }});
    img.alt = labels.map(function (l, a) {{ return l[sliders[a].value]; }}).join(", ");
    draw(index);
  }}
  function stop() {{ clearInterval(timer); timer = null; play.innerHTML = "&#9654; Play"; }}
  sliders.forEach(function (s) {{ s.addEventListener("input", function () {{ stop(); show(); }}); }});
  play.addEventListener("click", function () {{
    if (timer !== null) {{ stop(); return; }}
    play.innerHTML = "&#10074;&#10074; Pause";
    var s = sliders[0];
    if (parseInt(s.value, 10) >= labels[0].length - 1) {{ s.value = 0; show(); }}
    timer = setInterval(function () {{
      var i = (parseInt(s.value, 10) + 1) % labels[0].length;
      s.value = i;
      show();
    }}, {interval});
  }});
  // Inline styles, not the `hidden` attribute: untrusted JupyterLab output drops `hidden`
  // (the controls would show, dead) but keeps `style`.
  get("-controls").style.display = "";
  get("-note").style.display = "none";
}})();
</script>
</div>"##,
            k = self.initial + 1,
            id_js = js_string(&id),
            frames_js = pngs
                .iter()
                .enumerate()
                .map(|(i, png)| if i == self.initial {
                    "null".to_string()
                } else {
                    format!("\"data:image/png;base64,{}\"", to_base64(png))
                })
                .collect::<Vec<_>>()
                .join(",\n"),
            labels_js = self
                .sliders
                .iter()
                .map(|a| format!(
                    "[{}]",
                    a.labels
                        .iter()
                        .map(|l| js_string(l))
                        .collect::<Vec<_>>()
                        .join(",")
                ))
                .collect::<Vec<_>>()
                .join(","),
            interval = (1000.0 / self.fps).round(),
        );
        html
    }

    /// Position of frame `index` along parameter `axis`.
    fn position(&self, index: usize, axis: usize) -> usize {
        let inner: usize = self.sliders[axis + 1..]
            .iter()
            .map(|a| a.labels.len())
            .product();
        index / inner.max(1) % self.sliders[axis].labels.len().max(1)
    }

    /// An id unique to this output: a hash of the frames, then a per-process counter so two
    /// identical sweeps in one notebook still differ.
    fn element_id(&self) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for frame in self.frames() {
            frame.png().hash(&mut hasher);
        }
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("scorelab-sweep-{:016x}-{count}", hasher.finish())
    }

    /// Writes the player as a standalone HTML page (open it in any browser; scripts run there).
    pub fn save_html(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let title = escape(
            &self
                .sliders
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(" × "),
        );
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n{}\n</body>\n</html>\n",
            self.to_html()
        );
        std::fs::write(path, page)?;
        Ok(())
    }

    /// Shows the player inline in an evcxr notebook (called by the kernel). Its initial frame
    /// is an `<img>` that shows without scripts, so the output carries no second copy of it
    /// as `image/png`.
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_block("text/html", &self.to_html()));
    }
}

/// Text for HTML element content or a double-quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A JavaScript string literal that is also safe inside an HTML `<script>` element.
fn js_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html_and_scripts() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(
            js_string("</script>\"\\\n"),
            r#""\u003c/script\u003e\"\\\u000a""#
        );
    }
}
