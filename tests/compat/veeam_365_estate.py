#!/usr/bin/env python3
"""Drive the mock, playing scenarios/vb365-estate.toml, with the real PyPI client `veeam-365`
(pinned in requirements.txt): the declared routes must answer the client's generated v8
operations with bodies that parse into its models, behind the mock's real sessions.

  login            password grant as Administrator / PassWord1
  Jobs             GET /v8/Jobs?limit=2&offset=0 parses as PageOfRESTJob: 2 of the 3 jobs, their
                   names, statuses, dates and UUIDs as the client's types; then the second page
  Jobs/{id}        GET /v8/Jobs/{id} parses as RESTJob with the id asked for
  repositories, organizations, license
                   GET /v8/BackupRepositories, /v8/Organizations, /v8/License parse
  expiry           after `POST /__mock/clock {"advance":"61m"}` the old bearer gets 401 (the
                   access token lives 60 minutes on the scenario clock)
  refresh          the client, its own expiry estimate moved to now (its clock did not move),
                   refreshes through the refresh grant alone (its traffic and the mock's journal
                   agree) and lists the jobs again
  logout           POST /v8/token/logout answers 204, after which GET /v8/Jobs is refused: 401
                   with an empty body, which the client reports as VeeamSessionError

Every parsed model is looked at strictly (estate_checks.strict): no key the client does not
know, no date or UUID left as a string.

Usage (talks only to the given base URL, and to its /__mock admin API; install the clients with
`python3 -m venv /tmp/compat-venv && /tmp/compat-venv/bin/pip install -r tests/compat/requirements.txt`):
    veeam-auth-mock serve --scenario scenarios/vb365-estate.toml
    /tmp/compat-venv/bin/python tests/compat/veeam_365_estate.py http://127.0.0.1:8080

Prints one line per check ("vb365 estate: Jobs page 1 ok") and exits 1 at the first failure.
"""

import sys
from datetime import datetime, timezone
from urllib.parse import parse_qs
from uuid import UUID

import httpx
from estate_checks import Admin, Failure, expect, run, strict, tls_verify
from veeam_365.client import VeeamClient
from veeam_365.exceptions import VeeamSessionError
from veeam_365.v8.models.rest_job_last_status import RESTJobLastStatus
from veeam_365.v8.models.rest_license_status import RESTLicenseStatus

USERNAME, PASSWORD = "Administrator", "PassWord1"
# The first job of the scenario, and its last one (alone on the second page of two).
FIRST_JOB = ("3c1b5a9e-7f42-4d8b-a6e0-51c9d2f8b734", "Contoso - Mailboxes and OneDrive")
LAST_JOB = ("f05a93c2-6e1d-4a78-9b24-c8d7e3a1f560", "Fabrikam - Entire organization")


def ok(what: str) -> None:
    print(f"vb365 estate: {what} ok", flush=True)


def new_client(base: str, traffic: list) -> VeeamClient:
    """A v8 client whose every response is recorded as (method, path, grant_type, status)."""

    async def record(response):
        request = response.request
        form = parse_qs(request.content.decode(errors="replace")) if request.content else {}
        grant = form.get("grant_type", [None])[0]
        traffic.append((request.method, request.url.path, grant, response.status_code))

    vc = VeeamClient(base, USERNAME, PASSWORD, "v8", verify_ssl=tls_verify(), timeout=10.0)
    vc._httpx_args["event_hooks"] = {"response": [record]}
    return vc


def grants(traffic: list) -> list:
    """(grant_type, status) of every token request the client made, in order."""
    return [(grant, status) for _, path, grant, status in traffic if path.lower().endswith("/token")]


async def list_jobs(vc: VeeamClient, traffic: list, offset: int, limit: int):
    page = await vc.call(vc.api("job.job_get"), offset=offset, limit=limit)
    status = traffic[-1][3] if traffic else None
    expect(type(page).__name__ == "PageOfRESTJob", f"GET /v8/Jobs gave HTTP {status}, parsed as {page!r}")
    strict(page, "PageOfRESTJob")
    return page


async def check(base: str) -> None:
    admin = Admin(base)
    traffic: list = []
    async with new_client(base, traffic) as vc:
        await vc.connect()
        expect(grants(traffic) == [("password", 200)], f"login traffic: {traffic}")
        ok("login")

        page = await list_jobs(vc, traffic, offset=0, limit=2)
        expect((page.offset, page.limit, len(page.results)) == (0, 2, 2), f"page 1: {page!r}")
        first = page.results[0]
        expect((first.id, first.name) == (UUID(FIRST_JOB[0]), FIRST_JOB[1]), f"first job: {first!r}")
        expect(first.last_status == RESTJobLastStatus.SUCCESS, f"lastStatus: {first.last_status!r}")
        expect(isinstance(first.last_run, datetime) and first.last_run.tzinfo, f"lastRun: {first.last_run!r}")
        ok(f"Jobs page 1 ({len(page.results)} jobs, first {first.name!r})")

        page = await list_jobs(vc, traffic, offset=2, limit=2)
        expect((page.offset, page.limit, len(page.results)) == (2, 2, 1), f"page 2: {page!r}")
        last = page.results[0]
        expect((str(last.id), last.name, last.is_enabled) == (*LAST_JOB, False), f"last job: {last!r}")
        ok("Jobs page 2 (the third job alone)")

        job = await vc.call(vc.api("job.job_get_by_id"), UUID(FIRST_JOB[0]))
        expect(type(job).__name__ == "RESTJob", f"GET /v8/Jobs/{{id}} parsed as {job!r}")
        strict(job, "RESTJob")
        expect((job.id, job.name) == (UUID(FIRST_JOB[0]), FIRST_JOB[1]), f"GET /v8/Jobs/{{id}}: {job!r}")
        ok("Jobs/{id} (the id echoed)")

        repositories = await vc.call(vc.api("backup_repository.backup_repository_get_repositories"))
        expect(
            type(repositories).__name__ == "PageOfRESTBackupRepository",
            f"GET /v8/BackupRepositories parsed as {repositories!r}",
        )
        strict(repositories, "PageOfRESTBackupRepository")
        expect(len(repositories.results) == 2, f"{len(repositories.results)} repositories")
        expect(all(r.free_space_bytes < r.capacity_bytes for r in repositories.results), "free > capacity")
        ok("BackupRepositories")

        organizations = await vc.call(vc.api("organization.organization_get"))
        expect(
            type(organizations).__name__ == "PageOfRestOrganizationComposed",
            f"GET /v8/Organizations parsed as {organizations!r}",
        )
        strict(organizations, "PageOfRestOrganizationComposed")
        names = [o.name for o in organizations.results]
        expect(names == ["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"], f"organizations: {names}")
        ok("Organizations")

        license_ = await vc.call(vc.api("license_.license_get"))
        expect(type(license_).__name__ == "RESTLicense", f"GET /v8/License parsed as {license_!r}")
        strict(license_, "RESTLicense")
        expect(license_.status == RESTLicenseStatus.VALID, f"license status {license_.status!r}")
        ok(f"License ({license_.used_number} of {license_.total_number} used)")

        # An hour passes on the mock's clock: the access token (60 minutes) is dead there,
        # the refresh token (120 minutes) is not.
        old_access, old_refresh = vc._access_token, vc._refresh_token
        admin.advance_clock("61m")
        stale = httpx.get(
            f"{base}/v8/Jobs",
            headers={"Authorization": f"Bearer {old_access}"},
            verify=tls_verify(),
            timeout=10.0,
        )
        expect(stale.status_code == 401, f"the old bearer after 61 minutes: HTTP {stale.status_code}")
        expect(stale.content == b"", f"the 401 has a body: {stale.text!r}")
        ok("the access token expires on the mock's clock (401)")

        # The client's own clock did not move; its expiry estimate is put where an hour of
        # waiting would have put it, so the next call refreshes first.
        vc._expires_at = datetime.now(timezone.utc)
        page = await list_jobs(vc, traffic, offset=0, limit=30)
        expect(
            grants(traffic) == [("password", 200), ("refresh_token", 200)],
            f"the client did not refresh through the refresh grant alone: {grants(traffic)}",
        )
        on_the_wire = admin.token_requests("vb365.token")
        expect(
            on_the_wire == [("password", 200), ("refresh_token", 200)],
            f"the mock's journal shows other token requests: {on_the_wire}",
        )
        expect(
            vc._access_token != old_access and vc._refresh_token != old_refresh,
            "refresh returned the same tokens",
        )
        ok("refresh after the clock moved (journal: password, refresh_token)")
        expect(len(page.results) == 3, f"{len(page.results)} jobs after the refresh")
        ok("Jobs after refresh (all 3)")

        result = await vc.call(vc.api("auth.logout"))
        expect(result is None, f"logout gave HTTP {traffic[-1][3]}, parsed as {result!r}")
        ok(f"logout (HTTP {traffic[-1][3]})")

        try:
            page = await vc.call(vc.api("job.job_get"))
        except VeeamSessionError:
            pass
        else:
            raise Failure(f"GET /v8/Jobs still works after logout (HTTP {traffic[-1][3]}): {page!r}")
        expect(traffic[-1][3] == 401, f"GET /v8/Jobs after logout: HTTP {traffic[-1][3]}, expected 401")
        ok("Jobs refused after logout (401)")
    admin.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    run("vb365 estate", check(sys.argv[1].rstrip("/")))
