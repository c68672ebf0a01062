//! Form bodies as ASP.NET Core's `[FromForm]` binding reads them, for the products built on it
//! (VBAzure, Backup & Replication): field names in any case, the first non-empty value of a
//! repeated name, an empty value read as absent, invalid UTF-8 replaced rather than refused,
//! booleans and enum members named in any case (members also by number, as .NET's enum
//! binding takes them). Each product maps what does not bind to its own error.

use super::media::media_type;

/// A form body's fields.
#[derive(Debug, Default)]
pub(crate) struct DotnetForm {
    fields: Vec<(String, String)>,
}

impl DotnetForm {
    /// Whether `content_type` is `application/x-www-form-urlencoded` (parameters aside).
    pub(crate) fn is_form(content_type: Option<&str>) -> bool {
        content_type
            .map(media_type)
            .unwrap_or_default()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    }

    /// Reads `body`; pairs never fail to decode.
    pub(crate) fn read(body: &[u8]) -> DotnetForm {
        DotnetForm { fields: serde_urlencoded::from_bytes(body).unwrap_or_default() }
    }

    /// A text field by name (any case); the first non-empty value of a repeated name wins, and
    /// an empty value counts as absent.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, value)| field.eq_ignore_ascii_case(name) && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// A boolean field: `None` when absent or empty, `Err` with the text sent when it is not
    /// `true` or `false` (in any case).
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, &str> {
        let Some(text) = self.text(name) else { return Ok(None) };
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
            t if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(text),
        }
    }
}

/// The member of a .NET enum that `text` names, in any case, or by its number (`members` in
/// declaration order).
pub(crate) fn enum_member<T: Copy>(members: &[(T, &str)], text: &str) -> Option<T> {
    let text = text.trim();
    if let Ok(number) = text.parse::<usize>() {
        return members.get(number).map(|(member, _)| *member);
    }
    members.iter().find(|(_, name)| name.eq_ignore_ascii_case(text)).map(|(member, _)| *member)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_flags_and_members_bind_as_aspnet_binds_them() {
        let form = DotnetForm::read(b"&Username=&username=admin&Flag=TRUE&bad=yes&pass=a%24+b%26");
        assert_eq!(form.text("USERNAME"), Some("admin"));
        assert_eq!(form.text("pass"), Some("a$ b&"));
        assert_eq!(form.flag("flag"), Ok(Some(true)));
        assert_eq!(form.flag("missing"), Ok(None));
        assert_eq!(form.flag("bad"), Err("yes"));
        let members = [(1, "Password"), (2, "Refresh_token")];
        assert_eq!(enum_member(&members, " refresh_TOKEN "), Some(2));
        assert_eq!(enum_member(&members, "0"), Some(1));
        assert_eq!(enum_member(&members, "2"), None);
        assert!(DotnetForm::is_form(Some("Application/X-WWW-Form-Urlencoded; charset=utf-8")));
        assert!(!DotnetForm::is_form(Some("application/json")));
        assert!(!DotnetForm::is_form(None));
    }
}
