//! Date formats the products write.

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
}
