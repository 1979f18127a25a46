//! `GeneralizedTime` as CMP messages carry it.
//!
//! DER (X.690 11.7) requires `YYYYMMDDHHMMSS[.f*]Z`. Real peers send other forms: the Go client
//! in the Siemens samples writes `20240215205833+0100` in `messageTime`. The codec accepts the
//! local-offset form as well, keeps the exact bytes (so the message re-encodes unchanged and its
//! protection still verifies), and reports [`GeneralizedTime::is_der`] `false` so that a
//! conformance check can flag it. Anything else (missing seconds, bad digits, trailing zeros in
//! fractions of a `Z` time) is rejected.

use core::fmt;

/// A `GeneralizedTime` value, borrowed from the input or built from a UTC instant. Two values
/// are equal when their encodings are.
#[derive(Clone, Copy)]
pub struct GeneralizedTime<'a> {
    repr: Repr<'a>,
}

impl PartialEq for GeneralizedTime<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for GeneralizedTime<'_> {}

impl core::hash::Hash for GeneralizedTime<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state)
    }
}

#[derive(Clone, Copy)]
enum Repr<'a> {
    Parsed(&'a [u8]),
    Built([u8; 15]),
}

/// A broken-down UTC date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl UtcDateTime {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.year as i64, self.month as i64, self.day as i64);
        days * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + self.second as i64
    }

    /// The UTC date and time of a Unix timestamp.
    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            return None;
        }
        Some(UtcDateTime {
            year: y as u16,
            month: m as u8,
            day: d as u8,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        })
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

// Howard Hinnant's civil-date algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `true` when each of the eight octets of `w` is an ASCII digit: the high nibble is 3 and
/// adding 6 keeps it 3 (no carry crosses an octet once every high nibble is 3).
fn eight_digits(w: [u8; 8]) -> bool {
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const SIXES: u64 = 0x0606_0606_0606_0606;
    let w = u64::from_le_bytes(w);
    w & HIGH == THREES && (w + SIXES) & HIGH == THREES
}

struct Decoded {
    local: UtcDateTime,
    offset_minutes: i32,
    der: bool,
}

/// `YYYYMMDDHHMMSS`: fourteen digits (checked as two overlapping words) forming a valid date
/// and time of day.
#[inline(always)]
fn date_time(date: &[u8; 14]) -> Option<UtcDateTime> {
    let (lo, _) = date.split_first_chunk::<8>()?;
    let (_, hi) = date.split_last_chunk::<8>()?;
    if !eight_digits(*lo) || !eight_digits(*hi) {
        return None;
    }
    let two = |i: usize| (date[i] - b'0') * 10 + (date[i + 1] - b'0');
    let year = u16::from(two(0)) * 100 + u16::from(two(2));
    let (month, day, hour, minute, second) = (two(4), two(6), two(8), two(10), two(12));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(UtcDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// Whether `s` is a time [`decode`] accepts. The DER form of whole seconds
/// (`YYYYMMDDHHMMSSZ`, what CMP peers send) is checked without the general decoder.
#[inline(always)]
fn is_valid(s: &[u8]) -> bool {
    match s.split_first_chunk::<14>() {
        Some((date, b"Z")) => date_time(date).is_some(),
        _ => decode(s).is_some(),
    }
}

fn decode(s: &[u8]) -> Option<Decoded> {
    let (date, mut rest) = s.split_first_chunk::<14>()?;
    let local = date_time(date)?;
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        // DER: at least one digit, no trailing zero.
        if n == 0 || rest[n] == b'0' {
            return None;
        }
        rest = &rest[1 + n..];
    }
    let (offset_minutes, der) = match rest {
        [b'Z'] => (0, true),
        [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 4 => {
            let h = digits(&hh[0..2])? as i32;
            let m = digits(&hh[2..4])? as i32;
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 60 + m;
            (if *sign == b'+' { off } else { -off }, false)
        }
        _ => return None,
    };
    Some(Decoded {
        local,
        offset_minutes,
        der,
    })
}

impl<'a> GeneralizedTime<'a> {
    /// The DER form `YYYYMMDDHHMMSSZ` of a UTC instant; `None` if `t` is not a valid date in
    /// the years 0..=9999.
    pub fn new(t: UtcDateTime) -> Option<Self> {
        let s = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        );
        let b: [u8; 15] = s.as_bytes().try_into().ok()?;
        decode(&b)?;
        Some(GeneralizedTime {
            repr: Repr::Built(b),
        })
    }

    /// The DER form of a Unix timestamp (seconds since 1970-01-01T00:00:00Z).
    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        Self::new(UtcDateTime::from_unix_seconds(secs)?)
    }

    /// The characters as they are encoded.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.repr {
            Repr::Parsed(b) => b,
            Repr::Built(b) => b,
        }
    }

    /// The characters as text.
    pub fn as_str(&self) -> &str {
        // Validated as ASCII when parsed or built.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// `false` for the forms DER forbids but the codec tolerates (a local time offset).
    pub fn is_der(&self) -> bool {
        decode(self.as_bytes()).is_some_and(|d| d.der)
    }

    /// The instant in UTC (fractions of a second dropped).
    pub fn to_utc(&self) -> UtcDateTime {
        match decode(self.as_bytes()) {
            Some(d) => {
                let secs = d.local.unix_seconds() - i64::from(d.offset_minutes) * 60;
                UtcDateTime::from_unix_seconds(secs).unwrap_or(d.local)
            }
            // Unreachable: the bytes were validated when parsed or built.
            None => UtcDateTime {
                year: 0,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
            },
        }
    }
}

impl fmt::Debug for GeneralizedTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GeneralizedTime({:?})", self.as_str())
    }
}

impl<'a> asn1::SimpleAsn1Readable<'a> for GeneralizedTime<'a> {
    const TAG: asn1::Tag = <asn1::GeneralizedTime as asn1::SimpleAsn1Readable<'a>>::TAG;

    fn parse_data(data: &'a [u8]) -> asn1::ParseResult<Self> {
        if !is_valid(data) {
            return Err(asn1::ParseError::new(asn1::ParseErrorKind::InvalidValue));
        }
        Ok(GeneralizedTime {
            repr: Repr::Parsed(data),
        })
    }
}

impl asn1::SimpleAsn1Writable for GeneralizedTime<'_> {
    type Error = asn1::WriteError;
    const TAG: asn1::Tag = <asn1::GeneralizedTime as asn1::SimpleAsn1Readable<'static>>::TAG;

    fn write_data(&self, dest: &mut asn1::WriteBuf) -> asn1::WriteResult {
        dest.push_slice(self.as_bytes())
    }

    fn data_length(&self) -> Option<usize> {
        Some(self.as_bytes().len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields as the straightforward reading of X.680 gives them: fourteen digits, each
    /// field parsed on its own.
    fn reference_fields(s: &[u8]) -> Option<[u32; 6]> {
        let s = s.get(..14)?;
        let f = |r: core::ops::Range<usize>| digits(&s[r]);
        Some([
            f(0..4)?,
            f(4..6)?,
            f(6..8)?,
            f(8..10)?,
            f(10..12)?,
            f(12..14)?,
        ])
    }

    /// The word-wise digit check and field extraction agree with the octet-wise reading on
    /// every value of every octet of real and edge-case times.
    #[test]
    fn word_wise_digits_agree_with_octet_wise() {
        let samples: [&[u8]; 6] = [
            b"20261126215730Z",
            b"20240229000000Z",
            b"19000228235959Z",
            b"20240215205833+0100",
            b"20240215205833.123Z",
            b"99991231235959Z",
        ];
        for sample in samples {
            for i in 0..sample.len() {
                for v in 0..=255u8 {
                    let mut s = sample.to_vec();
                    s[i] = v;
                    assert_eq!(is_valid(&s), decode(&s).is_some(), "{s:?}");
                    let got = decode(&s).map(|d| {
                        let t = d.local;
                        let small = [t.month, t.day, t.hour, t.minute, t.second].map(u32::from);
                        [
                            u32::from(t.year),
                            small[0],
                            small[1],
                            small[2],
                            small[3],
                            small[4],
                        ]
                    });
                    if let Some(fields) = got {
                        assert_eq!(Some(fields), reference_fields(&s), "{s:?}");
                    } else if i < 14 && !v.is_ascii_digit() {
                        assert_eq!(reference_fields(&s), None, "{s:?}");
                    }
                }
                assert!(decode(sample).is_some());
                assert!(is_valid(sample));
            }
        }
        assert!(decode(b"2026112621573Z").is_none());
        assert!(decode(b"20260230000000Z").is_none());
        assert!(decode(b"20261126240000Z").is_none());
    }

    /// Which dates exist, read the plain way: days per month by a `match`, Gregorian leap
    /// years.
    fn reference_date_exists(year: u32, month: u32, day: u32) -> bool {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days).contains(&day)
    }

    /// `date_time` accepts exactly the dates that exist (every month and day number from 0 to
    /// 99, in leap, common and century years) and the times of day 00:00:00..23:59:59.
    #[test]
    fn calendar_agrees_with_reference() {
        for year in [
            0, 1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9996, 9999,
        ] {
            for month in 0..100 {
                for day in 0..100 {
                    let s = format!("{year:04}{month:02}{day:02}235959");
                    let date: &[u8; 14] = s.as_bytes().try_into().unwrap();
                    let expected = reference_date_exists(year, month, day);
                    assert_eq!(date_time(date).is_some(), expected, "{s}");
                }
            }
        }
        for (hms, ok) in [("000000", true), ("235959", true), ("240000", false)] {
            let s = format!("20240229{hms}");
            assert_eq!(date_time(s.as_bytes().try_into().unwrap()).is_some(), ok);
        }
        for hms in ["236000", "235960"] {
            let s = format!("20240229{hms}");
            assert!(date_time(s.as_bytes().try_into().unwrap()).is_none());
        }
    }
}
