"""Drives the real PyPI client veeam-az 0.2.0 against the mock: login, a protected call,
a refresh and a logout. Usage: python veeam_az_client.py BASE_URL

Exits non-zero (with the reason) at the first step that does not behave as against a real
appliance.
"""

import asyncio
import os
import ssl
import sys
from datetime import datetime, timedelta, timezone
from uuid import UUID

from veeam_az.client import VeeamClient
from veeam_az.v8_1.api.login import login_logout
from veeam_az.v8_1.models.system_info import SystemInfo


def tls_verify():
    """What to pass as verify_ssl: False (how users of a self-signed appliance run these
    clients), or, when VEEAM_COMPAT_CA names a PEM file (the mock's exported certificate), an
    SSLContext that trusts only it, so the HTTPS run also proves the certificate verifies."""
    ca = os.environ.get("VEEAM_COMPAT_CA")
    return ssl.create_default_context(cafile=ca) if ca else False


def check(condition, message):
    if not condition:
        raise SystemExit(f"veeam-az: FAILED: {message}")
    print(f"veeam-az: ok: {message}")


async def main(base_url):
    client = VeeamClient(base_url, "8.1", verify_ssl=tls_verify(), username="administrator", password="PassWord1")

    # Login (grant_type=Password).
    await client.connect()
    check(client._access_token and client._refresh_token, "login returned an access and a refresh token")
    first_access = client._access_token

    # A protected call.
    about = await client.call(client.api("system").system_get_about)
    check(isinstance(about, SystemInfo), f"system/about parsed as SystemInfo ({type(about).__name__})")
    check(isinstance(about.database_id, UUID), f"databaseId is a UUID ({about.database_id})")

    # Refresh: pretend the access token is about to expire; the client refreshes on its next call
    # (sending its old bearer along, which the mock must ignore).
    client._expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    about = await client.call(client.api("system").system_get_about)
    check(client._access_token != first_access, "the refresh grant gave a new access token")
    check(isinstance(about, SystemInfo), "system/about works with the refreshed token")

    # Logout (the client itself never logs out; the generated operation does).
    result = await login_logout.asyncio(client=client._client)
    check(result is None, f"logout answered 204 ({result!r})")
    after = await client._client.get_async_httpx_client().get("/api/v8.1/system/about")
    check(after.status_code == 401, f"the token is dead after logout ({after.status_code})")
    check(after.json().get("status") == 401, "the 401 has a JSON problem body")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: veeam_az_client.py BASE_URL")
    asyncio.run(main(sys.argv[1]))
