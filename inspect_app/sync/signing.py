"""The detached signature of a bundle's manifest: ECDSA P-256 over SHA-256, with the signer's certificates.

``manifest.sig`` is JSON::

    {"algorithm": "ecdsa-p256-sha256", "signature": "<base64 DER>", "certificates": ["<PEM>", ...]}

The first certificate is the signer's (its key made the signature); the rest is its chain (the office CA).
Checking the signature only proves that the holder of that certificate's key signed these manifest bytes;
whether that certificate is one the receiver trusts is the device registry's question (``sync.devices``).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspect_app.crypto.identity import DEVICE_URN, Identity
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

ALGORITHM = "ecdsa-p256-sha256"


@dataclass(frozen=True)
class SignedBy:
    """Who signed a manifest, as far as the signature itself tells."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    device_id: str  # from the certificate's device URN ("" when it has none)


def sign_manifest(identity: Identity, manifest: bytes) -> bytes:
    """Return ``manifest.sig`` for ``manifest`` signed with the device's key."""
    signature = identity.private_key.sign(manifest, ec.ECDSA(hashes.SHA256()))
    certs = [identity.certificate, *identity.chain]
    body = {
        "algorithm": ALGORITHM,
        "signature": base64.b64encode(signature).decode("ascii"),
        "certificates": [c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs],
    }
    return json.dumps(body, sort_keys=True, indent=1).encode("utf-8")


def device_id_of(cert: x509.Certificate) -> str:
    """Return the device id a certificate names in its subjectAltName URN, or ""."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    for uri in san.get_values_for_type(x509.UniformResourceIdentifier):
        if uri.startswith(DEVICE_URN):
            return uri[len(DEVICE_URN):]
    return ""


def _refuse(message: Msg) -> UserError:
    return UserError(message, code="E_BUNDLE_SIGNATURE")


def verify_manifest_signature(manifest: bytes, signature_file: bytes) -> SignedBy:
    """Check that ``signature_file`` signs exactly ``manifest``; return the signer's certificates.

    Refuses (``E_BUNDLE_SIGNATURE``) a malformed signature file, an unknown algorithm, a key other than
    P-256, and a signature that does not match the bytes (a manifest edited after signing).
    """
    try:
        body = json.loads(signature_file.decode("utf-8"))
        if not isinstance(body, dict) or body.get("algorithm") != ALGORITHM:
            raise _refuse(Msg("同步包签名的算法不受支持"))
        signature = base64.b64decode(str(body["signature"]), validate=True)
        pems = body["certificates"]
        if not isinstance(pems, list) or not pems or not all(isinstance(p, str) for p in pems):
            raise _refuse(Msg("同步包签名缺少证书"))
        certs = [x509.load_pem_x509_certificate(p.encode("ascii")) for p in pems]
    except UserError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise _refuse(Msg("同步包签名文件（manifest.sig）无法解析")) from None
    leaf = certs[0]
    key = leaf.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise _refuse(Msg("同步包签名证书的密钥类型不受支持（需要 ECDSA P-256）"))
    try:
        key.verify(signature, manifest, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _refuse(Msg("同步包签名无效：清单在签名后被改动，或签名不属于该证书")) from None
    return SignedBy(certificate=leaf, chain=tuple(certs[1:]), device_id=device_id_of(leaf))
