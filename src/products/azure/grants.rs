//! The grants other than `Mfa`: `Password` (which may start an MFA challenge), `Refresh_token`,
//! and the scripted ones (`Updater_token`, `Saml`, `SsoToken`, `Authentication_code`), whose
//! accepted values the scenario lists.

use actix_web::HttpResponse;

use super::config::ScriptedGrantType;
use super::problem::AzureError;
use super::token::Grant;
use crate::tokens::Rotation;

/// Refusal detail for a wrong user name or password (the real text is not public).
pub(super) const BAD_CREDENTIALS: &str = "The user name or password is incorrect.";

impl Grant<'_> {
    /// `grant_type=Password`: tokens, or an MFA challenge for a user with MFA.
    pub(super) fn password(&self) -> Result<HttpResponse, AzureError> {
        let (username, password) = self.both("username", "password")?;
        let user = self
            .settings
            .find_user(username)
            .filter(|user| user.password.as_ref().is_some_and(|secret| secret.matches(password)))
            .ok_or_else(|| self.refused(BAD_CREDENTIALS))?;
        let short_lived = self.request.short_lived.unwrap_or(false);
        if user.mfa.is_some() {
            return self.challenge(user, short_lived);
        }
        self.sign_in(user, short_lived)
    }

    /// Both fields, or 400 naming every one missing.
    fn both(&self, first: &str, second: &str) -> Result<(&str, &str), AzureError> {
        match (self.request.required(first), self.request.required(second)) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(AzureError::Validation { mut errors }), Err(AzureError::Validation { errors: more })) => {
                errors.extend(more);
                Err(AzureError::Validation { errors })
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        }
    }

    /// `grant_type=Refresh_token`: a new pair; the old refresh token is used up (rotation) unless
    /// the scenario turns rotation off.
    pub(super) fn refresh(&self) -> Result<HttpResponse, AzureError> {
        let token = self.request.required("refresh_token")?;
        let rotation = if self.settings.refresh_rotation { Rotation::Rotate } else { Rotation::Reuse };
        let found = self
            .tokens
            .refresh(token, rotation)
            .map_err(|rejection| self.refused(rejection.refresh_reason()))?;
        let mut session = (*found.payload).clone();
        if let Some(short_lived) = self.request.short_lived {
            session.short_lived = short_lived;
        }
        self.issue(found.session, &session)
    }

    /// A scripted grant: the value must be listed for `grant` in `[[azure.grants]]`.
    pub(super) fn scripted(&self, grant: ScriptedGrantType, field: &str) -> Result<HttpResponse, AzureError> {
        let value = self.request.required(field)?;
        let found = self
            .settings
            .grants
            .iter()
            .enumerate()
            .find(|(_, scripted)| scripted.grant_type == grant && scripted.value.matches(value));
        let Some((index, scripted)) = found else {
            return Err(self.refused(&format!("The {field} is invalid.")));
        };
        if scripted.single_use && !self.world.azure().stores.spend_grant(index) {
            return Err(self.refused(&format!("The {field} has already been used.")));
        }
        let user = self.user(&scripted.user)?;
        self.sign_in(user, self.request.short_lived.unwrap_or(false))
    }

    /// `grant_type=Authentication_code` with `authorization_code`: a code from the issuer
    /// (single use, short-lived), or one the scenario lists.
    pub(super) fn authentication_code(&self) -> Result<HttpResponse, AzureError> {
        let code = self.request.required("authorization_code")?;
        let Some(issued) = self.world.azure().stores.take_code(code) else {
            return self.scripted(ScriptedGrantType::AuthenticationCode, "authorization_code");
        };
        if self.world.clock.now() >= issued.expires_at {
            return Err(self.refused("The authorization_code has expired."));
        }
        let user = self.user(&issued.username)?;
        self.sign_in(user, self.request.short_lived.unwrap_or(false))
    }
}
