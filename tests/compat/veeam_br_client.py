#!/usr/bin/env python3
"""Drive the mock with the real PyPI client `veeam-br` (pinned in requirements.txt).

What it proves: a program written against the published Python client for Veeam Backup &
Replication, using it the way its users do (VeeamClient.connect / api / call, and
discovery.detect_api_version / detect_rest_api), can run a whole session against the mock for
each REST API revision the mock serves. Per revision:

  discovery        detect_api_version probes GET /swagger/v{revision}/swagger.json, anonymous and
                   without x-api-version, and counts only 200 as "served": it must find the
                   revision
  wrong password   connect() with a bad password raises VeeamAuthenticationError
  login            the password grant in the revision's spelling (`password` up to 1.3-rev0,
                   `Password` from 1.3-rev1), form body, x-api-version; the mock's journal shows
                   exactly that grant answered 200
  serverInfo       GET /api/v1/serverInfo parses as ServerInfoModel with nothing left over (1.3
                   models require `platform` and `veeamRegistration`)
  refresh          16 minutes pass on the mock's clock (POST /__mock/clock), after which the old
                   access token is refused (401); without the move, a refresh in the login's
                   second gets the very same access JWT. The client refreshes when its own
                   estimate (expires_in - 30 s) has passed, so the script moves that estimate to
                   now, as veeam_365_client.py does. The client falls back to the password grant
                   silently when a refresh fails, so the refresh is judged on the wire: the
                   journal must show one refresh grant (revision spelling) answered 200 and no
                   second password grant, the client must hold a new pair and send the new
                   access token, and the journal must show that serverInfo answered 200
  logout           POST /api/oauth2/logout answers 200 `{}` (EmptySuccessResponse with no
                   members), after which the old access token is refused at serverInfo (401,
                   the `Error` model) and the login's refresh token at the token endpoint (401)

The client speaks 1.2-rev1, 1.3-rev0, 1.3-rev1 and 1.3-rev2. The mock's default (13.1) also
serves 1.1-rev0, 1.1-rev1, 1.1-rev2 and 1.2-rev0; for those the session runs through the
1.2-rev1 models (the wire is the same: lower-case grants, the nine-member ServerInfoModel) with
the client's x-api-version set to the revision after construction, and the lines say so.

Then, once: detect_api_version over every revision picks the newest served one, a revision the
mock does not serve (1.0-rev1 under 13.1) is "not served", and, over HTTPS, detect_rest_api
(which always speaks https) finds the mock's port and the newest revision.

The mock's admin API (`/__mock/journal`) is read with plain httpx on the same base URL.

Usage (talks only to the given base URL):
    python3 -m venv /tmp/vbr-venv && /tmp/vbr-venv/bin/pip install -r tests/compat/requirements.txt
    /tmp/vbr-venv/bin/python tests/compat/veeam_br_client.py http://127.0.0.1:8080 [1.3-rev2 ...]

Prints one line per check ("1.3-rev2 login ok") and exits 1 at the first failure.
"""

import asyncio
import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx
from estate_checks import Failure, expect, strict, tls_verify
from veeam_br.client import VeeamClient
from veeam_br.discovery import detect_api_version, detect_rest_api, newest_first
from veeam_br.exceptions import VeeamAuthenticationError
from veeam_br.versions import VERSION_TO_PACKAGE

USERNAME, PASSWORD = "administrator", "PassWord1"

# What the mock serves by default (`[vbr] preset = "13.1"`), oldest first.
SERVED = ["1.1-rev0", "1.1-rev1", "1.1-rev2", "1.2-rev0", "1.2-rev1", "1.3-rev0", "1.3-rev1", "1.3-rev2"]
# A revision 13.1 no longer serves ("Unsupported" in the 1.3-rev1 document).
NOT_SERVED = "1.0-rev1"


def ok(version: str, what: str) -> None:
    print(f"{version} {what} ok", flush=True)


def spelling(version: str, grant: str) -> str:
    """The grant as this revision's models spell it (capitalised from 1.3-rev1)."""
    capitalised = newest_first([version, "1.3-rev1"])[0] == version
    return grant.capitalize() if capitalised else grant


class Journal:
    """The mock's journal (`GET /__mock/journal?endpoint=...`): what went over the wire."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, verify=tls_verify(), timeout=10.0)

    def entries(self, endpoint: str, version: str) -> list:
        """Every request the mock saw on `endpoint` (`vbr.token`, `vbr.server_info`) carrying
        `x-api-version: version`, oldest first, as dicts with lower-cased header and field
        names."""
        answer = self.http.get("/__mock/journal", params={"endpoint": endpoint})
        expect(answer.status_code == 200, f"GET /__mock/journal: HTTP {answer.status_code} {answer.text}")
        found = []
        for entry in answer.json()["entries"]:
            headers = {name.lower(): value for name, value in entry["headers"]}
            if headers.get("x-api-version") != version:
                continue
            fields = {name.lower(): value for name, value in entry["fields"]}
            found.append({"status": entry["status"], "headers": headers, "fields": fields})
        return found

    def advance_clock(self, by: str) -> None:
        """Moves the mock's clock (`POST /__mock/clock {"advance": ...}`)."""
        answer = self.http.post("/__mock/clock", json={"advance": by})
        expect(answer.status_code == 200, f"POST /__mock/clock: HTTP {answer.status_code} {answer.text}")

    def grants(self, version: str) -> list:
        """(grant_type as sent, status) of every token request under `version`."""
        return [(e["fields"].get("grant_type"), e["status"]) for e in self.entries("vbr.token", version)]

    def statuses(self, endpoint: str, version: str) -> list:
        """The status of every request on `endpoint` under `version`, oldest first."""
        return [e["status"] for e in self.entries(endpoint, version)]

    def close(self) -> None:
        self.http.close()


def new_client(base: str, version: str, password: str) -> tuple:
    """A VeeamClient for `version`, and the revision whose models it uses (`version` itself,
    or 1.2-rev1 for the older revisions the client has no package for)."""
    models = version if version in VERSION_TO_PACKAGE else "1.2-rev1"
    vc = VeeamClient(base, USERNAME, password, models, verify_ssl=tls_verify(), timeout=10.0)
    # The header the client sends on every call (and the package stays models').
    vc.api_version = version
    return vc, models


async def server_info(vc: VeeamClient, version: str, models: str):
    """GET /api/v1/serverInfo through the client, which must parse it fully."""
    result = await vc.call(vc.api("service.get_server_info"))
    expect(
        type(result).__name__ == "ServerInfoModel",
        f"GET /api/v1/serverInfo (x-api-version {version}) parsed as {result!r}",
    )
    strict(result, "ServerInfoModel")
    if models.startswith("1.3"):
        expect(result.platform is not None, f"serverInfo has no platform: {result!r}")
    return result


async def check_version(base: str, version: str, journal: Journal) -> None:
    """The whole session for one revision (the module's docstring lists the checks)."""
    found = await detect_api_version(base, versions=[version], timeout=5.0, verify_ssl=tls_verify())
    expect(
        found == version,
        f"detect_api_version found {found!r}: GET /swagger/v{version}/swagger.json must answer 200",
    )
    ok(version, "discovery")

    password_grant, refresh_grant = spelling(version, "password"), spelling(version, "refresh_token")

    vc, models = new_client(base, version, "not-the-password")
    async with vc:
        try:
            await vc.connect()
        except VeeamAuthenticationError:
            pass
        else:
            raise Failure("a wrong password was accepted")
    expect(
        journal.grants(version) == [(password_grant, 401)],
        f"wrong password on the wire: {journal.grants(version)}",
    )
    ok(version, "wrong password refused (401)")

    via = "" if models == version else f" (1.2-rev1 models, x-api-version {version})"
    vc, models = new_client(base, version, PASSWORD)
    async with vc:
        await vc.connect()
        on_the_wire = journal.grants(version)[1:]
        expect(on_the_wire == [(password_grant, 200)], f"login on the wire: {on_the_wire}")
        ok(version, f"login (grant_type={password_grant}){via}")

        info = await server_info(vc, version, models)
        ok(version, f"serverInfo (build {info.build_version})")

        # Sixteen minutes pass on the mock's clock: the access token (900 s) is dead there, the
        # refresh token (14 days) is not. Without this a refresh in the login's second would
        # get the very same access JWT (its claims are user, times and audience alone).
        old_access, old_refresh = vc._access_token, vc._refresh_token
        journal.advance_clock("16m")
        stale = httpx.get(
            f"{base}/api/v1/serverInfo",
            headers={"x-api-version": version, "Authorization": f"Bearer {old_access}"},
            verify=tls_verify(),
            timeout=10.0,
        )
        expect(
            stale.status_code == 401,
            f"the old bearer after 16 minutes: HTTP {stale.status_code} {stale.text}",
        )
        ok(version, "access token expires on the mock's clock (401)")

        # The client's own clock did not move; its expiry estimate is put where waiting would
        # have put it, so the next call refreshes first.
        vc._expires_at = datetime.now(timezone.utc)
        await server_info(vc, version, models)
        on_the_wire = journal.grants(version)[1:]
        expect(
            on_the_wire == [(password_grant, 200), (refresh_grant, 200)],
            f"refresh did not go through the refresh grant alone: {on_the_wire}",
        )
        expect(
            vc._access_token != old_access and vc._refresh_token != old_refresh,
            f"refresh returned the same tokens (access same: {vc._access_token == old_access}, "
            f"refresh same: {vc._refresh_token == old_refresh})",
        )
        expect(vc._client.token == vc._access_token, "the client does not send the new access token")
        calls = journal.statuses("vbr.server_info", version)
        expect(calls == [200, 401, 200], f"serverInfo on the wire: {calls}")
        ok(version, f"refresh (grant_type={refresh_grant} 200 on the wire, serverInfo 200 with the new token)")

        last_refresh = vc._refresh_token
        result = await vc.call(vc.api("login.logout"))
        logouts = journal.statuses("vbr.logout", version)
        expect(logouts == [200], f"logout on the wire: {logouts}")
        expect(
            type(result).__name__ == "EmptySuccessResponse" and result.additional_properties == {},
            f"logout parsed as {result!r}",
        )
        ok(version, "logout (200 {})")

        refused = await vc.call(vc.api("service.get_server_info"))
        calls = journal.statuses("vbr.server_info", version)
        expect(calls[-1] == 401, f"serverInfo after logout: HTTP {calls[-1]}, expected 401")
        expect(type(refused).__name__ == "Error", f"serverInfo after logout parsed as {refused!r}")
        ok(version, f"access token refused after logout (401 {refused.error_code.value})")

    # The login's refresh token is dead too. Asked for with plain httpx: the client would only
    # spend it after its access token expired, and then fall back to a password login silently.
    answer = httpx.post(
        f"{base}/api/oauth2/token",
        headers={"x-api-version": version},
        data={"grant_type": refresh_grant, "refresh_token": last_refresh},
        verify=tls_verify(),
        timeout=10.0,
    )
    expect(
        answer.status_code == 401,
        f"the refresh token after logout: HTTP {answer.status_code} {answer.text}",
    )
    ok(version, "refresh token refused after logout (401)")


async def main(base: str, versions: list) -> None:
    journal = Journal(base)
    for version in versions:
        try:
            await check_version(base, version, journal)
        except Failure as err:
            sys.exit(f"FAIL {version}: {err}")
        except Exception as err:  # noqa: BLE001 - anything the client raised is the finding
            sys.exit(f"FAIL {version}: {type(err).__name__}: {err}")

    newest = newest_first(versions)[0]
    candidates = [NOT_SERVED, *versions]
    found = await detect_api_version(base, versions=candidates, timeout=5.0, verify_ssl=tls_verify())
    if found != newest:
        sys.exit(f"FAIL discovery: detect_api_version({candidates}) gave {found!r}, expected {newest}")
    print(f"discovery picks {newest} ok")

    found = await detect_api_version(base, timeout=5.0, verify_ssl=tls_verify())
    if found != "1.3-rev2":
        sys.exit(f"FAIL discovery: detect_api_version() gave {found!r}, expected 1.3-rev2")
    print("discovery over the client's own revisions picks 1.3-rev2 ok")

    found = await detect_api_version(base, versions=[NOT_SERVED], timeout=5.0, verify_ssl=tls_verify())
    if found is not None:
        sys.exit(f"FAIL discovery: {NOT_SERVED} counted as served; its Swagger document must answer 404")
    print(f"discovery {NOT_SERVED} not served ok")

    url = urlsplit(base)
    if url.scheme == "https":
        # It always speaks https, so it runs over HTTPS only, on the mock's port.
        found = await detect_rest_api(
            url.hostname, ports=[url.port], versions=candidates, timeout=5.0, verify_ssl=tls_verify()
        )
        if found is None or (found.port, found.api_version) != (url.port, newest):
            sys.exit(f"FAIL discovery: detect_rest_api gave {found!r}, expected port {url.port}, {newest}")
        print(f"detect_rest_api finds port {url.port} with {newest} ok")
    journal.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1].rstrip("/"), sys.argv[2:] or SERVED))
