"""The device's signing identity: an ECDSA P-256 key (encrypted at rest) and its X.509 certificate.

Files in the identity folder::

    device_key.pem    PKCS#8, encrypted with the user's passphrase
    device_cert.pem   self-signed at first, replaced by the office CA's certificate on import
    ca_cert.pem       the issuing CA's certificate (only when CA-issued)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from inspect_app.crypto._files import read_file, write_atomic
from inspect_app.errors import UserError
from inspect_app.i18n import Msg
from inspect_app.reports.qr import key_fingerprint

KEY_FILE = "device_key.pem"
CERT_FILE = "device_cert.pem"
CA_FILE = "ca_cert.pem"
DEVICE_URN = "urn:inspect-app:device:"
VALIDITY_DAYS = 5 * 365 + 1
# id-kp-documentSigning (RFC 9336): what a PDF signing certificate should assert
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass(frozen=True, slots=True)
class Identity:
    """A loaded identity: private key, certificate, and the issuing CA's certificate when CA-issued."""

    folder: Path
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Return the key fingerprint (first 16 hex of SHA-256 over the SubjectPublicKeyInfo)."""
        return key_fingerprint(self.private_key.public_key())

    @property
    def common_name(self) -> str:
        """Return the certificate's common name."""
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    @property
    def organisation(self) -> str:
        """Return the certificate's organisation."""
        names = self.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        return str(names[0].value) if names else ""

    @property
    def issuer_name(self) -> str:
        """Return the issuer's common name (or organisation)."""
        issuer = self.certificate.issuer
        for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
            names = issuer.get_attributes_for_oid(oid)
            if names:
                return str(names[0].value)
        return issuer.rfc4514_string()

    @property
    def self_signed(self) -> bool:
        """Tell whether the certificate is self-signed (not yet issued by the office CA)."""
        return self.certificate.issuer == self.certificate.subject

    def check_usable(self, now: dt.datetime | None = None) -> None:
        """Refuse a certificate outside its validity period (``E_CERT_EXPIRED``)."""
        now = now or dt.datetime.now(dt.UTC)
        cert = self.certificate
        if now > cert.not_valid_after_utc:
            raise UserError(
                Msg("签名证书已于{not_valid_after_utc:%Y-%m-%d}过期，请向市淘汰落后产能办公室申请新证书", not_valid_after_utc=cert.not_valid_after_utc),
                code="E_CERT_EXPIRED",
            )
        if now < cert.not_valid_before_utc:
            raise UserError(
                Msg("签名证书自{not_valid_before_utc:%Y-%m-%d}起才生效，请检查本机时间", not_valid_before_utc=cert.not_valid_before_utc),
                code="E_CERT_EXPIRED",
            )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def signing_extensions(
    builder: x509.CertificateBuilder, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    """Add the extensions of a document-signing end-entity certificate."""
    return (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _subject(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _check_passphrase(passphrase: str) -> bytes:
    if not passphrase:
        raise UserError(Msg("口令不能为空"), code="E_PASSPHRASE")
    return passphrase.encode("utf-8")


def create_identity(
    folder: Path, *, common_name: str, organisation: str, passphrase: str, device_id: str
) -> Identity:
    """Make a new key and self-signed certificate in ``folder``; never overwrite an existing identity."""
    folder = Path(folder)
    if (folder / KEY_FILE).exists() or (folder / CERT_FILE).exists():
        raise UserError(Msg("签名身份已存在：{folder}，不能覆盖", folder=folder), code="E_IDENTITY_EXISTS")
    secret = _check_passphrase(passphrase)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _subject(common_name, organisation)
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(DEVICE_URN + device_id)]),
            critical=False,
        )
    )
    cert = signing_extensions(builder, key.public_key()).sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )
    # certificate last: its presence is what makes the identity "exist" for a reader
    write_atomic(folder / KEY_FILE, key_pem, private=True)
    write_atomic(folder / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return Identity(folder=folder, private_key=key, certificate=cert)


def _load_key(folder: Path, passphrase: str) -> ec.EllipticCurvePrivateKey:
    key_path = folder / KEY_FILE
    if not key_path.is_file() or not (folder / CERT_FILE).is_file():
        raise UserError(Msg("未找到签名身份：{folder}", folder=folder), code="E_NO_IDENTITY")
    try:
        key = serialization.load_pem_private_key(read_file(key_path), password=_check_passphrase(passphrase))
    except (ValueError, TypeError):
        raise UserError(Msg("口令错误，无法解开签名私钥"), code="E_PASSPHRASE") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise UserError(Msg("签名私钥类型不受支持（需要 ECDSA P-256）"), code="E_KEY_TYPE")
    return key


def _load_certs(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(read_file(path))
    except ValueError:
        raise UserError(Msg("证书文件无法解析：{path}", path=path), code="E_CERT_INVALID") from None


def load_identity(folder: Path, passphrase: str) -> Identity:
    """Load the identity in ``folder``, unlocking the key with ``passphrase``."""
    folder = Path(folder)
    key = _load_key(folder, passphrase)
    cert = _load_certs(folder / CERT_FILE)[0]
    chain = tuple(_load_certs(folder / CA_FILE)) if (folder / CA_FILE).is_file() else ()
    return Identity(folder=folder, private_key=key, certificate=cert, chain=chain)


def export_request(identity: Identity) -> bytes:
    """Return a certificate signing request (PEM) for the identity's key, subject and device URN."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(identity.certificate.subject)
    try:
        san = identity.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        builder = builder.add_extension(san.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    csr = builder.sign(identity.private_key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


def _same_key(a: object, b: ec.EllipticCurvePublicKey) -> bool:
    if not isinstance(a, ec.EllipticCurvePublicKey):
        return False
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return a.public_bytes(*fmt) == b.public_bytes(*fmt)


def import_certificate(
    folder: Path, cert_pem: bytes, passphrase: str, *, ca_cert_pem: bytes | None = None
) -> Identity:
    """Install a CA-issued certificate for this device's key, with the CA certificate beside it.

    ``cert_pem`` may hold the device certificate followed by the CA certificate.
    """
    folder = Path(folder)
    key = _load_key(folder, passphrase)
    try:
        certs = x509.load_pem_x509_certificates(cert_pem)
        if ca_cert_pem is not None:
            certs += x509.load_pem_x509_certificates(ca_cert_pem)
    except ValueError:
        raise UserError(Msg("证书内容无法解析（需要 PEM 格式）"), code="E_CERT_INVALID") from None
    leaf = next((c for c in certs if _same_key(c.public_key(), key.public_key())), None)
    if leaf is None:
        raise UserError(Msg("该证书不是为本设备的密钥签发的"), code="E_CERT_MISMATCH")
    chain = [c for c in certs if c is not leaf]
    for ca in chain:
        try:
            leaf.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            raise UserError(Msg("证书并非由所附的 CA 证书签发"), code="E_CERT_UNTRUSTED") from None
    if not chain and leaf.issuer != leaf.subject:
        raise UserError(Msg("缺少签发该证书的 CA 证书"), code="E_CERT_UNTRUSTED")
    write_atomic(folder / CERT_FILE, leaf.public_bytes(serialization.Encoding.PEM))
    if chain:
        write_atomic(folder / CA_FILE, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
    return Identity(folder=folder, private_key=key, certificate=leaf, chain=tuple(chain))


def install_certificate(folder: Path, certs: list[x509.Certificate]) -> bool:
    """Install an office-issued certificate for this device's key without unlocking it; False if not new.

    The key is matched against the public key of the certificate already installed (the key never changes),
    and the certificate must be issued by the CA certificate that comes with it. Used when the certificate
    arrives in an assignment bundle, where no passphrase is at hand.
    """
    folder = Path(folder)
    current = _load_certs(folder / CERT_FILE)[0] if (folder / CERT_FILE).is_file() else None
    if current is None:
        return False
    own_key = current.public_key()
    if not isinstance(own_key, ec.EllipticCurvePublicKey):
        return False
    leaf = next((c for c in certs if _same_key(c.public_key(), own_key)), None)
    if leaf is None or leaf == current:
        return False
    chain = [c for c in certs if c is not leaf]
    if not any(_issued_by(leaf, ca) for ca in chain):
        raise UserError(Msg("下发的设备证书并非由所附的 CA 证书签发"), code="E_CERT_UNTRUSTED")
    write_atomic(folder / CERT_FILE, leaf.public_bytes(serialization.Encoding.PEM))
    write_atomic(folder / CA_FILE, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
    return True


def _issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
