"""What the page does, over :class:`rxprint.app.App`, without the web framework: a state
in, a handout (or the problems beside their fields) out.

Every check and every handout is the App's, as for ``rxprint build``: the state becomes a
program file (:mod:`rxprint.web.form`), read by the program file's own checks and made by
:meth:`App.prepare` and :meth:`App.handout`. One request at a time uses the App (a lock):
ReportLab keeps state between handouts.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rxprint.app import App, Prepared
from rxprint.errors import InputError, Problem, RxprintError, ValidationError
from rxprint.files.tomlfile import MAX_INPUT_BYTES, TomlDocument, parse_toml
from rxprint.library.model import CATEGORIES, Exercise
from rxprint.library.programs import parse_program_file
from rxprint.library.translations import localize
from rxprint.web.form import (
    MAX_ROWS,
    PageState,
    Row,
    blank_state,
    dosage_texts,
    field_names,
    place,
    program_data,
    row_values,
    state_of,
)

PAGE = Path("the page")  # where the page's "program file" comes from, in messages


@dataclass
class Outcome:
    """A state checked and, when it is whole, made: its handout's PDF and page count, the
    problems beside their fields, those that belong to no field, and warnings."""

    pdf: bytes | None = None
    pages: int = 0
    attachment: bytes | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.pdf is not None


@dataclass(frozen=True)
class Card:
    """An exercise as the library list shows it, in the handout's language."""

    id: str
    title: str
    category: str
    dosage: str
    has_drawing: bool
    words: str  # what a search looks in: title, id, body parts, muscles (searchable())

    def matches(self, query: str, category: str = "") -> bool:
        """Every word of ``query`` is in the card's words ("press up" finds "Press-up"),
        and the card is in ``category`` (any, if empty). page.js searches the same way."""
        return ((not category or self.category == category)
                and all(word in self.words for word in searchable(query).split()))


def searchable(text: str) -> str:
    """Text as a search compares it: lower case, hyphens and runs of spaces as one space."""
    return " ".join(text.lower().replace("-", " ").split())


class Desk:
    def __init__(self, app: App, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.app = app
        self.today = today
        self.lock = threading.Lock()
        self._cards: dict[str, list[Card]] = {}

    # -- what the page offers ---------------------------------------------------------

    @functools.cached_property
    def defaults(self) -> dict[str, str]:
        """How a handout prints unless the page says otherwise: the configuration's (and
        its plugins') branding, layout and paper, and its language."""
        with self.lock:
            choice = self.app.choose()
        return {"branding": choice.branding_name, "layout": choice.layout_name,
                "paper": choice.paper, "language": self.app.config.language or "en"}

    def blank(self) -> PageState:
        config = self.app.config
        return blank_state(self.today(), self.defaults, {
            "large_print": bool(config.large_print),
            "log": config.log if config.log is not None else True, "pictures": True})

    def choices(self) -> dict[str, list[tuple[str, str]]]:
        """The options of each select: value and label."""
        with self.lock:
            reg = self.app.registry
            lib = self.app.library
            languages = self.app.languages
        from rxprint.language.messages import english_name
        from rxprint.library.paper import PAPERS

        return {
            "template": [("", "None: choose exercises below")]
                        + [(p.id, p.title) for p in sorted(lib.programs.values(),
                                                           key=lambda p: p.title)],
            "layout": [(name, f"{name}: {r.description}" if r.description else name)
                       for name, r in sorted(reg.layouts.items())],
            "branding": [(name, name) for name in sorted(reg.brandings)],
            "paper": [(name, "A4" if name == "a4" else name.capitalize())
                      for name in PAPERS],
            "language": [(code, english_name(code)) for code in languages],
            "category": [("", "All")] + [(c, c.capitalize()) for c in CATEGORIES],
        }

    def cards(self, language: str) -> list[Card]:
        """The library, in ``language`` where it has a translation (English if the
        language is unknown), by category and title: made once per language (the library
        and plugins do not change while the page is served)."""
        with self.lock:
            if language not in self.app.languages:
                language = "en"
            if language not in self._cards:
                self._cards[language] = self._made_cards(language)
            return self._cards[language]

    def _made_cards(self, language: str) -> list[Card]:
        extra = self.app.extra_translations(language)
        c = self.app.catalog(language)
        found = [localize(e, language, extra) for e in self.app.library.exercises.values()]
        return sorted((Card(e.id, e.title, e.category, c.dosage(e.dosage, separator=", "),
                            e.picture is not None,
                            searchable(" ".join([e.title, e.id, *e.regions, *e.targets])))
                       for e in found),
                      key=lambda card: (CATEGORIES.index(card.category)
                                        if card.category in CATEGORIES else 99,
                                        card.title.lower()))

    def usual(self, state: PageState) -> dict[str, dict[str, str]]:
        """Each listed exercise's usual dosage, field by field, as the page writes it
        (what an empty field prints)."""
        with self.lock:
            found = {ident: self.app.library.exercises.get(ident) for ident in state.ids}
        return {ident: dosage_texts(e.dosage) for ident, e in found.items() if e is not None}

    def titles(self, state: PageState) -> dict[str, str]:
        """Each listed exercise's title in the handout's language."""
        language = state.text("language") or "en"
        return {card.id: card.title for card in self.cards(language)}

    def drawing(self, ident: str, width: int = 240) -> bytes | None:
        """An exercise's drawing as a PNG, in the default branding's accent; None for an
        exercise without one (or no such exercise)."""
        return _drawing(self, ident, width)

    # -- changing the list ------------------------------------------------------------

    def add(self, state: PageState, ident: str) -> list[str]:
        """The exercise appended with its usual dosage (once); problems, if any."""
        if ident in state.ids:
            return []
        if len(state.rows) >= MAX_ROWS:
            return [f"A program has at most {MAX_ROWS} exercises here: remove one first."]
        with self.lock:
            exercise = self.app.library.exercises.get(ident)
        if exercise is None:
            return ["That exercise is not in the library (reload the page)."]
        from rxprint.library.model import Item

        state.rows.append(Row(ident, row_values(Item(exercise=exercise,
                                                     dosage=exercise.dosage))))
        return []

    def start_from(self, state: PageState) -> list[str]:
        """The list becomes the chosen standard program's exercises with their dosage
        (its phases follow it); problems, if the program is unknown."""
        ident = state.text("template")
        if not ident:
            state.rows = []
            state.phases = []
            return []
        with self.lock:
            template = self.app.library.programs.get(ident)
            if template is None:
                return ["That standard program is not in the library (reload the page)."]
            from rxprint.library.model import ProgramRequest

            program = self.app.resolved(ProgramRequest(template=ident), self.today(),
                                        phases=False)
        state.rows = [Row(item.exercise.id, row_values(item)) for item in program.items]
        state.phases = []
        return []

    def open_file(self, text: str) -> tuple[PageState | None, list[str]]:
        """The state of a program file's text (as ``rxprint build`` reads it), or the
        problems that stop it from loading."""
        if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
            return None, ["The file is larger than a program file can be (1 MiB)."]
        try:
            doc = parse_toml(text, Path("the program file"))
            request = replace(parse_program_file(doc), path=None)
            with self.lock:
                program = self.app.resolved(request, self.today(), phases=False)
        except ValidationError as exc:
            return None, [str(p) for p in exc.problems]
        except RxprintError as exc:
            return None, [str(exc)]
        return state_of(program, doc.data, defaults=self.defaults), []

    # -- checking and making ----------------------------------------------------------

    def prepare(self, state: PageState) -> tuple[Prepared | None, Outcome]:
        """The state as ``rxprint build`` would take its program file: prepared, or the
        problems beside their fields."""
        outcome = Outcome()
        with self.lock:
            template = self.app.library.programs.get(state.text("template").strip())
            omit = [e.id for e in template.entries] if template is not None else []
            doc = TomlDocument(PAGE, program_data(state, omit))
            request = replace(parse_program_file(doc), path=None)
            try:
                prepared = self.app.prepare(request, self.today(),
                                            pictures=state.switches.get("pictures", True))
            except (ValidationError, InputError) as exc:
                problems: tuple[Problem, ...] = (exc.problems if isinstance(
                    exc, ValidationError) else (exc.problem,))
                outcome.errors, outcome.general = place(problems, field_names(state))
                return None, outcome
            except RxprintError as exc:
                outcome.general = [str(exc)]
                return None, outcome
        return prepared, outcome

    def program_file(self, state: PageState) -> Outcome:
        """The program file of the state (the one its handout carries), or why not."""
        prepared, outcome = self._prepared(state)
        if prepared is not None:
            outcome.attachment = prepared.attachment
        return outcome

    def _prepared(self, state: PageState) -> tuple[Prepared | None, Outcome]:
        if not state.rows:
            return None, Outcome(general=["Add at least one exercise, or start from a "
                                          "standard program."])
        return self.prepare(state)

    def make(self, state: PageState) -> Outcome:
        """The handout of the state, byte for byte what ``rxprint build`` makes of the
        program file :meth:`program_file` gives; or why not."""
        prepared, outcome = self._prepared(state)
        if prepared is None:
            return outcome
        with self.lock:
            try:
                result = self.app.handout(prepared)
            except RxprintError as exc:
                outcome.general = [str(exc)]
                return outcome
        outcome.pdf, outcome.pages = result.pdf, result.pages
        outcome.attachment = prepared.attachment
        outcome.warnings = result.warnings()
        return outcome

    def pages(self, pdf: bytes, width: int) -> list[bytes]:
        """The handout's pages as PNG images ``width`` pixels wide (the preview)."""
        from rxprint.render.raster import page_images

        return page_images(pdf, width)


@functools.lru_cache(maxsize=128)
def _drawing(desk: Desk, ident: str, width: int) -> bytes | None:
    with desk.lock:
        exercise: Exercise | None = desk.app.library.exercises.get(ident)
        if exercise is None or exercise.picture is None:
            return None
        from rxprint.figures.png import picture_png
        from rxprint.library.branding import parse_colour

        accent = parse_colour(desk.app.choose().branding.accent)
        return picture_png(exercise.picture, accent, width)

