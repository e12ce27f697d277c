"""The opinion draft kept on this laptop: the sign-off (reasons, deadlines, 未签 reasons, the representative's
agreement) round-trips through the file on disk; a draft written before the sign-off was kept still loads."""

from __future__ import annotations

import json

from inspect_app.models.store import Store
from inspect_app.services.opinion_drafts import (
    DraftUnsigned,
    OpinionDraft,
    drafts_root,
    load_opinion_draft,
    save_opinion_draft,
)

MEMBER = {"name": "王建国", "organisation": "郑州市工业和信息化局", "title": "科长"}


def test_the_sign_off_round_trips_through_the_file(store: Store) -> None:
    draft = OpinionDraft(inspection_id="insp-1", conclusion="recheck", reasons="封条未加盖公章\n动力装置未拆除",
                         recheck_by="2026-12-30", dismantle_by="2027-04-30",
                         unsigned=[DraftUnsigned(MEMBER, "在外地出差")], representative_agrees=True,
                         representative_opinion="")
    save_opinion_draft(store, draft)
    raw = json.loads((drafts_root(store) / "opinion-insp-1.json").read_text(encoding="utf-8"))
    assert raw["signoff"]["dismantle_by"] == "2027-04-30" and raw["signoff"]["unsigned"][0]["reason"] == "在外地出差"
    assert load_opinion_draft(store, "insp-1") == draft


def test_only_a_sign_off_is_still_a_draft_and_bad_dates_are_dropped(store: Store) -> None:
    only = OpinionDraft(inspection_id="insp-2", dismantle_by="2027-01-31")
    assert not only.is_empty()
    save_opinion_draft(store, only)
    path = drafts_root(store) / "opinion-insp-2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["signoff"]["recheck_by"] = "31/12/2026"  # a hand-edited file
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    kept = load_opinion_draft(store, "insp-2")
    assert kept is not None and kept.dismantle_by == "2027-01-31" and kept.recheck_by == ""


def test_a_draft_from_before_the_sign_off_was_kept_still_loads(store: Store) -> None:
    path = drafts_root(store) / "opinion-insp-3.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "inspection_id": "insp-3", "conclusion": "pass", "body": "",
                                "body_edited": False, "acknowledgement": "已核对",
                                "representative": {"name": "赵经理", "title": ""}, "team_signatures": [],
                                "representative_signature": None}, ensure_ascii=False), encoding="utf-8")
    kept = load_opinion_draft(store, "insp-3")
    assert kept is not None and kept.acknowledgement == "已核对" and kept.unsigned == [] and not kept.reasons
