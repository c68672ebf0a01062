"""What the two estate scripts (veeam_365_estate.py, veeam_az_estate.py) share: the admin API
calls that move the mock's clock and read its journal, and a strict look at parsed models.

The admin API is called with plain httpx on the same base URL as the client (the suite starts
the mock without an admin token), verified the same way as the client's own connection.
"""

import os
import ssl
import sys

import attrs
import httpx


def tls_verify():
    """What to pass as verify_ssl: False (how users of a self-signed appliance run these
    clients), or, when VEEAM_COMPAT_CA names a PEM file (the mock's exported certificate), an
    SSLContext that trusts only it, so the HTTPS run also proves the certificate verifies."""
    ca = os.environ.get("VEEAM_COMPAT_CA")
    return ssl.create_default_context(cafile=ca) if ca else False


class Failure(Exception):
    """A check that did not hold; its message is the finding."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def run(label: str, check) -> None:
    """Runs an async check to the end, or exits 1 naming the first failure (anything the
    client raised is named with its type: that is the finding)."""
    import asyncio

    try:
        asyncio.run(check)
    except Failure as err:
        sys.exit(f"FAIL {label}: {err}")
    except Exception as err:  # noqa: BLE001 - the client's own exceptions are findings too
        sys.exit(f"FAIL {label}: {type(err).__name__}: {err}")


class Admin:
    """The mock's admin API (`/__mock/...`) on the base URL the client talks to."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, verify=tls_verify(), timeout=10.0)

    def advance_clock(self, by: str) -> str:
        """Moves the scenario clock (`POST /__mock/clock {"advance": ...}`); returns its new now."""
        answer = self.http.post("/__mock/clock", json={"advance": by})
        expect(answer.status_code == 200, f"POST /__mock/clock: HTTP {answer.status_code} {answer.text}")
        return answer.json()["now"]

    def token_requests(self, endpoint: str) -> list:
        """(grant_type, status) of every token request the mock saw on `endpoint`
        (`vb365.token`, `azure.token`), oldest first: what went over the wire, whatever the
        client believes happened."""
        answer = self.http.get("/__mock/journal", params={"endpoint": endpoint})
        expect(answer.status_code == 200, f"GET /__mock/journal: HTTP {answer.status_code} {answer.text}")
        requests = []
        for entry in answer.json()["entries"]:
            fields = {name.lower(): value for name, value in entry["fields"]}
            requests.append((fields.get("grant_type", "").lower(), entry["status"]))
        return requests

    def close(self) -> None:
        self.http.close()


def strict(obj, where: str) -> None:
    """Fails when a parsed model kept something the client did not understand: a key it does
    not know (a misspelt field lands in `additional_properties`), or a date or UUID it left as a
    string (the generated parsers fall back to the raw string instead of raising)."""
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            strict(item, f"{where}[{i}]")
        return
    if not attrs.has(type(obj)):
        return
    for key, value in getattr(obj, "additional_properties", {}).items():
        # Dictionary models (`_links`) keep their entries there, as models.
        expect(attrs.has(type(value)), f"{where}: the client does not know the key {key!r}")
        strict(value, f"{where}.{key}")
    for field in attrs.fields(type(obj)):
        if field.name == "additional_properties":
            continue
        value = getattr(obj, field.name)
        if isinstance(value, str):
            declared = str(field.type)
            expect("datetime" not in declared, f"{where}.{field.name}: {value!r} did not parse as a date")
            expect("UUID" not in declared, f"{where}.{field.name}: {value!r} did not parse as a UUID")
        strict(value, f"{where}.{field.name}")
