//! Synthetic OpenAPI 3.0.1 documents shaped like Veeam's, for the `documents` benchmark: it must
//! run on a fresh clone, where Veeam's own documents (not redistributable) are absent.
//!
//! The VBR one copies what makes the real VBR 1.3-rev2 document (4 MB, 519 operations) costly to
//! load and to serve: every operation takes the `x-api-version` header by `$ref`, collections are
//! paged (`skip`/`limit`) into `{data, pagination}`, models are a base with a discriminator whose
//! `oneOf` lists subtypes that are `allOf` [the base, their own members] (a cycle through `$ref`,
//! as in the real `JobModel`), enums are their own schemas, and most answers have an example in
//! `components/examples`. The VB365 one is v8's shape: `/v8/...` paths, `offset`/`limit` paging
//! into `{offset, limit, results, _links}`, few examples.

use serde_json::{Map, Value, json};

/// Resource families: each is five operations (list, create, get, update, delete).
const WORDS: [&str; 20] = [
    "Proxy",
    "Repository",
    "Credential",
    "ManagedServer",
    "Tape",
    "Cloud",
    "Agent",
    "Replica",
    "Malware",
    "Encryption",
    "Inventory",
    "Failover",
    "Mount",
    "Storage",
    "Traffic",
    "Catalog",
    "License",
    "Notification",
    "Kms",
    "Wan",
];
/// `(singular, plural)`: with [`WORDS`], 100 families and 500 operations.
const KINDS: [(&str, &str); 5] = [
    ("Object", "Objects"),
    ("Policy", "Policies"),
    ("Session", "Sessions"),
    ("Rule", "Rules"),
    ("Point", "Points"),
];
/// The subtypes of each family's model, also the values of its type enum.
const SUBTYPES: [&str; 4] = ["Standard", "Replica", "Copy", "Archive"];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ROLES: &str = "Backup Administrator, Backup Operator, Restore Operator, Backup Viewer, Security \
                     Administrator. Also available to custom roles that have backup or restore permissions.";

/// One resource family: `ProxyPolicy`, its path segment `proxyPolicies`.
struct Family {
    number: usize,
    model: String,
    plural: String,
    segment: String,
}

fn families() -> Vec<Family> {
    let mut families = Vec::new();
    for (word_number, word) in WORDS.iter().enumerate() {
        for (kind_number, (singular, plural)) in KINDS.iter().enumerate() {
            let plural = format!("{word}{plural}");
            let mut segment = plural.clone();
            segment[..1].make_ascii_lowercase();
            families.push(Family {
                number: word_number * KINDS.len() + kind_number,
                model: format!("{word}{singular}"),
                plural,
                segment,
            });
        }
    }
    families
}

fn reference(kind: &str, name: &str) -> Value {
    json!({ "$ref": format!("#/components/{kind}/{name}") })
}

fn schema_ref(name: &str) -> Value {
    reference("schemas", name)
}

/// A deterministic UUID-shaped string for example data.
fn uuid(a: usize, b: usize) -> String {
    format!("{a:08x}-{b:04x}-4{:03x}-8{:03x}-{:012x}", (a * 7 + b) % 4096, (a * 13 + b) % 4096, a * 1_000 + b)
}

/// VBR 1.3-rev2's shape; about 4 MB pretty-printed, 500 operations.
pub(crate) fn vbr_document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut examples = Map::new();
    schemas.insert(
        "PaginationResult".into(),
        json!({
            "description": "Pagination settings.",
            "required": ["total", "count"],
            "type": "object",
            "properties": {
                "total": {"description": "Total number of results.", "type": "integer", "format": "int32"},
                "count": {"description": "Number of returned results.", "type": "integer", "format": "int32"},
                "skip": {"description": "Number of skipped results.", "type": "integer", "format": "int32", "minimum": 0},
                "limit": {"description": "Maximum number of results to return.", "type": "integer", "format": "int32", "minimum": 1}
            }
        }),
    );
    schemas.insert(
        "Error".into(),
        json!({
            "required": ["errorCode", "message"],
            "type": "object",
            "properties": {
                "errorCode": {"description": "The error code is a string that uniquely identifies an error condition.", "type": "string", "enum": ["AccessDenied", "ExpiredToken", "InvalidToken", "InvalidURI", "MethodNotAllowed", "NotFound", "NotImplemented", "ServiceUnavailable", "UnexpectedContent", "UnknownError"]},
                "message": {"description": "The error message contains a generic description of the error condition in English.", "type": "string"},
                "resourceId": {"description": "ID of the object that is involved in the error (or empty).", "type": "string", "nullable": true}
            }
        }),
    );
    for family in families() {
        vbr_family(&family, &mut paths, &mut schemas, &mut examples);
    }
    let error_response = |description: &str, example: &str| {
        json!({
            "description": description,
            "content": {"application/json": {
                "schema": schema_ref("Error"),
                "examples": {example: reference("examples", example)}
            }}
        })
    };
    for (code, message) in [
        ("AccessDenied", "Authorization has been denied for this request."),
        ("NotFound", "The requested resource was not found."),
        ("UnknownError", "An unexpected error occurred."),
        ("UnexpectedContent", "One or more request parameters are not valid."),
    ] {
        examples.insert(
            format!("Error{code}Example"),
            json!({"summary": message, "value": {"errorCode": code, "message": message, "resourceId": null}}),
        );
    }
    json!({
        "openapi": "3.0.1",
        "info": {
            "title": "Veeam Backup & Replication REST API (synthetic)",
            "version": "1.3-rev2",
            "contact": {"name": "veeam-auth-mock benchmark", "url": "https://127.0.0.1/"}
        },
        "servers": [{"url": "/"}],
        "security": [{"Bearer": []}],
        "paths": paths,
        "components": {
            "responses": {
                "BadRequest": error_response("Bad request.", "ErrorUnexpectedContentExample"),
                "Unauthorized": error_response("Unauthorized. The authorization header has been expected but not found (or found but is expired).", "ErrorAccessDeniedExample"),
                "Forbidden": error_response("Forbidden. The user has no permission.", "ErrorAccessDeniedExample"),
                "NotFound": error_response("Not found. No object was found with the path parameter specified in the request.", "ErrorNotFoundExample"),
                "InternalServerError": error_response("Internal server error. The request has been received but could not be completed because of an internal error at the server side.", "ErrorUnknownErrorExample")
            },
            "schemas": schemas,
            "parameters": {
                "apiVersionParam": {
                    "name": "x-api-version",
                    "description": "Version and revision of the client REST API. Must be in the following format&#58; `<version>-<revision>`.",
                    "in": "header",
                    "required": true,
                    "schema": {"type": "string", "default": "1.3-rev2"}
                }
            },
            "securitySchemes": {
                "Bearer": {"type": "http", "scheme": "bearer", "description": "Access token specified in the following format&#58; `Bearer <access token>`."}
            },
            "examples": examples
        }
    })
}

/// The standard failures every VBR operation lists.
fn vbr_failures(responses: &mut Map<String, Value>, with_not_found: bool) {
    responses.insert("400".into(), reference("responses", "BadRequest"));
    responses.insert("401".into(), reference("responses", "Unauthorized"));
    responses.insert("403".into(), reference("responses", "Forbidden"));
    if with_not_found {
        responses.insert("404".into(), reference("responses", "NotFound"));
    }
    responses.insert("500".into(), reference("responses", "InternalServerError"));
}

/// A JSON answer with the schema `schema` and, when `example` is given, that example by `$ref`.
fn json_answer(description: &str, schema: &str, example: Option<&str>) -> Value {
    let mut media = json!({"schema": schema_ref(schema)});
    if let Some(example) = example {
        media["examples"] = json!({ example: reference("examples", example) });
    }
    json!({"description": description, "content": {"application/json": media}})
}

fn vbr_family(
    family: &Family,
    paths: &mut Map<String, Value>,
    schemas: &mut Map<String, Value>,
    examples: &mut Map<String, Value>,
) {
    let Family { number, model, plural, segment } = family;
    let base = format!("{model}Model");
    let type_enum = format!("E{model}Type");
    let order_enum = format!("E{model}FiltersOrderColumn");
    let settings = format!("{model}SettingsModel");
    let schedule = format!("{model}ScheduleModel");
    let spec = format!("{model}Spec");
    let result = format!("{plural}Result");
    let lower = model.to_ascii_lowercase();
    // Four families in five have examples, as most of VBR's answers do.
    let with_examples = number % 5 != 4;
    let (list_example, item_example) = if with_examples {
        (Some(format!("{plural}ResultExample")), Some(format!("{model}Example")))
    } else {
        (None, None)
    };

    schemas.insert(
        type_enum.clone(),
        json!({"description": format!("Type of the {lower}."), "type": "string", "enum": SUBTYPES}),
    );
    schemas.insert(
        order_enum.clone(),
        json!({"description": format!("Sorts {lower} objects by one of their parameters."), "type": "string", "enum": ["Name", "Type", "Description", "CreationTime", "IsDisabled"]}),
    );
    schemas.insert(schedule.clone(), json!({
        "description": format!("Scheduling options of the {lower}."),
        "required": ["runAutomatically"],
        "type": "object",
        "properties": {
            "runAutomatically": {"description": "If `true`, scheduling options are enabled.", "type": "boolean"},
            "daily": {
                "description": "Daily scheduling options.",
                "required": ["isEnabled"],
                "type": "object",
                "properties": {
                    "isEnabled": {"description": "If `true`, daily schedule is enabled.", "type": "boolean"},
                    "localTime": {"description": "Local time when the job must start.", "type": "string"},
                    "dailyKind": {"description": "Kind of daily scheduling scheme.", "type": "string", "enum": ["Everyday", "WeekDays", "SelectedDays"]},
                    "days": {"description": "Days of the week when the job must start.", "type": "array", "items": {"type": "string", "enum": WEEKDAYS}}
                }
            },
            "retry": {
                "description": "Retry options.",
                "type": "object",
                "properties": {
                    "isEnabled": {"description": "If `true`, retry options are enabled.", "type": "boolean"},
                    "retryCount": {"description": "Number of retries set for the job.", "type": "integer", "format": "int32", "minimum": 1, "maximum": 100},
                    "awaitMinutes": {"description": "Time interval between job retries in minutes.", "type": "integer", "format": "int32"}
                }
            },
            "backupWindow": {
                "description": "Backup window settings.",
                "type": "object",
                "properties": {
                    "isEnabled": {"description": "If `true`, backup window is enabled.", "type": "boolean"},
                    "days": {"description": "Time scheme of the window, per day.", "type": "array", "items": {
                        "type": "object",
                        "required": ["day", "hours"],
                        "properties": {
                            "day": {"type": "string", "enum": WEEKDAYS},
                            "hours": {"description": "String of 24 hours in the following format&#58; `1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1`, where `1` means permitted, `0` means denied.", "type": "string"}
                        }
                    }}
                }
            }
        }
    }));
    schemas.insert(settings.clone(), json!({
        "description": format!("Settings of the {lower}."),
        "required": ["compressionLevel", "encryption"],
        "type": "object",
        "properties": {
            "compressionLevel": {"description": "Compression level of the data.", "type": "string", "enum": ["Auto", "None", "DedupeFriendly", "Optimal", "High", "Extreme"]},
            "storageOptimization": {"description": "Block size used for the data.", "type": "string", "enum": ["Automatic", "LocalTarget", "LANTarget", "WANTarget", "LocalTargetLarge"]},
            "enableInlineDataDedup": {"description": "If `true`, inline data deduplication is enabled.", "type": "boolean"},
            "excludeSwapFileBlocks": {"description": "If `true`, swap file blocks are excluded from processing.", "type": "boolean"},
            "retention": {
                "description": "Retention policy settings.",
                "required": ["quantity", "type"],
                "type": "object",
                "properties": {
                    "type": {"description": "Type of the retention policy.", "type": "string", "enum": ["RestorePoints", "Days"]},
                    "quantity": {"description": "Number of restore points or days to keep.", "type": "integer", "format": "int32", "minimum": 1, "maximum": 999}
                }
            },
            "encryption": {
                "description": "Encryption of the data.",
                "required": ["isEnabled"],
                "type": "object",
                "properties": {
                    "isEnabled": {"description": "If `true`, the content is encrypted.", "type": "boolean"},
                    "encryptionPasswordId": {"description": "ID of the password used for encryption.", "type": "string", "format": "uuid"},
                    "encryptionType": {"description": "Encryption type.", "type": "string", "enum": ["ByUserPassword", "ByKms"]}
                }
            },
            "notifications": {
                "description": "Notification settings.",
                "type": "object",
                "properties": {
                    "sendSNMPNotifications": {"description": "If `true`, SNMP notifications are enabled.", "type": "boolean"},
                    "emailNotifications": {"description": "Email notification settings.", "type": "object", "properties": {
                        "isEnabled": {"type": "boolean"},
                        "recipients": {"description": "Array of recipients' email addresses.", "type": "array", "items": {"type": "string"}},
                        "notifyOnSuccess": {"type": "boolean"},
                        "notifyOnWarning": {"type": "boolean"},
                        "notifyOnError": {"type": "boolean"}
                    }}
                }
            }
        }
    }));
    let mapping: Map<String, Value> = SUBTYPES
        .iter()
        .map(|subtype| ((*subtype).to_owned(), json!(format!("#/components/schemas/{model}{subtype}Model"))))
        .collect();
    schemas.insert(base.clone(), json!({
        "description": format!("{model} model."),
        "required": ["id", "name", "type"],
        "type": "object",
        "properties": {
            "id": {"description": format!("ID of the {lower}."), "type": "string", "format": "uuid"},
            "name": {"description": format!("Name of the {lower}."), "type": "string"},
            "type": schema_ref(&type_enum),
            "isDisabled": {"description": format!("If `true`, the {lower} is disabled."), "type": "boolean"},
            "creationTime": {"description": "Date and time when the object was created.", "type": "string", "format": "date-time"},
            "tags": {"description": "Tags assigned to the object.", "type": "array", "items": {"type": "string"}}
        },
        "discriminator": {"propertyName": "type", "mapping": mapping},
        "oneOf": SUBTYPES.iter().map(|subtype| schema_ref(&format!("{model}{subtype}Model"))).collect::<Vec<_>>()
    }));
    for subtype in SUBTYPES {
        schemas.insert(format!("{model}{subtype}Model"), json!({
            "description": format!("{subtype} {lower}."),
            "allOf": [schema_ref(&base), {
                "type": "object",
                "required": ["description", "settings", "schedule"],
                "properties": {
                    "type": {"type": "string", "enum": [subtype]},
                    "description": {"description": format!("Description of the {lower}."), "type": "string"},
                    "isHighPriority": {"description": "If `true`, the resource scheduler prioritizes this object over other similar objects and allocates resources to it first.", "type": "boolean"},
                    "settings": schema_ref(&settings),
                    "schedule": schema_ref(&schedule),
                    format!("{}Options", subtype.to_ascii_lowercase()): {"description": format!("Options specific to the {subtype} kind."), "type": "object", "properties": {
                        "priority": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10},
                        "targetHostId": {"type": "string", "format": "uuid"}
                    }}
                }
            }]
        }));
    }
    schemas.insert(
        spec.clone(),
        json!({
            "description": format!("Settings of a new {lower}."),
            "required": ["name", "type", "settings"],
            "type": "object",
            "properties": {
                "name": {"description": format!("Name of the {lower}."), "type": "string"},
                "description": {"description": format!("Description of the {lower}."), "type": "string"},
                "type": schema_ref(&type_enum),
                "isHighPriority": {"type": "boolean"},
                "settings": schema_ref(&settings),
                "schedule": schema_ref(&schedule)
            }
        }),
    );
    schemas.insert(result.clone(), json!({
        "description": format!("{plural}."),
        "required": ["data", "pagination"],
        "type": "object",
        "properties": {
            "data": {"description": format!("Array of {lower} objects."), "type": "array", "items": schema_ref(&base)},
            "pagination": schema_ref("PaginationResult")
        }
    }));
    if let (Some(list_example), Some(item_example)) = (&list_example, &item_example) {
        let items: Vec<Value> = (0..4).map(|item| vbr_item(family, item)).collect();
        examples.insert(
            list_example.clone(),
            json!({
                "summary": format!("Array of {lower} objects"),
                "value": {"data": items, "pagination": {"total": 4, "count": 4, "skip": 0, "limit": 200}}
            }),
        );
        examples.insert(
            item_example.clone(),
            json!({"summary": format!("{model}"), "value": vbr_item(family, 0)}),
        );
    }

    let api_version = reference("parameters", "apiVersionParam");
    let id_parameter = json!({"name": "id", "description": format!("ID of the {lower}."), "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
    let describe = |method: &str, path: &str, what: &str| {
        format!(
            "The HTTP {method} request to the `{path}` endpoint {what}.<p>**Available to**&#58; {ROLES}</p>"
        )
    };
    let list_path = format!("/api/v1/{segment}");
    let item_path = format!("/api/v1/{segment}/{{id}}");
    let mut list_responses = Map::new();
    list_responses.insert("200".into(), json_answer("OK", &result, list_example.as_deref()));
    vbr_failures(&mut list_responses, false);
    let mut created = Map::new();
    created.insert("201".into(), json_answer("Created.", &base, item_example.as_deref()));
    vbr_failures(&mut created, false);
    let mut got = Map::new();
    got.insert("200".into(), json_answer("OK", &base, item_example.as_deref()));
    vbr_failures(&mut got, true);
    let mut updated = Map::new();
    updated.insert("200".into(), json_answer("Updated.", &base, item_example.as_deref()));
    vbr_failures(&mut updated, true);
    let mut deleted = Map::new();
    deleted.insert("204".into(), json!({"description": "Deleted."}));
    vbr_failures(&mut deleted, true);
    let tag = [plural.clone()];
    let claims = json!({"claims": [format!("View{plural}")]});
    paths.insert(list_path.clone(), json!({
        "get": {
            "tags": tag, "x-veeam-authorize": claims,
            "summary": format!("Get All {plural}"),
            "description": describe("GET", &list_path, &format!("gets an array of all {lower} objects")),
            "operationId": format!("GetAll{plural}"),
            "parameters": [
                api_version,
                {"name": "skip", "description": "Number of objects to skip.", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                {"name": "limit", "description": "Maximum number of objects to return.", "in": "query", "schema": {"type": "integer", "format": "int32", "default": 200}},
                {"name": "orderColumn", "description": "Sorts objects by one of their parameters.", "in": "query", "schema": schema_ref(&order_enum)},
                {"name": "orderAsc", "description": "If `true`, sorts objects in ascending order by the `orderColumn` parameter.", "in": "query", "schema": {"type": "boolean"}},
                {"name": "nameFilter", "description": "Filters objects by the `nameFilter` pattern. To substitute one or more characters, use the asterisk (*) character at the beginning, at the end or both.", "in": "query", "schema": {"type": "string"}},
                {"name": "typeFilter", "description": "Filters objects by type.", "in": "query", "schema": schema_ref(&type_enum)}
            ],
            "responses": list_responses
        },
        "post": {
            "tags": tag,
            "summary": format!("Create {model}"),
            "description": describe("POST", &list_path, &format!("creates a new {lower}")),
            "operationId": format!("Create{model}"),
            "parameters": [api_version],
            "requestBody": {"content": {"application/json": {"schema": schema_ref(&spec)}}, "required": true},
            "responses": created
        }
    }));
    paths.insert(item_path.clone(), json!({
        "get": {
            "tags": tag,
            "summary": format!("Get {model}"),
            "description": describe("GET", &item_path, &format!("gets a {lower} that has the specified `id`")),
            "operationId": format!("Get{model}"),
            "parameters": [api_version, id_parameter],
            "responses": got
        },
        "put": {
            "tags": tag,
            "summary": format!("Edit {model}"),
            "description": describe("PUT", &item_path, &format!("edits a {lower} that has the specified `id`")),
            "operationId": format!("Update{model}"),
            "parameters": [api_version, id_parameter],
            "requestBody": {"content": {"application/json": {"schema": schema_ref(&base)}}, "required": true},
            "responses": updated
        },
        "delete": {
            "tags": tag,
            "summary": format!("Remove {model}"),
            "description": describe("DELETE", &item_path, &format!("removes a {lower} that has the specified `id`")),
            "operationId": format!("Remove{model}"),
            "parameters": [api_version, id_parameter],
            "responses": deleted
        }
    }));
}

/// An example item of a VBR family, valid against its subtype.
fn vbr_item(family: &Family, item: usize) -> Value {
    let subtype = SUBTYPES[item % SUBTYPES.len()];
    let lower = family.model.to_ascii_lowercase();
    json!({
        "id": uuid(family.number, item),
        "name": format!("{lower} {item}"),
        "type": subtype,
        "isDisabled": false,
        "creationTime": "2025-03-14T09:26:53.5897932+01:00",
        "tags": ["production", "tier-1"],
        "description": format!("Created by Veeam Backup & Replication for {lower} {item}."),
        "isHighPriority": item == 0,
        "settings": {
            "compressionLevel": "Optimal",
            "storageOptimization": "LocalTarget",
            "enableInlineDataDedup": true,
            "excludeSwapFileBlocks": true,
            "retention": {"type": "RestorePoints", "quantity": 7},
            "encryption": {"isEnabled": false},
            "notifications": {"sendSNMPNotifications": false, "emailNotifications": {"isEnabled": true, "recipients": ["backup-admins@tech.local"], "notifyOnSuccess": false, "notifyOnWarning": true, "notifyOnError": true}}
        },
        "schedule": {
            "runAutomatically": true,
            "daily": {"isEnabled": true, "localTime": "10:00 PM", "dailyKind": "WeekDays", "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]},
            "retry": {"isEnabled": true, "retryCount": 3, "awaitMinutes": 10},
            "backupWindow": {"isEnabled": false, "days": []}
        },
        format!("{}Options", subtype.to_ascii_lowercase()): {"priority": 5, "targetHostId": uuid(family.number + 100, item)}
    })
}

/// VB365 v8's shape: 500 operations under `/v8/`, paged with `offset`/`limit`, no examples.
pub(crate) fn vb365_document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert("RESTExceptionInfo".into(), json!({
        "type": "object",
        "properties": {"message": {"type": "string"}, "errorCode": {"type": "string", "nullable": true}, "details": {"type": "string", "nullable": true}}
    }));
    schemas
        .insert("RESTLinkHAL".into(), json!({"type": "object", "properties": {"href": {"type": "string"}}}));
    let failure = json!({"description": "Operation failure response.", "content": {"application/json": {"schema": schema_ref("RESTExceptionInfo")}}});
    for family in families() {
        let Family { model, plural, .. } = &family;
        let item = format!("REST{model}");
        let page = format!("RESTPagedResultOf{item}");
        let lower = model.to_ascii_lowercase();
        schemas.insert(item.clone(), json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid", "description": format!("ID of the {lower}.")},
                "name": {"type": "string", "description": format!("Name of the {lower}.")},
                "description": {"type": "string", "nullable": true},
                "type": {"type": "string", "enum": ["Microsoft365", "OnPremises", "Hybrid"]},
                "isEnabled": {"type": "boolean"},
                "lastModified": {"type": "string", "format": "date-time"},
                "retention": {"type": "object", "properties": {
                    "periodType": {"type": "string", "enum": ["Daily", "Monthly", "Yearly", "KeepForever"]},
                    "quantity": {"type": "integer", "format": "int32"}
                }},
                "_links": {"type": "object", "properties": {"self": schema_ref("RESTLinkHAL")}}
            }
        }));
        schemas.insert(page.clone(), json!({
            "type": "object",
            "properties": {
                "offset": {"type": "integer", "format": "int32"},
                "limit": {"type": "integer", "format": "int32"},
                "results": {"type": "array", "items": schema_ref(&item)},
                "_links": {"type": "object", "properties": {"self": schema_ref("RESTLinkHAL"), "next": schema_ref("RESTLinkHAL")}}
            }
        }));
        let ok = |schema: &str| json!({"description": "OK", "content": {"application/json": {"schema": schema_ref(schema)}}});
        let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
        let body = json!({"content": {"application/json": {"schema": schema_ref(&item)}}, "required": true});
        paths.insert(format!("/v8/{plural}"), json!({
            "get": {
                "tags": [plural], "summary": format!("Get {plural}"), "operationId": format!("{plural}_Get"),
                "parameters": [
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "name", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": ok(&page), "default": failure}
            },
            "post": {
                "tags": [plural], "summary": format!("Add {model}"), "operationId": format!("{plural}_Add"),
                "requestBody": body, "responses": {"201": ok(&item), "default": failure}
            }
        }));
        paths.insert(format!("/v8/{plural}/{{id}}"), json!({
            "get": {"tags": [plural], "operationId": format!("{plural}_GetById"), "parameters": [id], "responses": {"200": ok(&item), "default": failure}},
            "put": {"tags": [plural], "operationId": format!("{plural}_Update"), "parameters": [id], "requestBody": body, "responses": {"200": ok(&item), "default": failure}},
            "delete": {"tags": [plural], "operationId": format!("{plural}_Remove"), "parameters": [id], "responses": {"204": {"description": "No content"}, "default": failure}}
        }));
    }
    json!({
        "openapi": "3.0.1",
        "info": {"title": "Veeam Backup for Microsoft 365 REST API (synthetic)", "version": "v8"},
        "security": [{"Bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"Bearer": {"type": "apiKey", "name": "Authorization", "in": "header"}}
        }
    })
}
