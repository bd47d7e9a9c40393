//! Faults, durations and sizes written as text, as the control API and the `pipeline-world` flags take them.

use std::time::Duration;

use super::{Fault, RetryAfter};

impl std::str::FromStr for Fault {
    type Err = String;

    /// `status:503`, `429`, `429:7s` (Retry-After seconds), `429-date:2m` (HTTP-date), `reset`, `stall:3s`,
    /// `stall-body:3s`, `truncate`, `oversized:10MB`, `redirect-loop`, `redirect:URL`, `redirect-private`,
    /// `invalid-utf8`, `wrong-content-type`, `html`; a bare status code (`500`, `410`) works too.
    fn from_str(text: &str) -> Result<Fault, String> {
        let (kind, arg) = match text.trim().split_once(':') {
            Some((k, a)) => (k, Some(a)),
            None => (text.trim(), None),
        };
        let need = |what: &str| arg.ok_or_else(|| format!("fault `{kind}` needs `:{what}`"));
        Ok(match kind {
            "429" => match arg {
                Some(a) => Fault::TooManyRequests(RetryAfter::Seconds(parse_duration(a)?.as_secs())),
                None => Fault::TooManyRequests(RetryAfter::Absent),
            },
            "429-date" => Fault::TooManyRequests(RetryAfter::Date(parse_duration(need("DURATION")?)?)),
            "status" => Fault::Status(
                need("CODE")?
                    .parse()
                    .map_err(|_| format!("bad status in `{text}`"))?,
            ),
            "reset" => Fault::Reset,
            "stall" => Fault::Stall(parse_duration(need("DURATION")?)?),
            "stall-body" => Fault::StallBody(parse_duration(need("DURATION")?)?),
            "truncate" => Fault::Truncate,
            "oversized" => Fault::Oversized(parse_size(need("SIZE")?)?),
            "redirect-loop" => Fault::RedirectLoop,
            "redirect" => Fault::RedirectTo(need("URL")?.to_owned()),
            "redirect-private" => Fault::RedirectPrivate,
            "invalid-utf8" => Fault::InvalidUtf8,
            "wrong-content-type" => Fault::WrongContentType,
            "html" => Fault::HtmlInsteadOfJson,
            code if code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()) => {
                Fault::Status(code.parse().map_err(|_| format!("bad status `{code}`"))?)
            }
            other => return Err(format!("unknown fault `{other}`")),
        })
    }
}

/// `250ms`, `3s`, `2m`, `1h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let value: u64 = text[..digits]
        .parse()
        .map_err(|_| format!("bad duration `{text}`"))?;
    Ok(match &text[digits..] {
        "ms" => Duration::from_millis(value),
        "" | "s" => Duration::from_secs(value),
        "m" => Duration::from_secs(value * 60),
        "h" => Duration::from_secs(value * 3600),
        _ => return Err(format!("bad duration `{text}`")),
    })
}

/// `512`, `64KB`, `10MB` (binary multiples).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let value: usize = text[..digits].parse().map_err(|_| format!("bad size `{text}`"))?;
    Ok(match text[digits..].to_ascii_uppercase().as_str() {
        "" | "B" => value,
        "KB" | "K" => value * 1024,
        "MB" | "M" => value * 1024 * 1024,
        _ => return Err(format!("bad size `{text}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_from_text() {
        assert_eq!("status:503".parse(), Ok(Fault::Status(503)));
        assert_eq!("410".parse(), Ok(Fault::Status(410)));
        assert_eq!(
            "429:7s".parse(),
            Ok(Fault::TooManyRequests(RetryAfter::Seconds(7)))
        );
        assert_eq!(
            "429-date:2m".parse(),
            Ok(Fault::TooManyRequests(RetryAfter::Date(Duration::from_secs(120))))
        );
        assert_eq!(
            "stall:250ms".parse(),
            Ok(Fault::Stall(Duration::from_millis(250)))
        );
        assert_eq!("oversized:10MB".parse(), Ok(Fault::Oversized(10 * 1024 * 1024)));
        assert_eq!("reset".parse(), Ok(Fault::Reset));
        assert!("stall".parse::<Fault>().is_err());
        assert!("nope".parse::<Fault>().is_err());
    }
}
