"""The mock's admin API (`/__mock/...`) from Python: the clock, faults, declared routes and the
journal, with the admin token on every call.

Only the standard library: the plugin must not add dependencies to a user's test environment,
nor open a socket anywhere but the mock's loopback address (so it works under
pytest-socket-style rules). Proxies from the environment are ignored for the same reason.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Union, cast

from ._scenario import ScenarioSource, scenario_text

#: A JSON object as the admin API sends and takes it.
JsonObject = Dict[str, Any]

# Never a proxy: the mock is on 127.0.0.1, and an HTTP_PROXY in a CI job must not capture it.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class AdminError(Exception):
    """The admin API refused a call: `status`, its `error` code (`bad_request`,
    `invalid_scenario`, `conflict`, `not_found`, ...), `detail`, and for an invalid scenario
    every `problems` entry (`path`, `line`, `message`)."""

    def __init__(self, status: int, body: Any):
        self.status = status
        self.body = body
        fields = body if isinstance(body, dict) else {}
        self.error: str = fields.get("error", "")
        self.detail: str = fields.get("detail", str(body))
        self.problems: List[JsonObject] = fields.get("problems") or []
        lines = [f"HTTP {status} {self.error}: {self.detail}"]
        lines += [f"  line {p.get('line')}: {p.get('path')}: {p.get('message')}" for p in self.problems]
        super().__init__("\n".join(lines))


class AdminClient:
    """Calls `/__mock/...` on one mock with its admin token."""

    def __init__(self, base_url: str, token: Optional[str], timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        text: Optional[str] = None,
        content_type: str = "application/json",
        query: Optional[Mapping[str, Any]] = None,
    ) -> Any:
        """One admin call; the parsed JSON answer (None for 204). Raises `AdminError` on 4xx/5xx."""
        url = f"{self.base_url}/__mock{path}"
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None
        headers = {"Accept": "application/json"}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = content_type
        elif text is not None:
            data = text.encode()
            headers["Content-Type"] = content_type
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as refused:
            raw = refused.read()
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
            raise AdminError(refused.code, body) from None
        return json.loads(payload) if payload else None


class Clock:
    """The scenario clock: every token lifetime, expiry and date the mock writes follows it."""

    def __init__(self, admin: AdminClient):
        self._admin = admin

    def get(self) -> JsonObject:
        """`{"now": "...Z", "mode": "frozen" | "ticking" | "offset"}`."""
        return cast(JsonObject, self._admin.call("GET", "/clock"))

    def now(self) -> datetime:
        """The mock's current instant (UTC)."""
        text = self.get()["now"]
        # The mock writes .NET's seven fractional digits; Python's parser takes at most six.
        whole, _, rest = text.rstrip("Z").partition(".")
        micros = (rest + "000000")[:6] if rest else "000000"
        return datetime.strptime(f"{whole}.{micros}", "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)

    def advance(self, by: str) -> JsonObject:
        """Moves the clock by a duration such as `"61m"`, `"2h30m"` or `"-5s"`."""
        return cast(JsonObject, self._admin.call("POST", "/clock", json_body={"advance": by}))

    def set(self, instant: Union[str, datetime], *, freeze: Optional[bool] = None) -> JsonObject:
        """Sets the clock to an RFC 3339 instant (a string, or an aware `datetime`)."""
        if isinstance(instant, datetime):
            if instant.tzinfo is None:
                raise ValueError("give an aware datetime (with a tzinfo), such as datetime.now(timezone.utc)")
            instant = instant.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
        change: JsonObject = {"set": instant}
        if freeze is not None:
            change["freeze"] = freeze
        return cast(JsonObject, self._admin.call("POST", "/clock", json_body=change))

    def freeze(self) -> JsonObject:
        """Stops the clock."""
        return cast(JsonObject, self._admin.call("POST", "/clock", json_body={"freeze": True}))

    def unfreeze(self) -> JsonObject:
        """Lets the clock tick from where it is."""
        return cast(JsonObject, self._admin.call("POST", "/clock", json_body={"freeze": False}))


class _Collection:
    """Faults and declared routes: add, list, get, remove, clear."""

    _path = ""

    def __init__(self, admin: AdminClient):
        self._admin = admin

    def add(self, spec: Optional[JsonObject] = None, **keys: Any) -> JsonObject:
        """Adds one (the keys of a scenario's table, as a dict or keywords); returns it with its `id`."""
        return cast(JsonObject, self._admin.call("POST", self._path, json_body={**(spec or {}), **keys}))

    def list(self) -> List[JsonObject]:
        """Every one in force, with its calls so far."""
        return cast(List[JsonObject], self._admin.call("GET", self._path))

    def get(self, id: Union[int, str]) -> JsonObject:
        """One by id."""
        return cast(JsonObject, self._admin.call("GET", f"{self._path}/{id}"))

    def remove(self, id: Union[int, str]) -> None:
        """Removes one by id."""
        self._admin.call("DELETE", f"{self._path}/{id}")

    def clear(self) -> None:
        """Removes every one."""
        self._admin.call("DELETE", self._path)


class Faults(_Collection):
    """Injected failures: `add({"endpoint": "vb365.token", "status": 503, "times": 1})`."""

    _path = "/faults"


class Routes(_Collection):
    """Declared routes served to valid sessions only:
    `add({"name": "jobs", "method": "GET", "path": "/v8/Jobs", "json": [...]})`."""

    _path = "/routes"


class Journal:
    """The requests the mock received (secrets masked). Filters: `endpoint` (`vb365.token`,
    `route.<name>`, ...), `method`, `path`, `status`, `grant_type`."""

    def __init__(self, admin: AdminClient):
        self._admin = admin

    def find(self, *, limit: Optional[int] = None, **filters: Any) -> List[JsonObject]:
        """The entries matching every filter, oldest first."""
        page = self._admin.call("GET", "/journal", query={**filters, "limit": limit})
        return cast(List[JsonObject], page["entries"])

    def count(self, **filters: Any) -> int:
        """How many requests match every filter."""
        return cast(int, self._admin.call("GET", "/journal/count", query=filters)["count"])

    def clear(self) -> None:
        """Forgets every entry."""
        self._admin.call("DELETE", "/journal")


class Controls:
    """What every running mock offers over its admin API, wherever it runs (a local process, a
    container): `clock`, `faults`, `routes`, `journal`, `load`, `reset`, `revoke_sessions`,
    `users`. Set up with `_connect_admin` once the base URL and token are known."""

    admin: AdminClient
    clock: Clock
    faults: Faults
    routes: Routes
    journal: Journal
    #: True once `load()` replaced the scenario the mock started with.
    scenario_replaced: bool = False

    def _connect_admin(self, base_url: str, token: str) -> None:
        self.admin = AdminClient(base_url, token)
        self.clock = Clock(self.admin)
        self.faults = Faults(self.admin)
        self.routes = Routes(self.admin)
        self.journal = Journal(self.admin)

    def load(self, scenario: ScenarioSource) -> JsonObject:
        """Plays another scenario (TOML text, or a file on this machine) from its start. An
        invalid one changes nothing and raises `AdminError` with every problem and its line."""
        text = scenario_text(scenario)
        answer = self.admin.call("PUT", "/scenario", text=text, content_type="application/toml")
        self.scenario_replaced = True
        return cast(JsonObject, answer)

    def reset(self) -> None:
        """Back to the scenario's start: its clock, no sessions, its faults and routes, an empty
        journal."""
        self.admin.call("POST", "/reset")

    def revoke_sessions(self) -> None:
        """Revokes every session of every product (clients see their tokens refused)."""
        self.admin.call("POST", "/sessions/revoke")

    def users(self) -> JsonObject:
        """The scenario's users and passwords, per product."""
        return cast(JsonObject, self.admin.call("GET", "/users"))
