//! Human durations in scenario files: `"90s"`, `"60m"`, `"2h"`, `"1h 30m"`, and for offsets a
//! leading `-` (`"-2h"`).

/// Parses a non-negative duration such as `"90s"` or `"2h"`.
pub(crate) fn parse_duration(text: &str) -> Result<time::Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("a duration cannot be empty; write it like \"90s\", \"60m\" or \"2h\"".into());
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{trimmed}` has no unit; write it like \"{trimmed}s\", \"{trimmed}m\" or \"{trimmed}h\""
        ));
    }
    let std = humantime::parse_duration(trimmed).map_err(|err| {
        format!("`{trimmed}` is not a duration ({err}); write it like \"90s\", \"60m\" or \"2h\"")
    })?;
    time::Duration::try_from(std).map_err(|_| format!("`{trimmed}` is too long"))
}

/// Parses a duration that may be negative (`"-2h"`), for clock offsets.
pub(crate) fn parse_signed_duration(text: &str) -> Result<time::Duration, String> {
    match text.trim().strip_prefix('-') {
        Some(rest) => parse_duration(rest).map(|d| -d),
        None => parse_duration(text.trim().trim_start_matches('+')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_seconds_minutes_hours_and_days() {
        assert_eq!(parse_duration("90s"), Ok(time::Duration::seconds(90)));
        assert_eq!(parse_duration("60m"), Ok(time::Duration::minutes(60)));
        assert_eq!(parse_duration("2h"), Ok(time::Duration::hours(2)));
        assert_eq!(parse_duration("1h 30m"), Ok(time::Duration::minutes(90)));
        assert_eq!(parse_duration("14d"), Ok(time::Duration::days(14)));
    }

    #[test]
    fn offsets_may_be_negative() {
        assert_eq!(parse_signed_duration("-2h"), Ok(time::Duration::hours(-2)));
        assert_eq!(parse_signed_duration("+5m"), Ok(time::Duration::minutes(5)));
    }

    #[test]
    fn bare_numbers_and_garbage_are_refused_with_a_hint() {
        assert!(parse_duration("3600").unwrap_err().contains("no unit"));
        assert!(parse_duration("soon").unwrap_err().contains("\"60m\""));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-5m").is_err());
    }
}
