"""The adherence log: the handout's last page, a tick box per exercise per day for the
next two weeks and a row to rate the day's pain from 0 to 10."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.flowables import Block
from rxprint.render.story_text import TextPieces
from rxprint.render.styles import INK, table_font

INCH = 72.0
LOG_DAYS = 14  # two weeks from the program's date
GRID = Color(0.45, 0.45, 0.48)


class TickBox(Flowable):
    """An empty square to tick, ``size`` points wide, centred in its cell."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.size

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1.0)
        self.canv.rect((self.width - self.size) / 2, 0, self.size, self.size, stroke=1,
                       fill=0)
        self.canv.restoreState()


class LogPieces(TextPieces):
    """The adherence log (:meth:`log_pages`)."""

    def log_days(self) -> list[dt.date]:
        """The next 14 days from the program's date (fewer at the end of the calendar)."""
        last = dt.date.max - self.program.date
        return [self.program.date + dt.timedelta(days=i)
                for i in range(min(LOG_DAYS, last.days + 1))]

    def log_pages(self, template: str | None = None) -> list[Flowable]:
        """The adherence log on a page (in large print, two: a week each) of its own,
        after everything else: the program's exercises against the next 14 days from its
        date, a tick box for each day, and a row for the day's pain (0 = no pain, 10 =
        the worst). ``template``: the page template it needs (a full-width one, when the
        layout's pages have columns). ``[]`` when the program has no log
        (``program.log``)."""
        if not self.program.log:
            return []
        c, s = self.catalog, self.styles
        days = self.log_days()
        weeks = ([days[:7], days[7:]] if self.program.large_print and len(days) > 7
                 else [days])
        out: list[Flowable] = [NextPageTemplate(template)] if template else []
        for n, part in enumerate(weeks, start=1):
            out.append(PageBreak())
            title = c.t("log.title")
            if len(weeks) > 1:
                title = c.t("log.title_week", title=title, n=n)
            span = c.t("log.from_to", start=c.date(part[0]), end=c.date(part[-1]))
            head: list[Flowable] = [self.para(title, s.h1), self.para(span, s.label)]
            if self.program.phases:  # the log follows the first phase
                head.append(self.para(self.program.phases[0].title, s.label, private=True))
            head.append(self.para(c.t("log.intro"), s.body))
            out.append(Block([*head, Spacer(1, 6), self._log_table(part),
                              Spacer(1, 6), self.para(c.t("log.pain_anchors"), s.body)]))
        return out

    def _log_table(self, days: list[dt.date]) -> Table:
        c, s = self.catalog, self.styles
        large = self.program.large_print
        # the exercises' names: a size under the body's (large print: 13 pt), so that a
        # week of twelve exercises fits a page
        size = max(s.footer.fontSize, s.body.fontSize - (3 if large else 1.5))
        cell = ParagraphStyle("log_cell", parent=s.body, fontSize=size, leading=size * 1.2,
                              spaceAfter=0)
        # the days' heads: "Wed" on one line in a column a fourteenth of the width
        day_size = max(s.footer.fontSize, size - 1)
        centred = ParagraphStyle("log_day", parent=cell, alignment=1, fontSize=day_size,
                                 leading=day_size * 1.2)
        box = (0.3 if large else 0.2) * INCH
        header: list[Flowable | str] = [Paragraph(f"<b>{self.m(c.t('log.exercise'))}</b>",
                                                  cell)]
        header += [Paragraph(f"<b>{self.m(c.weekday(day))}</b><br/>{day.day}", centred)
                   for day in days]
        rows: list[list[Flowable | str]] = [header]
        first = ({ident for ident, _ in self.program.phases[0].doses}
                 if self.program.phases else None)
        for number, item in enumerate(self.program.items, start=1):
            if first is not None and item.exercise.id not in first:
                continue  # not in the first phase, the one the log is for
            label = c.t("handout.exercise_number", number=number)
            rows.append([Paragraph(f"<b>{self.m(label)}</b> {self.m(item.exercise.title)}",
                                   cell), *(TickBox(box) for _ in days)])
        rows.append([Paragraph(f"<b>{self.m(c.t('log.pain'))}</b>", cell),
                     *("" for _ in days)])
        # shares of the frame's width: every day's column as wide as the others
        name_share = 46.0 if large else 31.0
        day_share = f"{(100.0 - name_share) / len(days):.4f}%"
        table = Table(rows, colWidths=[f"{name_share}%", *([day_share] * len(days))],
                      repeatRows=1)
        pad = 3
        table.setStyle(TableStyle([
            table_font(s),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), s.accent_tint),
            ("LEFTPADDING", (0, 0), (0, -1), 4), ("RIGHTPADDING", (0, 0), (0, -1), 4),
            ("LEFTPADDING", (1, 0), (-1, -1), 1), ("RIGHTPADDING", (1, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            # the pain row: room to write a number
            ("TOPPADDING", (0, -1), (-1, -1), 14 if large else 10),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 14 if large else 10),
        ]))
        return table
