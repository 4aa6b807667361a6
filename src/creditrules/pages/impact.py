"""The impact report of ``creditrules diff --format html``: who gains, who loses, by how much, through
which rules. The comparison is :mod:`creditrules.impact`'s; this module only lays it out."""

from __future__ import annotations

from ..impact import AwardKey, Change, Impact
from ..messages import text
from ..render import credits_text
from .html import Markup, el, join, page, t, table


def _signed(centi: int) -> str:
    return ("+" if centi > 0 else "") + credits_text(centi) if centi else "0"


def _delta(centi: int) -> Markup:
    return el("span", _signed(centi), class_="gain" if centi > 0 else "loss" if centi < 0 else None)


def _shift(centi: int, largest: int, lang: str) -> Markup:
    """A bar from the middle: right and green for a gain, left and red for a loss."""
    share = 0.0 if largest == 0 else 50 * abs(centi) / largest
    side = "left:50%" if centi >= 0 else f"left:{50 - share:.1f}%"
    colour = "var(--good)" if centi >= 0 else "var(--bad)"
    return el("div", el("div", style=f"position:absolute;top:0;bottom:0;{side};width:{share:.1f}%;background:{colour}"),
              class_="bar", style="position:relative", role="img",
              aria_label=text("impact_bar", lang, change=_signed(centi)))


def _award(key: AwardKey, lang: str) -> str:
    grade = text("grade", lang, grade=key.grade) if key.grade else ""
    return text("impact_award", lang, rule=key.rule, target=key.target, credits=credits_text(key.credits),
                achievements=", ".join(key.achievements), grade=grade)


def _status(change: Change, lang: str) -> str:
    return text(f"impact_status_{change.status.replace(' ', '_')}", lang)


def impact_page(impact: Impact, lang: str = "en", engine: str = "") -> str:
    """The comparison of ``creditrules diff`` as one HTML page in ``lang``."""
    changes = sorted(impact.changes, key=lambda c: (c.subject.standard, c.subject.as_of, c.subject.learner.id,
                                                    c.subject.source))
    title = text("impact_title", lang, old=impact.old.label, new=impact.new.label)
    gained = sum(c.delta for c in changes if c.delta > 0)
    lost = -sum(c.delta for c in changes if c.delta < 0)

    def card(value: object, label: Markup, cls: str | None = None) -> Markup:
        return el("div", el("span", value, class_=f"big {cls}" if cls else "big"), el("span", label, class_="small"),
                  class_="card")

    same = impact.count("changed") + impact.count("unchanged")
    body: list[object] = [
        el("h1", title),
        el("p", t("impact_lead", lang, count=len(changes), source=impact.learners_from), class_="lead"),
        el("div", card(len(changes), t("impact_card_learners", lang)),
           card(impact.count("gains"), t("impact_card_gain", lang, credits=credits_text(gained)), "gain"),
           card(impact.count("loses"), t("impact_card_lose", lang, credits=credits_text(lost)), "loss"),
           card(same, t("impact_card_same", lang)),
           *([card(impact.count("not compared"), t("impact_card_not_compared", lang))]
             if impact.count("not compared") else []), class_="summary"),
    ]
    largest = max((abs(c.delta) for c in changes), default=0)
    rows = []
    for c in changes:
        rows.append([el("span", c.subject.learner.id, class_="id"), c.subject.standard, c.subject.as_of.isoformat(),
                     credits_text(c.old.total) if c.old.total is not None else "—",
                     credits_text(c.new.total) if c.new.total is not None else "—",
                     _delta(c.delta) if c.compared else "—", _shift(c.delta, largest, lang), _status(c, lang)])
    body += [el("h2", t("impact_learners", lang)),
             table([t("impact_col_learner", lang), t("impact_col_standard", lang), t("report_col_as_of", lang),
                    t("impact_col_before", lang), t("impact_col_after", lang), t("impact_col_change", lang), "",
                    t("impact_col_status", lang)], rows, numeric=(3, 4, 5))]
    if impact.rules:
        body += [el("h2", t("impact_rules", lang)), el("p", t("impact_rules_lead", lang), class_="why"),
                 table([t("report_col_rule", lang), t("impact_col_gaining", lang), t("impact_col_losing", lang),
                        t("impact_col_credits", lang)],
                       [[el("span", e.rule, class_="id"), e.learners_gaining, e.learners_losing, _delta(e.credits)]
                        for e in impact.rules], numeric=(1, 2, 3))]
    details = [c for c in changes if c.status != "unchanged"]
    if details:
        body.append(el("h2", t("impact_details", lang)))
        items = []
        for change in details:
            subject = change.subject
            head = text("impact_detail_head", lang, learner=subject.learner.id, standard=subject.standard,
                        as_of=subject.as_of.isoformat(), source=subject.source)
            lines: list[Markup] = []
            if change.compared:
                lines.append(el("div", t("impact_detail_totals", lang, before=credits_text(change.old.total or 0),
                                         after=credits_text(change.new.total or 0), change=_signed(change.delta),
                                         old=change.old.version or "", new=change.new.version or "")))
            for side, outcome in (("impact_before_error", change.old), ("impact_after_error", change.new)):
                if outcome.error:
                    lines.append(el("div", t(side, lang, error=outcome.error), class_="why"))
            lines += [el("div", el("span", "−", class_="loss"), " ", _award(k, lang)) for k in change.lost]
            lines += [el("div", el("span", "+", class_="gain"), " ", _award(k, lang)) for k in change.gained]
            cls = "ok" if change.delta > 0 else "no" if change.delta < 0 else None
            items.append(el("li", el("strong", head), *lines, class_=cls))
        body.append(el("ul", *items, class_="items"))
    footer = t("impact_footer", lang, engine=engine) if engine else ""
    return page(title, lang, body, footer=join([footer]) if footer else "")


__all__ = ["impact_page"]
