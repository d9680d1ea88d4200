"""The handout's stylesheet, as data: named paragraph styles built from a few base values.

Body text is 12 pt on 14 pt leading (a layout may set 11 pt at the least, as compact
does); page furniture a patient may need to read (footer, "When to call your clinician:
page N", the disclaimer) is 9.5 pt, the header's contact line 9 pt: nothing smaller.

Large print: body text 16 pt on 1.4 lines (22.4 pt), headings larger in proportion,
nothing under 12 pt, and everything in near-black ink (no grey text).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle

from rxprint.library.branding import Branding, parse_colour
from rxprint.render.fonts import RegisteredFamily

BODY_SIZE = 12.0
BODY_LEADING = 14.0
SMALL_SIZE = 9.5  # the smallest text a patient may need to read
SMALL_LEADING = 11.5
INK = Color(0.08, 0.08, 0.1)
MUTED = Color(0.33, 0.33, 0.36)
CAUTION = Color(0.62, 0.16, 0.1)
LARGE_BODY = 16.0  # large print: the body size
LARGE_LEADING = 1.4  # large print: line spacing, in body sizes
LARGE_SMALLEST = 12.0  # large print: the smallest text




def table_font(styles: Styles) -> tuple[str, tuple[int, int], tuple[int, int], str, float]:
    """Tables set a cell font even when their cells hold paragraphs; without this command
    it would be ReportLab's default (Helvetica, not embedded)."""
    return ("FONT", (0, 0), (-1, -1), styles.family.normal, styles.body.fontSize)


def tint(c: Color, amount: float) -> Color:
    """``c`` mixed with white: amount 0 is c, 1 is white."""
    return Color(c.red + (1 - c.red) * amount, c.green + (1 - c.green) * amount,
                 c.blue + (1 - c.blue) * amount)


@dataclass(frozen=True)
class Styles:
    family: RegisteredFamily
    accent: Color
    accent_tint: Color
    title: ParagraphStyle
    meta_label: ParagraphStyle
    meta_value: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    exercise_title: ParagraphStyle
    dosage: ParagraphStyle
    dosage_box: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    step: ParagraphStyle
    bullet: ParagraphStyle
    caution_label: ParagraphStyle
    caution: ParagraphStyle
    note: ParagraphStyle
    glance: ParagraphStyle
    box_title: ParagraphStyle
    box_body: ParagraphStyle
    box_bullet: ParagraphStyle
    header_clinic: ParagraphStyle
    header_small: ParagraphStyle
    header_right: ParagraphStyle
    footer: ParagraphStyle
    disclaimer: ParagraphStyle
    page_label: ParagraphStyle


@functools.lru_cache(maxsize=64)
def build_styles(branding: Branding, family: RegisteredFamily, *,
                 body_size: float = BODY_SIZE, leading: float = BODY_LEADING,
                 large_print: bool = False) -> Styles:
    """The named styles, from the branding's colours, a font family and a body size
    (headings scale with it). ``large_print``: body text at least 16 pt on 1.4 lines,
    nothing under 12 pt, no grey text (see :func:`large_print_problem`). Made once per
    process for the same arguments, so the handouts of a batch share them (and the
    paragraphs remembered for them); treat them as read-only (derive a new ParagraphStyle
    with ``parent=`` to change one)."""
    if large_print:
        body_size = max(body_size, LARGE_BODY)
        leading = max(leading, body_size * LARGE_LEADING)
    small = max(SMALL_SIZE, LARGE_SMALLEST) if large_print else SMALL_SIZE
    small_leading = small * SMALL_LEADING / SMALL_SIZE
    muted = INK if large_print else MUTED  # high contrast: no grey text in large print
    scale = body_size / BODY_SIZE
    BODY, BOLD, ITALIC = family.normal, family.bold, family.italic
    accent = Color(*parse_colour(branding.accent))
    accent_tint = (Color(*parse_colour(branding.accent_light)) if branding.accent_light
                   else tint(accent, 0.88))
    # every style derives from body: a word too long for its line (a name without
    # spaces) is broken across lines rather than overflowing or failing the layout
    body = ParagraphStyle("body", fontName=BODY, fontSize=body_size, leading=leading,
                          textColor=INK, spaceAfter=2 * scale, bulletFontName=BODY,
                          bulletFontSize=body_size, splitLongWords=1)
    # a label heads what follows it ("How to do it", "When to stop"): never left alone at
    # the foot of a page or column
    label = ParagraphStyle("label", parent=body, fontName=BOLD, spaceBefore=4 * scale,
                           spaceAfter=1, keepWithNext=1)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=18 * scale, bulletIndent=5,
                            bulletFontName=BOLD, spaceAfter=1)
    box_body = ParagraphStyle("box_body", parent=body, spaceAfter=0)
    def size(points: float) -> dict[str, float]:
        return {"fontSize": points * scale, "leading": points * scale * 1.25}

    return Styles(
        family=family,
        accent=accent,
        accent_tint=accent_tint,
        title=ParagraphStyle("title", parent=body, fontName=BOLD, **size(21),
                             textColor=accent, spaceAfter=10 * scale),
        meta_label=ParagraphStyle("meta_label", parent=body, fontName=BOLD, textColor=muted,
                                  spaceAfter=0),
        meta_value=ParagraphStyle("meta_value", parent=body, spaceAfter=0),
        h1=ParagraphStyle("h1", parent=body, fontName=BOLD, **size(15), textColor=accent,
                          spaceBefore=12 * scale, spaceAfter=6 * scale, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=label, **size(12.5), keepWithNext=1),
        exercise_title=ParagraphStyle("exercise_title", parent=body, fontName=BOLD,
                                      **size(14.5), textColor=accent, spaceBefore=0,
                                      spaceAfter=4 * scale, keepWithNext=1),
        dosage=ParagraphStyle("dosage", parent=body, fontName=BOLD, **size(12),
                              backColor=accent_tint,
                              borderPadding=(4 * scale, 6, 4 * scale, 6),
                              spaceBefore=3 * scale, spaceAfter=8 * scale),
        dosage_box=ParagraphStyle("dosage_box", parent=body, fontName=BOLD, backColor=accent_tint,
                                  borderPadding=(4 * scale, 5, 4 * scale, 5),
                                  leftIndent=5, rightIndent=5, spaceBefore=4 * scale,
                                  spaceAfter=4 * scale),
        body=body,
        label=label,
        step=ParagraphStyle("step", parent=bullet, leftIndent=20 * scale, bulletIndent=2),
        bullet=bullet,
        caution_label=ParagraphStyle("caution_label", parent=label, textColor=CAUTION),
        caution=ParagraphStyle("caution", parent=bullet, bulletColor=CAUTION),
        note=ParagraphStyle("note", parent=body, fontName=ITALIC,
                            backColor=Color(1, 0.965, 0.84),
                            borderPadding=(5, 6, 5, 6), spaceBefore=8 * scale,
                            spaceAfter=6 * scale),
        glance=ParagraphStyle("glance", parent=bullet, leftIndent=22 * scale, bulletIndent=0),
        box_title=ParagraphStyle("box_title", parent=body, fontName=BOLD, **size(13),
                                 textColor=accent, spaceAfter=0),
        box_body=box_body,
        box_bullet=ParagraphStyle("box_bullet", parent=box_body, leftIndent=16 * scale,
                                  bulletIndent=3),
        # page furniture keeps its size whatever the body size
        header_clinic=ParagraphStyle("header_clinic", parent=body, fontName=BOLD,
                                     fontSize=13.5, leading=16.5, textColor=accent,
                                     spaceAfter=0),
        header_small=ParagraphStyle("header_small", parent=body, fontSize=max(9, small),
                                    leading=max(11, small_leading), textColor=muted,
                                    spaceAfter=0),
        header_right=ParagraphStyle("header_right", parent=body, fontSize=max(10, small),
                                    leading=max(13, small * 1.2), alignment=2,
                                    spaceAfter=0),
        footer=ParagraphStyle("footer", parent=body, fontName=ITALIC, fontSize=small,
                              leading=small_leading, textColor=muted, spaceAfter=0),
        disclaimer=ParagraphStyle("disclaimer", parent=body, fontName=ITALIC,
                                  fontSize=small, leading=small_leading,
                                  textColor=muted, spaceAfter=0),
        # "Page N of M" (and, in bold caution red, "When to call your clinician: page N")
        page_label=ParagraphStyle("page_label", parent=body, fontSize=small,
                                  leading=small_leading,
                                  textColor=muted, spaceAfter=0),
    )


def large_print_problem(styles: Styles) -> str | None:
    """What keeps ``styles`` from being large print (body under 16 pt, a style under
    12 pt), or None."""
    if styles.body.fontSize < LARGE_BODY:
        return f"its body text is {styles.body.fontSize:g} pt; large print needs {LARGE_BODY:g}"
    for name, value in vars(styles).items():
        if isinstance(value, ParagraphStyle) and value.fontSize < LARGE_SMALLEST:
            return (f"its {name} style is {value.fontSize:g} pt; large print sets nothing "
                    f"under {LARGE_SMALLEST:g}")
    return None
