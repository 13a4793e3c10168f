//! A [`Live`](crate::Live) figure's socket: render requests read line by line, each checked
//! against the controls, and answered with the frame (or the error) as one line of JSON.

use std::borrow::Cow;
use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use serde_json::{Map, Value, json};

use crate::output::display::to_base64;
use crate::output::live_error::LiveError;
use crate::output::live_values::{
    Control, Kind, LiveValues, Setting, check_choice, check_number, values,
};
use crate::output::raster::Effort;
use crate::plot::Figure;

/// Serving threads are named with this prefix (then the socket's number).
pub(crate) const THREAD_PREFIX: &str = "scorelab-live-";

/// The density of a draft, asked for while a slider moves: one pixel per logical pixel.
const DRAFT_DENSITY: u32 = 1;

/// The longest request line read, in bytes: the values of a few controls need far fewer.
const MAX_REQUEST: u64 = 1 << 20;

/// Draws one frame, turning the closure's error or panic into a [`LiveError`].
pub(crate) fn render<F, E>(figure: &mut F, values: &LiveValues) -> Result<Figure, LiveError>
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    match catch_unwind(AssertUnwindSafe(|| figure(values))) {
        Ok(Ok(frame)) => Ok(frame),
        Ok(Err(e)) => Err(LiveError::Frame(e.into())),
        Err(payload) => Err(LiveError::Panic {
            message: panic_message(payload.as_ref()),
        }),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// The values a request line asks a frame for, checked against the controls: every control
/// present, none unknown, each of its control's kind and within its range or options; at
/// density 1 if `draft` (true or false, if given) is true.
fn parse_request(line: &[u8], controls: &[Control]) -> Result<LiveValues, LiveError> {
    let bad = |reason: String| LiveError::BadRequest { reason };
    let request: Value =
        serde_json::from_slice(line).map_err(|e| bad(format!("not JSON ({e})")))?;
    let Some(given) = request.get("values").and_then(Value::as_object) else {
        return Err(bad(r#"expected {"values": {name: value, ...}}"#.to_string()));
    };
    let draft = match request.get("draft") {
        None => false,
        Some(Value::Bool(draft)) => *draft,
        Some(other) => return Err(bad(format!(r#""draft" is {other}, not true or false"#))),
    };
    if let Some(unknown) = given
        .keys()
        .find(|k| !controls.iter().any(|c| &c.name == *k))
    {
        return Err(LiveError::UnknownControl {
            name: unknown.clone(),
            known: controls.iter().map(|c| c.name.clone()).collect(),
        });
    }
    let settings = controls
        .iter()
        .map(|c| setting(c, given))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = values(controls, settings);
    if draft {
        values.density = DRAFT_DENSITY;
    }
    Ok(values)
}

fn setting(control: &Control, given: &Map<String, Value>) -> Result<Setting, LiveError> {
    let name = &control.name;
    let value = given
        .get(name)
        .ok_or_else(|| LiveError::MissingValue { name: name.clone() })?;
    let wrong = || LiveError::WrongKind {
        name: name.clone(),
        kind: control.kind.name(),
        holds: control.kind.holds(),
        asked: match value {
            Value::Null => "null",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        },
    };
    match &control.kind {
        Kind::Slider { min, max, .. } => {
            let x = value.as_f64().ok_or_else(wrong)?;
            // A front end's slider, stepping from one end, may land a rounding error past the
            // other: such a value is that end.
            let slack = 1e-9 * (max - min);
            let x = if x < *min && x >= min - slack {
                *min
            } else if x > *max && x <= max + slack {
                *max
            } else {
                x
            };
            check_number(name, x, *min, *max)?;
            Ok(Setting::Number(x))
        }
        Kind::Checkbox { .. } => value.as_bool().map(Setting::Flag).ok_or_else(wrong),
        Kind::Dropdown { options, .. } => {
            let s = value.as_str().ok_or_else(wrong)?;
            check_choice(name, s, options)?;
            Ok(Setting::Choice(s.to_string()))
        }
    }
}

/// The last frame drawn on a connection and the values it was drawn for.
type LastFrame = Option<(Vec<Setting>, Figure)>;

/// The reply line to one request line (with its `\n`). A request for the values of `last`
/// (the sharp frame asked for once a slider rests, after its draft) reuses that frame rather
/// than calling the closure again, unless a sharp frame is asked for and `last` was drawn at
/// density 1 (a closure that draws at [`LiveValues::density`]).
fn answer<F, E>(line: &[u8], controls: &[Control], figure: &mut F, last: &mut LastFrame) -> String
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    let reply = parse_request(line, controls).and_then(|values| {
        let draft = values.density == DRAFT_DENSITY;
        let frame = match last.take() {
            Some((drawn, frame)) if drawn == values.settings && (draft || frame.density() > 1) => {
                frame
            }
            _ => render(figure, &values)?,
        };
        // Encoding cannot fail for a figure drawn; a panic in it is reported all the same.
        let reply = catch_unwind(AssertUnwindSafe(|| frame_reply(&frame, draft))).unwrap_or_else(
            |payload| {
                Err(LiveError::Panic {
                    message: panic_message(payload.as_ref()),
                })
            },
        );
        *last = Some((values.settings, frame));
        reply
    });
    reply
        .unwrap_or_else(|e| json!({"ok": false, "error": e.to_string()}))
        .to_string()
        + "\n"
}

/// A frame as the kernel shows it, in matplotlib's retina form: the PNG at the figure's
/// density as `image/png`, deflated for speed ([`Effort::Fast`], the same pixels as
/// [`Figure::png`]), or for a draft the pixels of [`Figure::png_1x`]; and the logical size as
/// the output's metadata, which the front end draws it at (a draft and a sharp frame alike).
fn frame_reply(frame: &Figure, draft: bool) -> Result<Value, LiveError> {
    let image = if draft {
        frame.image_1x()
    } else {
        Cow::Borrowed(frame.image())
    };
    let png = image
        .to_png_with(Effort::Fast)
        .map_err(|e| LiveError::Frame(e.into()))?;
    let metadata = json!({"image/png": {"width": frame.width(), "height": frame.height()}});
    Ok(json!({"ok": true, "data": {"image/png": to_base64(&png)}, "metadata": metadata}))
}

/// Serves connections one at a time, for as long as the process lives.
pub(crate) fn serve<F, E>(listener: UnixListener, controls: &[Control], figure: &mut F)
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => serve_connection(stream, controls, figure),
            // Out of file descriptors, say: wait, rather than spin.
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// Answers every request line of one connection, until it closes or fails.
fn serve_connection<F, E>(stream: UnixStream, controls: &[Control], figure: &mut F)
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    let mut last = None;
    loop {
        line.clear();
        match (&mut reader).take(MAX_REQUEST).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let complete = line.last() == Some(&b'\n');
        let reply = if !complete && line.len() as u64 >= MAX_REQUEST {
            let e = LiveError::BadRequest {
                reason: format!("longer than {MAX_REQUEST} bytes"),
            };
            json!({"ok": false, "error": e.to_string()}).to_string() + "\n"
        } else {
            answer(&line, controls, figure, &mut last)
        };
        if writer.write_all(reply.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
        if !complete {
            // The peer ended without a newline (or sent too much): nothing more to read.
            return;
        }
    }
}

/// A panic in a figure's closure on a serving thread is caught and reported in the reply; this
/// keeps the panic hook from also printing it on the process's stderr (a notebook would show it
/// under whatever cell runs then). Panics elsewhere print as before.
pub(crate) fn quiet_panics_on_live_threads() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let live = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with(THREAD_PREFIX));
            if !live {
                previous(info);
            }
        }));
    });
}
