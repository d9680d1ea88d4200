"""The web page's routes, in process (issue 20): the key, Host and Origin checks, the
headers, the form's fields and labels, and a handout that is byte for byte `rxprint
build`'s for the same program. The page in a real browser: tests/test_web_browser.py."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import Result
from flask import Flask

from .conftest import Pdf, default_signals
from .webpage import HOST, KEY, ORIGIN, TODAY, Page, form, make_site, rows

Run = Callable[..., Result]
THIGH = ["thigh-kneading", "side-lying-quad-stretch", "supine-hamstring-stretch-strap",
         "sit-to-stand", "glute-bridge", "movement-breaks"]


@pytest.fixture(scope="module")
def site() -> Flask:
    """One site for the module's tests, over rxprint alone (as the autouse fixture
    leaves the CLI's: no installed plugin, no user configuration)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RXPRINT_PLUGINS", "")
        env.setenv("XDG_CONFIG_HOME", "/nonexistent")
        return make_site()


@pytest.fixture
def page(site: Flask) -> Page:
    return Page(site)


@pytest.fixture(scope="module")
def thigh_form(site: Flask) -> dict[str, Any]:
    """The form after "Use its exercises" on thigh-back-pain, as the page fills it."""
    answer = Page(site).post("/", form(template="thigh-back-pain", action="start",
                                       patient_name="Jane Doe"))
    assert answer.status_code == 200
    return Fields.of(answer.get_data(as_text=True)).values


class Fields(HTMLParser):
    """A page's form fields (name -> value, as the browser would send them), each
    field's id, the ids labels point at, and the attributes of every element."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self.controls: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    @classmethod
    def of(cls, html: str) -> Fields:
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "label" and "for" in a:
            self.labelled.add(a["for"])
        name = a.get("name")
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append({"tag": tag, **a})
        if name is None or tag not in ("input", "select", "textarea", "option"):
            if tag == "option" and self._select and "selected" in a:
                self.values[self._select] = a.get("value", "")
            return
        kind = a.get("type", "text")
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif kind == "checkbox":
            if "checked" in a:
                self.values[name] = "on"
        elif kind not in ("submit", "file"):
            self.values[name] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def build_bytes(run: Run, *args: str) -> bytes:
    result = run("build", *args, "-o", "cli.pdf", "--force")
    assert result.exit_code == 0, result.output
    return Path("cli.pdf").read_bytes()


# -- the checks every request passes ---------------------------------------------------


def test_the_key_is_traded_for_a_cookie_and_every_request_needs_it(site: Flask) -> None:
    client = site.test_client()
    assert client.get("/", headers={"Host": HOST}).status_code == 403
    assert client.get("/static/page.js", headers={"Host": HOST}).status_code == 403
    assert client.get("/?key=wrong", headers={"Host": HOST}).status_code == 403
    answer = client.get(f"/?key={KEY}", headers={"Host": HOST})
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/", headers={"Host": HOST})
    assert page.status_code == 200 and b"Home exercise program" in page.data


@pytest.mark.parametrize("host", ["evil.example:8750", "evil.example", "127.0.0.1:8751",
                                  "127.0.0.1", "192.168.1.5:8750", ""])
def test_a_request_for_another_host_is_refused(page: Page, host: str) -> None:
    """DNS rebinding: a page of another site that resolves to 127.0.0.1 sends its own
    name; only the loopback names at this port are answered."""
    answer = page.client.get("/", headers={"Host": host})
    assert answer.status_code == 400
    assert b"Home exercise program" not in answer.data


@pytest.mark.parametrize("host", ["127.0.0.1:8750", "localhost:8750", "[::1]:8750",
                                  "LOCALHOST:8750"])
def test_the_loopback_names_are_answered(site: Flask, host: str) -> None:
    client = site.test_client()  # a cookie is its host's: each name takes the key once
    assert client.get(f"/?key={KEY}", headers={"Host": host}).status_code == 303
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},  # a cross-origin POST
    {"Origin": "http://127.0.0.1:9999"},
    {"Origin": "https://127.0.0.1:8750"},
    {"Origin": ""},  # none at all
    {"Origin": "null"},  # a sandboxed frame, or another site's no-referrer form
    {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
    {"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"},
])
def test_a_post_from_anywhere_but_the_page_is_refused(page: Page,
                                                      headers: dict[str, str]) -> None:
    for path in ("/", "/preview", "/handout.pdf", "/program.toml", "/open"):
        answer = page.post(path, form(template="thigh-back-pain", action="start"), **headers)
        assert answer.status_code == 403, (path, headers)
        assert not answer.data.startswith(b"%PDF")


def test_the_pages_own_form_is_taken_as_a_browser_sends_it(page: Page) -> None:
    """The page sends no referrer, so Chromium sends its form's Origin as "null", and
    says the request is the page's own (Sec-Fetch-Site, which no page can set)."""
    answer = page.post("/", form(), Origin="null", **{"Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200


def test_a_post_without_the_pages_key_is_refused(page: Page) -> None:
    answer = page.client.post("/handout.pdf", data=form(template="thigh-back-pain"),
                              headers={"Host": HOST, "Origin": ORIGIN})
    assert answer.status_code == 403
    answer = page.post("/handout.pdf", {**form(), "key": "another"})
    assert answer.status_code == 403


def test_every_answer_has_the_security_headers_and_none_allows_other_origins(
        page: Page) -> None:
    answers = [page.get("/"), page.get("/static/page.js"), page.get("/drawing/quad-set.png"),
               page.get("/nowhere"), page.client.get("/", headers={"Host": "evil:1"}),
               page.post("/preview", form(), Origin="http://evil.example"),
               page.client.options("/preview", headers={
                   "Host": HOST, "Origin": "http://evil.example",
                   "Access-Control-Request-Method": "POST"})]
    for answer in answers:
        csp = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert answer.headers["Cache-Control"] == "no-store"
        assert not any(k.lower().startswith("access-control-") for k, _ in answer.headers.items())
        answer.close()


def test_the_page_has_no_inline_script_or_style_and_labels_every_field(
        page: Page, thigh_form: dict[str, Any]) -> None:
    """The CSP forbids inline scripts and styles: the page has none (they would not run).
    Every field a person fills in has a label; every button says what it does."""
    html = page.post("/", {**thigh_form, "action": "update"}).get_data(as_text=True)
    parsed = Fields.of(html)
    for tag, attrs in parsed.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/")
    assert len(parsed.controls) > 50
    for control in parsed.controls:
        assert control["id"] in parsed.labelled or control.get("aria-label"), control
    buttons = re.findall(r"<button[^>]*>([^<]*)</button>", html)
    assert buttons and all(text.strip() for text in buttons)
    assert re.search(r'aria-label="Remove Hip lift \(glute bridge\)"', html)


# -- the page builds the handout `rxprint build` builds ------------------------------------


def test_starting_from_a_standard_program_lists_its_exercises_with_their_dosage(
        thigh_form: dict[str, Any]) -> None:
    ids = [thigh_form[f"exercises[{i}].id"] for i in range(1, 7)]
    assert ids == THIGH
    assert thigh_form["exercises[4].sets"] == "2" and thigh_form["exercises[4].reps"] == "10"
    assert thigh_form["exercises[6].frequency"] == "every 30 min"
    assert thigh_form["patient.name"] == "Jane Doe"  # kept


def test_the_pdf_is_byte_for_byte_what_rxprint_build_makes(
        page: Page, run: Run, thigh_form: dict[str, Any]) -> None:
    answer = page.post("/handout.pdf", thigh_form)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="home-exercise-program-2026-12-07.pdf"')  # never the name
    assert answer.data == build_bytes(run, "--template", "thigh-back-pain", "--patient",
                                      "Jane Doe", "--date", TODAY.isoformat())
    assert "Jane Doe" in Pdf(answer.data).flat(0)


def test_the_program_file_rebuilds_the_same_handout_in_the_pages_order(
        page: Page, run: Run, thigh_form: dict[str, Any], write: Callable[..., Path]) -> None:
    """Moved, removed, a dosage and a note changed: the program file the page gives
    builds the PDF it gives, byte for byte, with the exercises in the page's order."""
    state = {**thigh_form, "action": "down:1"}
    moved = Fields.of(page.post("/", state).get_data(as_text=True)).values
    assert moved["exercises[1].id"] == "side-lying-quad-stretch"
    removed = Fields.of(page.post("/", {**moved, "action": "remove:6"})
                        .get_data(as_text=True)).values
    assert "exercises[6].id" not in removed
    removed.update({"exercises[2].reps": "", "exercises[2].duration": "3 min",
                    "exercises[3].note": "Slowly, <b>not</b> fast.",
                    "notes": "Walk daily & rest."})
    pdf = page.post("/handout.pdf", removed)
    toml = page.post("/program.toml", removed)
    assert pdf.status_code == toml.status_code == 200
    assert toml.headers["Content-Disposition"].endswith('-2026-12-07.toml"')
    data = tomllib.loads(toml.get_data(as_text=True))
    assert [e["id"] for e in data["exercises"]] == [
        "side-lying-quad-stretch", "thigh-kneading", "supine-hamstring-stretch-strap",
        "sit-to-stand", "glute-bridge"]
    write("page.toml", toml.data)
    assert build_bytes(run, "page.toml") == pdf.data
    text = Pdf(pdf.data).flat()
    assert "Slowly, <b>not</b> fast." in text and "Walk daily & rest." in text
    assert text.index("Front thigh stretch") < text.index("Thigh kneading with")


def test_a_dosage_error_is_shown_beside_its_field(page: Page,
                                                  thigh_form: dict[str, Any]) -> None:
    wrong = {**thigh_form, "exercises[4].reps": "10 rpes", "exercises[2].side": "sideways"}
    html = page.post("/", {**wrong, "action": "update"}).get_data(as_text=True)
    slot = re.search(r'data-error-for="exercises\[4\]\.reps"[^>]*>(.*?)</div>', html, re.S)
    assert slot and "Expected a whole number of repetitions" in slot[1]
    assert 'did you mean &#34;reps&#34;?' in slot[1]
    assert re.search(r'name="exercises\[4\]\.reps" value="10 rpes"\s+autocomplete="off"'
                     r'(?: placeholder="[^"]*")?\s+aria-describedby="error-exercises-4-reps"'
                     r'\s+aria-invalid="true"', html)
    side = re.search(r'data-error-for="exercises\[2\]\.side"[^>]*>(.*?)</div>', html, re.S)
    assert side and "Expected a side" in side[1]
    preview = page.post("/preview", wrong).get_json()
    assert preview["pages"] == []
    assert set(preview["errors"]) == {"exercises[4].reps", "exercises[2].side"}
    download = page.post("/handout.pdf", wrong)
    assert download.status_code == 422 and b"Expected a side" in download.data
    # above the form too, each linked to its field: a download that failed says why
    summary = re.search(r'<div id="summary".*?</div>', download.get_data(as_text=True), re.S)
    assert summary and 'href="#f-exercises-4-reps"' in summary[0]
    assert "4. Sit to stand using your legs: Repetitions</a>: Expected a whole" in summary[0]
    assert "2. Front thigh stretch lying on your side: Side</a>: Expected a side" in summary[0]


def test_the_preview_is_the_handouts_pages(page: Page, thigh_form: dict[str, Any]) -> None:
    preview = page.post("/preview", thigh_form).get_json()
    assert len(preview["pages"]) == Pdf(page.post("/handout.pdf", thigh_form).data).pages
    assert all(p.startswith("data:image/png;base64,") for p in preview["pages"])
    less = {k: v for k, v in thigh_form.items() if k != "log"}  # the log page off
    assert len(page.post("/preview", less).get_json()["pages"]) == len(preview["pages"]) - 1


def test_problems_of_no_one_field_are_listed_above_the_form(page: Page) -> None:
    html = page.post("/", {**form(template="no-such-program"), **rows({"id": "quad-set"}),
                           "action": "update"}).get_data(as_text=True)
    slot = re.search(r'data-error-for="template"[^>]*>(.*?)</div>', html, re.S)
    assert slot and "nknown standard program" in slot[1]
    empty = page.post("/preview", form()).get_json()
    assert empty["general"] == ["Add at least one exercise, or start from a standard "
                                "program."]


def test_adding_and_searching_the_library(page: Page) -> None:
    html = page.post("/", {**form(), "action": "add:quad-set"}).get_data(as_text=True)
    assert "Added Thigh tightening (quad set) as exercise 1." in html
    state = Fields.of(html).values
    assert state["exercises[1].id"] == "quad-set" and state["exercises[1].sets"]
    assert "In the program" in html and 'value="add:quad-set"' not in html
    found = page.post("/", {**state, "q": "bridge", "category": "", "action": "update"})
    shown = re.findall(r'<li class="card" data-words="([^"]*)" data-category="[a-z-]+">',
                       found.get_data(as_text=True))
    assert shown and all("bridge" in c for c in shown)
    assert "3 of 48 exercises shown" in found.get_data(as_text=True)
    stretches = page.post("/", {**state, "category": "stretch", "action": "update"})
    assert not re.search(r'data-category="strengthening">',
                         stretches.get_data(as_text=True))  # hidden, every one
    unknown = page.post("/", {**state, "action": "add:nope"}).get_data(as_text=True)
    assert "not in the library" in unknown
    # every word, in any order, hyphens or not, in the title, body parts or muscles
    for query, expected in (("press up", "prone-press-up"), ("HAMSTRING stretch  seated",
                                                             "seated-hamstring-stretch"),
                            ("glute", "glute-bridge")):
        html = page.post("/", {**state, "q": query, "action": "update"}).get_data(as_text=True)
        assert re.search(r'data-words="[^"]*' + expected.replace("-", " ")
                         + r'[^"]*" data-category="[a-z-]+">', html), query


def test_text_is_escaped_everywhere_it_is_shown(page: Page,
                                                thigh_form: dict[str, Any]) -> None:
    evil = '<script>alert(1)</script>"\' onmouseover="x'
    html = page.post("/", {**thigh_form, "patient.name": evil, "notes": evil,
                           "action": "update"}).get_data(as_text=True)
    assert "<script>alert" not in html and 'onmouseover="x' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = Pdf(page.post("/handout.pdf", {**thigh_form, "patient.name": evil}).data)
    assert "<script>alert(1)</script>" in pdf.flat(0)


def test_opening_a_program_file(page: Page, run: Run, write: Callable[..., Path]) -> None:
    """A program file opens as the list it starts with; its standard program's phases
    follow from the template, so the page's PDF is `rxprint build`'s of the file."""
    program = b"""\
template = "hip-flexor-back-pain"
date = 2026-11-21
omit = ["movement-breaks"]
[patient]
name = "Jane Doe"
[[exercises]]
id = "quad-set"
reps = 12
"""
    answer = page.post("/open", {**form(), "program": (io.BytesIO(program), "visit.toml")})
    assert answer.status_code == 200
    values = Fields.of(answer.get_data(as_text=True)).values
    assert values["patient.name"] == "Jane Doe" and values["date"] == "2026-11-21"
    ids = [values[k] for k in values if k.endswith("].id")]
    assert "movement-breaks" not in ids and ids[-1] == "quad-set"
    assert values["phases"] == "[]"  # the template's, not the file's own
    write("visit.toml", program)
    assert page.post("/handout.pdf", values).data == build_bytes(run, "visit.toml")
    broken = page.post("/open", {**form(), "program": (io.BytesIO(b'date = "soon"\n'
                                                                  b"reps = [\n"), "x.toml")})
    assert broken.status_code == 422
    assert b"could not be opened" in broken.data and b"file:2: TOML syntax error" in broken.data
    bad = page.post("/open", {**form(), "program": (io.BytesIO(
        b'template = "thigh-back-pain"\n[[exercises]]\nid = "quad-set"\nsets = "lots"\n'),
        "y.toml")})
    assert bad.status_code == 422 and b"exercises[1].sets" in bad.data


def test_a_program_files_own_phases_are_kept(page: Page, run: Run,
                                             write: Callable[..., Path]) -> None:
    program = b"""\
date = 2026-12-07
[[exercises]]
id = "quad-set"
[[phases]]
title = "Weeks 1-2"
weeks = 2
[[phases]]
title = "Weeks 3-4"
weeks = 2
[[phases.exercises]]
id = "glute-bridge"
"""
    opened = page.post("/open", {**form(), "program": (io.BytesIO(program), "p.toml")})
    values = Fields.of(opened.get_data(as_text=True)).values
    assert [values[k] for k in values if k.endswith("].id")] == ["quad-set"]
    assert "Weeks 3-4" in values["phases"]
    pdf = page.post("/handout.pdf", values)
    write("p.toml", program)
    assert pdf.data == build_bytes(run, "p.toml")


def test_language_and_large_print(page: Page, thigh_form: dict[str, Any], run: Run) -> None:
    spanish = {**thigh_form, "language": "es", "large_print": "on", "action": "update"}
    html = page.post("/", spanish).get_data(as_text=True)
    assert "Amasar el muslo con las manos" in html  # the library in the handout's language
    pdf = page.post("/handout.pdf", spanish)
    assert pdf.data == build_bytes(run, "--template", "thigh-back-pain", "--patient",
                                   "Jane Doe", "--date", TODAY.isoformat(), "--lang", "es",
                                   "--large-print")
    assert "diciembre de 2026" in Pdf(pdf.data).flat(0)


def test_a_plugin_branding_is_offered_and_chosen_as_for_build(plugins: Callable[[str, str], Path]
                                                   ) -> None:
    plugins("oak", '''
        from rxprint.api import Branding, hookimpl

        @hookimpl
        def register_branding(register):
            register("oak-clinic", Branding(clinic_name="Oak Clinic"))
    ''')
    page = Page(make_site())
    html = page.get("/").get_data(as_text=True)
    assert '<option value="oak-clinic"' in html
    values = Fields.of(html).values
    assert values["branding"] == "oak-clinic"  # the only plugin branding, as for build
    pdf = page.post("/handout.pdf", {**form(branding="oak-clinic"),
                                     **rows({"id": "quad-set"})})
    assert "Oak Clinic" in Pdf(pdf.data).flat(0)


# -- nothing stored, nothing logged ---------------------------------------------------


def test_nothing_is_written_and_the_log_has_no_patient_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thigh_form: dict[str, Any]) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(work)
    log: list[str] = []
    page = Page(make_site(log))
    secret = "Zebediah Quux-Patient"
    state = {**thigh_form, "patient.name": secret, "notes": secret}
    page.post("/", {**state, "action": "update", "q": secret})
    page.post("/preview", state)
    page.post("/handout.pdf", state)
    page.post("/program.toml", state)
    page.post("/open", {**form(), "program": (io.BytesIO(
        f'[patient]\nname = "{secret}"\n[[exercises]]\nid = "quad-set"\n'.encode()), "p.toml")})
    assert list(temp.iterdir()) == [] and list(work.iterdir()) == []
    assert log and all(secret not in line and "Zebediah" not in line for line in log)
    assert all(KEY not in line and "?" not in line for line in log)
    assert "POST /handout.pdf 200" in log


# -- the command -------------------------------------------------------------------


def test_serve_without_the_web_extra_says_what_to_install(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "waitress" else real(name, *a))
    result = run("serve")
    assert result.exit_code == 1
    assert "pip install 'rxprint[web]'" in result.output and "waitress" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``rxprint serve --port 0`` in its own process, with the address it printed."""
    env = {**os.environ, "RXPRINT_PLUGINS": "", "PYTHONUNBUFFERED": "1"}
    command = Path(sys.executable).with_name("rxprint")  # the console script, as installed
    process = subprocess.Popen([str(command), "serve", "--port", "0"],
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env,
                               preexec_fn=default_signals())
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"(http://\S+)", line)
    assert match, line
    try:
        yield process, match[1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stderr.close()


def test_serve_answers_on_loopback_only_and_stops_cleanly_on_ctrl_c(
        server: tuple[subprocess.Popen[str], str]) -> None:
    import http.cookiejar
    import urllib.error
    import urllib.request

    process, url = server
    assert url.startswith("http://127.0.0.1:") and "/?key=" in url
    port = int(url.split(":")[2].split("/")[0])
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(url) as answer:  # the key, traded for the cookie
        assert answer.status == 200 and b"Home exercise program" in answer.read()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/")  # no cookie
    assert refused.value.code == 403
    refused.value.close()

    def busy() -> None:  # a request being answered when Ctrl-C comes
        with contextlib.suppress(OSError):
            browser.open(f"http://127.0.0.1:{port}/").close()

    import threading

    answering = threading.Thread(target=busy)
    answering.start()
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    answering.join()
    assert process.wait(timeout=20) == 0
    assert process.stderr is not None
    rest = process.stderr.read()
    assert "Stopped." in rest and "Traceback" not in rest


class FakeServer:
    """waitress's server as `rxprint serve` uses it: bound, then run until Ctrl-C."""

    made: ClassVar[dict[str, Any]] = {}

    def __init__(self, application: Any, **options: Any) -> None:
        FakeServer.made = {"application": application, **options}
        self.effective_port = 8765
        self.closed = False

    def run(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, while the loop runs
        time.sleep(30)  # (a daemon thread: left behind when the command ends)

    def close(self) -> None:
        FakeServer.made["closed"] = True

    @property
    def task_dispatcher(self) -> Any:
        class Dispatcher:
            def shutdown(self, timeout: float) -> None:
                FakeServer.made["shut down"] = True

        return Dispatcher()


@pytest.mark.parametrize(("args", "host", "url", "warned"), [
    ((), "127.0.0.1", "http://127.0.0.1:8765/?key=", False),
    (("--host", "192.168.1.5"), "192.168.1.5", "http://192.168.1.5:8765/?key=", True),
    (("--host", "localhost"), "localhost", "http://127.0.0.1:8765/?key=", False),
    (("--host", "::1"), "::1", "http://[::1]:8765/?key=", False),
])
def test_serve_binds_loopback_unless_told_and_warns_then(
        run: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], host: str,
        url: str, warned: bool) -> None:
    import webbrowser

    import waitress.server

    opened: list[str] = []
    monkeypatch.setattr(waitress.server, "create_server", FakeServer)
    monkeypatch.setattr(webbrowser, "open", opened.append)
    from rxprint.runtime import interrupt

    old = signal.signal(signal.SIGINT, interrupt.on_signal)  # as rxprint's main does
    try:
        result = run("serve", "--open", *args)
    finally:
        signal.signal(signal.SIGINT, old)
        interrupt.reset()  # this process goes on: the Ctrl-C is forgotten
    assert result.exit_code == 0, result.output
    assert FakeServer.made["host"] == host and FakeServer.made["port"] == 8750
    assert FakeServer.made["closed"] and FakeServer.made["shut down"]
    assert url in result.output and "Stopped." in result.output
    assert opened and opened[0].startswith(url)
    assert ("Warning: serving on" in result.output) is warned
    # nothing spills to a temporary file, and a body larger than the page's own
    # largest is refused before it is read
    made = FakeServer.made
    assert made["max_request_body_size"] < 3 << 20
    assert made["inbuf_overflow"] > made["max_request_body_size"]
    assert made["outbuf_overflow"] >= 1 << 30


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_on_every_address_asks_for_the_one_clients_use(run: Run, host: str) -> None:
    result = run("serve", "--host", host)
    assert result.exit_code == 1 and "--host 192.168.1.5" in result.output


def test_serve_on_a_port_in_use_is_a_clear_error(run: Run,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import waitress.server

    def busy(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(waitress.server, "create_server", busy)
    result = run("serve", "--port", "8123")
    assert result.exit_code == 1
    assert "port 8123 is in use" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


def test_previews_at_once_are_drawn_one_at_a_time(page: Page) -> None:
    """PDFium crashes the process when two threads call it at once (waitress serves
    requests on several): every use is under one lock."""
    import threading

    from rxprint.render.raster import page_images

    pdf = page.post("/handout.pdf", {**form(log=""), **rows({"id": "quad-set"})}).data
    failures: list[BaseException] = []

    def draw() -> None:
        try:
            for _ in range(8):
                assert len(page_images(pdf, 200)) == Pdf(pdf).pages
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# the test client's own temporary file for the large body it sends (the browser's side),
# left to the garbage collector, which closes it within this test (gc.collect below)
@pytest.mark.filterwarnings("ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_upload_stays_in_memory(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    """Werkzeug writes an upload of over 500 KB to a temporary file: not here."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a temporary file was made")

    for name in ("TemporaryFile", "SpooledTemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    import werkzeug.formparser

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)
    program = b"# " + b"x" * (700 << 10) + b'\n[[exercises]]\nid = "quad-set"\n'
    answer = page.post("/open", {**form(), "program": (io.BytesIO(program), "big.toml")})
    assert answer.status_code == 200
    assert Fields.of(answer.get_data(as_text=True)).values["exercises[1].id"] == "quad-set"
    monkeypatch.undo()
    del answer
    gc.collect()


def test_the_log_escapes_what_a_path_carries(site: Flask) -> None:
    log: list[str] = []
    page = Page(make_site(log))
    page.client.get("/x%1b]0;title%07%1b[2J%0d%0aPOST%20/handout.pdf%20200",
                    headers={"Host": "evil:1"})
    page.get("/drawing/%1b[31m.png")
    assert len(log) == 3  # the key's visit, and one line each
    assert all(line.isprintable() for line in log)


def test_the_cookie_is_this_ports(site: Flask) -> None:
    """Cookies do not tell ports apart: another server on 127.0.0.1 must not get this
    one's key, nor a second rxprint serve overwrite it."""
    answer = site.test_client().get(f"/?key={KEY}", headers={"Host": HOST})
    assert answer.headers["Set-Cookie"].startswith("rxprint-key-8750=")


def test_odd_form_values_are_problems_not_crashes(page: Page) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    answer = page.post("/preview", {**form(), **rows({"id": "quad-set"}), "phases": nested})
    assert answer.status_code == 200
    assert answer.get_json()["errors"]  # "phases" is not a list of tables
    many = {**form(), **rows(*({"id": f"x{i}"} for i in range(40)))}
    added = page.post("/", {**many, "action": "add:quad-set"}).get_data(as_text=True)
    assert "at most 40 exercises" in added


def test_the_example_plugins_exercises_programs_branding_and_layout_are_offered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Like the command line, the page offers what installed plugins add: the example
    clinic's branding, exercises and standard program, and the cards layout."""
    monkeypatch.setenv("RXPRINT_PLUGINS", "riverside-pt,cards")
    page = Page(make_site())
    html = page.get("/").get_data(as_text=True)
    assert '<option value="riverside-pt" selected>' in html
    assert '<option value="cards">' in html
    assert '<option value="riverside-return-to-walking">Return to walking</option>' in html
    assert 'value="add:riverside-step-up"' in html and "Step-up onto a low step" in html
    state = Fields.of(page.post("/", form(template="riverside-return-to-walking",
                                          action="start")).get_data(as_text=True)).values
    pdf = page.post("/handout.pdf", {**state, "layout": "cards",
                                     "branding": "riverside-pt"})
    assert pdf.status_code == 200
    assert "Riverside" in Pdf(pdf.data).flat(0)
