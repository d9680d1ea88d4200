"""The web page for tests: a site over a fresh App, and the form a browser sends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from rxprint.app import App
from rxprint.web.desk import Desk
from rxprint.web.guard import allowed_hosts
from rxprint.web.site import create_site

KEY = "test-key-0123456789"
PORT = 8750
HOST = f"127.0.0.1:{PORT}"
ORIGIN = f"http://{HOST}"
TODAY = dt.date(2026, 12, 7)


def make_site(log: list[str] | None = None, port: int = PORT) -> Flask:
    desk = Desk(App(), today=lambda: TODAY)
    desk.defaults  # noqa: B018  the plugins load now, with the environment of now
    return create_site(desk, key=KEY, hosts=allowed_hosts(port), port=port,
                       log=log.append if log is not None else None)


class Page:
    """A browser's side of the page: its cookie, and the form it sends back."""

    def __init__(self, site: Flask) -> None:
        self.client: FlaskClient = site.test_client()
        answer = self.client.get(f"/?key={KEY}", headers={"Host": HOST})
        assert answer.status_code == 303

    def get(self, path: str = "/", **headers: str) -> TestResponse:
        return self.client.get(path, headers={"Host": HOST, **headers})

    def post(self, path: str, form: dict[str, Any], **headers: str) -> TestResponse:
        sent = {"Host": HOST, "Origin": ORIGIN, **headers}
        return self.client.post(path, data={"key": KEY, **form},
                                headers={k: v for k, v in sent.items() if v})


def form(**fields: Any) -> dict[str, Any]:
    """The form as the page sends it: today, classic Letter in English, the log and the
    drawings on, no exercises; ``fields`` by name (``patient_name`` for ``patient.name``)."""
    sent: dict[str, Any] = {"date": TODAY.isoformat(), "layout": "classic", "paper": "letter",
                            "language": "en", "branding": "default", "log": "on",
                            "pictures": "on", "template": "", "patient.name": "",
                            "clinician": "", "title": "", "notes": ""}
    for name, value in fields.items():
        sent["patient.name" if name == "patient_name" else name] = value
    return sent


def rows(*entries: dict[str, str]) -> dict[str, str]:
    """Exercise rows as form fields: ``{"id": ..., "reps": ...}`` each."""
    found: dict[str, str] = {}
    for i, entry in enumerate(entries, start=1):
        for name, value in entry.items():
            found[f"exercises[{i}].{name}"] = value
    return found
