"""CRM lookup adapters (A2): a Python callable, an installed entry point, or an HTTP endpoint.

A hook receives ``email``, ``domain`` and ``client_id`` (any may be None) and returns the
account as a mapping in the account import shape (see docs/api.md), or None when the CRM
has no account for that requester.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

import httpx

from fairlane.errors import FieldProblem, ValidationFailed
from fairlane.services.ports import CrmLookup, CrmTimedOut, CrmUnavailable

__all__ = ["ENTRY_POINT_GROUP", "CallableLookup", "HttpLookup", "crm_lookup_from_spec"]

ENTRY_POINT_GROUP = "fairlane.crm_lookup"
LookupFunction = Callable[..., dict[str, Any] | None]


class CallableLookup:
    def __init__(self, name: str, function: LookupFunction) -> None:
        self.name = name
        self._function = function

    def lookup(
        self, *, email: str | None, domain: str | None, client_id: str | None
    ) -> dict[str, Any] | None:
        return self._function(email=email, domain=domain, client_id=client_id)


class HttpLookup:
    """``GET url?email=..&domain=..&client_id=..``: 200 with the account, 404 for none."""

    def __init__(
        self, url: str, *, timeout_seconds: float, client: httpx.Client | None = None
    ) -> None:
        self.name = f"CRM at {httpx.URL(url).host}"
        self.url = url
        self._client = client or httpx.Client(timeout=timeout_seconds)

    def lookup(
        self, *, email: str | None, domain: str | None, client_id: str | None
    ) -> dict[str, Any] | None:
        params = {
            k: v for k, v in {"email": email, "domain": domain, "client_id": client_id}.items() if v
        }
        try:
            response = self._client.get(self.url, params=params)
        except httpx.TimeoutException as exc:
            raise CrmTimedOut(f"{type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise CrmUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CrmUnavailable(f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise CrmUnavailable("the answer was not JSON") from exc
        if not isinstance(data, dict):
            raise CrmUnavailable("the answer was not a JSON object")
        return data


def crm_lookup_from_spec(spec: str, *, timeout_seconds: float) -> CrmLookup:
    """Build the hook named by FAIRLANE_CRM_LOOKUP; a bad spec is a clear configuration error."""

    def bad(message: str) -> ValidationFailed:
        return ValidationFailed(
            "FAIRLANE_CRM_LOOKUP is not usable.", [FieldProblem(("FAIRLANE_CRM_LOOKUP",), message)]
        )

    if spec.startswith(("http://", "https://")):
        return HttpLookup(spec, timeout_seconds=timeout_seconds)
    if spec.startswith("entrypoint:"):
        name = spec.removeprefix("entrypoint:")
        found = entry_points(group=ENTRY_POINT_GROUP, name=name)
        if not found:
            raise bad(f"no installed entry point {name!r} in group {ENTRY_POINT_GROUP!r}")
        return CallableLookup(name, next(iter(found)).load())
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise bad(f"{spec!r} is neither 'package.module:function', 'entrypoint:NAME' nor a URL")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise bad(f"cannot load {spec!r}: {exc}") from exc
    if not callable(function):
        raise bad(f"{spec!r} is not callable")
    return CallableLookup(spec, function)
