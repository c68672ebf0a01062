//! TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps, which is what
//! VBAzure's Google-Authenticator MFA uses. Time comes from the scenario clock, so a test can
//! step over a code's window without sleeping.

use ring::hmac;

/// The length of one time step, in seconds.
pub(crate) const STEP_SECONDS: i64 = 30;
/// Steps accepted on each side of the current one (libpam-google-authenticator's default window
/// of 3 codes), to allow for clock skew between the appliance and the phone.
pub(crate) const WINDOW: i64 = 1;

/// The time step containing `unix_seconds`.
pub(crate) fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The HOTP value of `key` at `counter`, truncated to `digits` decimal digits.
pub(crate) fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let mac = tag.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let code = u32::from_be_bytes([mac[offset] & 0x7f, mac[offset + 1], mac[offset + 2], mac[offset + 3]]);
    format!("{:0width$}", code % 10u32.pow(digits), width = digits as usize)
}

/// The step within the window around `now_step` whose 6-digit code is `offered`, if any.
pub(crate) fn matching_step(key: &[u8], offered: &str, now_step: i64) -> Option<i64> {
    if offered.len() != 6 || !offered.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    (now_step - WINDOW..=now_step + WINDOW)
        .filter(|step| *step >= 0)
        .find(|step| hotp(key, *step as u64, 6) == offered)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn the_rfc_6238_sha1_vectors_match() {
        // RFC 6238 Appendix B, SHA1 column (8 digits).
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(hotp(SECRET, step_of(time) as u64, 8), expected, "T = {time}");
        }
    }

    #[test]
    fn the_rfc_4226_hotp_vectors_match_in_six_digits() {
        let expected = ["755224", "287082", "359152", "969429", "338314"];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(SECRET, counter as u64, 6), *code);
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_further() {
        let step = step_of(1_234_567_890);
        let code = hotp(SECRET, step as u64, 6);
        assert_eq!(matching_step(SECRET, &code, step), Some(step));
        assert_eq!(matching_step(SECRET, &code, step + 1), Some(step));
        assert_eq!(matching_step(SECRET, &code, step - 1), Some(step));
        assert_eq!(matching_step(SECRET, &code, step + 2), None);
        assert_eq!(matching_step(SECRET, "12345", step), None);
    }
}
