"""The unfinished opinion of an inspection, kept on this laptop until it is issued: nothing drawn or typed is lost.

Handwritten signatures are drawn on the laptop by people who stand beside the inspector once; closing the window
(or a crash, or a flat battery) must not make them sign again. The draft lives in the data folder beside the
database (``drafts/opinion-<inspection id>.json``), written atomically and readable by the owner only; it is
not a synced record — it belongs to this device until the opinion is issued, and then it is discarded.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_app.errors import UserError
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.models.store import Store

DRAFT_VERSION = 1
_SAFE_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")


@dataclass(frozen=True)
class DraftSignature:
    """A signature drawn on the pad: who, the raw strokes and the rendered PNG."""

    signer: str
    strokes: list[Any]
    png: bytes


@dataclass(frozen=True)
class DraftMember:
    """A team member's signature, keyed by who the member is (the team may change between sessions)."""

    member: dict[str, str]
    signature: DraftSignature


@dataclass(frozen=True)
class DraftUnsigned:
    """A team member marked 未签 (did not sign by hand), keyed by who the member is, with why."""

    member: dict[str, str]
    reason: str


@dataclass(frozen=True)
class OpinionDraft:
    """What the opinion page holds before issuing."""

    inspection_id: str
    conclusion: str = ""
    body: str = ""
    body_edited: bool = False
    acknowledgement: str = ""
    representative_name: str = ""
    representative_title: str = ""
    team_signatures: list[DraftMember] = field(default_factory=list)
    representative_signature: DraftSignature | None = None
    reasons: str = ""
    """A fail's or recheck's reasons as typed (one a line)."""
    recheck_by: str = ""
    """The recheck deadline (ISO date) as chosen."""
    dismantle_by: str = ""
    """The dismantling deadline of sealed equipment (限时拆除, ISO date) as chosen."""
    unsigned: list[DraftUnsigned] = field(default_factory=list)
    representative_agrees: bool = False
    representative_opinion: str = ""
    representative_unsigned: bool = False
    representative_unsigned_reason: str = ""

    def is_empty(self) -> bool:
        """Return whether the draft holds nothing the user made (then there is nothing to keep)."""
        return not (self.body_edited or self.acknowledgement or self.representative_name or self.team_signatures
                    or self.representative_signature is not None or self.conclusion or self.reasons
                    or self.recheck_by or self.dismantle_by or self.unsigned or self.representative_agrees
                    or self.representative_opinion or self.representative_unsigned
                    or self.representative_unsigned_reason)


def drafts_root(store: Store) -> Path:
    return store.data_dir / "drafts"


def _draft_path(store: Store, inspection_id: str) -> Path:
    if not _SAFE_ID.match(inspection_id):
        raise UserError(Msg("核查编号无效：{inspection_id}", inspection_id=inspection_id), code="E_INSPECTION_NOT_FOUND")
    return drafts_root(store) / f"opinion-{inspection_id}.json"


def _signature_json(signature: DraftSignature) -> dict[str, Any]:
    return {"signer": signature.signer, "strokes": signature.strokes,
            "png": base64.b64encode(signature.png).decode("ascii")}


def _signature(data: Any) -> DraftSignature | None:
    if not isinstance(data, dict):
        return None
    try:
        png = base64.b64decode(str(data.get("png", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    strokes = data.get("strokes")
    if not png or not isinstance(strokes, list):
        return None
    return DraftSignature(str(data.get("signer", "")), strokes, png)


def save_opinion_draft(store: Store, draft: OpinionDraft) -> None:
    """Keep ``draft`` (replacing the previous one); an empty draft removes the file."""
    path = _draft_path(store, draft.inspection_id)
    if draft.is_empty():
        discard_opinion_draft(store, draft.inspection_id)
        return
    payload = {
        "version": DRAFT_VERSION, "inspection_id": draft.inspection_id, "conclusion": draft.conclusion,
        "body": draft.body, "body_edited": draft.body_edited, "acknowledgement": draft.acknowledgement,
        "representative": {"name": draft.representative_name, "title": draft.representative_title},
        "team_signatures": [{"member": m.member, "signature": _signature_json(m.signature)}
                            for m in draft.team_signatures],
        "representative_signature": (_signature_json(draft.representative_signature)
                                     if draft.representative_signature is not None else None),
        "signoff": {"reasons": draft.reasons, "recheck_by": draft.recheck_by, "dismantle_by": draft.dismantle_by,
                    "unsigned": [{"member": u.member, "reason": u.reason} for u in draft.unsigned],
                    "representative_agrees": draft.representative_agrees,
                    "representative_opinion": draft.representative_opinion,
                    "representative_unsigned": draft.representative_unsigned,
                    "representative_unsigned_reason": draft.representative_unsigned_reason},
    }
    write_atomic(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"), private=True)


def load_opinion_draft(store: Store, inspection_id: str) -> OpinionDraft | None:
    """Return the kept draft of the inspection's opinion, or None (none kept, or unreadable: then it is set aside)."""
    path = _draft_path(store, inspection_id)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("inspection_id") != inspection_id:
            raise ValueError("not a draft of this inspection")
    except (ValueError, UnicodeDecodeError):
        # Keep the unreadable file for a look, out of the way of the next save.
        with contextlib.suppress(OSError):
            path.replace(path.with_suffix(".unreadable"))
        return None
    rep_raw = data.get("representative")
    rep: dict[str, Any] = rep_raw if isinstance(rep_raw, dict) else {}
    members: list[DraftMember] = []
    for entry in data.get("team_signatures") or []:
        if isinstance(entry, dict) and isinstance(entry.get("member"), dict):
            signature = _signature(entry.get("signature"))
            if signature is not None:
                members.append(DraftMember({str(k): str(v) for k, v in entry["member"].items()}, signature))
    signoff_raw = data.get("signoff")
    signoff: dict[str, Any] = signoff_raw if isinstance(signoff_raw, dict) else {}  # absent in older drafts
    unsigned = [DraftUnsigned({str(k): str(v) for k, v in entry["member"].items()}, str(entry.get("reason") or ""))
                for entry in signoff.get("unsigned") or []
                if isinstance(entry, dict) and isinstance(entry.get("member"), dict)]
    return OpinionDraft(
        inspection_id=inspection_id, conclusion=str(data.get("conclusion") or ""), body=str(data.get("body") or ""),
        body_edited=bool(data.get("body_edited")), acknowledgement=str(data.get("acknowledgement") or ""),
        representative_name=str(rep.get("name") or ""), representative_title=str(rep.get("title") or ""),
        team_signatures=members, representative_signature=_signature(data.get("representative_signature")),
        reasons=str(signoff.get("reasons") or ""), recheck_by=_iso_day(signoff.get("recheck_by")),
        dismantle_by=_iso_day(signoff.get("dismantle_by")), unsigned=unsigned,
        representative_agrees=bool(signoff.get("representative_agrees")),
        representative_opinion=str(signoff.get("representative_opinion") or ""),
        representative_unsigned=bool(signoff.get("representative_unsigned")),
        representative_unsigned_reason=str(signoff.get("representative_unsigned_reason") or ""),
    )


def _iso_day(value: Any) -> str:
    """An ISO date kept in a draft, or "" when absent or not a date (a hand-edited file)."""
    try:
        return dt.date.fromisoformat(str(value)).isoformat() if value else ""
    except ValueError:
        return ""


def discard_opinion_draft(store: Store, inspection_id: str) -> None:
    """Remove the kept draft (after the opinion was issued)."""
    with contextlib.suppress(FileNotFoundError):
        _draft_path(store, inspection_id).unlink()


__all__ = ["DraftMember", "DraftSignature", "DraftUnsigned", "OpinionDraft", "discard_opinion_draft", "drafts_root",
           "load_opinion_draft", "save_opinion_draft"]
