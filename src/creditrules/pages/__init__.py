"""Pages people read: self-contained HTML (inline CSS and SVG, no script, nothing fetched), printable.

    letter   the decision letter for a learner        (``creditrules evaluate --format html``)
    report   the standard report for reviewers        (``creditrules report``)
    impact   who gains and who loses from a change    (``creditrules diff --format html``)
    svg      the rule graph of one version, drawn      (``creditrules graph --format svg``)
    html     escaping, elements and the one style sheet every page uses

Every word comes from the zh/en catalogue (:mod:`creditrules.messages`); every value is escaped.
The library writes no file: each function returns the page as text.
"""

from __future__ import annotations

from .impact import impact_page
from .letter import letter
from .report import report

__all__ = ["impact_page", "letter", "report"]
