"""A scorelab figure shown as matplotlib's retina inline backend shows one: its dense PNG as
`image/png`, with its logical size in the output metadata.

evcxr's display protocol carries MIME types but no metadata, so the crate shows a figure drawn at
density 2 as an HTML `<img>` of the dense PNG at the logical size, plus the PNG at one pixel per
logical pixel as `image/png` for front ends that show no HTML (`Figure::evcxr_display`). This
kernel can attach metadata: it replaces that pair with the dense PNG alone, sized by
`{"image/png": {"width": w, "height": h}}`. JupyterLab and nbconvert draw it at w × h, sharp on
a high-density screen; every front end that shows images shows it; and the notebook stores
one PNG per figure instead of two. Bundles of any other shape pass unchanged.
"""
import re

# The crate's `<img>` for a figure (`Figure::to_html`), and nothing else.
FIGURE_IMG = re.compile(
    r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)" '
    r'alt="figure, \d+×\d+ px">\Z')


def retina(data, metadata=None):
    """(data, metadata) of an output bundle, a scorelab figure's as its dense PNG sized by the
    metadata; other bundles unchanged."""
    metadata = dict(metadata or {})
    page = data.get("text/html")
    page = "".join(page) if isinstance(page, list) else page
    found = FIGURE_IMG.match(page.strip()) if isinstance(page, str) else None
    if found is None or "image/png" not in data:
        return data, metadata
    dense, width, height = found.group(1), int(found.group(2)), int(found.group(3))
    data = {mime: value for mime, value in data.items() if mime != "text/html"}
    data["image/png"] = dense
    metadata["image/png"] = {**metadata.get("image/png", {}), "width": width, "height": height}
    return data, metadata
