"""The published VBAzure client (veeam-az 0.2.0) against the `veeam_mock` fixture: login, expiry
by the mock's clock, the refresh grant, an injected 503 on the token endpoint, and what the
journal saw."""

import asyncio
from datetime import datetime, timezone

from veeam_az.client import VeeamClient

USER, PASSWORD = "administrator", "PassWord1"


def new_client(mock) -> VeeamClient:
    return VeeamClient(mock.url, "8.1", verify_ssl=False, username=USER, password=PASSWORD)


def about(client: VeeamClient):
    return client.call(client.api("system").system_get_about)


def test_login_and_a_protected_call(veeam_mock):
    async def scenario():
        client = new_client(veeam_mock)
        await client.connect()
        return await about(client)

    info = asyncio.run(scenario())

    assert type(info).__name__ == "SystemInfo"
    assert veeam_mock.journal.count(endpoint="azure.token", status=200) == 1
    assert veeam_mock.journal.count(endpoint="azure.about", status=200) == 1


def test_the_mock_clock_expires_the_access_token(veeam_mock):
    async def scenario():
        client = new_client(veeam_mock)
        await client.connect()
        veeam_mock.clock.advance("61m")
        return await client._client.get_async_httpx_client().get("/api/v8.1/system/about")

    refused = asyncio.run(scenario())

    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert veeam_mock.journal.count(endpoint="azure.about", status=401) == 1


def test_the_refresh_grant_renews_a_session_the_clock_expired(veeam_mock):
    async def scenario():
        client = new_client(veeam_mock)
        await client.connect()
        old = client._access_token
        veeam_mock.clock.advance("61m")
        client._expires_at = datetime.now(timezone.utc)
        info = await about(client)
        return old, client._access_token, info

    old, new, info = asyncio.run(scenario())

    assert new != old and type(info).__name__ == "SystemInfo"
    entries = veeam_mock.journal.find(endpoint="azure.token")
    assert [(e["status"]) for e in entries] == [200, 200]
    assert veeam_mock.journal.count(endpoint="azure.token", grant_type="Refresh_token") == 1


def test_an_injected_503_on_the_token_endpoint(veeam_mock):
    veeam_mock.faults.add({"endpoint": "azure.token", "status": 503, "times": 1})

    async def scenario():
        client = new_client(veeam_mock)
        try:
            await client.connect()
        except Exception as refused:  # the generated client cannot parse a 503 into a token
            first = type(refused).__name__
        else:
            first = "no error"
        await client.connect()
        return first, await about(client)

    first, info = asyncio.run(scenario())

    assert first != "no error"
    assert type(info).__name__ == "SystemInfo"
    assert [e["status"] for e in veeam_mock.journal.find(endpoint="azure.token")] == [503, 200]
