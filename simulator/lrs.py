"""Send xAPI statements to a learning record store (LRS), safely when retried.

Why this shape: statement ids are stable (``simulator.xapi``), so a resend of the same attempt is not a
duplicate. A batch is POSTed; an LRS that already holds one of its ids may answer 409 Conflict, and then
each statement of that batch is PUT on its own id, where "already there" is a success. Network errors, 429
and 5xx answers are retried a few times with a growing pause; anything else stops with a message that says
what the LRS answered. Credentials come from the environment, never from the command line (where other
users of the machine could read them in the process list).
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .i18n import _
from .xapi import XAPI_VERSION

ENV_USER = "RTW_LRS_USER"
ENV_PASSWORD = "RTW_LRS_PASSWORD"
ENV_TOKEN = "RTW_LRS_TOKEN"
BATCH = 50
RETRIES = 4
TIMEOUT = 30.0


class LRSError(Exception):
    """The LRS could not be reached or refused the statements; the message says which and why."""


@dataclass
class SendReport:
    sent: int = 0
    already_stored: int = 0
    batches: int = 0
    retries: int = 0


def statements_url(base: str) -> str:
    """``…/statements`` of an LRS endpoint given with or without it; only http(s) URLs are accepted."""
    parsed = urllib.parse.urlsplit(base)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise LRSError(_("the LRS address must start with http:// or https:// (got a {length}-character text).").format(
            length=len(base)))
    path = parsed.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, path, "", ""))


def auth_header(environ: Mapping[str, str] | None = None) -> str | None:
    """``Authorization`` from RTW_LRS_TOKEN (sent as is, e.g. "Bearer …") or RTW_LRS_USER/RTW_LRS_PASSWORD."""
    env = os.environ if environ is None else environ
    token = env.get(ENV_TOKEN)
    if token:
        return token
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user is None and password is None:
        return None
    raw = f"{user or ''}:{password or ''}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


Opener = Callable[[urllib.request.Request, float], Any]


def _default_open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked in statements_url


class Sender:
    """One LRS endpoint, its credentials and the retry policy (the opener and sleep are injectable for tests)."""

    def __init__(
        self,
        endpoint: str,
        *,
        authorization: str | None = None,
        opener: Opener = _default_open,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = RETRIES,
        timeout: float = TIMEOUT,
    ) -> None:
        self.url = statements_url(endpoint)
        self.authorization = authorization
        self._open = opener
        self._sleep = sleep
        self.retries = retries
        self.timeout = timeout

    def send(self, statements: Sequence[Mapping[str, Any]], batch: int = BATCH) -> SendReport:
        report = SendReport()
        for start in range(0, len(statements), batch):
            chunk = statements[start : start + batch]
            report.batches += 1
            status = self._request("POST", self.url, chunk, report)
            if status == 409:
                for statement in chunk:
                    url = self.url + "?" + urllib.parse.urlencode({"statementId": statement["id"]})
                    if self._request("PUT", url, statement, report) == 409:
                        report.already_stored += 1
                    else:
                        report.sent += 1
            else:
                report.sent += len(chunk)
        return report

    def _request(self, method: str, url: str, body: Any, report: SendReport) -> int:
        data = json.dumps(body, ensure_ascii=True).encode("ascii")
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
        if self.authorization:
            headers["Authorization"] = self.authorization
        pause = 1.0
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with self._open(request, self.timeout) as response:
                    return int(getattr(response, "status", 200))
            except urllib.error.HTTPError as exc:
                if exc.code == 409:
                    return 409
                if exc.code not in (429, 500, 502, 503, 504) or attempt == self.retries:
                    raise LRSError(_refusal(exc)) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                if attempt == self.retries:
                    reason = getattr(exc, "reason", exc)
                    raise LRSError(_("the LRS could not be reached after {tries} tries ({reason}).").format(
                        tries=self.retries + 1, reason=reason)) from None
            report.retries += 1
            self._sleep(pause)
            pause = min(pause * 2, 30.0)
        raise LRSError(_("the LRS could not be reached."))  # not reached: the loop returns or raises


def _refusal(exc: urllib.error.HTTPError) -> str:
    if exc.code in (401, 403):
        return _("the LRS refused the credentials (HTTP {code}): set {user} and {password}, or {token}, in the "
                 "environment.").format(code=exc.code, user=ENV_USER, password=ENV_PASSWORD, token=ENV_TOKEN)
    return _("the LRS refused the statements (HTTP {code} {reason}).").format(code=exc.code, reason=exc.reason)
