//! The mock's time range, and the one place instants are moved by a duration.
//!
//! Every instant the mock shows or stores lies in [`EARLIEST`]..=[`LATEST`] (the Unix epoch to the
//! last second of the year 9000), and every lifetime a scenario may give is at most
//! [`MAX_LIFETIME`] (100 years). The sum of the two (about the year 9100) is far inside what
//! `time::OffsetDateTime` can hold (the year 9999), so an expiry computed from any clock reading
//! and any lifetime is representable and formats as a four-digit year. Request paths still move
//! instants only through [`later`], which saturates instead of panicking, so that no value a
//! request meets can crash a worker even if these bounds were ever loosened.

use time::OffsetDateTime;
use time::macros::datetime;

/// The earliest instant the mock's clock shows: the Unix epoch (JWT `iat`/`exp` are never
/// negative).
pub(crate) const EARLIEST: OffsetDateTime = datetime!(1970-01-01 00:00:00 UTC);

/// The latest instant the mock's clock shows: the last second of the year 9000.
pub(crate) const LATEST: OffsetDateTime = datetime!(9000-12-31 23:59:59 UTC);

/// The longest lifetime (token, MFA challenge, authorization code, restore-session idle timeout)
/// a scenario may give: 100 years of 365 days.
pub(crate) const MAX_LIFETIME: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);

/// The range as messages show it.
pub(crate) const RANGE_TEXT: &str = "1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z";

/// `MAX_LIFETIME` as a scenario writes it, for messages.
pub(crate) const MAX_LIFETIME_TEXT: &str = "36500d (100 years)";

/// Whether `at` lies in the mock's time range.
pub(crate) fn contains(at: OffsetDateTime) -> bool {
    (EARLIEST..=LATEST).contains(&at)
}

/// `at` brought into the mock's time range (the nearer bound when outside).
pub(crate) fn clamp(at: OffsetDateTime) -> OffsetDateTime {
    at.clamp(EARLIEST, LATEST)
}

/// `at` moved forward by `by`, saturating at the largest instant `time` can hold rather than
/// panicking. Every expiry (`now + lifetime`) goes through here.
pub(crate) fn later(at: OffsetDateTime, by: std::time::Duration) -> OffsetDateTime {
    at.saturating_add(signed(by))
}

/// `at` moved by a signed `by`, saturating at the bounds of what `time` can hold.
pub(crate) fn shifted(at: OffsetDateTime, by: time::Duration) -> OffsetDateTime {
    at.saturating_add(by)
}

/// A std duration as a signed one; longer than `time` can hold (about 292 billion years) reads
/// as the longest it can.
pub(crate) fn signed(by: std::time::Duration) -> time::Duration {
    time::Duration::try_from(by).unwrap_or(time::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_expiry_is_representable_and_has_four_digits() {
        let furthest = later(LATEST, MAX_LIFETIME);
        assert!(furthest < OffsetDateTime::new_utc(time::Date::MAX, time::Time::MIDNIGHT));
        assert_eq!(furthest.year(), 9100);
    }

    #[test]
    fn moving_saturates_instead_of_panicking() {
        let huge = std::time::Duration::from_secs(u64::MAX);
        assert_eq!(later(LATEST, huge).year(), 9999);
        assert_eq!(shifted(EARLIEST, time::Duration::MIN).year(), -9999);
        assert!(!contains(later(LATEST, std::time::Duration::from_secs(1))));
        assert_eq!(clamp(later(LATEST, huge)), LATEST);
        assert_eq!(clamp(shifted(EARLIEST, -time::Duration::SECOND)), EARLIEST);
    }
}
