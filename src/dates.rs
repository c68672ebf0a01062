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
