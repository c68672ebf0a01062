"""schemathesis hooks for tests/official/served.sh (loaded through SCHEMATHESIS_HOOKS).

Veeam's documents contradict themselves in three ways no server can satisfy, and JSON Schema
(what schemathesis validates with) reads one OpenAPI keyword differently from OpenAPI. Before
schemathesis loads a document (as the mock serves it), the hook reads it as OpenAPI and HTTP
mean it, and says how many places it touched (one line on stderr, which served.sh keeps):

1. A 204 response with `content` (VBR: `EmptySuccessResponse` under "204 Token has been
   deleted."): HTTP forbids a body in a 204, so the content is dropped (the mock answers an
   empty 204, as the servers do).
2. A `required` name that no property of the object declares, in itself or its allOf parts
   (VB365 v6 `RESTBackupGroupData.itemType`, VBAzure `ConfigurationBackupStats.
   repositoryAccountCount`: renamed fields whose old names stayed in `required`): not required
   (the mock's checks skip them for the same reason, and the clients generated from these
   documents have no such field).
3. `oneOf` with a `discriminator`: OpenAPI picks the branch the discriminator's value names;
   JSON Schema wants exactly one branch to match, which fails whenever two branches accept the
   same object (VBR's `BackupJobModel` and `CloudDirectorBackupJobModel` accept the same job,
   and each branch is an allOf over the parent that holds the oneOf). Each branch gets the
   discriminator property pinned to the values that name it, which is the OpenAPI reading. A
   mapping key that is a value of the property's enum in another case (VBR's `platformName`
   mapping says `VmWare`, its enum `VMware`) names the branch in either case, as the .NET
   products read it (and as the mock's checks do).
4. `format: time` is not an OpenAPI 3.0 format (tools may ignore formats they do not define);
   JSON Schema's reading, RFC 3339 with an offset, is not the products': their TimeSpan and
   TimeOnly fields are `HH:mm:ss`, as the documents' own examples write them (`"10:00:00"`).

Nothing here is a copy of a document; it edits the one schemathesis just fetched, in memory.
"""

import sys

import schemathesis


def _resolve(root, schema):
    """The schema a local `$ref` points at (or the schema itself)."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 50:
        reference = schema["$ref"]
        if not reference.startswith("#/"):
            return schema
        target = root
        for part in reference[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        schema, seen = target, seen + 1
    return schema


def _declared(root, schema, depth=0):
    """The property names an object schema declares, with those of its allOf parts."""
    schema = _resolve(root, schema)
    if not isinstance(schema, dict) or depth > 20:
        return set()
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _declared(root, part, depth + 1)
    return names


def _walk(node, visit):
    if isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    counts = {"204 content": 0, "undeclared required": 0, "discriminator branches": 0, "time formats": 0}

    for methods in raw_schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict):
                continue
            response = operation.get("responses", {}).get("204")
            response = _resolve(raw_schema, response)
            if isinstance(response, dict) and response.get("content"):
                response.pop("content")
                counts["204 content"] += 1

    def fix_required(schema):
        required = schema.get("required")
        if not isinstance(required, list) or "properties" not in schema and "allOf" not in schema:
            return
        # An allOf part may require what a sibling part declares: judge the whole object.
        declared = _declared(raw_schema, schema) | parents.get(id(schema), set())
        kept = [name for name in required if name in declared]
        if len(kept) != len(required):
            counts["undeclared required"] += len(required) - len(kept)
            schema["required"] = kept

    # The names each allOf part's siblings declare, for fix_required.
    parents = {}

    def collect(schema):
        parts = schema.get("allOf")
        if isinstance(parts, list):
            names = _declared(raw_schema, schema)
            for part in parts:
                parents[id(_resolve(raw_schema, part))] = names

    _walk(raw_schema, collect)
    _walk(raw_schema, fix_required)

    def pin_branches(schema):
        discriminator = schema.get("discriminator")
        branches = schema.get("oneOf")
        if not isinstance(discriminator, dict) or not isinstance(branches, list):
            return
        name = discriminator.get("propertyName")
        mapping = discriminator.setdefault("mapping", {})
        prop = _resolve(raw_schema, _resolve(raw_schema, schema).get("properties", {}).get(name, {}))
        for value in prop.get("enum", []) if isinstance(prop, dict) else []:
            if not isinstance(value, str) or value in mapping:
                continue
            for key, target in list(mapping.items()):
                if key.lower() == value.lower():
                    mapping[value] = target
        for branch in branches:
            reference = branch.get("$ref") if isinstance(branch, dict) else None
            if not reference:
                continue
            values = [value for value, target in mapping.items() if target == reference]
            if not values:  # the implicit mapping: the schema's own name
                values = [reference.rsplit("/", 1)[-1]]
            # allOf keeps the branch itself whole (and its $ref), adding only the pin.
            branch.clear()
            branch["allOf"] = [{"$ref": reference}, {"properties": {name: {"enum": values}}}]
            counts["discriminator branches"] += 1

    _walk(raw_schema, pin_branches)

    def drop_time(schema):
        if schema.get("format") == "time" and schema.get("type") == "string":
            schema.pop("format")
            counts["time formats"] += 1

    _walk(raw_schema, drop_time)
    print("served_hooks: " + ", ".join(f"{what}: {count}" for what, count in counts.items()), file=sys.stderr)
