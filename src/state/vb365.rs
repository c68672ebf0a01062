//! What the mock remembers for VB365: who each session is, and the restore sessions started.

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::clock::later;
use crate::scenario::Role;
use crate::tokens::SessionId;

/// What a VB365 login session remembers.
#[derive(Debug, Clone)]
pub(crate) struct Vb365Session {
    /// The scenario user's canonical name (the `name` claim and `userName`).
    pub(crate) user_name: String,
    /// The `credentialKey` claim: one per login, kept across refreshes.
    pub(crate) credential_key: String,
    /// The `credentialType` claim, from the grant used.
    pub(crate) credential_type: &'static str,
    /// The antiforgery token, unless the login sent `disable_antiforgery_token=true` (or used an
    /// API version without antiforgery).
    pub(crate) antiforgery: Option<String>,
    pub(crate) role: Role,
    /// The organization of a tenant user or operator.
    pub(crate) organization: Option<Uuid>,
}

/// The four Veeam Explorers a restore session can be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) enum ExploreType {
    /// Exchange.
    Vex,
    /// OneDrive for Business.
    Veod,
    /// SharePoint.
    Vesp,
    /// Teams.
    Vet,
}

impl ExploreType {
    /// Reads `vex`, `Vex`, `VEX`...
    pub(crate) fn parse(text: &str) -> Option<ExploreType> {
        match text.to_ascii_lowercase().as_str() {
            "vex" => Some(ExploreType::Vex),
            "veod" => Some(ExploreType::Veod),
            "vesp" => Some(ExploreType::Vesp),
            "vet" => Some(ExploreType::Vet),
            _ => None,
        }
    }
}

/// One restore session.
#[derive(Debug, Clone)]
pub(crate) struct RestoreSession {
    pub(crate) id: Uuid,
    pub(crate) organization: Uuid,
    pub(crate) organization_name: String,
    pub(crate) kind: ExploreType,
    pub(crate) created_at: OffsetDateTime,
    /// When it stopped; `None` while it works.
    pub(crate) ended_at: Option<OffsetDateTime>,
    /// The login session that started it (its logout stops it).
    pub(crate) owner: SessionId,
    pub(crate) initiated_by: String,
    pub(crate) reason: Option<String>,
    pub(crate) last_activity: OffsetDateTime,
    /// Bumped on every change, as the product's `eTag`.
    pub(crate) etag: i64,
}

impl RestoreSession {
    /// Stops a working session that has been idle for `idle` by `now`, as of its last activity.
    fn expire_if_idle(&mut self, now: OffsetDateTime, idle: Duration) {
        let deadline = later(self.last_activity, idle);
        if self.ended_at.is_none() && now >= deadline {
            self.stop(deadline);
        }
    }

    fn stop(&mut self, at: OffsetDateTime) {
        if self.ended_at.is_none() {
            self.ended_at = Some(at);
            self.etag += 1;
        }
    }
}

/// Every restore session started.
#[derive(Debug, Default)]
pub(crate) struct RestoreSessions {
    sessions: Mutex<HashMap<Uuid, RestoreSession>>,
}

impl RestoreSessions {
    /// Forgets every restore session (a reset).
    pub(crate) fn clear(&self) {
        self.sessions.lock().clear();
    }

    /// Remembers a new session.
    pub(crate) fn start(&self, session: RestoreSession) {
        self.sessions.lock().insert(session.id, session);
    }

    /// The session `id` as of `now` (stopped if it idled out), marking it active if it works.
    pub(crate) fn touch(&self, id: Uuid, now: OffsetDateTime, idle: Duration) -> Option<RestoreSession> {
        let mut sessions = self.sessions.lock();
        let session = sessions.get_mut(&id)?;
        session.expire_if_idle(now, idle);
        if session.ended_at.is_none() {
            session.last_activity = now;
        }
        Some(session.clone())
    }

    /// Stops session `id` (stopping a stopped session changes nothing).
    pub(crate) fn stop(&self, id: Uuid, now: OffsetDateTime, idle: Duration) -> Option<RestoreSession> {
        let mut sessions = self.sessions.lock();
        let session = sessions.get_mut(&id)?;
        session.expire_if_idle(now, idle);
        session.stop(now);
        Some(session.clone())
    }

    /// Stops every session started by login session `owner` (its logout).
    pub(crate) fn stop_owned_by(&self, owner: SessionId, now: OffsetDateTime, idle: Duration) {
        for session in self.sessions.lock().values_mut().filter(|s| s.owner == owner) {
            session.expire_if_idle(now, idle);
            session.stop(now);
        }
    }
}
