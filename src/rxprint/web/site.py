"""The web page's routes (Flask): a form in, the page, a preview, a PDF or a program
file out. A thin layer over :class:`rxprint.web.desk.Desk`, as the command line is over
:class:`rxprint.app.App`; the checks every request passes are in :mod:`rxprint.web.guard`.

Nothing is stored: the program lives in the form the browser sends back with each
request; PDFs and images are made in memory and sent. Without JavaScript the page works
by its buttons (each sends the form and gets the page again); with it, the preview follows
the form as it is typed (``static/page.js`` asks ``/preview``).
"""

from __future__ import annotations

import base64
import io
import re
import secrets
from collections.abc import Callable
from typing import IO, Any

from flask import (
    Flask,
    Request,
    Response,
    abort,
    make_response,
    redirect,
    render_template,
    request,
)
from werkzeug.wrappers import Response as BaseResponse

from rxprint.runtime.failures import printable
from rxprint.web import guard
from rxprint.web.desk import Desk, Outcome
from rxprint.web.form import PageState, read_form

PREVIEW_WIDTH = 640  # pixels: a page in the preview (shown smaller, sharp when zoomed)
MAX_UPLOAD = 2 << 20  # a request's body: a program file is at most 1 MiB
DOWNLOADS = {"pdf": "application/pdf", "toml": "application/toml"}


class InMemoryRequest(Request):
    """A request whose uploaded file stays in memory (Werkzeug writes one of over 500 KB
    to a temporary file: a program file holds a patient's name)."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        return io.BytesIO()


def create_site(desk: Desk, *, key: str, hosts: frozenset[str], port: int,
                log: Callable[[str], None] | None = None) -> Flask:
    """The page's application: ``key`` the session key, ``hosts`` the Host headers it
    answers (:func:`rxprint.web.guard.allowed_hosts`), ``port`` its port (the cookie is
    this port's: cookies do not tell ports apart), ``log`` a line per request (method,
    path without its query, status: never a form's content)."""
    site = Flask(__name__, static_folder="static", template_folder="templates")
    site.request_class = InMemoryRequest
    cookie = f"{guard.COOKIE}-{port}"
    site.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    site.jinja_env.autoescape = True  # every template, whatever its name
    site.jinja_env.filters["fid"] = field_id
    site.jinja_env.filters["capfirst"] = capfirst

    @site.before_request
    def check() -> BaseResponse | None:
        problem = guard.host_problem(request.headers.get("Host"), hosts)
        if problem is not None:
            return _refuse(400, problem)
        if request.path == "/" and request.method == "GET" and "key" in request.args:
            if not guard.same(request.args.get("key"), key):
                return _refuse(403, "This key is not this server's: open the address "
                                    "rxprint serve printed.")
            answer = redirect("/", code=303)  # the key leaves the address bar
            answer.set_cookie(cookie, key, httponly=True, samesite="Strict", path="/")
            return answer
        if not guard.same(request.cookies.get(cookie), key):
            return _refuse(403, "Open the address rxprint serve printed: it carries the "
                                "key to this page.")
        if request.method not in ("GET", "HEAD"):
            problem = guard.origin_problem(request.headers.get("Origin"),
                                           request.headers.get("Sec-Fetch-Site"), hosts)
            if problem is None and not guard.same(request.form.get(guard.KEY_FIELD), key):
                problem = "This form does not carry the page's key: reload the page."
            if problem is not None:
                return _refuse(403, problem)
        return None

    @site.after_request
    def headers(response: Response) -> Response:
        response.headers.update(guard.HEADERS)
        for name in [k for k, _ in response.headers.items()
                     if k.lower().startswith("access-control-")]:
            del response.headers[name]
        if log is not None:
            # a path's escape sequences and line breaks are shown, not acted on
            log(printable(f"{request.method} {request.path} {response.status_code}",
                          keep=""))
        return response

    def page(state: PageState, outcome: Outcome | None = None, *, notes: list[str] | None
             = None, done: str = "", status: int = 200) -> Response:
        if outcome is None and state.rows:
            outcome = desk.make(state)
        outcome = outcome or Outcome()
        images = []
        if outcome.pdf is not None:
            images = [_data_uri(png) for png in desk.pages(outcome.pdf, PREVIEW_WIDTH)]
        q = request.form.get("q", "") if request.method == "POST" else ""
        category = request.form.get("category", "") if request.method == "POST" else ""
        cards = desk.cards(state.text("language") or "en")
        # every card is sent (the script shows them again as the search changes); those
        # the search does not match are hidden
        shown = {c.id for c in cards if c.matches(q, category)}
        titles = desk.titles(state)
        body = render_template(
            "page.html", state=state, outcome=outcome, images=images,
            choices=desk.choices(), cards=cards, shown=shown, titles=titles, key=key, q=q,
            category=category, notes=notes or [], done=done, dosage_fields=DOSAGE_LABELS,
            usual=desk.usual(state),
            problems=_problems(outcome, state, titles))
        return make_response(body, status)

    @site.get("/")
    def index() -> Response:
        return page(desk.blank())

    @site.post("/")
    def act() -> Response:
        state = read_form(request.form)
        action, _, argument = request.form.get("action", "update").partition(":")
        notes: list[str] = []
        done = ""
        titles = desk.titles(state)
        if action == "add":
            notes = desk.add(state, argument)
            if not notes and state.ids[-1:] == [argument]:
                done = (f"Added {titles.get(argument, argument)} as exercise "
                        f"{len(state.rows)}.")
        elif action in ("remove", "up", "down") and argument.isdecimal():
            done = _move(state, action, int(argument) - 1, titles)
        elif action == "start":
            notes = desk.start_from(state)
            if not notes:
                done = (f"The list is now the standard program's {len(state.rows)} "
                        "exercises." if state.rows else "The list is empty.")
        return page(state, notes=notes, done=done)

    @site.post("/preview")
    def preview() -> Response:
        state = read_form(request.form)
        outcome = desk.make(state)
        pages = ([_data_uri(png) for png in desk.pages(outcome.pdf, PREVIEW_WIDTH)]
                 if outcome.pdf is not None else [])
        answer: dict[str, Any] = {"pages": pages, "errors": outcome.errors,
                                  "general": outcome.general, "warnings": outcome.warnings}
        return make_response(answer)

    def download(suffix: str) -> Response:
        """The handout ("pdf") or its program file ("toml"); or the page, its problems
        beside their fields."""
        state = read_form(request.form)
        outcome = desk.make(state) if suffix == "pdf" else desk.program_file(state)
        data = outcome.pdf if suffix == "pdf" else outcome.attachment
        if data is None:
            return page(state, outcome, status=422)
        return _download(data, DOWNLOADS[suffix], _name(state, suffix))

    @site.post("/handout.pdf")
    def handout() -> Response:
        return download("pdf")

    @site.post("/program.toml")
    def program_file() -> Response:
        return download("toml")

    @site.post("/open")
    def open_file() -> Response:
        upload = request.files.get("program")
        current = read_form(request.form)
        if upload is None or not upload.filename:
            return page(current, notes=["Choose a program file to open."], status=422)
        try:
            text = upload.read(MAX_UPLOAD).decode("utf-8")
        except UnicodeDecodeError:
            return page(current, notes=["That file is not a program file (it is not "
                                        "UTF-8 text)."], status=422)
        state, problems = desk.open_file(text)
        if state is None:
            return page(current, notes=["The program file could not be opened:",
                                        *problems], status=422)
        return page(state)

    @site.get("/drawing/<ident>.png")
    def drawing(ident: str) -> Response:
        png = desk.drawing(ident)
        if png is None:
            abort(404)
        answer = make_response(png)
        answer.mimetype = "image/png"
        return answer

    return site


def field_id(name: str) -> str:
    """An HTML id for a field's name (``exercises[2].reps`` is ``exercises-2-reps``)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def capfirst(message: str) -> str:
    """A message as a sentence on the page ("expected a side..." is "Expected a side...")."""
    return message[:1].upper() + message[1:]


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _move(state: PageState, action: str, index: int, titles: dict[str, str]) -> str:
    """Remove a row or move it one place; what was done, in words."""
    rows = state.rows
    if not 0 <= index < len(rows):
        return ""
    title = titles.get(rows[index].id, rows[index].id)
    if action == "remove":
        del rows[index]
        return f"Removed {title}."
    other = index - 1 if action == "up" else index + 1
    if not 0 <= other < len(rows):
        return ""
    rows[other], rows[index] = rows[index], rows[other]
    return f"Moved {title} to place {other + 1}."


DOSAGE_LABELS = (("sets", "Sets"), ("reps", "Repetitions"), ("hold", "Hold"),
                 ("duration", "Duration"), ("side", "Side"), ("frequency", "How often"))
FIELD_LABELS = {"patient.name": "Patient's name", "clinician": "Clinician",
                "date": "Visit date", "title": "Title", "notes": "Notes",
                "template": "Standard program", "language": "Language", "layout": "Layout",
                "paper": "Paper", "branding": "Branding", "large_print": "Large print",
                "log": "Exercise log page", "pictures": "Drawings",
                "phases": "Phases"}
ROW_LABELS = {**dict(DOSAGE_LABELS), "note": "Note", "video": "Video link"}


def _problems(outcome: Outcome, state: PageState, titles: dict[str, str]
              ) -> list[tuple[str, str, str]]:
    """Each field's problem for the summary above the form: the field's id (a link), its
    label ("3. Hip lift (glute bridge): Repetitions") and the message."""
    found = []
    for name, messages in outcome.errors.items():
        match = re.fullmatch(r"exercises\[(\d+)\](?:\.(\w+))?", name)
        if match and 1 <= int(match[1]) <= len(state.rows):
            row = state.rows[int(match[1]) - 1]
            label = f"{match[1]}. {titles.get(row.id, row.id)}"
            if match[2]:
                label += f": {ROW_LABELS.get(match[2], match[2])}"
            target = f"f-{field_id(name)}" if match[2] else f"row-{match[1]}"
        else:  # the phases have no field of their own: their problems' place
            label = FIELD_LABELS.get(name, name)
            target = f"{'error' if name == 'phases' else 'f'}-{field_id(name)}"
        found += [(target, label, message) for message in messages]
    return found


def _name(state: PageState, suffix: str) -> str:
    """A neutral file name, never the patient's: as ``rxprint build`` names a handout."""
    date = state.text("date").strip()
    valid = len(date) == 10 and date.replace("-", "").isdecimal()
    return f"home-exercise-program{'-' + date if valid else ''}.{suffix}"


def _download(data: bytes, mimetype: str, name: str) -> Response:
    answer = make_response(data)
    answer.mimetype = mimetype
    answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _refuse(status: int, message: str) -> Response:
    return make_response(render_template("refused.html", message=message), status)
