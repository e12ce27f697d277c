"""This device's signing identity in the store's data directory, the certificates trusted for verification,
and the office side (the city office's CA issuing device certificates).

Files::

    <data_dir>/identity/device_key.pem   the device key (encrypted with the inspector's passphrase)
    <data_dir>/identity/device_cert.pem  self-signed at first, then the office CA's certificate
    <data_dir>/identity/ca_cert.pem      the issuing CA's certificate (after import)
    <data_dir>/trusted/*.pem             further certificates trusted when verifying (the city office CA)

The certificate PEM and key fingerprint are also recorded on this store's ``Device`` row, so other devices
(after sync) and the office can tell which key signed an opinion.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_app import crypto
from inspect_app.crypto.ca import CA_CERT_FILE
from inspect_app.crypto.identity import CA_FILE, CERT_FILE, KEY_FILE
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.models.audit import record_event
from inspect_app.models.office import Device
from inspect_app.models.store import Store
from inspect_app.reports.qr import key_fingerprint
from inspect_app.rules.text import clean_text

IDENTITY_DIR = "identity"
TRUSTED_DIR = "trusted"


@dataclass(frozen=True)
class CertificateView:
    """Plain facts about one certificate."""

    subject: str
    common_name: str
    organisation: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint: str
    self_signed: bool
    expired: bool


@dataclass(frozen=True)
class IdentityView:
    """This device's identity as shown to the user (nothing secret)."""

    folder: Path
    device_id: str
    certificate: CertificateView
    ca: CertificateView | None
    certificate_pem: str

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint

    @property
    def common_name(self) -> str:
        return self.certificate.common_name

    @property
    def self_signed(self) -> bool:
        return self.certificate.self_signed


@dataclass(frozen=True)
class CaView:
    """The office CA as shown to the user."""

    folder: Path
    certificate: CertificateView
    certificate_path: Path


# --- helpers ---------------------------------------------------------------------------------------------------


def identity_dir(store: Store) -> Path:
    """Return the folder of this device's identity."""
    return store.data_dir / IDENTITY_DIR


def trusted_dir(data_dir: Path) -> Path:
    """Return the folder whose ``*.pem`` certificates are trusted when verifying opinions."""
    return data_dir / TRUSTED_DIR


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_view(cert: x509.Certificate, now: dt.datetime | None = None) -> CertificateView:
    """Return plain facts about ``cert``."""
    now = now or dt.datetime.now(dt.UTC)
    public_key = cert.public_key()
    try:
        fingerprint = key_fingerprint(public_key)  # type: ignore[arg-type]
    except (AttributeError, TypeError, ValueError):
        fingerprint = ""
    return CertificateView(
        subject=cert.subject.rfc4514_string(),
        common_name=_name_attr(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_attr(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint=fingerprint,
        self_signed=cert.issuer == cert.subject,
        expired=now > cert.not_valid_after_utc or now < cert.not_valid_before_utc,
    )


def _load_pem_certs(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法读取证书文件 {path}：{error}", path=path, error=exc.strerror or exc), code="E_READ_FAILED") from exc
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError:
        raise UserError(Msg("证书文件无法解析：{path}", path=path), code="E_CERT_INVALID") from None


def _require_identity(store: Store) -> Path:
    folder = identity_dir(store)
    if not (folder / KEY_FILE).is_file() or not (folder / CERT_FILE).is_file():
        raise UserError(Msg("本机尚未创建签名身份：请先在“设置 → 签名身份”中创建（或运行 identity create）"), code="E_NO_IDENTITY")
    return folder


def _self_device(session: Session) -> Device:
    device = session.scalars(select(Device).where(Device.is_self.is_(True))).first()
    if device is None:
        raise UserError(Msg("本机设备未登记，无法保存签名身份"), code="E_NO_DEVICE")
    return device


def _record_on_device(store: Store, identity: crypto.Identity, *, action: str, organisation: str | None) -> None:
    pem = identity.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    with store.transaction() as session:
        device = _self_device(session)
        device.certificate_pem = pem
        device.public_key_fingerprint = identity.fingerprint
        if identity.common_name:
            device.inspector_name = identity.common_name
        if organisation is not None:
            device.organisation = organisation
        record_event(session, action=action, entity=device, detail={
            "fingerprint": identity.fingerprint,
            "subject": identity.certificate.subject.rfc4514_string(),
            "issuer": identity.certificate.issuer.rfc4514_string(),
        })


def _view(store: Store, cert: x509.Certificate, chain: list[x509.Certificate]) -> IdentityView:
    return IdentityView(
        folder=identity_dir(store),
        device_id=store.device_id,
        certificate=certificate_view(cert),
        ca=certificate_view(chain[0]) if chain else None,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


# --- device identity -------------------------------------------------------------------------------------------


MIN_PASSPHRASE = 6


def check_new_passphrase(passphrase: str, confirmation: str) -> None:
    """Refuse a new signing passphrase that is empty, too short or not typed the same twice."""
    if not passphrase:
        raise UserError(Msg("请设置签名口令（用于保护本机签名密钥）"), code="E_PASSPHRASE")
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(Msg("签名口令至少 {n} 个字符", n=MIN_PASSPHRASE), code="E_PASSPHRASE_SHORT")
    if passphrase != confirmation:
        raise UserError(Msg("两次输入的口令不一致"), code="E_PASSPHRASE_MISMATCH")


def create_device_identity(store: Store, *, common_name: str, organisation: str, passphrase: str) -> IdentityView:
    """Make this device's key and self-signed certificate; record them on the Device row (``identity.create``).

    Refuses an existing identity (``E_IDENTITY_EXISTS``) and an empty passphrase (``E_PASSPHRASE``).
    """
    common_name = clean_text(common_name, "person_name")
    organisation = clean_text(organisation, "organisation")
    if not common_name:
        raise UserError(Msg("请填写签名人姓名"), code="E_NAME_REQUIRED")
    if not organisation:
        raise UserError(Msg("请填写签名人所在单位"), code="E_ORGANISATION_REQUIRED")
    folder = identity_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    ident = crypto.create_identity(
        folder, common_name=common_name, organisation=organisation, passphrase=passphrase, device_id=store.device_id
    )
    try:
        _record_on_device(store, ident, action="identity.create", organisation=organisation)
    except BaseException:
        # the row was not written: take the files back so a retry starts clean
        for name in (CERT_FILE, KEY_FILE):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
        raise
    return _view(store, ident.certificate, [])


def has_identity(store: Store) -> bool:
    """Tell whether this device has a signing identity."""
    folder = identity_dir(store)
    return (folder / KEY_FILE).is_file() and (folder / CERT_FILE).is_file()


def show_identity(store: Store) -> IdentityView:
    """Return this device's identity (no passphrase needed: only the certificates are read)."""
    folder = _require_identity(store)
    cert = _load_pem_certs(folder / CERT_FILE)[0]
    chain = _load_pem_certs(folder / CA_FILE) if (folder / CA_FILE).is_file() else []
    return _view(store, cert, chain)


def load_device_identity(store: Store, passphrase: str) -> crypto.Identity:
    """Unlock this device's identity (``E_NO_IDENTITY``, ``E_PASSPHRASE``)."""
    return crypto.load_identity(_require_identity(store), passphrase)


def export_request(store: Store, passphrase: str) -> bytes:
    """Return a certificate signing request (PEM) for this device's key, for the office CA."""
    return crypto.export_request(load_device_identity(store, passphrase))


def export_request_file(store: Store, passphrase: str, target: Path) -> Path:
    """Write the certificate request (PEM) for the office CA to a new file ``target``; never overwrite one."""
    from inspect_app.fileio import write_new

    if target.exists():
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=target), code="E_FILE_EXISTS",
                        details={"path": str(target)})
    csr = export_request(store, passphrase)
    try:
        created = write_new(target, csr)
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法写入文件 {path}：{error}", path=target, error=exc.strerror or exc),
                                 code="E_WRITE_FAILED") from exc
    if not created:
        raise UserError(Msg("目标文件已存在：{path}（不会覆盖）", path=target), code="E_FILE_EXISTS",
                        details={"path": str(target)})
    return target


def read_certificate_file(path: Path, what: Msg) -> bytes:
    """Read a certificate file the user picked; a clear refusal when it is missing or unreadable."""
    if not path.is_file():
        raise UserError(Msg("找不到{what}文件：{path}", what=what, path=path), code="E_FILE_NOT_FOUND",
                        details={"path": str(path)})
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法读取文件 {path}：{error}", path=path, error=exc.strerror or exc),
                                 code="E_READ_FAILED") from exc


def import_device_certificate_files(store: Store, cert_path: Path, passphrase: str,
                                    ca_path: Path | None = None) -> IdentityView:
    """Install the office's certificate (and its CA certificate) from the files the office sent back."""
    cert_pem = read_certificate_file(cert_path, Msg("证书"))
    ca_pem = read_certificate_file(ca_path, Msg("CA 证书")) if ca_path is not None else None
    return import_device_certificate(store, cert_pem, passphrase, ca_pem=ca_pem)


def import_device_certificate(store: Store, cert_pem: bytes, passphrase: str, ca_pem: bytes | None = None) -> IdentityView:
    """Install the office CA's certificate for this device's key and record it on the Device row."""
    folder = _require_identity(store)
    before = {name: (folder / name).read_bytes() for name in (CERT_FILE, CA_FILE) if (folder / name).is_file()}
    ident = crypto.import_certificate(folder, cert_pem, passphrase, ca_cert_pem=ca_pem)
    try:
        _record_on_device(store, ident, action="identity.import_cert", organisation=None)
    except BaseException:
        for name in (CERT_FILE, CA_FILE):
            with contextlib.suppress(OSError):
                if name in before:
                    (folder / name).write_bytes(before[name])
                else:
                    (folder / name).unlink()
        raise
    return _view(store, ident.certificate, list(ident.chain))


def trusted_certificates(store: Store | None = None, *, data_dir: Path | None = None) -> list[x509.Certificate]:
    """Return the certificates trusted when verifying: this device's certificate and its CA chain, plus
    every ``*.pem`` in ``<data_dir>/trusted`` (the city office CA, other devices)."""
    directory = store.data_dir if store is not None else data_dir
    if directory is None:
        return []
    certs: list[x509.Certificate] = []
    own = directory / IDENTITY_DIR
    for name in (CERT_FILE, CA_FILE):
        if (own / name).is_file():
            certs += _load_pem_certs(own / name)
    folder = trusted_dir(directory)
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")):
            certs += _load_pem_certs(path)
    unique: dict[bytes, x509.Certificate] = {}
    for cert in certs:
        unique.setdefault(cert.fingerprint(hashes.SHA256()), cert)
    return list(unique.values())


def trust_certificate(store: Store, cert_pem: bytes, *, name: str) -> Path:
    """Add a certificate (e.g. the city office's root) or the office CA's revocation list to
    ``<data_dir>/trusted``; return the file written. PEM or DER."""
    folder = trusted_dir(store.data_dir)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "trusted"
    crl = _parse_crl(cert_pem)
    if crl is not None:
        path = folder / f"{safe}.crl"
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, crl.public_bytes(serialization.Encoding.PEM))
        return path
    try:
        certs = x509.load_pem_x509_certificates(cert_pem) if b"-----BEGIN" in cert_pem else \
            [x509.load_der_x509_certificate(cert_pem)]
    except ValueError:
        certs = []
    if not certs:
        raise UserError(Msg("证书内容无法解析（需要 PEM 或 DER 格式的证书或吊销列表）"), code="E_CERT_INVALID")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe}.pem"
    write_atomic(path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def _parse_crl(raw: bytes) -> x509.CertificateRevocationList | None:
    try:
        if b"-----BEGIN X509 CRL-----" in raw:
            return x509.load_pem_x509_crl(raw)
        if not raw.startswith(b"-----"):
            return x509.load_der_x509_crl(raw)
    except ValueError:
        return None
    return None


def trusted_crls(store: Store | None = None, *, data_dir: Path | None = None) -> list[x509.CertificateRevocationList]:
    """Return the revocation lists in ``<data_dir>/trusted/*.crl`` (the office CA's, published or received)."""
    directory = store.data_dir if store is not None else data_dir
    folder = trusted_dir(directory) if directory is not None else None
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.crl")):
        crl = _parse_crl(path.read_bytes())
        if crl is not None:
            out.append(crl)
    return out


# --- the office CA ---------------------------------------------------------------------------------------------


def create_office_ca(folder: Path, *, name: str, passphrase: str) -> CaView:
    """Create the city office's CA in ``folder`` (never overwrites one)."""
    name = name.strip()
    if not name:
        raise UserError(Msg("请填写 CA 名称（发证单位）"), code="E_NAME_REQUIRED")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ca = crypto.create_ca(folder, name=name, passphrase=passphrase)
    return CaView(folder=folder, certificate=certificate_view(ca.certificate), certificate_path=folder / CA_CERT_FILE)


def issue_device_certificate(folder: Path, request_pem: bytes, *, passphrase: str, days: int = 1825) -> bytes:
    """Issue a device certificate from its request with the CA in ``folder``; return the certificate
    followed by the CA certificate (PEM), ready for ``identity import-cert``."""
    ca = crypto.load_ca(Path(folder), passphrase)
    cert = crypto.issue_certificate(ca, request_pem, days=days)
    return cert + ca.certificate_pem
