//! The documents a server was given besides its scenario's (`serve --openapi`, the builder's
//! `openapi_document`): kept in the World across resets and scenario loads, which change only
//! the scenario's own `[api] documents`.

use std::sync::Arc;

use parking_lot::RwLock;

use super::load::ApiDocument;
use super::section::ApiSection;
use crate::scenario::Scenario;
use crate::state::{ProductState, World};
use crate::tokens::Sessions;

/// The server's own documents.
#[derive(Debug, Default)]
pub(crate) struct DocumentStore {
    server: RwLock<Arc<Vec<ApiDocument>>>,
}

impl DocumentStore {
    /// An empty store, as the registry's list of states takes it.
    pub(crate) fn boxed(_scenario: &Scenario) -> Box<dyn ProductState> {
        Box::new(DocumentStore::default())
    }

    /// Sets the server's own documents (once, when the server is built).
    pub(crate) fn set_server_documents(&self, documents: Vec<ApiDocument>) {
        *self.server.write() = Arc::new(documents);
    }
}

impl ProductState for DocumentStore {
    fn sessions(&self) -> Option<&dyn Sessions> {
        None
    }

    /// Nothing to forget: the documents outlive a scenario, and a generated body is kept for
    /// its seed, so a scenario with another seed generates afresh.
    fn restart(&self, _scenario: &Scenario) {}
}

/// Gives `world` the server's own documents (once, when the server is built).
pub(crate) fn install(world: &World, documents: Vec<ApiDocument>) {
    if let Some(store) = world.product::<DocumentStore>() {
        store.set_server_documents(documents);
    }
}

/// Every document in force in `world`: the server's, then the scenario's, each with the
/// number of items a generated collection holds.
pub(crate) fn in_force(world: &World) -> (Vec<ApiDocument>, usize) {
    let scenario = world.scenario();
    let section = scenario.section::<ApiSection>();
    let mut documents: Vec<ApiDocument> = world
        .product::<DocumentStore>()
        .map(|store| store.server.read().as_ref().clone())
        .unwrap_or_default();
    let items = section.map_or(super::section::DEFAULT_ITEMS, |section| section.items);
    if let Some(section) = section {
        documents.extend(section.documents.iter().cloned());
    }
    (documents, items)
}
