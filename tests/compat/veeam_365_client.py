#!/usr/bin/env python3
"""Drive the mock with the real PyPI client `veeam-365` (pinned in requirements.txt).

What it proves: a program written against the published Python client, using it the way its
users do (VeeamClient.connect / api / call, and discovery.detect_api_version), can run a whole
session against the mock for each API version. Per version:

  discovery        detect_api_version probes GET /{v}/ServiceInstance without a token and counts
                   200/401/403 as "served"; it must find the version (and v99 must be "not served")
  wrong password   connect() with a bad password raises VeeamAuthenticationError
  login            password grant (form body; v7/v8 also send disable_antiforgery_token=true)
  ServiceInstance  the protected call parses as RESTServiceInstance
  refresh          the refresh grant answers 200 with a new pair (the client silently falls back
                   to the password grant when a refresh fails, so the traffic is checked too)
  logout           POST /{v}/token/logout where the client has one (v7 expects 200, v8 204;
                   v6 has none), after which the old token is refused: 401 with an empty body,
                   which the client reports as VeeamSessionError

The client has no public "refresh now": it refreshes when its own expiry estimate
(expires_in - 30 s) has passed. The script moves that estimate to now, which is what waiting
an hour would do. It also hooks the client's httpx event hooks (VeeamClient._httpx_args, the
seam the client keeps for tests) to see each request's grant and status.

Usage (talks only to the given base URL):
    python3 -m venv /tmp/v365-venv && /tmp/v365-venv/bin/pip install -r tests/compat/requirements.txt
    /tmp/v365-venv/bin/python tests/compat/veeam_365_client.py http://127.0.0.1:8080 [v6 v7 v8]

Prints one line per check ("v8 login ok") and exits 1 at the first failure.
"""

import asyncio
import importlib.util
import os
import ssl
import sys
from datetime import datetime, timezone
from urllib.parse import parse_qs

from veeam_365.client import VeeamClient
from veeam_365.discovery import detect_api_version, newest_first
from veeam_365.exceptions import VeeamAuthenticationError, VeeamSessionError

USERNAME, PASSWORD = "Administrator", "PassWord1"


def tls_verify():
    """What to pass as verify_ssl: False (how users of a self-signed appliance run these
    clients), or, when VEEAM_COMPAT_CA names a PEM file (the mock's exported certificate), an
    SSLContext that trusts only it, so the HTTPS run also proves the certificate verifies."""
    ca = os.environ.get("VEEAM_COMPAT_CA")
    return ssl.create_default_context(cafile=ca) if ca else False


class Failure(Exception):
    pass


def ok(version: str, what: str) -> None:
    print(f"{version} {what} ok", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def new_client(base: str, version: str, password: str, traffic: list) -> VeeamClient:
    async def record(response):
        request = response.request
        form = parse_qs(request.content.decode(errors="replace")) if request.content else {}
        grant = form.get("grant_type", [None])[0]
        traffic.append((request.method, request.url.path, grant, response.status_code))

    vc = VeeamClient(base, USERNAME, password, version, verify_ssl=tls_verify(), timeout=10.0)
    vc._httpx_args["event_hooks"] = {"response": [record]}
    return vc


def grants(traffic: list) -> list:
    """(grant_type, status) of every token request, in order."""
    return [(grant, status) for _, path, grant, status in traffic if path.lower().endswith("/token")]


async def service_instance(vc: VeeamClient, version: str, traffic: list):
    result = await vc.call(vc.api("service_instance.service_instance_get"))
    status = traffic[-1][3] if traffic else None
    expect(
        type(result).__name__ == "RESTServiceInstance",
        f"GET /{version}/ServiceInstance gave HTTP {status}, parsed as {result!r}",
    )
    return result


async def check_version(base: str, version: str) -> None:
    found = await detect_api_version(base, versions=[version], timeout=5.0, verify_ssl=tls_verify())
    expect(
        found == version,
        f"detect_api_version found {found!r}: GET /{version}/ServiceInstance without a token "
        "must answer 200, 401 or 403",
    )
    ok(version, "discovery")

    traffic: list = []
    async with new_client(base, version, "not-the-password", traffic) as vc:
        try:
            await vc.connect()
        except VeeamAuthenticationError:
            pass
        else:
            raise Failure("a wrong password was accepted")
    ok(version, "wrong password refused")

    traffic = []
    async with new_client(base, version, PASSWORD, traffic) as vc:
        await vc.connect()
        expect(grants(traffic) == [("password", 200)], f"login traffic: {traffic}")
        ok(version, "login")

        si = await service_instance(vc, version, traffic)
        ok(version, f"ServiceInstance (version {si.version})")

        # Pretend the access token is about to expire: the next call refreshes first.
        old_access, old_refresh = vc._access_token, vc._refresh_token
        vc._expires_at = datetime.now(timezone.utc)
        await service_instance(vc, version, traffic)
        expect(
            grants(traffic)[1:] == [("refresh_token", 200)],
            f"refresh did not go through the refresh grant alone: {grants(traffic)}",
        )
        expect(
            vc._access_token != old_access and vc._refresh_token != old_refresh,
            "refresh returned the same tokens",
        )
        ok(version, "refresh")
        ok(version, "ServiceInstance after refresh")

        if importlib.util.find_spec(f"veeam_365.{version}.api.auth.logout") is None:
            print(f"{version} logout skipped (the client has no logout for {version})")
            return

        result = await vc.call(vc.api("auth.logout"))
        expect(result is None, f"logout gave HTTP {traffic[-1][3]}, parsed as {result!r}")
        ok(version, f"logout (HTTP {traffic[-1][3]})")

        try:
            await vc.call(vc.api("service_instance.service_instance_get"))
        except VeeamSessionError:
            pass
        else:
            raise Failure(f"the token still works after logout (HTTP {traffic[-1][3]})")
        expect(traffic[-1][3] == 401, f"after logout: HTTP {traffic[-1][3]}, expected 401")
        ok(version, "token refused after logout")


async def main(base: str, versions: list) -> None:
    for version in versions:
        try:
            await check_version(base, version)
        except Failure as err:
            sys.exit(f"FAIL {version}: {err}")
        except Exception as err:  # anything the client raised: name it, it is the finding
            sys.exit(f"FAIL {version}: {type(err).__name__}: {err}")

    newest = newest_first(versions)[0]
    found = await detect_api_version(base, versions=versions, timeout=5.0, verify_ssl=tls_verify())
    if found != newest:
        sys.exit(f"FAIL discovery: detect_api_version({versions}) gave {found!r}, expected {newest}")
    print(f"discovery picks {newest} ok")

    found = await detect_api_version(base, versions=["v99"], timeout=5.0, verify_ssl=tls_verify())
    if found is not None:
        sys.exit("FAIL discovery: v99 counted as served; unknown versions must answer 404")
    print("discovery v99 not served ok")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1].rstrip("/"), sys.argv[2:] or ["v6", "v7", "v8"]))
