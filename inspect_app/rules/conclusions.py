"""The conclusion of a written acceptance opinion (验收结论): pass, fail, or rectify and inspect again.

Source: the 2021 plan, 二（二）6 — the acceptance group gives a written opinion; capacity that has not exited as
required is not accepted. The codes are stored in the database, signed into the QR payload and written into the
PDF's metadata; the Chinese labels are printed in the opinion.
"""

from __future__ import annotations

from enum import StrEnum

from inspect_app.errors import UserError
from inspect_app.i18n import Msg

__all__ = ["CONCLUSION_LABELS", "Conclusion", "parse_conclusion"]


class Conclusion(StrEnum):
    """What the acceptance group concludes."""

    PASS = "pass"
    FAIL = "fail"
    RECHECK = "recheck"

    @property
    def label(self) -> str:
        """The Chinese label printed in the opinion (通过 / 不予通过 / 限期整改后复验)."""
        return CONCLUSION_LABELS[self]


CONCLUSION_LABELS: dict[Conclusion, str] = {
    Conclusion.PASS: "通过",
    Conclusion.FAIL: "不予通过",
    Conclusion.RECHECK: "限期整改后复验",
}


def parse_conclusion(text: str | Conclusion) -> Conclusion:
    """Return the conclusion named by its code (any case) or its Chinese label; refuse anything else."""
    if isinstance(text, Conclusion):
        return text
    key = str(text).strip()
    try:
        return Conclusion(key.lower())
    except ValueError:
        pass
    for conclusion, label in CONCLUSION_LABELS.items():
        if key == label:
            return conclusion
    raise UserError(Msg("验收结论应为 pass（通过）、fail（不予通过）或 recheck（限期整改后复验）：{conclusion}",
                        conclusion=key), code="E_CONCLUSION_INVALID")
