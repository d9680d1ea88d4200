"""Large print, read back from the PDF: 16 pt body and nothing under 12 pt, no grey text,
every person at least 2 in long, one exercise a page, an exercise taller than a page
continued under its title; the setting's precedence; Spanish and large print together;
a plugin layout that does not honour it is refused with a clear error."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result

from rxprint.library.loader import builtin_library

from .conftest import Pdf, built
from .page_checks import INCH, picture_sizes
from .test_languages import assert_spanish
from .test_plain_language import run_sizes

Run = Callable[..., Result]
PROGRAMS = sorted(builtin_library().programs)
# Pages of every standard program in large print, as the README states them: desk-worker,
# hip-flexor, runner, standing-posture, thigh.
PAGES = {("classic", "letter"): (10, 10, 10, 10, 10), ("classic", "a4"): (10, 10, 10, 9, 9),
         ("compact", "letter"): (9, 9, 9, 9, 9), ("compact", "a4"): (9, 9, 9, 9, 9)}
GREY = b".33 .33 .36 rg"  # MUTED, the grey of labels and the footer in standard print


def _exercise_pages(pdf: Pdf, titles: list[str]) -> list[int]:
    """The page each exercise starts on: its "N. Title" heading (not the line of the
    list at a glance, "N. Title — dosage", nor a "N. Title (continued)")."""
    pages = []
    for n, title in enumerate(titles, start=1):
        heading = re.compile(re.escape(re.sub(r"\s+", " ", f"{n}. {title}"))
                             + r"(?! —| \(continued\))")
        pages.append(next(i for i in range(pdf.pages) if heading.search(pdf.flat(i))))
    return pages


def _contents(path: Path) -> list[bytes]:
    """Each page's content stream(s), decoded."""
    with pikepdf.open(path) as doc:
        return [b"".join(c.read_bytes() for c in (
            page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]))
            for page in doc.pages]


@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_large_print_type_pages_and_contrast(run: Run, layout: str, paper: str) -> None:
    for template, pages in zip(PROGRAMS, PAGES[(layout, paper)], strict=True):
        pdf = built(run, "--template", template, "--large-print", "--layout", layout,
                    "--paper", paper, "--patient", "Jane Doe", "--no-log")  # (its own test)
        assert pdf.pages == pages, (template, pdf.pages)
        runs = run_sizes(pdf)
        assert min(size for _, size in runs) >= 12.0 - 0.01, template
        program = builtin_library().programs[template]
        titles = []
        for entry in program.entries:
            ex = builtin_library().exercises[entry.id]
            titles.append(ex.title)
            first_words = " ".join(ex.steps[0].split()[:3])
            sizes = [size for text, size in runs if text.startswith(first_words)]
            assert sizes and min(sizes) >= 16.0 - 0.01, (template, ex.id, sizes)
        starts = _exercise_pages(pdf, titles)
        assert len(set(starts)) == len(starts), (template, starts)  # one a page at most
        assert not any(GREY in page for page in _contents(Path("out.pdf")))  # no grey


def test_standard_print_does_use_the_grey_this_checks_for(run: Run) -> None:
    built(run, "--template", "thigh-back-pain")
    assert any(GREY in page for page in _contents(Path("out.pdf")))


@pytest.mark.parametrize("layout", ["classic", "compact"])
def test_every_person_is_at_least_two_inches_in_large_print(layout: str) -> None:
    sizes = picture_sizes(builtin_library(), layout, "letter", large_print=True)
    small = {ident: round(person / INCH, 2) for ident, (_, _, person) in sizes.items()
             if person < 2.0 * INCH - 0.5}
    assert not small, small


def test_an_exercise_taller_than_a_page_goes_on_under_its_title(
        run: Run, write: Callable[..., Path]) -> None:
    note = " ".join(f"Mark{i}." for i in range(1, 500))  # one word each: none split
    write("visit.toml", f'large_print = true\n[[exercises]]\nid = "quad-set"\n'
                        f'note = "{note}"\n[[exercises]]\nid = "glute-bridge"\n')
    pdf = built(run, "visit.toml")
    text = pdf.flat()
    assert "1. Thigh squeeze (quad set) (continued)" in text or re.search(
        r"1\. [^.]+\(continued\)", text)
    assert all(f"Mark{i}." in text for i in range(1, 500))  # nothing lost
    assert pdf.pages >= 3


def test_the_large_print_setting_follows_the_usual_precedence(
        run: Run, write: Callable[..., Path]) -> None:
    def body(pdf: Pdf) -> float:
        ex = builtin_library().exercises["quad-set"]
        words = " ".join(ex.steps[0].split()[:3])
        return min(size for text, size in run_sizes(pdf) if text.startswith(words))

    write("lp.toml", 'large_print = true\n[[exercises]]\nid = "quad-set"\n')
    assert body(built(run, "lp.toml")) >= 16
    assert body(built(run, "lp.toml", "--standard-print")) == 12
    write("rxprint.toml", "[defaults]\nlarge_print = true\n")
    assert body(built(run, "-e", "quad-set")) >= 16
    write("std.toml", 'large_print = false\n[[exercises]]\nid = "quad-set"\n')
    assert body(built(run, "std.toml")) == 12
    write("roster.csv", "patient,exercises,large_print\nAna,quad-set,yes\nBo,quad-set,no\n"
                        "Cy,quad-set,maybe\n")
    result = run("batch", "roster.csv", "-o", "out")
    assert result.exit_code == 1 and "row 4: large_print: use yes or no" in result.output


# Spanish runs longer: most exercises are a little taller than a page at 16 pt, and go
# on under their title (the README gives these counts).
PAGES_ES = {"letter": (12, 11, 13, 12, 11), "a4": (11, 11, 12, 11, 10)}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_spanish_and_large_print_together(run: Run, paper: str) -> None:
    for template, pages in zip(PROGRAMS, PAGES_ES[paper], strict=True):
        pdf = built(run, "--template", template, "--lang", "es", "--large-print",
                    "--strict", "--date", "2026-11-21", "--paper", paper, "--no-log")
        assert pdf.pages == pages, (template, pdf.pages)
        assert_spanish(pdf)
        text = pdf.flat()
        assert "21 de noviembre de 2026" in text
        assert min(size for _, size in run_sizes(pdf)) >= 12.0 - 0.01
        # the safety box, taller than a page here, goes on under its title
        title = "Cuándo comunicarse con su terapeuta"
        assert text.count(title) == 1 + text.count(f"{title} (continuación)"), template


def test_a_layout_that_does_not_honour_large_print_is_refused(
        run: Run, plugins: Callable[[str, str], Path]) -> None:
    plugins("small", """
        from rxprint.api import hookimpl
        from rxprint.layout import Layout, build_styles
        class Small(Layout):
            def styles(self, request):
                return build_styles(request.branding, request.family, body_size=11)
            def story(self, request, builder):
                return [*builder.masthead(), *builder.exercises()]
        @hookimpl
        def register_layouts(register):
            register("small", Small())
    """)
    assert run("build", "-e", "quad-set", "--layout", "small", "-o", "a.pdf").exit_code == 0
    result = run("build", "-e", "quad-set", "--layout", "small", "--large-print",
                 "-o", "b.pdf")
    assert result.exit_code == 1
    assert "plugin small" in result.output and "(styles)" in result.output
    assert "large print" in result.output and "body text is 11 pt" in result.output
    assert not Path("b.pdf").exists()


@pytest.mark.parametrize(("args", "lines"), [
    (("--clinician", "Sam Lee, PT"), ["Call Sam Lee, PT at ____"]),
    ((), ["Call your clinician: ____", "Phone: ____"]),
    (("--clinician", "Sam Lee, PT", "--lang", "es"), ["Llame a Sam Lee, PT al ____"]),
])
def test_large_print_names_the_clinician_and_leaves_a_line_to_write_on(
        run: Run, args: tuple[str, ...], lines: list[str]) -> None:
    """Who to call keeps the clinician's name in large print; each blank ends a line of
    its own, with its full stop, so there is room to write on it."""
    pdf = built(run, "--template", "thigh-back-pain", "--large-print", *args)
    text = "\n".join(pdf.text(i) for i in range(3))
    for line in lines:
        found = re.search(re.escape(line) + r"_*\.?$", text, re.M)
        assert found, (line, text[:800])
