"""The library catalog: every exercise with its picture, id, title and default dosage, in
a grid grouped by category, for clinics to review (``rxprint catalog``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from reportlab.platypus import Flowable, KeepTogether, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.language.messages import Catalog, catalog
from rxprint.library.branding import DEFAULT_BRANDING, Branding
from rxprint.library.fonts import FontFamily
from rxprint.library.model import CATEGORIES, Exercise, Item, Program
from rxprint.render.document import branded_page_info, build_pdf, page_decorator, page_setup
from rxprint.render.handout import RenderResult
from rxprint.render.story import StoryBuilder
from rxprint.render.styles import MUTED, Styles, build_styles, table_font

COLUMNS = 2
GUTTER = 14.0
PICTURE_H = 1.75 * 72


def render_catalog(exercises: Sequence[Exercise], *, date: dt.date, paper: str = "letter",
                   branding: Branding = DEFAULT_BRANDING, font: FontFamily | None = None,
                   messages: Catalog | None = None,
                   origins: Mapping[str, str] | None = None) -> RenderResult:
    """A PDF of ``exercises`` (in category order, then by id). ``origins``: the plugin
    each exercise came from, printed under it when it is not a built-in one."""
    c = messages or catalog("en")
    page, family = page_setup(paper, font)
    styles = build_styles(branding, family, body_size=10, leading=12.5)
    builder = StoryBuilder(Program(date=date, items=()), c, styles)
    width = page.body[2]
    cell_w = (width - GUTTER * (COLUMNS - 1)) / COLUMNS
    ordered = sorted(exercises, key=lambda e: (CATEGORIES.index(e.category), e.id))
    story: list[Flowable] = [
        builder.para(c.t("catalog.title"), styles.title),
        builder.para(f"{c.n('catalog.count', len(ordered))}. {c.t('catalog.intro')}",
                     styles.body),
        Spacer(1, 6),
    ]
    muted = styles.body.clone("catalog_muted", textColor=MUTED, fontSize=9, leading=11)
    for category in CATEGORIES:
        group = [e for e in ordered if e.category == category]
        if not group:
            continue
        cells: list[list[Flowable]] = []
        for e in group:
            cell: list[Flowable] = builder.pictures(Item(e, e.dosage), cell_w, PICTURE_H)
            if not cell:
                cell = [builder.para(c.t("catalog.no_picture"), muted)]
            cell += [
                builder.para(e.title, styles.label),
                Paragraph(f"{builder.m(c.t('catalog.id'))}: <b>{builder.m(e.id)}</b>", muted),
                Paragraph(f"{builder.m(c.t('catalog.default_dosage'))}: "
                          f"{builder.m(c.dosage(e.dosage))}", styles.body),
            ]
            origin = (origins or {}).get(e.id)
            if origin:
                cell.append(builder.para(c.t("catalog.from_plugin", plugin=origin), muted))
            cells.append(cell)
        rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
        tables = [_row_table(row, cell_w, styles) for row in rows]  # rows stay whole
        heading = builder.para(c.t(f"categories.{category}"), styles.h1)
        story += [KeepTogether([heading, tables[0]]), *tables[1:]]
    info = branded_page_info(branding, c, date=date, clinic_default=c.t("catalog.title"),
                             disclaimer=c.n("catalog.count", len(ordered)))
    templates = [PageTemplate(id="page", frames=[page.frame()],
                              onPage=page_decorator(info, styles, page))]
    pdf, pages = build_pdf(story, templates, page=page, info=info, family=family,
                           page_label=styles.page_label,
                           title=c.t("catalog.document_title"), doc_date=date)
    return RenderResult(pdf=pdf, pages=pages, missing_glyphs=builder.glyphs.missing,
                        fallback_glyphs=builder.glyphs.fallback)


def _row_table(row: list[list[Flowable]], cell_w: float, styles: Styles) -> Table:
    cells = row + [[]] * (COLUMNS - len(row))
    table = Table([cells], colWidths=[cell_w + (GUTTER if i else 0) for i in range(COLUMNS)],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        table_font(styles),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (-1, -1), GUTTER),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, MUTED),
    ]))
    return table
