#!/usr/bin/env python3
"""The published clients on operations the mock generates from Veeam's official documents.

The mock at BASE_URL serves the VB365 v8, VBAzure v8.1 and VBR 1.2-rev1 and 1.3-rev2 documents
(`serve --openapi ...`, tests/official/served.sh starts it). The clients `veeam-365`, `veeam-az`
and `veeam-br` (pinned in tests/compat/requirements.txt) were generated from those very
documents, so their generated code is an independent reader of them: each client logs in through
its own VeeamClient.connect, then calls operations the mock does not serve itself (nothing a
scenario declares: the body is the document's example or one generated from its schema) through
its generated `asyncio_detailed`, whose `parsed` is the client's `*.from_dict` of the body. Per
call the status must be 200, `parsed` the model the operation declares, a field the document
requires (or the page's paging) of the client's type, and the model strict
(tests/compat/estate_checks.strict: no key the client does not know, no date or UUID left as a
string).

Usage (talks only to the given base URL; install the clients with
`python3 -m venv /tmp/compat-venv && /tmp/compat-venv/bin/pip install -r tests/compat/requirements.txt`):
    veeam-auth-mock serve --no-tls --openapi vb365_rest_v8.json --openapi vbaz_rest_v8.1.json \
        --openapi vbr_rest_1.2-rev1.json --openapi vbr_rest_1.3-rev2.json
    /tmp/compat-venv/bin/python tests/official/served_clients.py http://127.0.0.1:8080

Prints one line per call ("veeam-365 v8 GET /v8/Jobs: PageOfRESTJob ... ok") and exits 1 at the
first failure.
"""

import asyncio
import os
import sys
from uuid import UUID

# The strict look at parsed models is the compatibility suite's (one definition of it).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "compat"))

from estate_checks import Failure, expect, strict  # noqa: E402
from veeam_365.client import VeeamClient as Vb365Client  # noqa: E402
from veeam_az.client import VeeamClient as AzureClient  # noqa: E402
from veeam_br.client import VeeamClient as VbrClient  # noqa: E402

# An id for the by-id operations: any UUID works, the body is generated for every id.
SOME_ID = UUID("3c1b5a9e-7f42-4d8b-a6e0-51c9d2f8b734")


async def call(client, operation: str, **arguments):
    """The generated operation `operation` ("job.job_get") of the client's package, called with
    the client's session (its VeeamClient.call: refresh, then the call): a Response whose
    `parsed` is the client's model of the body."""
    client.api(operation)  # imports the module the client's own way (veeam-365 patches Unset)
    module = sys.modules[f"{client.package}.api.{operation}"]
    return await client.call(module.asyncio_detailed, **arguments)


def parsed(response, what: str, model: str, whole: bool = True):
    """The response's model, which must be `model`, from a 200; strict throughout when `whole`,
    else the caller says what to look at strictly."""
    body = response.content[:300].decode(errors="replace")
    expect(response.status_code == 200, f"{what}: HTTP {int(response.status_code)} {body}")
    result = response.parsed
    expect(type(result).__name__ == model, f"{what}: parsed as {type(result).__name__}, not {model}: {body}")
    if whole:
        strict(result, model)
    return result


def ok(client: str, what: str, detail: str) -> None:
    print(f"{client} {what}: {detail} ok", flush=True)


def page_items(page, what: str, model: str, count: int) -> list:
    """The page's `results` (VB365, VBAzure) or `data` (VBR): a list of `count` `model`s."""
    items = page.results if hasattr(page, "results") else page.data
    expect(isinstance(items, list), f"{what}: the items are {type(items).__name__}, not a list")
    expect(len(items) == count, f"{what}: {len(items)} items, expected {count}")
    for item in items:
        expect(type(item).__name__ == model, f"{what}: an item parsed as {type(item).__name__}, not {model}")
    return items


async def vb365(base: str) -> None:
    client = Vb365Client(base, "Administrator", "PassWord1", "v8", verify_ssl=False, timeout=10.0)
    async with client:
        await client.connect()
        for operation, path, model, item in [
            ("job.job_get", "/v8/Jobs", "PageOfRESTJob", "RESTJob"),
            ("organization.organization_get", "/v8/Organizations", "PageOfRestOrganizationComposed", None),
            ("backup_repository.backup_repository_get_repositories", "/v8/BackupRepositories",
             "PageOfRESTBackupRepository", "RESTBackupRepository"),
            ("proxy.proxy_get_proxies", "/v8/Proxies", "PageOfRESTProxy", "RESTProxy"),
        ]:
            what = f"GET {path}?offset=1&limit=2"
            page = parsed(await call(client, operation, offset=1, limit=2), what, model)
            # The product's paging: offset and limit as asked, ints in the client's model.
            expect((page.offset, page.limit) == (1, 2), f"{what}: offset {page.offset!r}, limit {page.limit!r}")
            items = page.results
            expect(isinstance(items, list) and 0 < len(items) <= 2, f"{what}: results {items!r}")
            if item:
                page_items(page, what, item, len(items))
                expect(all(isinstance(i.id, UUID) for i in items), f"{what}: an id is not a UUID")
            ok("veeam-365 v8", what, f"{model}, {len(items)} items, offset/limit ints")

        what = f"GET /v8/Jobs/{SOME_ID}"
        job = parsed(await call(client, "job.job_get_by_id", job_id=SOME_ID), what, "RESTJob")
        expect(isinstance(job.id, UUID), f"{what}: id {job.id!r} is not a UUID")
        ok("veeam-365 v8", what, f"RESTJob, id {job.id}")

        license_ = parsed(await call(client, "license_.license_get"), "GET /v8/License", "RESTLicense")
        expect(isinstance(license_.license_id, UUID), f"GET /v8/License: licenseID {license_.license_id!r}")
        ok("veeam-365 v8", "GET /v8/License", f"RESTLicense, licenseID {license_.license_id}")


async def azure(base: str) -> None:
    client = AzureClient(base, "8.1", verify_ssl=False, username="administrator", password="PassWord1")
    await client.connect()
    for operation, path, model, item, field, kind in [
        ("policy.policy_get_policies", "/api/v8.1/policies/virtualMachines", "PageOfPolicy", "Policy", "id", UUID),
        ("job_sessions.job_sessions_get_job_sessions", "/api/v8.1/jobSessions", "PageOfJobSession", "JobSession",
         "status", None),
        ("repository.repository_get_repositories", "/api/v8.1/repositories", "PageOfRepository", "Repository",
         "enable_encryption", bool),
        ("worker.worker_get_workers", "/api/v8.1/workers", "PageOfWorker", "Worker", None, None),
    ]:
        what = f"GET {path}?Offset=1&Limit=2"
        page = parsed(await call(client, operation, offset=1, limit=2), what, model)
        expect((page.offset, page.limit) == (1, 2), f"{what}: offset {page.offset!r}, limit {page.limit!r}")
        expect(isinstance(page.total_count, int), f"{what}: totalCount {page.total_count!r} is not an int")
        items = page_items(page, what, item, min(2, max(page.total_count - 1, 0)))
        if field:
            for i in items:
                value = getattr(i, field)
                if kind is None:  # an enum of the client's
                    expect(type(value).__name__ != "str" and hasattr(value, "value"), f"{what}: {field} {value!r}")
                else:
                    expect(isinstance(value, kind), f"{what}: {field} {value!r} is not a {kind.__name__}")
        ok("veeam-az 8.1", what, f"{model}, {len(items)} of {page.total_count}, the required {field or 'paging'} typed")

    what = f"GET /api/v8.1/policies/virtualMachines/{SOME_ID}"
    policy = parsed(await call(client, "policy.policy_get_policy", policy_id=SOME_ID), what, "Policy")
    expect(isinstance(policy.id, UUID), f"{what}: id {policy.id!r} is not a UUID")
    ok("veeam-az 8.1", what, f"Policy, id {policy.id}")


async def vbr(base: str, version: str) -> None:
    client = VbrClient(base, "administrator", "PassWord1", version, verify_ssl=False, timeout=10.0)
    async with client:
        await client.connect()
        calls = [("jobs.get_all_jobs", "/api/v1/jobs", "JobsResult")]
        if version == "1.3-rev2":
            calls += [
                ("repositories.get_all_repositories", "/api/v1/backupInfrastructure/repositories",
                 "RepositoriesResult"),
                ("proxies.get_all_proxies", "/api/v1/backupInfrastructure/proxies", "ProxiesResult"),
                ("sessions.get_all_sessions", "/api/v1/sessions", "SessionsResult"),
                ("credentials.get_all_creds", "/api/v1/credentials", "CredentialsResult"),
            ]
        for operation, path, model in calls:
            what = f"GET {path}?skip=0&limit=2 (x-api-version {version})"
            # veeam-br reads a discriminated item (RepositoryModel: oneOf WinLocalStorageModel,
            # ...) as the parent model alone, so a subtype's members (`hostId`) land in its
            # additional_properties whatever the server: the items are not looked at strictly,
            # the pagination is.
            result = parsed(await call(client, operation, skip=0, limit=2), what, model, whole=False)
            pagination = result.pagination
            strict(pagination, f"{model}.pagination")
            expect(
                isinstance(pagination.total, int) and isinstance(pagination.count, int),
                f"{what}: pagination {pagination!r}",
            )
            expect((pagination.skip, pagination.limit) == (0, 2), f"{what}: pagination {pagination!r}")
            expect(isinstance(result.data, list) and len(result.data) == pagination.count, f"{what}: data {result.data!r}")
            for item in result.data:
                # Every item model of these lists requires an id (a UUID).
                expect(isinstance(item.id, UUID), f"{what}: id {getattr(item, 'id', None)!r} is not a UUID")
            ok(f"veeam-br {version}", what, f"{model}, {pagination.count} of {pagination.total}, ids UUIDs")


async def main(base: str) -> None:
    for label, check, arguments in [
        ("veeam-365", vb365, ()),
        ("veeam-az", azure, ()),
        ("veeam-br 1.3-rev2", vbr, ("1.3-rev2",)),
        # The older end, at the same paths: the mock tells the documents apart by x-api-version.
        ("veeam-br 1.2-rev1", vbr, ("1.2-rev1",)),
    ]:
        try:
            await check(base, *arguments)
        except Failure as err:
            sys.exit(f"FAIL {label}: {err}")
        except Exception as err:  # noqa: BLE001 - anything the client raised is the finding
            sys.exit(f"FAIL {label}: {type(err).__name__}: {err}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1].rstrip("/")))
