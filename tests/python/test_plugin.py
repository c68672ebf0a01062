"""The pytest plugin itself: the fixtures, the helpers on a mock, the scenario marker, the
shared mock's reset, and that nothing but loopback is reached."""

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

import httpx
import pytest

from veeam_auth_mock import BINARY_VAR, AdminError, MockStartError, VeeamMock

FROZEN = """
[clock]
mode = "frozen"
start = "2024-08-07T15:56:22Z"

[[vb365.users]]
username = "Administrator"
password = "PassWord1"
"""

JOBS_ROUTE = {
    "name": "jobs",
    "method": "GET",
    "path": "/v8/Jobs",
    "json": {"offset": 0, "limit": 30, "results": [{"id": "{{uuid}}", "name": "Nightly"}]},
}


def v8_login(base: str, **options) -> str:
    answer = httpx.post(
        f"{base}/v8/token",
        # v8 asks for an antiforgery token unless the client opts out, as scripts do.
        data={"grant_type": "password", "username": "Administrator", "password": "PassWord1",
              "disable_antiforgery_token": "true"},
        **options,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def test_the_installed_executable_is_the_packages_own(veeam_mock):
    if os.environ.get(BINARY_VAR):
        pytest.skip(f"{BINARY_VAR} names another build")
    assert veeam_mock.binary.startswith(sys.prefix), (veeam_mock.binary, sys.prefix)


def test_urls_are_loopback_with_free_ports_and_https_verifies_against_ca_pem(veeam_mock):
    assert veeam_mock.url.startswith("http://127.0.0.1:")
    assert veeam_mock.https_url.startswith("https://127.0.0.1:")
    verified = ssl.create_default_context(cafile=veeam_mock.ca_pem)
    assert v8_login(veeam_mock.https_url, verify=verified)
    with pytest.raises(httpx.ConnectError):
        v8_login(veeam_mock.https_url)  # the system's trust store does not know the mock


@pytest.mark.veeam_scenario(FROZEN)
def test_the_clock_moves_on_request(veeam_mock):
    assert veeam_mock.clock.get() == {"now": "2024-08-07T15:56:22.0000000Z", "mode": "frozen"}
    assert veeam_mock.clock.advance("61m")["now"] == "2024-08-07T16:57:22.0000000Z"
    veeam_mock.clock.set("2025-01-01T00:00:00Z")
    assert veeam_mock.clock.now().isoformat() == "2025-01-01T00:00:00+00:00"
    with pytest.raises(AdminError) as refused:
        veeam_mock.clock.advance("soon")
    assert refused.value.status == 400 and refused.value.error == "bad_request"


def test_faults_are_listed_fired_and_removed(veeam_mock):
    fault = veeam_mock.faults.add({"endpoint": "vb365.token", "status": 503, "times": 1})
    assert [f["id"] for f in veeam_mock.faults.list()] == [fault["id"]]
    assert httpx.post(f"{veeam_mock.url}/v8/token", data={"grant_type": "password"}).status_code == 503
    assert veeam_mock.faults.get(fault["id"])["fired"] == 1
    veeam_mock.faults.remove(fault["id"])
    assert veeam_mock.faults.list() == []


def test_a_declared_route_answers_valid_sessions_only(veeam_mock):
    route = veeam_mock.routes.add(JOBS_ROUTE)
    assert route["name"] == "jobs"

    anonymous = httpx.get(f"{veeam_mock.url}/v8/Jobs")
    token = v8_login(veeam_mock.url)
    served = httpx.get(f"{veeam_mock.url}/v8/Jobs", headers={"Authorization": f"Bearer {token}"})

    assert anonymous.status_code == 401 and anonymous.content == b""
    assert served.status_code == 200
    assert served.json()["results"][0]["name"] == "Nightly"
    assert [e["status"] for e in veeam_mock.journal.find(endpoint="route.jobs")] == [401, 200]
    assert veeam_mock.journal.count(endpoint="route.jobs", status=200) == 1


# A product document of this test's own: one VB365 v8 operation behind a session.
REPORTS_DOCUMENT = """{
  "openapi": "3.0.1", "info": {"title": "Reports", "version": "v8"},
  "security": [{"Bearer": []}],
  "components": {"securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}}},
  "paths": {"/v8/Reports/{reportId}": {"get": {
    "parameters": [{"name": "reportId", "in": "path", "required": true,
                    "schema": {"type": "string", "format": "uuid"}}],
    "responses": {"200": {"description": "OK", "content": {"application/json": {
      "schema": {"type": "object", "properties": {"name": {"type": "string"}}},
      "example": {"name": "Storage usage"}}}}}}}}
}"""


def test_a_loaded_product_document_is_served_to_sessions_only(veeam_mock_factory, tmp_path):
    document = tmp_path / "reports.json"
    document.write_text(REPORTS_DOCUMENT)
    mock = veeam_mock_factory(openapi=[document], https=False)
    assert "serving 1 operation of vb365 v8 (Reports)" in mock.log
    report = f"{mock.url}/v8/Reports/6f9a1d2e-0c5b-4d8e-9b1a-3c2d4e5f6a7b"

    anonymous = httpx.get(report)
    bearer = {"Authorization": f"Bearer {v8_login(mock.url)}"}
    served = httpx.get(report, headers=bearer)
    refused = httpx.get(f"{mock.url}/v8/Reports/not-a-guid", headers=bearer)

    assert anonymous.status_code == 401 and anonymous.content == b""
    assert served.status_code == 200 and served.json() == {"name": "Storage usage"}
    assert refused.status_code == 400
    assert refused.json() == {"message": "The value 'not-a-guid' is not valid.",
                              "errorCode": "ParameterValidationFailure"}


def test_load_plays_another_scenario_and_an_invalid_one_changes_nothing(veeam_mock):
    with pytest.raises(AdminError) as refused:
        veeam_mock.load("[vb365]\nacess_token_lifetime = \"1h\"\n")
    assert refused.value.error == "invalid_scenario"
    assert refused.value.problems[0]["line"] == 2
    assert "acess_token_lifetime" in str(refused.value)
    assert veeam_mock.clock.get()["mode"] == "ticking"  # still the default scenario

    veeam_mock.load(FROZEN)
    assert veeam_mock.clock.get()["mode"] == "frozen"
    assert [u["username"] for u in veeam_mock.users()["vb365"]] == ["Administrator"]


def test_reset_forgets_sessions_journal_and_faults(veeam_mock):
    token = v8_login(veeam_mock.url)
    veeam_mock.faults.add({"endpoint": "vb365.logout", "status": 500})
    veeam_mock.reset()
    assert veeam_mock.journal.count() == 0
    assert veeam_mock.faults.list() == []
    refused = httpx.get(f"{veeam_mock.url}/v8/ServiceInstance", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_the_factory_starts_independent_mocks(veeam_mock_factory, tmp_path):
    scenario_file = tmp_path / "frozen.toml"
    scenario_file.write_text(FROZEN)
    first = veeam_mock_factory()
    second = veeam_mock_factory(scenario_file, https=False)
    assert first.url != second.url and second.https_url is None and second.ca_pem is None
    v8_login(first.url)
    assert first.journal.count() == 1 and second.journal.count() == 0
    assert second.clock.get()["mode"] == "frozen"


def test_a_scenario_the_mock_refuses_stops_the_start_with_its_problems(veeam_mock_factory):
    with pytest.raises(MockStartError) as refused:
        veeam_mock_factory("[clock]\nmode = \"sideways\"\n")
    assert "line 2: clock.mode: unknown clock mode `sideways`" in str(refused.value)


def test_a_missing_scenario_file_is_named(veeam_mock_factory):
    with pytest.raises(FileNotFoundError, match="no scenario file 'scenarios/missing.toml'"):
        veeam_mock_factory("scenarios/missing.toml")


def test_the_admin_api_needs_the_mocks_token(veeam_mock):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{veeam_mock.url}/__mock/clock")
    assert refused.value.code == 401
    assert len(veeam_mock.admin_token) >= 24


def test_a_stopped_mock_frees_its_process(veeam_mock_factory):
    mock = veeam_mock_factory(https=False)
    assert mock.running
    mock.stop()
    assert not mock.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{mock.url}/__mock/health")


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_only_loopback_is_reachable_in_this_run(request):
    """tests/python/run.sh runs the suite under pytest-socket with --allow-hosts=127.0.0.1, as
    Home Assistant's test suites do: the fixtures above worked under that rule."""
    if not request.config.getoption("allow_hosts", default=None):
        pytest.skip("not run under pytest-socket's --allow-hosts")
    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


class TestTheSharedMock:
    """One mock for the session; every test starts from its scenario's start, whatever the
    tests before it (in any order, on any xdist worker) did to it."""

    def test_it_starts_clean_then_gets_dirty(self, veeam_mock_shared):
        self.assert_clean(veeam_mock_shared)
        self.make_dirty(veeam_mock_shared)

    def test_it_is_clean_again(self, veeam_mock_shared):
        self.assert_clean(veeam_mock_shared)
        self.make_dirty(veeam_mock_shared)

    @pytest.mark.veeam_scenario(FROZEN)
    def test_a_marked_test_gets_its_scenario(self, veeam_mock_shared):
        assert veeam_mock_shared.clock.get() == {"now": "2024-08-07T15:56:22.0000000Z", "mode": "frozen"}
        self.make_dirty(veeam_mock_shared)

    def test_and_the_next_one_the_suites_scenario_again(self, veeam_mock_shared):
        self.assert_clean(veeam_mock_shared)

    @staticmethod
    def assert_clean(mock: VeeamMock):
        assert mock.journal.count() == 0
        assert mock.faults.list() == [] and mock.routes.list() == []
        assert mock.clock.get()["mode"] == "ticking"
        assert {"vb365", "azure", "vbr"} <= set(mock.users())

    @staticmethod
    def make_dirty(mock: VeeamMock):
        mock.load(FROZEN)
        v8_login(mock.url)
        mock.faults.add({"endpoint": "vb365.logout", "status": 500})
        mock.routes.add(JOBS_ROUTE)
        mock.clock.advance("2h")


def test_a_killed_launcher_leaves_no_mock_behind(tmp_path):
    """The mock watches its stdin (a pipe from the launcher): when the launcher dies, even by
    SIGKILL, the mock stops too, so an interrupted pytest or xdist run leaves nothing running."""
    launcher = subprocess.Popen(
        [sys.executable, "-c", "from veeam_auth_mock import VeeamMock\n"
         "mock = VeeamMock.start(https=False)\nprint(mock.url, flush=True)\ninput()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    url = launcher.stdout.readline().strip()
    assert httpx.get(f"{url}/__mock/health").status_code == 200
    launcher.kill()
    launcher.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.get(f"{url}/__mock/health", timeout=1)
        except httpx.ConnectError:
            break  # the port is closed: the mock is gone
        assert time.monotonic() < deadline, "the mock outlived its launcher"
        time.sleep(0.05)  # polling a port that has no event to wait on
