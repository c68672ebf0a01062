"""Drives the real PyPI client veeam-br 0.5.1 against the mock's Backup & Replication, for every
revision it speaks (1.2-rev1, 1.3-rev0, 1.3-rev1, 1.3-rev2): version discovery, a refused
password, login, serverInfo (parsed into the revision's ServerInfoModel, whose required members
differ), a refresh judged on the wire (the client silently falls back to the password grant
when a refresh fails, so the mock's journal is read to see which grant answered), and logout
with both tokens refused afterwards. Usage: python veeam_br_client.py BASE_URL [VERSION ...]

Exits non-zero (with the reason) at the first step that does not behave as against a real server.
"""

import asyncio
import importlib
import json
import os
import ssl
import sys
import urllib.request
from datetime import datetime, timedelta, timezone

from veeam_br.client import VeeamClient
from veeam_br.discovery import detect_api_version
from veeam_br.exceptions import VeeamAuthenticationError

USERNAME, PASSWORD = "administrator", "PassWord1"
VERSIONS = ["1.2-rev1", "1.3-rev0", "1.3-rev1", "1.3-rev2"]


def tls_verify():
    """False (how users of a self-signed server run the client), or an SSLContext trusting only
    the mock's exported certificate when VEEAM_COMPAT_CA names it."""
    ca = os.environ.get("VEEAM_COMPAT_CA")
    return ssl.create_default_context(cafile=ca) if ca else False


def check(condition, message):
    if not condition:
        raise SystemExit(f"veeam-br: FAILED: {message}")
    print(f"veeam-br: {message} ok", flush=True)


def token_calls(base):
    """(grant_type, status) of every VBR token call so far, from the mock's journal."""
    context = ssl._create_unverified_context() if base.startswith("https") else None
    with urllib.request.urlopen(f"{base}/__mock/journal?endpoint=vbr.token", context=context) as answer:
        entries = json.load(answer)["entries"]
    entries.sort(key=lambda entry: entry["seq"])
    return [(dict(entry["fields"]).get("grant_type"), entry["status"]) for entry in entries]


async def check_version(base, version):
    found = await detect_api_version(base, versions=[version], verify_ssl=tls_verify(), timeout=5.0)
    check(found == version, f"{version} discovery (swagger document served)")

    wrong = VeeamClient(base, USERNAME, "not-the-password", version, verify_ssl=tls_verify(), timeout=10.0)
    try:
        await wrong.connect()
    except VeeamAuthenticationError:
        pass
    else:
        raise SystemExit("veeam-br: FAILED: a wrong password was accepted")
    finally:
        await wrong.close()
    check(True, f"{version} wrong password refused (Error parsed)")

    package = f"veeam_br.v{version.replace('.', '_').replace('-', '_')}"
    ServerInfoModel = importlib.import_module(f"{package}.models.server_info_model").ServerInfoModel
    logout = importlib.import_module(f"{package}.api.login.logout").asyncio
    get_server_info = importlib.import_module(f"{package}.api.service.get_server_info").asyncio

    async with VeeamClient(base, USERNAME, PASSWORD, version, verify_ssl=tls_verify(), timeout=10.0) as vc:
        await vc.connect()
        check(vc._access_token and vc._refresh_token, f"{version} login")
        info = await vc.call(get_server_info)
        check(isinstance(info, ServerInfoModel), f"{version} serverInfo parsed ({type(info).__name__})")

        before = len(token_calls(base))
        old_refresh = vc._refresh_token
        vc._expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        info = await vc.call(get_server_info)
        calls = token_calls(base)[before:]
        check(
            [(grant.lower(), status) for grant, status in calls] == [("refresh_token", 200)],
            f"{version} refresh through the refresh grant alone ({calls})",
        )
        # A new refresh token (a new token_id); the access token carries no id, so within the same
        # second it reads the same, as on a real server.
        check(vc._refresh_token != old_refresh and vc._access_token, f"{version} refresh gave a new pair")
        check(isinstance(info, ServerInfoModel), f"{version} serverInfo after refresh")

        result = await logout(client=vc._client, x_api_version=version)
        check(type(result).__name__ == "EmptySuccessResponse", f"{version} logout 200 {{}} ({result!r})")
        after = await get_server_info(client=vc._client, x_api_version=version)
        check(type(after).__name__ == "Error", f"{version} the access token is refused after logout")
        refused = vc._refresh_token
        create_token = importlib.import_module(f"{package}.api.login.create_token").asyncio
        models = importlib.import_module(f"{package}.models")
        body = models.TokenLoginSpec(grant_type=models.ELoginGrantType.REFRESH_TOKEN, refresh_token=refused)
        answer = await create_token(client=vc._client, body=body, x_api_version=version)
        check(type(answer).__name__ == "Error", f"{version} the refresh token is refused after logout")


async def main(base, versions):
    for version in versions:
        await check_version(base, version)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1].rstrip("/"), sys.argv[2:] or VERSIONS))
