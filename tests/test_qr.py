"""The signed QR payload: round trip, size, tampering, malformed input."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from inspect_app.errors import UserError
from inspect_app.reports.qr import (
    QrFields,
    evidence_digest,
    key_fingerprint,
    make_qr_payload,
    parse_qr_payload,
    verify_qr_payload,
)


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _fields(key: ec.EllipticCurvePrivateKey) -> QrFields:
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(24)]
    return QrFields(
        opinion_id="3f2b6a4e-8c1d-4e7a-9b0f-1a2b3c4d5e6f",
        document_number="郑淘汰落后验〔2021〕3号",
        uscc="91410100MA44X7R2B3",
        conclusion="pass",
        issue_date=dt.date(2021, 10, 28),
        evidence_digest=evidence_digest(hashes),
        key_fingerprint=key_fingerprint(key.public_key()),
    )


def test_round_trip(key: ec.EllipticCurvePrivateKey) -> None:
    fields = _fields(key)
    payload = make_qr_payload(fields, key)
    assert payload.startswith("IAO1|")
    assert verify_qr_payload(payload, key.public_key()) == fields
    assert parse_qr_payload(payload).fields == fields


def test_payload_fits_small_qr(key: ec.EllipticCurvePrivateKey) -> None:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(make_qr_payload(_fields(key), key).encode("utf-8"))
    code.make(fit=True)
    assert code.version <= 15


def test_evidence_digest_is_order_independent() -> None:
    a, b = "a" * 64, "b" * 64
    assert evidence_digest([a, b]) == evidence_digest([b, a])
    assert evidence_digest([a, b]) == hashlib.sha256(f"{a}\n{b}".encode()).hexdigest()
    assert evidence_digest([a]) != evidence_digest([a, b])


@pytest.mark.parametrize(
    "index, new", [(1, "00000000-0000-0000-0000-000000000000"), (3, "91410100MA44X7R2B4"), (4, "fail")]
)
def test_changed_field_fails(key: ec.EllipticCurvePrivateKey, index: int, new: str) -> None:
    parts = make_qr_payload(_fields(key), key).split("|")
    parts[index] = new
    with pytest.raises(UserError) as err:
        verify_qr_payload("|".join(parts), key.public_key())
    assert err.value.code == "E_QR_SIGNATURE"


def test_other_key_fails(key: ec.EllipticCurvePrivateKey) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    payload = make_qr_payload(_fields(key), key)
    with pytest.raises(UserError) as err:
        verify_qr_payload(payload, other.public_key())
    assert err.value.code == "E_QR_SIGNATURE"


def test_forged_signature_with_right_fingerprint_fails(key: ec.EllipticCurvePrivateKey) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    forged = make_qr_payload(_fields(key), other)  # claims key's fingerprint, signed by another key
    with pytest.raises(UserError) as err:
        verify_qr_payload(forged, key.public_key())
    assert err.value.code == "E_QR_SIGNATURE"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "IAO2|a|b|c|pass|20211028|" + "0" * 64 + "|" + "0" * 16 + "|" + "A" * 86,
        "IAO1|a|b|c|pass|2021-10-28|x|y|z",
    ],
)
def test_malformed_payload(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_qr_payload(text)
    assert err.value.code == "E_QR_INVALID"


def test_separator_in_field_refused(key: ec.EllipticCurvePrivateKey) -> None:
    fields = _fields(key)
    bad = QrFields(**{**{f: getattr(fields, f) for f in fields.__slots__}, "document_number": "a|b"})  # type: ignore[attr-defined]
    with pytest.raises(UserError):
        make_qr_payload(bad, key)
