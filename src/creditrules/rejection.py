"""A record that could not be used, and why: the one shape shared by the learner reader and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from .decision_format import RejectedJSON


@dataclass(frozen=True, slots=True)
class Rejection:
    """An achievement that could not be used, and why: a stable ``reason_code`` (like a
    diagnostic's code, for systems) and the reason in English and Chinese (for people).
    Without a Chinese reason, ``reason_zh`` is the English one."""

    achievement: str
    code: str | None
    reason: str
    reason_zh: str = ""
    reason_code: str = ""

    def __post_init__(self) -> None:
        if not self.reason_zh:
            object.__setattr__(self, "reason_zh", self.reason)

    def to_dict(self) -> RejectedJSON:
        return {"achievement": self.achievement, "code": self.code, "reason_code": self.reason_code,
                "reason": self.reason, "reason_zh": self.reason_zh}
