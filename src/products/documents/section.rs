//! The scenario's `[api]` table: the OpenAPI documents whose operations the mock serves
//! (paths relative to the scenario file) and how many items a generated collection holds.
//!
//! ```toml
//! [api]
//! documents = ["vbr_rest_1.3-rev2.json"]
//! items = 5
//! ```

use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use toml::Spanned;

use super::load::ApiDocument;
use crate::scenario::{Checker, Scenario, Section, SectionDoc, SectionParser, UncheckedSection};

/// The `[api]` parser, for the scenario parser's list.
pub(crate) static SECTION: ApiSectionParser = ApiSectionParser;

/// How many documents a scenario may load (each is held whole in memory).
const MAX_DOCUMENTS: usize = 16;

/// The most items a generated collection may hold.
const MAX_ITEMS: usize = 1000;

/// How many items a generated collection holds unless `items` says otherwise.
pub(crate) const DEFAULT_ITEMS: usize = 5;

/// The validated `[api]` table.
#[derive(Debug, Clone)]
pub(crate) struct ApiSection {
    /// The documents, in the order written.
    pub(crate) documents: Vec<ApiDocument>,
    /// How many items a generated collection holds (before paging).
    pub(crate) items: usize,
}

impl Default for ApiSection {
    fn default() -> ApiSection {
        ApiSection { documents: Vec::new(), items: DEFAULT_ITEMS }
    }
}

/// Reads and validates `[api]`.
#[derive(Debug)]
pub(crate) struct ApiSectionParser;

#[derive(Deserialize)]
struct Doc {
    api: Option<RawApi>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApi {
    documents: Option<Spanned<Vec<Spanned<String>>>>,
    items: Option<Spanned<i64>>,
}

impl SectionParser for ApiSectionParser {
    fn key(&self) -> &'static str {
        "api"
    }

    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error> {
        let Doc { api } = Doc::deserialize(doc)?;
        Ok(Box::new(move |check: &mut Checker| -> Section {
            match api {
                None => DEFAULT.clone(),
                Some(raw) => Arc::new(check_api(check, raw)),
            }
        }))
    }

    fn default_section(&self) -> Section {
        DEFAULT.clone()
    }
}

impl Scenario {
    /// The OpenAPI documents the scenario's `[api] documents` loads, in the order written.
    pub fn documents(&self) -> &[ApiDocument] {
        self.section::<ApiSection>().map_or(&[], |section| section.documents.as_slice())
    }
}

static DEFAULT: LazyLock<Arc<ApiSection>> = LazyLock::new(Arc::default);

fn check_api(check: &mut Checker, raw: RawApi) -> ApiSection {
    let mut section = ApiSection::default();
    if let Some(items) = raw.items {
        let span = items.span();
        match usize::try_from(*items.get_ref()) {
            Ok(items) if items <= MAX_ITEMS => section.items = items,
            _ => check.report("api.items", span, format!("must be between 0 and {MAX_ITEMS}")),
        }
    }
    let Some(documents) = raw.documents else { return section };
    let documents = check.capped("api.documents", documents.into_inner(), MAX_DOCUMENTS, Spanned::span);
    for (index, name) in documents.into_iter().enumerate() {
        let span = name.span();
        match ApiDocument::from_path(check.file_path(name.get_ref())) {
            Ok(document) => {
                let taken = section.documents.iter().find(|other| {
                    other.product() == document.product() && other.version() == document.version()
                });
                match taken {
                    Some(other) => check.report(
                        format!("api.documents[{index}]"),
                        span,
                        format!(
                            "{} {} is loaded already (from {}); load each version once",
                            document.product(),
                            document.version(),
                            other.source()
                        ),
                    ),
                    None => section.documents.push(document),
                }
            }
            Err(err) => check.report(format!("api.documents[{index}]"), span, err.to_string()),
        }
    }
    section
}

#[cfg(test)]
mod tests {
    use crate::products::sections::problems;

    #[test]
    fn a_missing_document_and_a_bad_item_count_are_reported_with_their_lines() {
        let found = problems("[api]\ndocuments = [\"no-such-file.json\"]\nitems = -1\n");
        let listed: Vec<(String, Option<usize>)> = found.iter().map(|p| (p.path.clone(), p.line)).collect();
        assert_eq!(
            listed,
            [("api.documents[0]".to_owned(), Some(2)), ("api.items".to_owned(), Some(3))],
            "problems come in line order: {found:?}"
        );
        assert!(found[0].message.contains("no-such-file.json: cannot read it"), "{}", found[0].message);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let found = problems("[api]\ndocument = []\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("document"), "{}", found[0].message);
    }
}
