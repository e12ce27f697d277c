"""The city office's certificate authority: issues device certificates from their requests (CSR)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from inspect_app.crypto._files import read_file, write_atomic
from inspect_app.crypto.identity import signing_extensions
from inspect_app.errors import UserError
from inspect_app.i18n import Msg

CA_KEY_FILE = "ca_key.pem"
CA_CERT_FILE = "ca_cert.pem"
CA_VALIDITY_DAYS = 20 * 365


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    """The CA's key and self-signed certificate."""

    folder: Path
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def certificate_pem(self) -> bytes:
        """Return the CA certificate as PEM (what devices and verifiers trust)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def create_ca(folder: Path, *, name: str, passphrase: str) -> CertificateAuthority:
    """Make a CA key and self-signed CA certificate in ``folder``; never overwrite an existing one."""
    folder = Path(folder)
    if (folder / CA_KEY_FILE).exists() or (folder / CA_CERT_FILE).exists():
        raise UserError(Msg("CA 已存在：{folder}，不能覆盖", folder=folder), code="E_IDENTITY_EXISTS")
    if not passphrase:
        raise UserError(Msg("口令不能为空"), code="E_PASSPHRASE")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA"),
        ]
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    write_atomic(folder / CA_KEY_FILE, key_pem, private=True)
    write_atomic(folder / CA_CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return CertificateAuthority(folder=folder, private_key=key, certificate=cert)


def load_ca(folder: Path, passphrase: str) -> CertificateAuthority:
    """Load the CA in ``folder``."""
    folder = Path(folder)
    if not (folder / CA_KEY_FILE).is_file() or not (folder / CA_CERT_FILE).is_file():
        raise UserError(Msg("未找到 CA：{folder}", folder=folder), code="E_NO_IDENTITY")
    try:
        key = serialization.load_pem_private_key(read_file(folder / CA_KEY_FILE), passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise UserError(Msg("口令错误，无法解开 CA 私钥"), code="E_PASSPHRASE") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise UserError(Msg("CA 私钥类型不受支持"), code="E_KEY_TYPE")
    cert = x509.load_pem_x509_certificate(read_file(folder / CA_CERT_FILE))
    return CertificateAuthority(folder=folder, private_key=key, certificate=cert)


def issue_certificate(
    ca: CertificateAuthority,
    csr_pem: bytes,
    *,
    days: int = 1825,
    valid_from: dt.datetime | None = None,
) -> bytes:
    """Issue a document-signing certificate (PEM) for a device's request."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem)
    except ValueError:
        raise UserError(Msg("证书申请（CSR）无法解析"), code="E_CSR_INVALID") from None
    if not csr.is_signature_valid:
        raise UserError(Msg("证书申请（CSR）签名无效"), code="E_CSR_INVALID")
    public_key = csr.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise UserError(Msg("证书申请的密钥类型不受支持（需要 ECDSA P-256）"), code="E_CSR_INVALID")
    start = valid_from or dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.private_key.public_key()), critical=False
        )
    )
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        builder = builder.add_extension(san.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    cert = signing_extensions(builder, public_key).sign(ca.private_key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.PEM)


CRL_FILE = "crl.pem"
CRL_NUMBER_FILE = "crl_number.txt"
CRL_VALIDITY_DAYS = 30


@dataclass(frozen=True, slots=True)
class Revoked:
    """One revoked certificate for the CRL."""

    serial: int
    revoked_at: dt.datetime  # aware
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified


def issue_crl(
    ca: CertificateAuthority,
    revoked: list[Revoked],
    *,
    now: dt.datetime | None = None,
    days: int = CRL_VALIDITY_DAYS,
) -> x509.CertificateRevocationList:
    """Issue the CA's next certificate revocation list, write it as ``crl.pem`` in the CA folder, return it.

    The CRL number grows by one with each list (kept in ``crl_number.txt``); the list is valid ``days``
    (nextUpdate) so a verifier can tell a current list from an old one.
    """
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    number_file = ca.folder / CRL_NUMBER_FILE
    try:
        number = int(read_file(number_file).decode("ascii").strip() or "0") + 1 if number_file.is_file() else 1
    except ValueError:
        number = 1
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.private_key.public_key()), critical=False
        )
    )
    for item in sorted(revoked, key=lambda r: r.serial):
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(item.serial)
            .revocation_date(item.revoked_at.astimezone(dt.UTC).replace(microsecond=0))
            .add_extension(x509.CRLReason(item.reason), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca.private_key, hashes.SHA256())
    write_atomic(ca.folder / CRL_FILE, crl.public_bytes(serialization.Encoding.PEM))
    write_atomic(number_file, str(number).encode("ascii"))
    return crl


def crl_number(crl: x509.CertificateRevocationList) -> int:
    """Return the CRL's number (0 when it has none)."""
    try:
        return int(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    except x509.ExtensionNotFound:
        return 0
