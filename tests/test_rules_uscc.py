"""Unified social credit code: check characters, structure, normalisation, demo codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_app.errors import UserError
from inspect_app.rules import (
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    is_valid_uscc,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

# Published codes of real companies (Huawei's is on its Wikipedia page); each passes both checks,
# which a made-up code does with probability 1/341.
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91440300192317458F",  # 比亚迪股份有限公司
    "91100000100003962T",  # 中国工商银行股份有限公司 (central registration, division 100000)
    "91110000710925462X",  # 中国石油化工股份有限公司 (organisation check digit X)
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("91440300192203821", "6"),
        ("91110000710925462", "X"),
        ("91100000100003962", "T"),
        ("91110000100000589", "A"),  # the commonly quoted "…589B" is wrong: the check character is A
    ],
)
def test_check_char(first17: str, expected: str) -> None:
    assert uscc_check_char(first17) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [("19220382", "1"), ("71092546", "2"), ("10000396", "2"), ("80210043", "3")],
)
def test_org_code_check_char(body: str, expected: str) -> None:
    assert org_code_check_char(body) == expected


@pytest.mark.parametrize(
    "bad", ["9144030019220382", "914403001922038216", "9144030019220382I", "914403001922038 1"]
)
def test_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        uscc_check_char(bad)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        (" 914403001922038216 ", "914403001922038216"),
        ("9144 0300 1922 0382 16", "914403001922038216"),
        ("91440300708461136t", "91440300708461136T"),
        ("９１４４０３００７０８４６１１３６Ｔ", "91440300708461136T"),
        ("\u3000914403001922038216\u3000", "914403001922038216"),
    ],
)
def test_normalisation(raw: str, normalised: str) -> None:
    assert validate_uscc(raw) == normalised


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "未填写"),
        ("   ", "未填写"),
        ("91440300192203821", "应为18位，实际为17位"),
        ("9144030019220382166", "应为18位，实际为19位"),
        ("91440300I92203821X", "第9位字符“I”无效"),
        ("914403001922038O16", "第16位字符“O”无效"),
        ("91440300192203821-", "第18位字符“-”无效"),
        ("B14403001922038216", "第1位登记管理部门代码“B”不存在"),
        ("95440300192203821X", "第2位机构类别代码“5”不属于登记管理部门"),
        ("9144A300192203821X", "第3–8位登记管理机关行政区划码“44A300”应为6位数字"),
        ("914403001922038217", "第18位校验码错误：按前17位计算应为“6”，实际为“7”"),
        ("91110000100000589B", "应为“A”，实际为“B”"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        validate_uscc(code)
    assert caught.value.code == "E_USCC_INVALID"
    assert fragment in caught.value.message
    assert not is_valid_uscc(code)


def test_wrong_org_check_digit_with_consistent_uscc_check_is_refused() -> None:
    first17 = "9144030019220382" + "2"  # organisation check digit should be 1
    code = first17 + uscc_check_char(first17)
    with pytest.raises(UserError) as caught:
        validate_uscc(code)
    assert "第17位组织机构代码校验码错误" in caught.value.message
    assert caught.value.details["expected"] == "1"


@pytest.mark.parametrize(
    ("authority", "category"),
    [(a, c) for a, (_, categories) in USCC_AUTHORITIES.items() for c in categories],
)
def test_make_uscc_every_authority_category(authority: str, category: str) -> None:
    code = make_uscc("410100", 42, authority=authority, category=category)
    assert code[:2] == authority + category
    assert code[2:8] == "410100"
    assert code[8:16] == "DM000042"
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("division", "serial", "authority", "category"),
    [
        ("41010", 1, "9", "1"),
        ("4101A0", 1, "9", "1"),
        ("410100", -1, "9", "1"),
        ("410100", 1_000_000, "9", "1"),
        ("410100", 1, "B", "1"),
        ("410100", 1, "9", "9"),
    ],
)
def test_make_uscc_refuses_bad_arguments(division: str, serial: int, authority: str, category: str) -> None:
    with pytest.raises(ValueError):
        make_uscc(division, serial, authority=authority, category=category)


_pairs = [(a, c) for a, (_, categories) in USCC_AUTHORITIES.items() for c in categories]


@given(
    division=st.text(alphabet="0123456789", min_size=6, max_size=6),
    serial=st.integers(min_value=0, max_value=999_999),
    pair=st.sampled_from(_pairs),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(USCC_ALPHABET),
)
def test_every_made_code_validates_and_any_single_change_is_caught(
    division: str, serial: int, pair: tuple[str, str], position: int, replacement: str
) -> None:
    code = make_uscc(division, serial, authority=pair[0], category=pair[1])
    assert validate_uscc(code) == code
    if code[position] == replacement:
        return
    altered = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(altered)


@given(code=st.text(alphabet=USCC_ALPHABET, min_size=18, max_size=18))
def test_random_codes_valid_only_when_both_checks_hold(code: str) -> None:
    both_checks = uscc_check_char(code[:17]) == code[17] and org_code_check_char(code[8:16]) == code[16]
    if not both_checks:
        assert not is_valid_uscc(code)
