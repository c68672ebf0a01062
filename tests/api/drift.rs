//! `veeam-auth-mock drift`: what changed between two versions of an OpenAPI document, on the
//! small documents in `tests/fixtures/openapi/` (never Veeam's own; `tests/official/drift.sh`
//! runs it on those), whole or narrowed to a journal's calls, as text and JSON, and what it
//! refuses.

use std::process::{Command, Output};

use serde_json::{Value, json};
use veeam_auth_mock::apispec::{Document, MAX_DEPTH, diff};
use veeam_auth_mock::{MockServer, Scenario};

const BIN: &str = env!("CARGO_BIN_EXE_veeam-auth-mock");

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/openapi/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn drift(args: &[&str]) -> Output {
    Command::new(BIN).arg("drift").args(args).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn document(json: Value) -> Document {
    Document::from_value(&json).expect("an OpenAPI 3 document")
}

/// Every kind of change, each on its own line, in the report's order, and the summary.
#[test]
fn the_text_report_lists_every_change_and_counts_them() {
    let output = drift(&[&fixture("old.json"), &fixture("new.json")]);

    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "\
operation removed: DELETE /api/v1/Things/{id}
newly required: GET /api/v1/Things: header parameter x-api-version
newly required: GET /api/v1/Things: query parameter filter
newly required: GET /api/v1/Things: query parameter limit
newly required: POST /api/v1/Things: body field kind
newly required: POST /api/v1/Things: body field name
newly required: POST /api/v1/Things: body field options.mode
newly required: PUT /api/v1/Things/{id}: request body
newly required: PUT /api/v1/Things/{id}: body field kind
newly required: PUT /api/v1/Things/{id}: body field name
newly required: PUT /api/v1/Things/{id}: body field options.mode
response field removed: POST /api/oauth2/token: response field token_type
response field removed: GET /api/v1/Things: response field data[].legacyCode
response field removed: GET /api/v1/Things: response field data[].owner.email
response field removed: GET /api/v1/Things: response field data[].stats
response field removed: POST /api/v1/Things: response field legacyCode
response field removed: POST /api/v1/Things: response field owner.email
response field removed: POST /api/v1/Things: response field stats
response field removed: GET /api/v1/Things/{id}: response field legacyCode
response field removed: GET /api/v1/Things/{id}: response field owner.email
response field removed: GET /api/v1/Things/{id}: response field stats
enum value removed: POST /api/oauth2/token: body field grant_type: vbr_token
enum value removed: GET /api/v1/Things: query parameter type: Crate
enum value removed: GET /api/v1/Things: response field data[].state: Retired
enum value removed: POST /api/v1/Things: body field type: Crate
enum value removed: POST /api/v1/Things: response field state: Retired
enum value removed: GET /api/v1/Things/{id}: response field state: Retired
enum value removed: PUT /api/v1/Things/{id}: body field type: Crate
enum case changed: POST /api/oauth2/token: body field grant_type: password -> Password
enum case changed: POST /api/oauth2/token: body field grant_type: refresh_token -> Refresh_token
operation added: GET /api/v1/widgets
summary: 31 changes (operation removed: 1, newly required: 10, response field removed: 10, enum value removed: 7, enum case changed: 2, operation added: 1); OLD 1.0 has 7 operations, NEW 1.1 has 7
"
    );
}

/// What the report leaves out on purpose: a required field inside an object that is new and
/// optional (no client sends it yet), the fields of a removed response object, a renamed path
/// parameter, a path that changed only in case or by a trailing slash, and the recursive
/// folder schema, the same in both.
#[test]
fn what_cannot_break_a_client_is_not_listed() {
    let text = stdout(&drift(&[&fixture("old.json"), &fixture("new.json")]));

    assert!(!text.contains("schedule"), "{text}");
    assert!(!text.contains("stats."), "{text}");
    assert!(!text.contains("thingId") && !text.contains("folders"), "{text}");
}

/// VB365 writes its version into every path (`/v6/Jobs`, `/v7/Jobs`): a segment equal to the
/// document's `info.version` stands for the version, so the operations still match.
#[test]
fn a_version_segment_in_the_paths_is_not_a_change() {
    let output = drift(&[&fixture("versioned-v6.json"), &fixture("versioned-v7.json")]);

    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "summary: 0 changes (operation removed: 0, newly required: 0, response field removed: 0, \
         enum value removed: 0, enum case changed: 0, operation added: 0); OLD v6 has 2 operations, NEW v7 has 2\n"
    );
}

/// The journal keeps the operations the suite called (matched case-insensitively, trailing
/// slash tolerated) and, where it shows what was sent, drops what cannot concern the calls:
/// `limit` is already sent, `vbr_token` and the `type` values never are.
#[test]
fn a_journal_narrows_the_report_to_the_suites_calls() {
    let output = drift(&[&fixture("old.json"), &fixture("new.json"), "--journal", &fixture("journal.json")]);

    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "\
operation removed: DELETE /api/v1/Things/{id}
newly required: GET /api/v1/Things: header parameter x-api-version
newly required: GET /api/v1/Things: query parameter filter
response field removed: POST /api/oauth2/token: response field token_type
response field removed: GET /api/v1/Things: response field data[].legacyCode
response field removed: GET /api/v1/Things: response field data[].owner.email
response field removed: GET /api/v1/Things: response field data[].stats
response field removed: GET /api/v1/Things/{id}: response field legacyCode
response field removed: GET /api/v1/Things/{id}: response field owner.email
response field removed: GET /api/v1/Things/{id}: response field stats
enum value removed: GET /api/v1/Things: response field data[].state: Retired
enum value removed: GET /api/v1/Things/{id}: response field state: Retired
enum case changed: POST /api/oauth2/token: body field grant_type: password -> Password
enum case changed: POST /api/oauth2/token: body field grant_type: refresh_token -> Refresh_token
summary: 14 changes (operation removed: 1, newly required: 2, response field removed: 7, enum value removed: 2, enum case changed: 2, operation added: 0); OLD 1.0 has 7 operations, NEW 1.1 has 7
journal: 4 of the 5 operations your suite calls change in NEW (7 calls in the journal, 1 reaching no operation of OLD)
"
    );
}

#[test]
fn the_json_report_has_the_documents_the_counts_and_every_change() {
    let output =
        drift(&[&fixture("old.json"), &fixture("new.json"), "--journal", &fixture("journal.json"), "--json"]);

    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["old"], json!({"title": "Drift fixture", "version": "1.0", "operations": 7}));
    assert_eq!(report["new"]["version"], "1.1");
    assert_eq!(
        report["summary"],
        json!({
            "changes": 14, "operation_removed": 1, "newly_required": 2, "response_field_removed": 7,
            "enum_value_removed": 2, "enum_case_changed": 2, "operation_added": 0,
        })
    );
    assert_eq!(
        report["journal"],
        json!({"calls": 7, "unmatched_calls": 1, "operations": 5, "changed_operations": 4})
    );
    let changes = report["changes"].as_array().expect("a list");
    assert_eq!(changes.len(), 14);
    assert_eq!(
        changes[0],
        json!({"kind": "operation_removed", "method": "DELETE", "path": "/api/v1/Things/{id}"})
    );
    assert_eq!(
        changes[1],
        json!({
            "kind": "newly_required", "method": "GET", "path": "/api/v1/Things",
            "place": {"parameter": {"in": "header", "name": "x-api-version"}},
        })
    );
    assert_eq!(
        changes[12],
        json!({
            "kind": "enum_case_changed", "method": "POST", "path": "/api/oauth2/token",
            "place": {"body_field": {"field": "grant_type"}}, "old_value": "password", "new_value": "Password",
        })
    );
}

#[test]
fn a_file_that_is_not_an_openapi_3_json_document_exits_2() {
    let dir = std::env::temp_dir().join(format!("vam-drift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = dir.join("notes.json");
    std::fs::write(&text, "not JSON at all").expect("write");
    let array = dir.join("array.json");
    std::fs::write(&array, "[]").expect("write");
    let good = fixture("old.json");
    let missing = dir.join("missing.json");

    let cases = [
        (fixture("not-openapi.json"), "not-openapi.json: not an OpenAPI 3 document: a Swagger 2 document"),
        (text.display().to_string(), "notes.json: not a JSON document: expected ident at line 1 column 2"),
        (array.display().to_string(), "array.json: not an OpenAPI document: the JSON is not an object"),
        (missing.display().to_string(), "cannot read"),
    ];
    for (file, message) in cases {
        let output = drift(&[&good, &file]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(output.stdout.is_empty(), "{file}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("veeam-auth-mock: ") && stderr.contains(message), "{stderr}");
    }
    let output = drift(&[&good, &good, "--journal", &good]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a journal export: no `entries` list"));
    let _ = std::fs::remove_dir_all(dir);
}

/// `$ref`s to parameters, request bodies, responses and schemas, through `allOf`, all count.
#[test]
fn references_are_followed_everywhere() {
    let old = Document::from_slice(&std::fs::read(fixture("old.json")).expect("read")).expect("loads");
    let thing =
        old.operations.iter().find(|o| o.method == "GET" && o.path == "/api/v1/Things/{id}").expect("op");

    assert!(thing.parameters.contains_key("path:id"));
    let fields: Vec<&str> = thing.response.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "id",
            "legacyCode",
            "name",
            "owner",
            "owner.email",
            "owner.name",
            "state",
            "stats",
            "stats.count",
            "stats.size"
        ]
    );
    assert_eq!(thing.response["state"].enum_values, ["Active", "Retired", "Draft"]);
    let token = old.operations.iter().find(|o| o.path == "/api/oauth2/token").expect("op");
    assert!(token.body_required && token.body["grant_type"].required && !token.body["username"].required);
}

/// A schema that contains itself (directly, through another, or through an array) is
/// expanded once on each way down, and a deep one stops at `MAX_DEPTH` levels.
#[test]
fn recursive_and_deep_schemas_end() {
    let mut deep = json!({"type": "string"});
    for _ in 0..MAX_DEPTH + 4 {
        deep = json!({"type": "object", "properties": {"a": deep}});
    }
    let spec = document(json!({
        "openapi": "3.0.3",
        "paths": {
            "/folders": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Folder"}}}}}}},
            "/deep": {"get": {"responses": {"200": {"content": {"application/json": {"schema": deep}}}}}},
        },
        "components": {"schemas": {
            "Folder": {"type": "object", "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Folder"}},
                "owner": {"$ref": "#/components/schemas/User"},
            }},
            "User": {"type": "object", "properties": {"home": {"$ref": "#/components/schemas/Folder"}}},
        }},
    }));

    let folder: Vec<&str> = spec.operations[0].response.keys().map(String::as_str).collect();
    assert_eq!(folder, ["children", "name", "owner", "owner.home"]);
    let deepest = spec.operations[1].response.keys().max_by_key(|path| path.len()).expect("fields");
    assert_eq!(deepest.split('.').count(), MAX_DEPTH);
}

/// An enum whose values only changed case is one change per value, not a removal and an
/// addition; an enum that is gone altogether (any value now) is no change.
#[test]
fn enum_changes_tell_case_from_removal() {
    let spec = |values: Value| {
        document(json!({"openapi": "3.0.1", "paths": {"/login": {"post": {"parameters": [
            {"name": "mode", "in": "query", "schema": values}]}}}}))
    };
    let old = spec(json!({"type": "string", "enum": ["password", "token", "code"]}));

    let changed = diff(&old, &spec(json!({"type": "string", "enum": ["Password", "token"]})));
    let lines: Vec<(String, Option<String>)> =
        changed.iter().map(|c| (c.old_value.clone().unwrap_or_default(), c.new_value.clone())).collect();
    assert_eq!(lines, [("code".to_owned(), None), ("password".to_owned(), Some("Password".to_owned()))]);
    assert!(diff(&old, &spec(json!({"type": "string"}))).is_empty());
}

/// The journal a real mock exports reads as calls: a VBR login with `grant_type=password`
/// meets the case change of its enum.
#[test]
fn a_real_journal_export_is_read() {
    let server = MockServer::start_blocking(Scenario::default());
    let client = reqwest::blocking::Client::new();
    client
        .post(format!("{}/api/oauth2/token", server.uri()))
        .header("x-api-version", "1.3-rev1")
        .form(&[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")])
        .send()
        .expect("sent");
    let export =
        client.get(format!("{}/__mock/journal", server.uri())).send().expect("sent").text().expect("text");
    let journal = std::env::temp_dir().join(format!("vam-drift-journal-{}.json", std::process::id()));
    std::fs::write(&journal, export).expect("write");

    let output =
        drift(&[&fixture("old.json"), &fixture("new.json"), "--journal", &journal.display().to_string()]);
    let _ = std::fs::remove_file(&journal);

    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains(
            "enum case changed: POST /api/oauth2/token: body field grant_type: password -> Password\n"
        ),
        "{text}"
    );
    assert!(!text.contains("refresh_token -> Refresh_token"), "{text}");
    assert!(text.ends_with("journal: 1 of the 1 operations your suite calls change in NEW (1 calls in the journal, 0 reaching no operation of OLD)\n"), "{text}");
}

/// Every value of an enum is kept, whatever its JSON type: a number is not taken for an empty
/// string already seen.
#[test]
fn enum_values_of_every_type_are_kept() {
    let doc = document(json!({
        "openapi": "3.0.1",
        "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"level": {"enum": ["", 3, true, "3"]}}
        }}}}}}}
    }));

    assert_eq!(doc.operations[0].body["level"].enum_values, ["", "3", "true"]);
}
