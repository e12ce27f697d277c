"""The core's messages follow the user's language: every message has English, errors keep their codes."""

from __future__ import annotations

import ast
import importlib.util
import json
import pickle
import sys
from pathlib import Path
from types import ModuleType

import pytest

from inspect_app import i18n, rules
from inspect_app.cli import main
from inspect_app.errors import NotFound, RuleViolation, UserError
from inspect_app.i18n import Label, Msg, join

ROOT = Path(__file__).resolve().parent.parent


def messages_tool() -> ModuleType:
    """``resources/i18n/messages.py``: the extractor and checker of the core's catalogue."""
    spec = importlib.util.spec_from_file_location("i18n_messages", ROOT / "resources" / "i18n" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_messages"] = module
    spec.loader.exec_module(module)
    return module


def test_every_core_message_has_english() -> None:
    tool = messages_tool()
    extraction = tool.extract()
    assert len(extraction.messages) > 200  # the extractor still finds the messages of the core
    assert len(extraction.labels) > 30
    wrong = tool.check(extraction, tool.load())
    assert not wrong, ("messages without proper English — add them to resources/i18n/messages_en.json "
                       "(python resources/i18n/messages.py --add lists and adds them):\n" + "\n".join(wrong))


def test_catalogue_has_no_entry_the_code_no_longer_uses() -> None:
    tool = messages_tool()
    stale = tool.unused(tool.extract(), tool.load())
    assert not stale, "drop with python resources/i18n/messages.py --prune:\n" + "\n".join(stale)


def test_the_checker_finds_a_message_without_english(tmp_path: Path) -> None:
    tool = messages_tool()
    package = tmp_path / "inspect_app"
    package.mkdir()
    (package / "mod.py").write_text('from inspect_app.i18n import Msg\nX = Msg("没有英文的消息：{n}", n=1)\n'
                                    'Y = Msg("占位符不符：{a}", b=2)\n', encoding="utf-8")
    extraction = tool.extract(package)
    wrong = tool.check(extraction, {"占位符不符：{a}": "Mismatch: {a}"})
    assert any("no English for '没有英文的消息：{n}'" in line for line in wrong)
    assert any("placeholders ['a'] but values ['b']" in line for line in wrong)


def test_plain_text_is_only_for_the_window() -> None:
    """``Plain`` (text the UI already translated) would bypass the catalogue anywhere else."""
    offenders = []
    for path in (ROOT / "inspect_app").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("inspect_app/ui/") or rel == "inspect_app/i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "Plain":
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders


def test_message_renders_in_the_current_language() -> None:
    message = Msg("找不到企业：{key}", key="登封")
    assert str(message) == "找不到企业：登封"
    i18n.set_language("en")
    assert str(message) == "Enterprise not found: 登封"
    assert message.zh == "找不到企业：登封"  # what the printed opinion and stored records carry
    assert message.render("zh_CN") == "找不到企业：登封"


def test_values_render_in_the_same_language() -> None:
    nested = Msg("设备状态不能从“{old}”改为“{new}”", old=Label("整改中"), new=Label("已验收"))
    listed = Msg("不能出具验收意见，原因如下：\n  - {lines}", lines=join("\n  - ", [nested, Msg("该认定已办结")]))
    assert listed.render("en") == ("The opinion cannot be issued yet:\n  - The equipment status cannot change from "
                                   "“Rectifying” to “Accepted”\n  - The finding is resolved already")
    assert "整改中" in listed.zh


def test_a_message_survives_json_and_pickle() -> None:
    message = Msg("{stage}照片中已有这张照片", stage=Msg("拆除前"))
    stored = json.loads(json.dumps(message.to_json(), ensure_ascii=False))
    assert Msg.from_json(stored).render("en") == "This photo is already among the Before dismantling photos"
    assert pickle.loads(pickle.dumps(message)).render("en") == message.render("en")


def test_error_keeps_its_code_and_speaks_the_language() -> None:
    error = NotFound(Msg("找不到企业：{key}", key="X"), code="E_ENTERPRISE_NOT_FOUND", details={"key": "X"})
    assert error.message == "找不到企业：X"
    i18n.set_language("en")
    assert error.message == "Enterprise not found: X"
    assert error.as_dict() == {"code": "E_ENTERPRISE_NOT_FOUND", "message": "Enterprise not found: X",
                               "details": {"key": "X"}}
    again = pickle.loads(pickle.dumps(error))  # errors cross process boundaries (the photo workers)
    assert (type(again), again.code, again.details, again.message) == (NotFound, error.code, error.details,
                                                                       error.message)


def test_rule_errors_and_labels_follow_the_language() -> None:
    i18n.set_language("en")
    with pytest.raises(RuleViolation) as caught:
        rules.check_equipment_move("accepted", "rectifying")
    assert caught.value.code == "E_STATUS_MOVE"
    assert caught.value.message == "The equipment status cannot change from “Accepted” to “Rectifying”; “Accepted” is final and cannot change"
    assert i18n.translate(rules.Conclusion.RECHECK.label) == "Rectify, then re-inspect"
    with pytest.raises(UserError) as bad:
        rules.parse_conclusion("maybe")
    assert (bad.value.code, bad.value.message) == (
        "E_CONCLUSION_INVALID", "The conclusion must be pass, fail or recheck (rectify, then re-inspect): maybe")


@pytest.mark.parametrize(("environ", "expected"), [
    ({"INSPECT_APP_LANG": "en"}, "en"),
    ({"INSPECT_APP_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LANG": "C.UTF-8"}, "zh_CN"),
    ({}, "zh_CN"),
])
def test_command_line_language_from_environment(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from_environment(environ) == expected


def test_command_line_error_in_english_keeps_its_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INSPECT_APP_LANG", "en")
    assert main(["--data-dir", str(tmp_path), "enterprise", "show", "no-such-enterprise"]) == 1
    assert capsys.readouterr().err.strip() == "E_ENTERPRISE_NOT_FOUND: Enterprise not found: no-such-enterprise"
    assert main(["--data-dir", str(tmp_path), "--json", "enterprise", "show", "no-such-enterprise"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "E_ENTERPRISE_NOT_FOUND"
    assert error["message"] == "Enterprise not found: no-such-enterprise"
    monkeypatch.setenv("INSPECT_APP_LANG", "zh_CN")
    assert main(["--data-dir", str(tmp_path), "enterprise", "show", "no-such-enterprise"]) == 1
    assert capsys.readouterr().err.strip() == "E_ENTERPRISE_NOT_FOUND: 找不到企业：no-such-enterprise"
