//! The control plane's engines: the fault plan (which requests fail, and how) and the request
//! journal (what was asked and answered). They know nothing about HTTP or products: the HTTP
//! layer (`crate::http::control`) feeds them facts about each request and acts on their
//! decisions; `MockServer` and the admin API are two faces over the same objects.

mod journal;
mod mask;
mod plan;

pub(crate) use journal::NewEntry;
pub use journal::{Journal, JournalEntry, JournalQuery};
pub(crate) use mask::{mask_body, mask_header, mask_query};
pub(crate) use plan::{Decision, RequestFacts};
pub use plan::{FaultId, FaultPlan, FaultPlanFull, FaultState};
