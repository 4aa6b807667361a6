"""The decision letter: one learner's decision as a page they can read, keep and print.

What was credited and why; what was not, and what would qualify; progress toward the diploma;
the standard's version and content hash (so the decision can be reproduced); how to ask for a
review. The words are the text output's (:mod:`creditrules.render`, one zh/en catalogue); this
module only lays them out.
"""

from __future__ import annotations

from ..compiled import CompiledRuleset
from ..decision import Award, Decision
from ..messages import text
from ..render import award_lines, code_name, credits_text, reason_text
from .html import Markup, bar, el, generated_by, page, t, table


def _award_item(award: Award, ruleset: CompiledRuleset | None, lang: str) -> Markup:
    lines = award_lines(award, ruleset, lang)
    what = [line for line in lines if line.startswith("✓")]
    how = [line for line in lines if not line.startswith("✓")]
    return el("li", *(el("div", el("span", "✓", class_="mark-ok", aria_hidden="true"), " ",
                             line.removeprefix("✓").strip()) for line in what),
              *(el("div", line, class_="why") for line in how), class_="ok")


def letter(decision: Decision, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """The decision letter as one self-contained HTML page in ``lang`` (``en`` or ``zh``)."""
    std = decision.standard
    name = (ruleset.name_zh if lang == "zh" else ruleset.name_en) if ruleset else std.id
    title = text("letter_title", lang, learner=decision.learner)
    body: list[object] = [
        el("h1", title),
        el("p", t("letter_lead", lang, name=name, id=std.id, version=std.version, as_of=decision.as_of.isoformat()),
           class_="lead"),
    ]
    cards = [el("div", el("span", credits_text(decision.total_centi), class_="big"),
                el("span", t("letter_card_total", lang), class_="small"), class_="card")]
    if decision.total_cap_centi is not None:
        cards.append(el("div", el("span", credits_text(decision.total_cap_centi), class_="big"),
                        el("span", t("letter_card_cap", lang), class_="small"), class_="card"))
    app = decision.application
    if app is not None:
        cards.append(el("div", el("span", credits_text(app.remaining_centi), class_="big"),
                        el("span", t("letter_card_remaining", lang, required=credits_text(app.total_required_centi)),
                           class_="small"), class_="card"))
    cards.append(el("div", el("span", len(decision.unused) + len(decision.rejected), class_="big"),
                    el("span", t("letter_card_unused", lang), class_="small"), class_="card"))
    body.append(el("div", *cards, class_="summary"))

    if decision.outcomes:
        body += [el("h2", t("letter_outcomes", lang)),
                 el("ul", *(_award_item(a, ruleset, lang) for a in decision.outcomes), class_="items")]
    body.append(el("h2", t("letter_credited", lang, total=credits_text(decision.total_centi))))
    if decision.awards:
        body.append(el("ul", *(_award_item(a, ruleset, lang) for a in decision.awards), class_="items"))
    else:
        body.append(el("p", t("letter_nothing", lang)))

    if app is not None:
        program = app.name_zh if lang == "zh" else app.name_en
        body.append(el("h2", t("letter_progress", lang)))
        body.append(el("p", t("letter_progress_lead", lang, program=program,
                                required=credits_text(app.total_required_centi),
                                credited=credits_text(app.credited_centi),
                                remaining=credits_text(app.remaining_centi))))
        rows = []
        for cat in (*app.categories,):
            cat_name = cat.name_zh if lang == "zh" else cat.name_en
            rows.append([cat_name, credits_text(cat.required_centi), credits_text(cat.credited_centi),
                         credits_text(cat.remaining_centi),
                         bar(cat.credited_centi, cat.required_centi,
                             t("letter_bar", lang, credited=credits_text(cat.credited_centi),
                               required=credits_text(cat.required_centi)))])
        rows.append([el("strong", t("letter_total", lang)), credits_text(app.total_required_centi),
                     credits_text(app.credited_centi), credits_text(app.remaining_centi),
                     bar(app.credited_centi, app.total_required_centi,
                         t("letter_bar", lang, credited=credits_text(app.credited_centi),
                           required=credits_text(app.total_required_centi)))])
        body.append(table([t("letter_col_category", lang), t("letter_col_required", lang),
                           t("letter_col_credited", lang), t("letter_col_remaining", lang),
                           t("letter_col_progress", lang)], rows, numeric=(1, 2, 3)))
        if app.courses_remaining:
            courses = ruleset.program.courses if ruleset and ruleset.program else {}
            shown = [f"{c} {(courses[c].name_zh if lang == 'zh' else courses[c].name_en)}" if c in courses else c
                     for c in app.courses_remaining]
            listed = ("、" if lang == "zh" else ", ").join(shown)
            body.append(el("p", t("letter_courses_remaining", lang, courses=listed), class_="why"))

    if decision.unused or decision.rejected:
        body.append(el("h2", t("letter_not_credited", lang)))
        body.append(el("p", t("letter_not_credited_lead", lang), class_="why"))
        items = []
        for unused in decision.unused:
            code = unused.code or ""
            named = code_name(code, ruleset, lang)
            label = unused.achievement + ((f" ({code})" if named == code else f" ({code} {named})") if code else "")
            items.append(el("li", el("div", el("span", "✗", class_="mark-no", aria_hidden="true"), " ",
                                     el("strong", label)),
                            el("div", reason_text(unused, ruleset, lang), class_="why"), class_="no"))
        for rejection in decision.rejected:
            reason = rejection.reason_zh if lang == "zh" and rejection.reason_zh else rejection.reason
            items.append(el("li", el("div", el("span", "✗", class_="mark-no", aria_hidden="true"), " ",
                                     el("strong", rejection.achievement), " ", t("letter_rejected", lang)),
                            el("div", reason, class_="why"), class_="no"))
        body.append(el("ul", *items, class_="items"))

    body.append(el("h2", t("letter_basis", lang)))
    until = std.effective_until.isoformat() if std.effective_until else t("letter_open_ended", lang)
    body.append(el("p", t("letter_basis_lead", lang, id=std.id, version=std.version,
                          start=std.effective_from.isoformat(), until=until)))
    body.append(table([t("letter_col_standard", lang), t("letter_col_version", lang), t("letter_col_hash", lang)],
                      [[el("span", i, class_="id"), v, el("code", h)] for i, v, h in std.chain]))
    body.append(el("h2", t("letter_appeal", lang)))
    body.append(el("div", el("p", t("letter_appeal_how", lang)),
                   el("p", t("letter_appeal_quote", lang, learner=decision.learner, id=std.id, version=std.version,
                             hash=std.content_hash, as_of=decision.as_of.isoformat())),
                   el("p", t("letter_appeal_reproduce", lang)), class_="box"))
    return page(title, lang, body, footer=generated_by(lang, decision.engine_version))


__all__ = ["letter"]
