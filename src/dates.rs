//! Date formats the products write.
//!
//! The instants formatted here are the clock's (1970 to 9000) or an expiry at most 100 years
//! later (see [`crate::clock`]), so years have four digits; the formats would still not panic on
//! any instant `time` can hold (years -9999 to 9999).

use time::OffsetDateTime;

/// .NET's round-trip UTC format with seven fractional digits: `2024-08-07T15:56:22.9188632Z`
/// (seed 000's `.issued`/`.expires`).
pub(crate) fn dotnet_utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanosecond() / 100
    )
}

/// ISO 8601 in the local time of `offset`, with the offset written out (`+02:00`, never `Z`):
/// whole seconds (VBR's `.issued`, `2025-04-24T15:24:18+02:00`), or with .NET's seven fraction
/// digits when `fraction` (VBR's `serverTime`, `2024-01-25T18:31:50.7300443+01:00`).
pub(crate) fn iso_with_offset(at: OffsetDateTime, offset: time::UtcOffset, fraction: bool) -> String {
    // At the very ends of the range an offset could leave it: write UTC there.
    let (at, offset) = at
        .checked_to_offset(offset)
        .map_or((at.to_offset(time::UtcOffset::UTC), time::UtcOffset::UTC), |local| (local, offset));
    let (hours, minutes, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    let fraction = if fraction { format!(".{:07}", at.nanosecond() / 100) } else { String::new() };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{sign}{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        hours.unsigned_abs(),
        minutes.unsigned_abs()
    )
}

/// The `MM/dd/yyyy HH:mm:ss` form ASP.NET Core puts in "The token expired at '...'".
pub(crate) fn dotnet_invariant(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
        u8::from(at.month()),
        at.day(),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// .NET's `"R"` (RFC 1123) format, which OWIN writes for `.issued`/`.expires`:
/// `Tue, 04 Apr 2017 14:33:40 GMT`. (Seed 001 shows `Thu, 04 April 2017`, a hand-edited date
/// whose weekday and month name no .NET format produces.)
pub(crate) fn rfc1123(at: OffsetDateTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[usize::from(at.weekday().number_days_from_monday())],
        at.day(),
        MONTHS[usize::from(u8::from(at.month()) - 1)],
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn seven_fractional_digits_and_a_z() {
        assert_eq!(dotnet_utc(datetime!(2024-08-07 15:56:22.9188632 UTC)), "2024-08-07T15:56:22.9188632Z");
        assert_eq!(dotnet_utc(datetime!(2024-08-07 15:56:22 +02:00)), "2024-08-07T13:56:22.0000000Z");
        assert_eq!(dotnet_invariant(datetime!(2024-08-07 16:56:22.5 UTC)), "08/07/2024 16:56:22");
    }

    #[test]
    fn iso_with_an_explicit_offset() {
        let at = datetime!(2025-04-24 13:24:18.7300443 UTC);
        assert_eq!(iso_with_offset(at, time::macros::offset!(+2), false), "2025-04-24T15:24:18+02:00");
        assert_eq!(iso_with_offset(at, time::UtcOffset::UTC, false), "2025-04-24T13:24:18+00:00");
        assert_eq!(
            iso_with_offset(at, time::macros::offset!(-5:30), true),
            "2025-04-24T07:54:18.7300443-05:30"
        );
    }

    #[test]
    fn rfc_1123_as_dotnet_writes_it() {
        assert_eq!(rfc1123(datetime!(2017-04-04 14:33:40.5 UTC)), "Tue, 04 Apr 2017 14:33:40 GMT");
        assert_eq!(rfc1123(datetime!(2024-08-07 15:56:22 UTC)), "Wed, 07 Aug 2024 15:56:22 GMT");
    }

    #[test]
    fn the_furthest_instants_format_without_panicking() {
        let last = time::PrimitiveDateTime::MAX.assume_utc();
        assert_eq!(dotnet_utc(last), "9999-12-31T23:59:59.9999999Z");
        assert_eq!(dotnet_invariant(last), "12/31/9999 23:59:59");
        assert_eq!(rfc1123(last), "Fri, 31 Dec 9999 23:59:59 GMT");
        let first = time::PrimitiveDateTime::MIN.assume_utc();
        assert_eq!(rfc1123(first), "Mon, 01 Jan -9999 00:00:00 GMT");
    }
}
