import asyncio
from datetime import datetime, timezone

from veeam_365.client import VeeamClient


def test_the_client_refreshes_a_session_the_clock_expired(veeam_mock):
    async def session():
        async with VeeamClient(veeam_mock.url, "Administrator", "PassWord1", "v8") as client:
            await client.connect()
            veeam_mock.clock.advance("61m")                  # the access token has expired
            client._expires_at = datetime.now(timezone.utc)  # and the client knows it
            return await client.call(client.api("service_instance.service_instance_get"))

    assert asyncio.run(session()).version
    assert veeam_mock.journal.count(endpoint="vb365.token", grant_type="refresh_token", status=200) == 1
