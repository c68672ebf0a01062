//! The legacy API (v1-v5, OWIN): opaque tokens and RFC 1123 dates, as seed 001 shows them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use crate::tokens::Randomness;

/// The DPAPI blob header every OWIN-protected ticket starts with (seed 001).
const DPAPI_HEADER: &str = "AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA";
/// Random bytes after the header: seed 001's tokens are about 600 characters long.
const BLOB_BYTES: usize = 420;

/// An opaque token shaped like an OWIN DPAPI-protected ticket.
pub(super) fn opaque_token(random: &Randomness) -> String {
    let mut blob = [0; BLOB_BYTES];
    random.fill(&mut blob);
    let mut token = String::with_capacity(DPAPI_HEADER.len() + BLOB_BYTES * 4 / 3 + 1);
    token.push_str(DPAPI_HEADER);
    URL_SAFE_NO_PAD.encode_string(blob, &mut token);
    token
}

/// .NET's `"R"` (RFC 1123) format, which OWIN writes for `.issued`/`.expires`:
/// `Tue, 04 Apr 2017 14:33:40 GMT`. (Seed 001 shows `Thu, 04 April 2017`, a hand-edited date
/// whose weekday and month name no .NET format produces.)
pub(super) fn rfc1123(at: OffsetDateTime) -> String {
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
    fn dates_are_rfc_1123_as_dotnet_writes_them() {
        assert_eq!(rfc1123(datetime!(2017-04-04 14:33:40.5 UTC)), "Tue, 04 Apr 2017 14:33:40 GMT");
        assert_eq!(rfc1123(datetime!(2024-08-07 15:56:22 UTC)), "Wed, 07 Aug 2024 15:56:22 GMT");
    }

    #[test]
    fn opaque_tokens_look_like_dpapi_blobs() {
        let token = opaque_token(&Randomness::new(Some(1)));
        assert!(token.starts_with("AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA"));
        assert_eq!(token.len(), 32 + 560);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
}
