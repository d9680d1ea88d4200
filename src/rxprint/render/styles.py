"""The handout's stylesheet, as data: named paragraph styles built from a few base values.

Body text is 11 pt on 13.6 pt leading: nothing a patient reads as instructions is smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle

from ..branding import Branding, parse_colour
from ..fonts import BODY, BOLD, ITALIC

BODY_SIZE = 11.0
BODY_LEADING = 13.6
INK = Color(0.08, 0.08, 0.1)
MUTED = Color(0.33, 0.33, 0.36)
CAUTION = Color(0.62, 0.16, 0.1)


# Tables set a cell font even when their cells hold paragraphs; without this command it
# would be ReportLab's default (Helvetica, not embedded).
TABLE_FONT = ("FONT", (0, 0), (-1, -1), BODY, BODY_SIZE)


def tint(c: Color, amount: float) -> Color:
    """``c`` mixed with white: amount 0 is c, 1 is white."""
    return Color(c.red + (1 - c.red) * amount, c.green + (1 - c.green) * amount,
                 c.blue + (1 - c.blue) * amount)


@dataclass(frozen=True)
class Styles:
    accent: Color
    accent_tint: Color
    title: ParagraphStyle
    meta_label: ParagraphStyle
    meta_value: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    exercise_title: ParagraphStyle
    dosage: ParagraphStyle
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
    header_right: ParagraphStyle
    footer: ParagraphStyle


def build_styles(branding: Branding) -> Styles:
    accent = Color(*parse_colour(branding.accent))
    accent_tint = tint(accent, 0.88)
    body = ParagraphStyle("body", fontName=BODY, fontSize=BODY_SIZE, leading=BODY_LEADING,
                          textColor=INK, spaceAfter=2, bulletFontName=BODY,
                          bulletFontSize=BODY_SIZE)
    label = ParagraphStyle("label", parent=body, fontName=BOLD, spaceBefore=4, spaceAfter=1)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=18, bulletIndent=5,
                            bulletFontName=BOLD, spaceAfter=1)
    box_body = ParagraphStyle("box_body", parent=body, spaceAfter=0)
    return Styles(
        accent=accent,
        accent_tint=accent_tint,
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=21, leading=26,
                             textColor=accent, spaceAfter=10),
        meta_label=ParagraphStyle("meta_label", parent=body, fontName=BOLD, textColor=MUTED,
                                  spaceAfter=0),
        meta_value=ParagraphStyle("meta_value", parent=body, spaceAfter=0),
        h1=ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=15, leading=19,
                          textColor=accent, spaceBefore=12, spaceAfter=6, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=label, fontSize=12.5, leading=16, keepWithNext=1),
        exercise_title=ParagraphStyle("exercise_title", parent=body, fontName=BOLD,
                                      fontSize=14.5, leading=18, textColor=accent,
                                      spaceBefore=0, spaceAfter=4, keepWithNext=1),
        dosage=ParagraphStyle("dosage", parent=body, fontName=BOLD, fontSize=12,
                              leading=15, backColor=accent_tint, borderPadding=(4, 6, 4, 6),
                              spaceBefore=3, spaceAfter=8),
        body=body,
        label=label,
        step=ParagraphStyle("step", parent=bullet, leftIndent=20, bulletIndent=2),
        bullet=bullet,
        caution_label=ParagraphStyle("caution_label", parent=label, textColor=CAUTION),
        caution=ParagraphStyle("caution", parent=bullet, bulletColor=CAUTION),
        note=ParagraphStyle("note", parent=body, fontName=ITALIC,
                            backColor=Color(1, 0.965, 0.84),
                            borderPadding=(5, 6, 5, 6), spaceBefore=8, spaceAfter=6),
        glance=ParagraphStyle("glance", parent=bullet, leftIndent=22, bulletIndent=0),
        box_title=ParagraphStyle("box_title", parent=body, fontName=BOLD, fontSize=13,
                                 leading=17, textColor=accent, spaceAfter=0),
        box_body=box_body,
        box_bullet=ParagraphStyle("box_bullet", parent=box_body, leftIndent=16,
                                  bulletIndent=3),
        header_clinic=ParagraphStyle("header_clinic", parent=body, fontName=BOLD,
                                     fontSize=13.5, leading=17, textColor=accent,
                                     spaceAfter=0),
        header_right=ParagraphStyle("header_right", parent=body, fontSize=10, leading=13,
                                    alignment=2, spaceAfter=0),
        footer=ParagraphStyle("footer", parent=body, fontName=ITALIC, fontSize=8.5,
                              leading=10.5, textColor=MUTED, spaceAfter=0),
    )
