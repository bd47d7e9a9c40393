//! SQLite's time text written and read without chrono's format machinery: the exact text diesel writes
//! (`%F %T%.f%:z` of the time in UTC: `2026-12-03 07:30:00+00:00`, a fraction only when there is one, in 3,
//! 6 or 9 digits), which the ingestion stage writes and reads by the hundred thousand. Anything else (a
//! year outside 0–9999, another offset, another spelling) goes through diesel's own code.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};

/// The text diesel's `%F %T%.f%:z` gives `time`, or `None` when its year is outside 0–9999.
pub(super) fn format(time: &DateTime<Utc>) -> Option<String> {
    let year = u32::try_from(time.year()).ok().filter(|y| *y <= 9999)?;
    let mut out = String::with_capacity(35);
    push_digits(&mut out, year, 4);
    let (month, day) = (time.month(), time.day());
    let (hour, minute, second) = (time.hour(), time.minute(), time.second());
    let nanos = time.nanosecond();
    out.push('-');
    push_digits(&mut out, month, 2);
    out.push('-');
    push_digits(&mut out, day, 2);
    out.push(' ');
    push_digits(&mut out, hour, 2);
    out.push(':');
    push_digits(&mut out, minute, 2);
    out.push(':');
    // A leap second is 60 (chrono keeps it in the nanoseconds).
    push_digits(&mut out, second + nanos / 1_000_000_000, 2);
    let nanos = nanos % 1_000_000_000;
    if nanos != 0 {
        out.push('.');
        if nanos.is_multiple_of(1_000_000) {
            push_digits(&mut out, nanos / 1_000_000, 3);
        } else if nanos.is_multiple_of(1_000) {
            push_digits(&mut out, nanos / 1_000, 6);
        } else {
            push_digits(&mut out, nanos, 9);
        }
    }
    out.push_str("+00:00");
    Some(out)
}

fn push_digits(out: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = value / 10u32.pow(position) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Reads [`format`]'s text (`YYYY-MM-DD HH:MM:SS[.f…]+00:00`, 1 to 9 fraction digits); `None` for any other.
pub(super) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let body = b.strip_suffix(b"+00:00")?;
    if body.len() < 19 || body[4] != b'-' || body[7] != b'-' || body[10] != b' ' {
        return None;
    }
    if body[13] != b':' || body[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        body[range].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(number(0..4)?).ok()?, number(5..7)?, number(8..10)?)?;
    let nanos = match &body[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(20..body.len())? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let time = match second {
        60 => NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000 + nanos)?,
        _ => NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?,
    };
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{Duration, TimeZone};

    use super::*;

    /// What diesel (chrono's `%F %T%.f%:z`) writes.
    fn chrono_text(time: &DateTime<Utc>) -> String {
        time.format("%F %T%.f%:z").to_string()
    }

    #[test]
    fn the_text_is_diesels_and_reads_back() {
        let base = Utc.with_ymd_and_hms(2026, 12, 3, 7, 30, 5).unwrap();
        let nanos = [
            0,
            1,
            120,
            5_000,
            123_456,
            7_000_000,
            999_999_999,
            100_000_000,
            20_000,
        ];
        let years = [
            Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
        ];
        for time in nanos
            .iter()
            .map(|n| base + Duration::nanoseconds(*n))
            .chain(years)
        {
            let text = format(&time).unwrap();
            assert_eq!(text, chrono_text(&time));
            assert_eq!(parse(&text), Some(time), "{text}");
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        assert_eq!(format(&leap).unwrap(), chrono_text(&leap));
        assert_eq!(parse(&format(&leap).unwrap()), Some(leap));
        let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(format(&far), None);
    }

    #[test]
    fn other_spellings_are_left_to_diesel() {
        for text in [
            "2026-12-03T07:30:00+00:00",
            "2026-12-03 07:30:00",
            "2026-12-03 07:30:00+01:00",
            "2026-12-03 07:30:00.+00:00",
            "2026-12-03 07:30:00.1234567890+00:00",
            "2026-13-03 07:30:00+00:00",
            "2026-12-03 7:30:00+00:00",
            "",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        let text = "2026-12-03 07:30:00.5+00:00";
        assert_eq!(
            parse(text),
            Some(Utc.with_ymd_and_hms(2026, 12, 3, 7, 30, 0).unwrap() + Duration::milliseconds(500))
        );
    }
}
