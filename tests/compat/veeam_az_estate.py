#!/usr/bin/env python3
"""Drive the mock, playing scenarios/azure-estate.toml, with the real PyPI client `veeam-az`
0.2.0 (pinned in requirements.txt): the declared routes must answer the client's generated 8.1
operations with bodies that parse into its models, behind the mock's real sessions.

  login            grant_type=Password as administrator / PassWord1
  policies         GET /api/v8.1/policies/virtualMachines?Offset=0&Limit=1 parses as PageOfPolicy:
                   totalCount 2, one policy, its id, status enum and date as the client's types
  policy by id     GET /api/v8.1/policies/virtualMachines/{id} parses as Policy with that id
  job sessions     GET /api/v8.1/jobSessions?Limit=-1 parses as PageOfJobSession, all 3
  roles            the ReadOnlyUser `auditor` gets 403 (ProblemDetails403) on the policies,
                   which the scenario keeps for PortalAdmin and PortalOperator
  expiry           after `POST /__mock/clock {"advance":"61m"}` the old bearer gets 401 with the
                   JSON problem body (the access token lives 60 minutes on the scenario clock)
  refresh          the client, its own expiry estimate moved to now (its clock did not move),
                   refreshes (the mock's journal shows one Refresh_token grant answered 200 and
                   no second password grant) and lists the policies again
  logout           DELETE /api/oauth2/token (the generated login_logout) answers 204,
                   after which the policy list answers 401, parsed as ProblemDetails401

Every parsed model is looked at strictly (estate_checks.strict): no key the client does not
know, no date or UUID left as a string.

Usage (talks only to the given base URL, and to its /__mock admin API; install the clients with
`python3 -m venv /tmp/compat-venv && /tmp/compat-venv/bin/pip install -r tests/compat/requirements.txt`):
    veeam-auth-mock serve --scenario scenarios/azure-estate.toml
    /tmp/compat-venv/bin/python tests/compat/veeam_az_estate.py http://127.0.0.1:8080

Prints one line per check ("veeam-az estate: policies page ok") and exits 1 at the first failure.
"""

import sys
from datetime import datetime, timedelta, timezone
from uuid import UUID

import httpx
from estate_checks import Admin, expect, run, strict, tls_verify
from veeam_az.client import VeeamClient
from veeam_az.v8_1.api.login import login_logout
from veeam_az.v8_1.models.job_status import JobStatus

PASSWORD = "PassWord1"
POLICY = ("2b9e4d71-6a03-4c58-9f1e-d7c0a8b3e625", "Production VMs - West Europe")


def ok(what: str) -> None:
    print(f"veeam-az estate: {what} ok", flush=True)


def login(base: str, username: str) -> VeeamClient:
    return VeeamClient(base, "8.1", verify_ssl=tls_verify(), username=username, password=PASSWORD)


async def list_policies(client: VeeamClient, **paging):
    page = await client.call(client.api("policy").policy_get_policies, **paging)
    expect(type(page).__name__ == "PageOfPolicy", f"GET /policies/virtualMachines parsed as {page!r}")
    strict(page, "PageOfPolicy")
    return page


async def check(base: str) -> None:
    admin = Admin(base)
    client = login(base, "administrator")
    await client.connect()
    expect(admin.token_requests("azure.token") == [("password", 200)], "login traffic")
    ok("login")

    page = await list_policies(client, offset=0, limit=1)
    expect((page.offset, page.limit, page.total_count, len(page.results)) == (0, 1, 2, 1), f"page: {page!r}")
    policy = page.results[0]
    expect((policy.id, policy.name) == (UUID(POLICY[0]), POLICY[1]), f"first policy: {policy!r}")
    expect(policy.backup_status == JobStatus.SUCCESS, f"backupStatus: {policy.backup_status!r}")
    expect(isinstance(policy.next_execution_time, datetime), f"nextExecutionTime: {policy.next_execution_time!r}")
    ok(f"policies page (1 of {page.total_count}, {policy.name!r})")

    by_id = await client.call(client.api("policy").policy_get_policy, UUID(POLICY[0]))
    expect(type(by_id).__name__ == "Policy", f"GET /policies/virtualMachines/{{id}} parsed as {by_id!r}")
    strict(by_id, "Policy")
    expect(by_id.id == UUID(POLICY[0]), f"the policy's id is not the one asked for: {by_id.id}")
    ok("policy by id (the id echoed)")

    sessions = await client.call(client.api("job_sessions").job_sessions_get_job_sessions, limit=-1)
    expect(type(sessions).__name__ == "PageOfJobSession", f"GET /jobSessions parsed as {sessions!r}")
    strict(sessions, "PageOfJobSession")
    expect((sessions.total_count, len(sessions.results)) == (3, 3), f"sessions: {sessions!r}")
    statuses = [s.status for s in sessions.results]
    expect(statuses == [JobStatus.SUCCESS, JobStatus.WARNING, JobStatus.ERROR], f"statuses: {statuses}")
    ok("job sessions (Limit=-1: all 3)")

    auditor = login(base, "auditor")
    await auditor.connect()
    refused = await auditor.call(auditor.api("policy").policy_get_policies)
    expect(type(refused).__name__ == "ProblemDetails403", f"the ReadOnlyUser's policy list: {refused!r}")
    ok("policies refused to a ReadOnlyUser (403)")

    # An hour passes on the mock's clock: the access token (60 minutes) is dead there, the
    # refresh token (14 days) is not.
    old_access = client._access_token
    admin.advance_clock("61m")
    stale = httpx.get(
        f"{base}/api/v8.1/policies/virtualMachines",
        headers={"Authorization": f"Bearer {old_access}"},
        verify=tls_verify(),
        timeout=10.0,
    )
    expect(stale.status_code == 401, f"the old bearer after 61 minutes: HTTP {stale.status_code}")
    expect(stale.json().get("status") == 401, f"the 401's body: {stale.text!r}")
    ok("the access token expires on the mock's clock (401)")

    # The client's own clock did not move; its expiry estimate is put where an hour of waiting
    # would have put it, so the next call refreshes first.
    client._expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    page = await list_policies(client)
    on_the_wire = admin.token_requests("azure.token")
    expect(
        on_the_wire == [("password", 200), ("password", 200), ("refresh_token", 200)],
        f"the mock's journal shows other token requests (administrator, auditor, refresh): {on_the_wire}",
    )
    expect(client._access_token != old_access, "the refresh gave the same access token")
    ok("refresh after the clock moved (journal: one Refresh_token grant, 200)")
    expect((page.total_count, len(page.results)) == (2, 2), f"policies after the refresh: {page!r}")
    ok("policies after refresh (both)")

    result = await login_logout.asyncio(client=client._client)
    expect(result is None, f"logout answered 204 ({result!r})")
    ok("logout (HTTP 204)")
    refused = await client.call(client.api("policy").policy_get_policies)
    expect(type(refused).__name__ == "ProblemDetails401", f"the policy list after logout: {refused!r}")
    expect(refused.status == 401, f"the 401's status field: {refused.status!r}")
    ok("policies refused after logout (401)")
    admin.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    run("veeam-az estate", check(sys.argv[1].rstrip("/")))
