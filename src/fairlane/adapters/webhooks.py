"""Sending webhook deliveries over HTTP (httpx), with a timeout so a slow receiver never
holds up the worker for long."""

from __future__ import annotations

import httpx

from fairlane.services.ports import SendResult

__all__ = ["HttpSender"]


class HttpSender:
    def __init__(self, *, timeout_seconds: float = 5.0, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(timeout=timeout_seconds, follow_redirects=False)

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(None, f"{type(exc).__name__}: {exc}"[:500])
        error = None if response.is_success else response.text[:500]
        return SendResult(response.status_code, error)

    def close(self) -> None:
        self._client.close()
