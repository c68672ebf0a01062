"""The published VB365 client (veeam-365 0.4.1) against the `veeam_mock` fixture: login, expiry
by the mock's clock, the refresh grant, an injected 503 on the token endpoint, and what the
journal saw. Each test gets a mock of its own."""

import asyncio
from datetime import datetime, timezone

import httpx
import pytest
from veeam_365.client import VeeamClient
from veeam_365.exceptions import VeeamSessionError

USER, PASSWORD = "Administrator", "PassWord1"


def service_instance(client: VeeamClient):
    return client.call(client.api("service_instance.service_instance_get"))


def test_login_and_a_protected_call(veeam_mock):
    async def scenario():
        async with VeeamClient(veeam_mock.url, USER, PASSWORD, "v8", timeout=5.0) as client:
            await client.connect()
            return await service_instance(client)

    instance = asyncio.run(scenario())

    assert type(instance).__name__ == "RESTServiceInstance"
    assert veeam_mock.journal.count(endpoint="vb365.token", grant_type="password", status=200) == 1
    assert veeam_mock.journal.count(endpoint="vb365.service_instance", status=200) == 1


def test_the_mock_clock_expires_the_session_and_the_client_logs_in_again(veeam_mock):
    async def scenario():
        async with VeeamClient(veeam_mock.url, USER, PASSWORD, "v8", timeout=5.0) as client:
            await client.connect()
            veeam_mock.clock.advance("61m")  # past the scenario's one-hour access tokens
            with pytest.raises(VeeamSessionError):
                await service_instance(client)  # the client still thinks its token is fresh
            return await service_instance(client)  # it dropped the session: a new login

    assert type(asyncio.run(scenario())).__name__ == "RESTServiceInstance"
    assert veeam_mock.journal.count(endpoint="vb365.service_instance", status=401) == 1
    assert veeam_mock.journal.count(endpoint="vb365.token", grant_type="password", status=200) == 2


def test_the_refresh_grant_renews_a_session_the_clock_expired(veeam_mock):
    async def scenario():
        async with VeeamClient(veeam_mock.url, USER, PASSWORD, "v8", timeout=5.0) as client:
            await client.connect()
            old = client._access_token
            veeam_mock.clock.advance("61m")
            client._expires_at = datetime.now(timezone.utc)  # what an hour of waiting does to its estimate
            await service_instance(client)
            return old, client._access_token

    old, new = asyncio.run(scenario())

    assert new != old
    assert veeam_mock.journal.count(endpoint="vb365.token", grant_type="refresh_token", status=200) == 1
    assert veeam_mock.journal.count(endpoint="vb365.token", grant_type="password") == 1
    assert veeam_mock.journal.count(endpoint="vb365.service_instance", status=401) == 0


def test_an_injected_503_on_the_token_endpoint_reaches_the_client_once(veeam_mock):
    fault = veeam_mock.faults.add({"endpoint": "vb365.token", "status": 503, "times": 1})

    async def scenario():
        async with VeeamClient(veeam_mock.url, USER, PASSWORD, "v8", timeout=5.0) as client:
            with pytest.raises(httpx.HTTPStatusError) as refused:
                await client.connect()  # the client reports a server error, not bad credentials
            await client.connect()
            return refused.value.response.status_code

    assert asyncio.run(scenario()) == 503
    assert veeam_mock.faults.get(fault["id"])["fired"] == 1
    assert [e["status"] for e in veeam_mock.journal.find(endpoint="vb365.token")] == [503, 200]


@pytest.mark.veeam_scenario(
    """
    [clock]
    mode = "frozen"
    start = "2024-08-07T15:56:22Z"

    [vb365]
    access_token_lifetime = "5m"

    [[vb365.users]]
    username = "tester"
    password = "Marked-Scenario1"
    """
)
def test_a_marked_scenario_gives_its_users_lifetimes_and_clock(veeam_mock):
    async def scenario():
        async with VeeamClient(veeam_mock.url, "tester", "Marked-Scenario1", "v8", timeout=5.0) as client:
            await client.connect()
            veeam_mock.clock.advance("6m")
            with pytest.raises(VeeamSessionError):
                await service_instance(client)

    asyncio.run(scenario())
    assert veeam_mock.clock.get()["now"] == "2024-08-07T16:02:22.0000000Z"
