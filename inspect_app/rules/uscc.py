"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Layout of the 18 characters::

    9 1 410100 71092546 2 X
    | | |      |        | └ 18: check character over the first 17 (mod 31)
    | | |      |        └── 17: check digit of the organisation code (GB 11714, mod 11)
    | | |      └─────────── 9–16: organisation code body (主体标识码)
    | | └────────────────── 3–8: administrative division of the registering authority (digits)
    | └──────────────────── 2: category (机构类别代码), depends on the authority
    └────────────────────── 1: registration authority (登记管理部门代码)

Every character comes from ``0-9`` and the capital letters without I, O, S, V, Z.
"""

from __future__ import annotations

from inspect_app.errors import UserError
from inspect_app.i18n import Msg

__all__ = [
    "DEMO_ORG_PREFIX",
    "USCC_ALPHABET",
    "USCC_AUTHORITIES",
    "USCC_LENGTH",
    "USCC_WEIGHTS",
    "is_valid_uscc",
    "make_uscc",
    "normalize_uscc",
    "org_code_check_char",
    "uscc_check_char",
    "validate_uscc",
]

USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))

# GB 11714 organisation code: weights for the 8 body characters, letters A=10 ... Z=35.
_ORG_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority -> (Chinese name, {category code: Chinese name}), GB 32100-2015 and its
# amendments (A: 中央军委改革和编制办公室, N: 农业).
USCC_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space


def _invalid(message: Msg, **details: object) -> UserError:
    return UserError(Msg("统一社会信用代码无效：{message}", message=message), code="E_USCC_INVALID", details=dict(details))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for an 8-character organisation code body."""
    if len(body) != 8 or any(c not in USCC_ALPHABET for c in body):
        raise ValueError(f"organisation code body must be 8 characters of the USCC alphabet: {body!r}")
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    if remainder == 10:
        return "X"
    if remainder == 11:
        return "0"
    return str(remainder)


def uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a USCC."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError(f"need 17 characters of the USCC alphabet: {first17!r}")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(code: str) -> str:
    """Return the code with full-width ASCII made half-width, whitespace removed, letters upper-cased."""
    return "".join(code.translate(_FULL_WIDTH).split()).upper()


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise ``UserError`` (``E_USCC_INVALID``) saying what is wrong."""
    normal = normalize_uscc(code)
    if not normal:
        raise _invalid(Msg("未填写"))
    if len(normal) != USCC_LENGTH:
        raise _invalid(Msg("应为18位，实际为{count}位", count=len(normal)), length=len(normal))
    for position, char in enumerate(normal, start=1):
        if char not in USCC_ALPHABET:
            raise _invalid(
                Msg("第{position}位字符“{char}”无效（只能使用数字和除I、O、S、V、Z以外的大写字母）", position=position, char=char),
                position=position,
            )
    authority, category = normal[0], normal[1]
    if authority not in USCC_AUTHORITIES:
        raise _invalid(Msg("第1位登记管理部门代码“{authority}”不存在", authority=authority), position=1)
    authority_name, categories = USCC_AUTHORITIES[authority]
    if category not in categories:
        allowed = "、".join(categories)
        raise _invalid(
            Msg("第2位机构类别代码“{category}”不属于登记管理部门“{authority_name}”（应为{allowed}之一）", category=category, authority_name=authority_name, allowed=allowed),
            position=2,
        )
    division = normal[2:8]
    if not division.isdigit():
        raise _invalid(Msg("第3–8位登记管理机关行政区划码“{division}”应为6位数字", division=division), position=3)
    expected = uscc_check_char(normal[:17])
    if normal[17] != expected:
        raise _invalid(
            Msg("第18位校验码错误：按前17位计算应为“{expected}”，实际为“{value}”（请逐位核对是否抄错）", expected=expected, value=normal[17]),
            position=18,
            expected=expected,
        )
    expected_org = org_code_check_char(normal[8:16])
    if normal[16] != expected_org:
        raise _invalid(
            Msg("第17位组织机构代码校验码错误：按第9–16位计算应为“{expected}”，实际为“{value}”", expected=expected_org, value=normal[16]),
            position=17,
            expected=expected_org,
        )
    return normal


def is_valid_uscc(code: str) -> bool:
    """Return whether ``code`` is a valid USCC (after normalisation)."""
    try:
        validate_uscc(code)
    except UserError:
        return False
    return True


DEMO_ORG_PREFIX = "DM"
_DEMO_SERIAL_LIMIT = 10**6


def make_uscc(division: str, serial: int, *, authority: str = "9", category: str = "1") -> str:
    """Build a valid fictional USCC for demo data and tests.

    The organisation code body is ``DM`` + ``serial`` as 6 digits (0 ≤ serial < 1 000 000); real codes are
    all-digit or start with ``MA``, so the result is unlikely to name a real organisation.
    """
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"division must be 6 digits: {division!r}")
    if not 0 <= serial < _DEMO_SERIAL_LIMIT:
        raise ValueError(f"serial must be in [0, {_DEMO_SERIAL_LIMIT}): {serial}")
    if authority not in USCC_AUTHORITIES or category not in USCC_AUTHORITIES[authority][1]:
        raise ValueError(f"unknown authority/category pair: {authority!r}/{category!r}")
    body = f"{DEMO_ORG_PREFIX}{serial:06d}"
    first17 = f"{authority}{category}{division}{body}{org_code_check_char(body)}"
    return first17 + uscc_check_char(first17)
