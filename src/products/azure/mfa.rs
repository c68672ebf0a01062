//! Two-step MFA: the password step's challenge (200 with an `mfa_token` and no tokens) and the
//! `grant_type=Mfa` step that answers it with a fixed code, a one-time scratch code or a real
//! TOTP code computed on the scenario clock.
//!
//! A challenge lives `azure.mfa_token_lifetime`; a wrong code leaves it open (the user may
//! retype), a right one ends it, so its `mfa_token` cannot be replayed.

use actix_web::HttpResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::config::{AzureUser, MfaSettings};
use super::problem::AzureError;
use super::state::Challenge;
use super::token::{Grant, token_response};
use super::totp;
use super::wire::{Login, MIN_DATE};
use crate::clock::later;

impl Grant<'_> {
    /// The password step's answer for a user with MFA.
    pub(super) fn challenge(&self, user: &AzureUser, short_lived: bool) -> Result<HttpResponse, AzureError> {
        let token = self.mfa_token();
        let now = self.world.clock.now();
        let challenge = Challenge {
            username: user.username.clone(),
            short_lived,
            expires_at: later(now, self.settings.mfa_token_lifetime),
        };
        self.world.azure().stores.add_challenge(token.clone(), challenge, now);
        let body = Login {
            access_token: None,
            token_type: "bearer",
            refresh_token: None,
            expires_in: 0,
            issued: MIN_DATE.to_owned(),
            expires: MIN_DATE.to_owned(),
            user_id: user.id,
            username: &user.username,
            role_name: user.role.name(),
            user_type: user.user_type.name(),
            latest_news_shown: user.latest_news_shown,
            mfa_enabled: true,
            mfa_token: Some(&token),
            redirect_to: None,
            // The documentation's challenge shows `false` whatever was asked; the flag is kept
            // for the second step.
            short_lived: false,
        };
        token_response(&body)
    }

    /// An `mfa_token` like the product's: base64 of 64 upper-case hex digits.
    fn mfa_token(&self) -> String {
        let mut bytes = [0u8; 32];
        self.world.random.fill(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        STANDARD.encode(hex)
    }

    /// `grant_type=Mfa`: answers a pending challenge.
    pub(super) fn mfa(&self) -> Result<HttpResponse, AzureError> {
        let token = self.request.required("mfa_token");
        let code = self.request.required("mfa_code");
        let (token, code) = match (token, code) {
            (Ok(token), Ok(code)) => (token, code),
            (Err(AzureError::Validation { mut errors }), Err(AzureError::Validation { errors: more })) => {
                errors.extend(more);
                return Err(AzureError::Validation { errors });
            }
            (Err(error), _) | (_, Err(error)) => return Err(error),
        };
        let stores = &self.world.azure().stores;
        let challenge = stores.challenge(token).ok_or_else(|| self.refused("The MFA token is invalid."))?;
        if self.world.clock.now() >= challenge.expires_at {
            stores.end_challenge(token);
            return Err(self.refused("The MFA token has expired."));
        }
        let user = self.user(&challenge.username)?;
        let Some(mfa) = &user.mfa else { return Err(self.refused("MFA is not enabled for the user.")) };
        if !self.code_is_good(user, mfa, code.trim()) {
            return Err(self.refused("The verification code is incorrect."));
        }
        // Ending the challenge is the commit point: of two concurrent answers one wins.
        let challenge =
            stores.end_challenge(token).ok_or_else(|| self.refused("The MFA token is invalid."))?;
        self.sign_in(user, challenge.short_lived || self.request.short_lived.unwrap_or(false))
    }

    fn code_is_good(&self, user: &AzureUser, mfa: &MfaSettings, code: &str) -> bool {
        let stores = &self.world.azure().stores;
        if mfa.codes.iter().any(|fixed| fixed.matches(code)) {
            return true;
        }
        if mfa.scratch_codes.iter().any(|scratch| scratch.matches(code)) {
            return stores.spend_scratch_code(&user.username, code);
        }
        let Some(key) = &mfa.totp_key else { return false };
        let now_step = totp::step_of(self.world.clock.now().unix_timestamp());
        totp::matching_step(&key.0, code, now_step)
            .is_some_and(|step| stores.use_totp_step(&user.username, step))
    }
}
