"""`veeam_auth_mock.testcontainers` against the real image through a Docker API (Podman's in CI:
tests/python/containers/run.sh): the container becomes ready, logins over HTTP and verified
HTTPS, the admin token, the clock, faults, the journal, and that stop removes the container.

Without testcontainers installed (tests/python/run.sh's venv) only the import test runs: the
container tests skip. With VEEAM_AUTH_MOCK_REQUIRE_DOCKER=1 (run.sh sets it) a missing Docker
API fails them instead of skipping them.
"""

import os
import socket
import ssl
import subprocess
import sys

import pytest

SCENARIO = """
[clock]
mode = "frozen"
start = "2024-08-07T15:56:22Z"

[vb365]
access_token_lifetime = "60m"

[[vb365.users]]
username = "Operator"
password = "Container-1"
"""
USER, PASSWORD = "Operator", "Container-1"
# A name no resolver knows: the test connects to 127.0.0.1 and asks for it in the handshake.
EXTRA_NAME = "veeam-mock.test"
# Every container carries this label, so that run.sh can remove what a failed run leaves behind
# (and it shows that Docker keywords pass through to Testcontainers). A new dict each time:
# Testcontainers 4.8 adds its own labels to the dict it is given, and then refuses it.
def labels():
    return {"veeam-auth-mock.test-run": os.environ.get("VEEAM_AUTH_MOCK_TEST_RUN", "local")}



def test_without_the_extra_the_import_error_names_it():
    # `sys.modules[name] = None` makes `import name` fail as if the package were absent.
    code = "import sys; sys.modules['testcontainers'] = None; import veeam_auth_mock.testcontainers"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode != 0
    assert "ImportError" in run.stderr
    assert "pip install 'veeam-auth-mock[testcontainers]'" in run.stderr


@pytest.fixture(scope="module")
def docker_api():
    """A Docker API client, or a skip (a fail under VEEAM_AUTH_MOCK_REQUIRE_DOCKER=1)."""
    pytest.importorskip("testcontainers")
    import docker

    try:
        client = docker.from_env()
        client.ping()
    except Exception as unreachable:  # noqa: BLE001 - any reason means the same here
        if os.environ.get("VEEAM_AUTH_MOCK_REQUIRE_DOCKER") == "1":
            pytest.fail(f"no Docker API: {unreachable}")
        pytest.skip(f"no Docker API: {unreachable}")
    yield client
    client.close()


@pytest.fixture(scope="module")
def container(docker_api):
    """One container for the module, put back to its scenario's start before each test."""
    from veeam_auth_mock.testcontainers import VeeamAuthMockContainer

    with VeeamAuthMockContainer(scenario=SCENARIO, tls_names=[EXTRA_NAME], labels=labels()) as started:
        yield started


@pytest.fixture
def mock(container):
    container.reset()
    return container


def requests_session():
    requests = pytest.importorskip("requests")
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the mock is on loopback
    return session


@pytest.fixture
def http():
    session = requests_session()
    yield session
    session.close()


def login(http, base, **options):
    return http.post(
        f"{base}/v8/token",
        # v8 asks for an antiforgery token unless the client opts out, as scripts do.
        data={"grant_type": "password", "username": USER, "password": PASSWORD,
              "disable_antiforgery_token": "true"},
        timeout=10,
        **options,
    )


def test_the_container_is_ready_on_loopback_ports_only(mock, docker_api):
    assert mock.url.startswith("http://127.0.0.1:")
    assert mock.https_url.startswith("https://127.0.0.1:")
    with open(mock.ca_pem, encoding="ascii") as pem:
        assert pem.read().startswith("-----BEGIN CERTIFICATE-----")
    published = docker_api.api.inspect_container(mock.get_wrapped_container().id)["NetworkSettings"]["Ports"]
    bindings = [b for port in ("8080/tcp", "4443/tcp") for b in published[port]]
    assert bindings and all(b["HostIp"] == "127.0.0.1" for b in bindings), published


def test_a_vb365_login_over_http(mock, http):
    answer = login(http, mock.url)
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"].lower() == "bearer"


def test_a_vb365_login_over_https_verified_against_ca_pem(mock, http):
    answer = login(http, mock.https_url, verify=mock.ca_pem)
    assert answer.status_code == 200, answer.text
    assert answer.json()["access_token"]
    requests = pytest.importorskip("requests")
    with pytest.raises(requests.exceptions.SSLError):
        login(http, mock.https_url, verify=True)  # the system's trust store does not know the mock


def handshake(container, name):
    """A TLS handshake with the container's HTTPS port on 127.0.0.1, asking for `name` and
    trusting only `ca_pem`: it succeeds when the certificate names `name`."""
    port = int(container.https_url.rsplit(":", 1)[1])
    trusting = ssl.create_default_context(cafile=container.ca_pem)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with trusting.wrap_socket(raw, server_hostname=name) as tls:
            return tls.version()


def test_the_certificate_names_the_extra_name_and_no_other(mock):
    assert handshake(mock, EXTRA_NAME)
    assert handshake(mock, "localhost")
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(mock, "not-the-mock.test")


def test_a_network_alias_is_in_the_certificate(docker_api):
    from testcontainers.core.network import Network

    from veeam_auth_mock.testcontainers import VeeamAuthMockContainer

    with Network() as network:
        container = VeeamAuthMockContainer(scenario=SCENARIO, labels=labels()).with_network(network)
        with container.with_network_aliases("veeam-mock") as started:
            assert handshake(started, "veeam-mock")
            with requests_session() as session:
                assert login(session, started.https_url, verify=started.ca_pem).status_code == 200


def test_the_admin_token_protects_the_admin_api(mock, http):
    assert http.get(f"{mock.url}/__mock/clock", timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert http.get(f"{mock.url}/__mock/clock", headers=wrong, timeout=10).status_code == 401
    right = {"Authorization": f"Bearer {mock.admin_token}"}
    assert http.get(f"{mock.url}/__mock/clock", headers=right, timeout=10).status_code == 200
    assert mock.clock.get()["now"].startswith("2024-08-07T15:56:22")


def test_the_clock_expires_the_token(mock, http):
    token = login(http, mock.url).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert http.get(f"{mock.url}/v8/ServiceInstance", headers=bearer, timeout=10).status_code == 200

    mock.clock.advance("61m")

    assert http.get(f"{mock.url}/v8/ServiceInstance", headers=bearer, timeout=10).status_code == 401


def test_a_fault_is_in_force_and_the_journal_counts(mock, http):
    fault = mock.faults.add({"endpoint": "vb365.token", "status": 503, "times": 1})
    assert fault["id"]

    assert login(http, mock.url).status_code == 503
    assert login(http, mock.url).status_code == 200  # `times = 1`: spent

    assert mock.journal.count(endpoint="vb365.token", status=503) == 1
    assert mock.journal.count(endpoint="vb365.token") == 2


def test_load_plays_another_scenario_and_reset_goes_back(mock, http):
    mock.load(SCENARIO.replace("Container-1", "Loaded-2"))
    assert login(http, mock.url).status_code == 400  # the old password is refused
    mock.load(SCENARIO)  # the next test's reset() goes back to what was loaded last
    assert login(http, mock.url).status_code == 200


def test_stop_removes_the_container(docker_api):
    from veeam_auth_mock.testcontainers import VeeamAuthMockContainer

    started = VeeamAuthMockContainer(scenario=SCENARIO, https=False, labels=labels()).start()
    try:
        identity = started.get_wrapped_container().id
        assert started.https_url is None and started.ca_pem is None
        stdout, _ = started.get_logs()
        assert b"listening on http://" in stdout and b"listening on https://" not in stdout
        assert started.journal.count() == 0
    finally:
        started.stop()

    import docker.errors

    with pytest.raises(docker.errors.NotFound):
        docker_api.containers.get(identity)
    with pytest.raises(RuntimeError):
        started.url  # noqa: B018 - the URL is gone with the container


def test_a_bad_scenario_fails_the_start_with_the_mocks_words_and_leaves_no_container(docker_api):
    from veeam_auth_mock import MockStartError
    from veeam_auth_mock.testcontainers import VeeamAuthMockContainer

    before = {c.id for c in docker_api.containers.list(all=True)}
    with pytest.raises(MockStartError) as refused:
        with VeeamAuthMockContainer(scenario='[clock]\nmode = "sideways"\n', labels=labels()):
            pass
    assert "sideways" in str(refused.value)
    assert {c.id for c in docker_api.containers.list(all=True)} == before
