//! RFC 4648 base32, decode only: the alphabet authenticator apps use for TOTP secrets.
//!
//! Written here rather than taken from a crate because it is twenty lines. It is lenient the
//! way authenticator apps are: case, spaces, dashes and trailing `=` padding are ignored.

/// Decodes `text`, or says which character is not base32.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for ch in text.trim_end_matches('=').chars() {
        if ch == ' ' || ch == '-' {
            continue;
        }
        let value = match ch.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            other => return Err(format!("`{other}` is not a base32 character (A-Z, 2-7)")),
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn the_rfc_4648_vectors_decode() {
        for (encoded, plain) in [
            ("", ""),
            ("MY======", "f"),
            ("MZXQ====", "fo"),
            ("MZXW6===", "foo"),
            ("MZXW6YQ=", "foob"),
            ("MZXW6YTB", "fooba"),
            ("MZXW6YTBOI======", "foobar"),
        ] {
            assert_eq!(decode(encoded).as_deref(), Ok(plain.as_bytes()), "{encoded}");
        }
    }

    #[test]
    fn case_spaces_and_dashes_are_ignored_and_bad_characters_named() {
        assert_eq!(decode("mzxw 6ytb-oi").as_deref(), Ok(&b"foobar"[..]));
        assert!(decode("MZ1W").unwrap_err().contains("`1`"));
    }
}
