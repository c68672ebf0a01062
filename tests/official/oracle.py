#!/usr/bin/env python3
"""The official-document oracle: drives every operation of Veeam's official OpenAPI documents
that the mock serves, with the happy path and the main refusals, and checks each answer against
the document of that version: the status is declared (or covered by `default`), the content
type is one the status declares (no body where it declares none), and the body validates
against the declared schema, with no member the schema does not list (item 12 of issue 11:
members of later versions must not leak into earlier ones).

The mock's documented deviations from the documents are listed in DEVIATIONS, the one table
of them; anything else fails, and so does a deviation that no answer showed (the table stays
true). The documents are read from the directory given; nothing of them is copied here.

    oracle.py DOCS_DIR VB365_URL AZURE_URL

VB365_URL serves tests/fixtures/world.toml, AZURE_URL tests/fixtures/azure.toml with the
licence agreement not yet accepted (tests/official/run.sh starts both).
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from openapi_schema_validator import OAS30Validator, oas30_format_checker

# The mock's documented deviations: (product, operation or "*", status, finding kind, why).
# Operations are written as "METHOD /path" with the document's path template.
DEVIATIONS = [
    ("vb365", "*", 401, "empty-body",
     "v6+ answer a refused bearer with an empty 401, as real v8 servers do; the documents' "
     "`default` response declares a RESTExceptionInfo"),
    ("vbazure", "*", 401, "extra-member:traceId",
     "ASP.NET Core 8 writes traceId in every problem; ProblemDetails401 does not list it"),
    ("vbazure", "*", 403, "extra-member:traceId",
     "ASP.NET Core 8 writes traceId in every problem; ProblemDetails403 does not list it"),
    ("vbazure", "POST /api/oauth2/token", 413, "undeclared-status",
     "a body over the mock's 64 KiB cap"),
    ("vbazure", "POST /api/oauth2/token", 415, "undeclared-status",
     "a body that is not a form (ASP.NET Core's [FromForm])"),
    ("vbazure", "POST /api/v8.1/licenseAgreement/accept", 403, "undeclared-status",
     "only a Portal Administrator may accept the agreement"),
    ("vbazure", "POST /api/v8.1/licenseAgreement/accept", 415, "undeclared-status",
     "a non-JSON body (ASP.NET Core's [FromBody]; issue 11, item 10)"),
]

# The fixtures' facts the calls need (tests/fixtures/world.toml and azure.toml).
CONTOSO = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
UNKNOWN = "99999999-0000-4000-8000-000000000000"
OPERATOR_CLIENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d." + CONTOSO
ASSERTION = '{"token_type":"Bearer","access_token":"eyJ0eXAiOiJKV1QifQ.e30.sig","refresh_token":"0.AX"}'
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"

VB365_OPERATIONS = {
    "v6": ["POST /v6/token", "GET /v6/RestorePortalSettings", "GET /v6/ServiceInstance",
           "GET /v6/Organization/LoggedInUser", "GET /v6/Organization/LoggedInUser/OperatorInfo",
           "POST /v6/Organizations/{organizationId}/explore", "POST /v6/Organization/Explore",
           "POST /v6/Organization/OperatorExplore", "GET /v6/RestoreSessions/{restoreSessionId}",
           "POST /v6/RestoreSessions/{restoreSessionId}/Stop"],
}
for _v in ("v7", "v8"):
    VB365_OPERATIONS[_v] = [op.replace("/v6/", f"/{_v}/") for op in VB365_OPERATIONS["v6"]] + [
        f"POST /{_v}/token/logout", f"POST /{_v}/token/AuthCode"]
VB365_OPERATIONS["v8"].append("GET /v8/Health")
AZURE_OPERATIONS = [
    "POST /api/oauth2/token", "DELETE /api/oauth2/token", "GET /api/v8.1/system/about",
    "GET /api/v8.1/system/serverInfo", "GET /api/v8.1/system/status",
    "GET /api/v8.1/system/serviceIsUp", "GET /api/v8.1/licenseAgreement/accepted",
    "POST /api/v8.1/licenseAgreement/accept",
]


@dataclass
class Finding:
    """Something an answer does that its document does not declare."""
    product: str
    operation: str
    status: int
    kind: str
    detail: str
    answer: int  # which checked answer showed it

    def deviation(self):
        for product, operation, status, kind, why in DEVIATIONS:
            if (product, status, kind) == (self.product, self.status, self.kind) \
                    and operation in ("*", self.operation):
                return (product, operation, status, kind, why)
        return None


@dataclass
class Oracle:
    """One product's document and what its answers showed."""
    product: str
    document: dict
    findings: list = field(default_factory=list)
    checks: int = 0
    succeeded: set = field(default_factory=set)

    def operation(self, name):
        method, path = name.split(" ", 1)
        item = self.document["paths"].get(path)
        if item is None or method.lower() not in item:
            raise SystemExit(f"FAIL {name}: not in the {self.product} document")
        return item[method.lower()]

    def check(self, name, response, expect):
        """Checks one answer of operation `name` against the document; `expect` is the status
        the call must get (the mock's behaviour, asserted as well)."""
        status, content_type, body = response
        self.checks += 1
        label = f"{self.product} {name} -> {status}"
        if status != expect:
            self.note(name, status, "wrong-status", f"the mock's behaviour is {expect}; body {body[:300]!r}")
        responses = self.operation(name)["responses"]
        declared = responses.get(str(status))
        if declared is None and str(status) not in responses:
            declared = responses.get("default")
            if declared is None:
                self.note(name, status, "undeclared-status", f"declared: {sorted(responses)}")
                # Validate against the document's own schema for that status when it has one.
                schema_name = f"ProblemDetails{status}"
                if schema_name in self.document["components"]["schemas"]:
                    declared = {"content": {"application/problem+json": {
                        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}
                else:
                    declared = {}
        content = (declared or {}).get("content")
        if not content:
            # A status declared without content (or an undeclared one without a schema) has
            # no body to check; one that is declared without content must have none.
            if body and declared:
                self.note(name, status, "unexpected-body", f"{content_type}: {body[:200]!r}")
        elif not body:
            self.note(name, status, "empty-body", f"declared {sorted(content)}")
        else:
            media = content_type.split(";")[0].strip().lower()
            choice = content.get(media) or content.get("*/*")
            if choice is None:
                self.note(name, status, "content-type", f"{content_type!r}, declared {sorted(content)}")
            else:
                self.validate(name, status, choice.get("schema", {}), body)
        if 200 <= status < 300 and status == expect:
            self.succeeded.add(name)
        print(f"checked {label}")

    def validate(self, name, status, schema, body):
        try:
            instance = json.loads(body)
        except ValueError as error:
            self.note(name, status, "schema", f"not JSON ({error}): {body[:200]!r}")
            return
        root = {"$ref": schema["$ref"]} if "$ref" in schema else dict(schema)
        root["components"] = self.document["components"]
        validator = OAS30Validator(root, format_checker=oas30_format_checker)
        for error in validator.iter_errors(instance):
            # additionalProperties: false is reported member by member below.
            if error.validator == "additionalProperties" and error.validator_value is False:
                continue
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            self.note(name, status, "schema", f"{where}: {error.message}")
        self.strict(name, status, schema, instance, "$")

    def resolve(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            target = self.document
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part]
            schema = target
        return schema

    def strict(self, name, status, schema, instance, path):
        """Every member of every object must be one the schema lists (allOf merged)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return
        parts = [schema] + [self.resolve(s) for s in schema.get("allOf", [])]
        properties = {}
        extra = None
        listed = False
        for part in parts:
            if "properties" in part:
                listed = True
                properties.update(part["properties"])
            if isinstance(part.get("additionalProperties"), dict):
                extra = part["additionalProperties"]
        if isinstance(instance, dict):
            for key, value in instance.items():
                if key in properties:
                    self.strict(name, status, properties[key], value, f"{path}.{key}")
                elif extra is not None:
                    self.strict(name, status, extra, value, f"{path}.{key}")
                elif listed or schema.get("additionalProperties") is False:
                    self.note(name, status, f"extra-member:{key}", f"{path}.{key} is not in the schema")
        elif isinstance(instance, list) and "items" in schema:
            for index, item in enumerate(instance):
                self.strict(name, status, schema["items"], item, f"{path}[{index}]")

    def note(self, name, status, kind, detail):
        self.findings.append(Finding(self.product, name, status, kind, detail, self.checks))


def call(base, method, path, headers=None, body=None):
    """One request; (status, content type, body text)."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def form(fields):
    return {"Content-Type": "application/x-www-form-urlencoded"}, urllib.parse.urlencode(fields)


def bearer(token, extra=None):
    headers = {"Authorization": f"Bearer {token}"}
    headers.update(extra or {})
    return headers


JSON = {"Content-Type": "application/json"}


def drive_vb365(base, version, oracle):
    v = version
    sign_in = lambda fields: call(base, "POST", f"/{v}/token",
                                  *form(fields + [("disable_antiforgery_token", "true")]))

    def login(fields):
        response = sign_in(fields)
        oracle.check(f"POST /{v}/token", response, 200)
        return json.loads(response[2])["access_token"]

    admin = login([("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")])
    tenant = login([("grant_type", JWT_BEARER), ("client_id", "contoso.onmicrosoft.com"), ("assertion", ASSERTION)])
    operator = login([("grant_type", "operator"), ("client_id", OPERATOR_CLIENT_ID), ("assertion", ASSERTION)])
    oracle.check(f"POST /{v}/token", sign_in([("grant_type", "password"), ("username", "Administrator"),
                                               ("password", "wrong")]), 400)
    oracle.check(f"POST /{v}/token", call(base, "POST", f"/{v}/token", JSON,
                                          json.dumps({"grant_type": "password", "username": "Administrator",
                                                      "password": "PassWord1",
                                                      "disable_antiforgery_token": True})), 200)

    oracle.check(f"GET /{v}/RestorePortalSettings", call(base, "GET", f"/{v}/RestorePortalSettings"), 200)
    oracle.check(f"GET /{v}/ServiceInstance", call(base, "GET", f"/{v}/ServiceInstance", bearer(admin)), 200)
    oracle.check(f"GET /{v}/ServiceInstance", call(base, "GET", f"/{v}/ServiceInstance"), 401)
    oracle.check(f"GET /{v}/ServiceInstance", call(base, "GET", f"/{v}/ServiceInstance", bearer("nope")), 401)
    if v == "v8":
        oracle.check("GET /v8/Health", call(base, "GET", "/v8/Health"), 200)

    who = "/Organization/LoggedInUser"
    oracle.check(f"GET /{v}{who}", call(base, "GET", f"/{v}{who}", bearer(tenant)), 200)
    oracle.check(f"GET /{v}{who}", call(base, "GET", f"/{v}{who}", bearer(admin)), 403)
    info = f"GET /{v}/Organization/LoggedInUser/OperatorInfo"
    oracle.check(info, call(base, "GET", f"/{v}{who}/OperatorInfo", bearer(operator)), 200)
    oracle.check(info, call(base, "GET", f"/{v}{who}/OperatorInfo", bearer(tenant)), 200)

    started = 201 if v == "v8" else 200
    explore = f"POST /{v}/Organizations/{{organizationId}}/explore"
    body = json.dumps({"type": "Vex", "showDeleted": True, "showAllVersions": False})
    created = call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore", {**bearer(admin), **JSON}, body)
    oracle.check(explore, created, started)
    session = json.loads(created[2])["id"]
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore",
                               {**bearer(tenant), **JSON}, body), 403)
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{UNKNOWN}/explore",
                               {**bearer(admin), **JSON}, body), 404)
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore",
                               {**bearer(admin), "Content-Type": "text/plain"}, body), 415)
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore", bearer(admin)), 415)
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore",
                               {**bearer(admin), **JSON}, "{"), 400)
    oracle.check(explore, call(base, "POST", f"/{v}/Organizations/{CONTOSO}/explore",
                               {**bearer(admin), **JSON}, body.replace('"Vex"', '"Nope"')), 400)
    oracle.check(f"POST /{v}/Organization/Explore", call(base, "POST", f"/{v}/Organization/Explore",
                                                         {**bearer(tenant), **JSON}, body), started)
    oracle.check(f"POST /{v}/Organization/Explore", call(base, "POST", f"/{v}/Organization/Explore",
                                                         {**bearer(tenant), "Content-Type": "text/plain"}, body), 415)
    oracle.check(f"POST /{v}/Organization/Explore", call(base, "POST", f"/{v}/Organization/Explore",
                                                         {**bearer(operator), **JSON}, body), 403)
    oracle.check(f"POST /{v}/Organization/OperatorExplore",
                 call(base, "POST", f"/{v}/Organization/OperatorExplore", {**bearer(operator), **JSON},
                      json.dumps({"type": "Vesp"})), started)
    oracle.check(f"POST /{v}/Organization/OperatorExplore",
                 call(base, "POST", f"/{v}/Organization/OperatorExplore", {**bearer(operator), **JSON}, ""), 400)

    get = f"GET /{v}/RestoreSessions/{{restoreSessionId}}"
    oracle.check(get, call(base, "GET", f"/{v}/RestoreSessions/{session}", bearer(admin)), 200)
    oracle.check(get, call(base, "GET", f"/{v}/RestoreSessions/{UNKNOWN}", bearer(admin)), 404)
    stop = f"POST /{v}/RestoreSessions/{{restoreSessionId}}/Stop"
    oracle.check(stop, call(base, "POST", f"/{v}/RestoreSessions/{session}/Stop", bearer(admin)),
                 204 if v == "v8" else 200)
    oracle.check(stop, call(base, "POST", f"/{v}/RestoreSessions/{UNKNOWN}/Stop", bearer(admin)), 404)
    oracle.check(get, call(base, "GET", f"/{v}/RestoreSessions/{session}", bearer(admin)), 200)

    if v != "v6":
        oracle.check(f"POST /{v}/token/AuthCode", call(base, "POST", f"/{v}/token/AuthCode", bearer(admin)), 200)
        oracle.check(f"POST /{v}/token/AuthCode", call(base, "POST", f"/{v}/token/AuthCode"), 401)
        logout = f"POST /{v}/token/logout"
        oracle.check(logout, call(base, "POST", f"/{v}/token/logout", bearer(tenant)), 204 if v == "v8" else 200)
        oracle.check(logout, call(base, "POST", f"/{v}/token/logout", bearer(tenant)), 401)


def drive_azure(base, oracle):
    token = "POST /api/oauth2/token"

    def login(username):
        response = call(base, "POST", "/api/oauth2/token",
                        *form([("grant_type", "Password"), ("username", username), ("password", "PassWord1")]))
        oracle.check(token, response, 200)
        return json.loads(response[2])["access_token"]

    admin, restore = login("administrator"), login("restore")
    oracle.check(token, call(base, "POST", "/api/oauth2/token",
                             *form([("grant_type", "Password"), ("username", "administrator"),
                                    ("password", "wrong")])), 401)
    oracle.check(token, call(base, "POST", "/api/oauth2/token", *form([("grant_type", "Bogus")])), 400)
    oracle.check(token, call(base, "POST", "/api/oauth2/token", JSON, '{"grant_type":"Password"}'), 415)
    oracle.check(token, call(base, "POST", "/api/oauth2/token",
                             *form([("grant_type", "Password"), ("username", "x" * 70000)])), 413)

    # Before the licence agreement is accepted: status and accepted answer, the rest is gated.
    status = "GET /api/v8.1/system/status"
    oracle.check(status, call(base, "GET", "/api/v8.1/system/status", bearer(admin)), 200)
    oracle.check(status, call(base, "GET", "/api/v8.1/system/status"), 401)
    accepted = "GET /api/v8.1/licenseAgreement/accepted"
    oracle.check(accepted, call(base, "GET", "/api/v8.1/licenseAgreement/accepted", bearer(admin)), 200)
    oracle.check(accepted, call(base, "GET", "/api/v8.1/licenseAgreement/accepted"), 401)
    about = "GET /api/v8.1/system/about"
    oracle.check(about, call(base, "GET", "/api/v8.1/system/about", bearer(admin)), 403)

    accept = "POST /api/v8.1/licenseAgreement/accept"
    path = "/api/v8.1/licenseAgreement/accept"
    documents = json.dumps([{"checksum": "0f1e2d3c", "type": "Eula"}])
    oracle.check(accept, call(base, "POST", path, JSON, documents), 401)
    oracle.check(accept, call(base, "POST", path, {**bearer(restore), **JSON}, documents), 403)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), "Content-Type": "text/plain"}, documents), 415)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), **JSON}, "["), 400)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), **JSON}, "{}"), 400)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), **JSON}, '[{"checksum":1}]'), 400)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), **JSON}, ""), 400)
    oracle.check(accept, call(base, "POST", path, {**bearer(admin), **JSON}, documents), 204)
    oracle.check(accepted, call(base, "GET", "/api/v8.1/licenseAgreement/accepted", bearer(admin)), 200)

    oracle.check(about, call(base, "GET", "/api/v8.1/system/about", bearer(admin)), 200)
    oracle.check(about, call(base, "GET", "/api/v8.1/system/about", bearer(restore)), 200)
    oracle.check(about, call(base, "GET", "/api/v8.1/system/about"), 401)
    server_info = "GET /api/v8.1/system/serverInfo"
    oracle.check(server_info, call(base, "GET", "/api/v8.1/system/serverInfo", bearer(admin)), 200)
    oracle.check(server_info, call(base, "GET", "/api/v8.1/system/serverInfo", bearer(restore)), 403)
    oracle.check(server_info, call(base, "GET", "/api/v8.1/system/serverInfo", bearer("nope")), 401)
    oracle.check(status, call(base, "GET", "/api/v8.1/system/status", bearer(restore)), 200)
    oracle.check("GET /api/v8.1/system/serviceIsUp", call(base, "GET", "/api/v8.1/system/serviceIsUp"), 200)

    logout = "DELETE /api/oauth2/token"
    oracle.check(logout, call(base, "DELETE", "/api/oauth2/token?api-version=8.1", bearer(restore)), 204)
    oracle.check(logout, call(base, "DELETE", "/api/oauth2/token?api-version=8.1", bearer(restore)), 401)
    oracle.check(logout, call(base, "DELETE", "/api/oauth2/token?api-version=8.1"), 401)


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    docs, vb365_url, azure_url = sys.argv[1:]
    load = lambda name: json.load(open(f"{docs}/{name}", encoding="utf-8"))

    oracles = []
    for version in ("v6", "v7", "v8"):
        oracle = Oracle("vb365", load(f"vb365_rest_{version}.json"))
        drive_vb365(vb365_url, version, oracle)
        oracles.append((oracle, VB365_OPERATIONS[version]))
    oracle = Oracle("vbazure", load("vbaz_rest_v8.1.json"))
    drive_azure(azure_url, oracle)
    oracles.append((oracle, AZURE_OPERATIONS))

    failures, failed_answers, other_failures, deviations_seen = [], set(), 0, set()
    operations = 0
    for oracle, served in oracles:
        for name in served:
            oracle.operation(name)  # exists in the document
            operations += 1
            if name not in oracle.succeeded:
                failures.append(f"{oracle.product} {name}: no successful answer was checked")
                other_failures += 1
        for finding in oracle.findings:
            deviation = finding.deviation()
            where = f"{finding.product} {finding.operation} -> {finding.status}"
            if deviation:
                deviations_seen.add(deviation)
                print(f"deviation (documented) {where}: {finding.kind}")
            else:
                failed_answers.add((id(oracle), finding.answer))
                failures.append(f"{where}: {finding.kind}: {finding.detail}")
    for deviation in DEVIATIONS:
        if deviation not in deviations_seen:
            failures.append(f"a documented deviation no answer showed (update the table): {deviation[:4]}")
            other_failures += 1
    checks = sum(oracle.checks for oracle, _ in oracles)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"official: {operations} operations of the documents served, "
          f"{len(deviations_seen)} of {len(DEVIATIONS)} documented deviations seen")
    # Each checked answer counts once; coverage and table problems count as failures too.
    print(f"official: {checks - len(failed_answers)} passed, {len(failed_answers) + other_failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
