"""The device registry: which devices' bundles this store accepts, and revocation.

The office registers an inspector's laptop from its certificate request (CSR; with the office CA at hand it
issues the certificate, which travels back in the next assignment bundle) or from its certificate. A laptop
holding a certificate issued by the office CA is accepted without registration (it is registered on its first
bundle). A revoked device's bundles are refused, and the revocation travels to every laptop.

On a laptop the registry holds the office: registered from the office's certificate, or accepted on its first
assignment bundle when that is signed by a certificate issued by the CA the laptop trusts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from inspect_app.crypto.ca import CertificateAuthority, issue_certificate
from inspect_app.errors import NotFound, UserError
from inspect_app.i18n import Msg
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.store import Store
from inspect_app.models.sync import SyncBundle, SyncConflict, SyncPeer, SyncRevocation
from inspect_app.services.identity import trusted_certificates
from inspect_app.services.settings import store_role
from inspect_app.sync.format import Manifest
from inspect_app.sync.signing import SignedBy, device_id_of

ROLE_INSPECTOR, ROLE_OFFICE = "inspector", "office"


@dataclass(frozen=True)
class DeviceView:
    """A registered device as shown in lists."""

    device_id: str
    name: str
    inspector: str
    organisation: str
    role: str
    status: str
    registered_via: str
    registered_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_reason: str
    key_sha256: str
    certificate_issuer: str
    certificate_not_after: dt.datetime | None
    received_seq: int
    received_at: dt.datetime | None
    bundles: int

    @property
    def revoked(self) -> bool:
        return self.status == "revoked"


def key_sha256(public_key: object) -> str:
    """Return the SHA-256 (hex) of a public key's SubjectPublicKeyInfo."""
    der = public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _name(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _view(peer: SyncPeer, bundles: int) -> DeviceView:
    not_after = None
    issuer = ""
    if peer.certificate_pem:
        try:
            cert = x509.load_pem_x509_certificate(peer.certificate_pem.encode("ascii"))
            not_after = cert.not_valid_after_utc
            issuer = _name(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string()
        except ValueError:
            pass
    return DeviceView(
        device_id=peer.device_id, name=peer.name, inspector=peer.inspector, organisation=peer.organisation,
        role=peer.role, status=peer.status, registered_via=peer.registered_via, registered_at=peer.registered_at,
        revoked_at=peer.revoked_at, revoked_reason=peer.revoked_reason, key_sha256=peer.key_sha256,
        certificate_issuer=issuer, certificate_not_after=not_after, received_seq=peer.received_seq,
        received_at=peer.received_at, bundles=bundles)


def _pem_blocks(pem: bytes) -> tuple[list[x509.Certificate], x509.CertificateSigningRequest | None]:
    if b"CERTIFICATE REQUEST" in pem:
        try:
            return [], x509.load_pem_x509_csr(pem)
        except ValueError:
            raise UserError(Msg("证书申请（CSR）无法解析"), code="E_CSR_INVALID") from None
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise UserError(Msg("文件不是 PEM 格式的证书或证书申请"), code="E_CERT_INVALID") from None
    return certs, None


def _office_only(session: Session) -> None:
    """Refuse device registry changes on an inspector's store: the office keeps the registry."""
    if store_role(session) != ROLE_OFFICE:
        raise UserError(Msg("只有市办公室的数据库能登记或吊销设备（本机是核查人员的数据库）"), code="E_OFFICE_ONLY")


def register_device(session: Session, *, pem: bytes, role: str = ROLE_INSPECTOR,
                    ca: CertificateAuthority | None = None, actor: str = "") -> tuple[DeviceView, bytes | None]:
    """Register a device from its certificate request or certificate; return it and any certificate issued.

    With ``ca`` and a request, the office CA issues the device's certificate (returned as PEM, and sent to the
    device in its next assignment bundle). A device already registered with the same key is refreshed; one
    registered with another key, or revoked, is refused.
    """
    _office_only(session)
    if role not in (ROLE_INSPECTOR, ROLE_OFFICE):
        raise UserError(Msg("设备角色无效：{role}", role=role), code="E_ROLE_INVALID")
    certs, csr = _pem_blocks(pem)
    issued: bytes | None = None
    via = "certificate"
    if csr is not None:
        if not csr.is_signature_valid:
            raise UserError(Msg("证书申请（CSR）签名无效"), code="E_CSR_INVALID")
        subject = csr.subject
        public_key = csr.public_key()
        try:
            san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            uris = san.get_values_for_type(x509.UniformResourceIdentifier)
        except x509.ExtensionNotFound:
            uris = []
        device_id = next((u.split(":")[-1] for u in uris if u.startswith("urn:inspect-app:device:")), "")
        cert_pem = ""
        serial = ""
        issuer = ""
        via = "request"
        if ca is not None:
            leaf_pem = issue_certificate(ca, pem)
            cert = x509.load_pem_x509_certificate(leaf_pem)
            issued = leaf_pem + ca.certificate_pem  # ready for ``identity import-cert``
            cert_pem = issued.decode("ascii")
            serial, issuer = format(cert.serial_number, "x"), cert.issuer.rfc4514_string()
            via = "office_ca"
    else:
        if not certs:
            raise UserError(Msg("文件中没有证书"), code="E_CERT_INVALID")
        leaf = certs[0]
        subject, public_key = leaf.subject, leaf.public_key()
        device_id = device_id_of(leaf)
        if leaf.issuer == leaf.subject:
            try:
                leaf.verify_directly_issued_by(leaf)
            except (ValueError, TypeError, InvalidSignature):
                raise UserError(Msg("自签名证书的签名无效"), code="E_CERT_INVALID") from None
        cert_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs).decode("ascii")
        serial, issuer = format(leaf.serial_number, "x"), leaf.issuer.rfc4514_string()
    if not device_id:
        raise UserError(Msg("证书（申请）中没有设备标识（urn:inspect-app:device:…），无法登记"), code="E_CERT_NO_DEVICE")
    key = key_sha256(public_key)
    if session.get(SyncRevocation, key) is not None:
        raise UserError(Msg("该设备的密钥已被吊销，不能再次登记"), code="E_DEVICE_REVOKED")
    self_id = str(session.info.get("device_id", ""))
    if device_id == self_id:
        raise UserError(Msg("不能登记本机自己"), code="E_DEVICE_SELF")
    peer = session.get(SyncPeer, device_id)
    if peer is not None:
        if peer.status == "revoked":
            raise UserError(Msg("该设备已被吊销，不能再次登记"), code="E_DEVICE_REVOKED")
        if peer.key_sha256 and peer.key_sha256 != key:
            raise UserError(Msg("该设备已用另一把密钥登记；如更换了电脑或密钥，请先吊销旧登记"), code="E_DEVICE_KEY_CHANGED")
    else:
        peer = SyncPeer(device_id=device_id, registered_at=utcnow(), registered_by=actor, received_seq=0,
                        audit_seq=0, audit_hash="", status="active", revoked_by="", revoked_reason="")
        session.add(peer)
    peer.name = _name(subject, NameOID.COMMON_NAME)
    peer.inspector = _name(subject, NameOID.COMMON_NAME)
    peer.organisation = _name(subject, NameOID.ORGANIZATION_NAME)
    peer.role = role
    peer.key_sha256 = key
    if cert_pem or not peer.certificate_pem:
        peer.certificate_pem = cert_pem
        peer.cert_serial = serial
        peer.issuer = issuer
    peer.registered_via = via
    session.flush()
    record_event(session, action="device.registered", entity=("sync_peer", device_id), detail={
        "device": device_id, "name": peer.name, "role": role, "via": via, "key_sha256": key})
    return _view(peer, 0), issued


def resolve_peer(session: Session, text: str) -> SyncPeer:
    """Return the registered device named by id or id prefix (at least 4 characters)."""
    key = text.strip().lower()
    if len(key) < 4:
        raise UserError(Msg("设备标识至少需要 4 个字符"), code="E_DEVICE_ID")
    rows = list(session.scalars(select(SyncPeer).where(SyncPeer.device_id.like(f"{key}%"))))
    if not rows:
        raise NotFound(Msg("没有登记该设备：{text}", text=text), code="E_DEVICE_UNKNOWN")
    if len(rows) > 1:
        raise UserError(Msg("设备标识前缀 {text} 不唯一，请写全", text=text), code="E_DEVICE_AMBIGUOUS")
    return rows[0]


def revoke_device(session: Session, device: str, *, reason: str, actor: str = "") -> DeviceView:
    """Revoke a device: its bundles are refused from now on, and laptops learn of it from assignments."""
    _office_only(session)
    reason = reason.strip()
    if not reason:
        raise UserError(Msg("请填写吊销原因"), code="E_REASON_REQUIRED")
    peer = resolve_peer(session, device)
    if peer.status == "revoked":
        raise UserError(Msg("该设备已被吊销"), code="E_DEVICE_REVOKED")
    now = utcnow()
    peer.status = "revoked"
    peer.revoked_at = now
    peer.revoked_by = actor
    peer.revoked_reason = reason
    if peer.key_sha256 and session.get(SyncRevocation, peer.key_sha256) is None:
        session.add(SyncRevocation(key_sha256=peer.key_sha256, device_id=peer.device_id, cert_serial=peer.cert_serial,
                                   issuer=peer.issuer, revoked_at=now, reason=reason, source="local"))
    session.flush()
    record_event(session, action="device.revoked", entity=("sync_peer", peer.device_id),
                 detail={"device": peer.device_id, "reason": reason})
    return _view(peer, _bundle_count(session, peer.device_id))


def _bundle_count(session: Session, device_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(SyncBundle).where(SyncBundle.peer == device_id)) or 0)


def list_devices(session: Session) -> list[DeviceView]:
    """Return the registered devices, newest registration first, with how many bundles each exchanged."""
    counts = dict(session.execute(select(SyncBundle.peer, func.count()).group_by(SyncBundle.peer)).all())
    peers = session.scalars(select(SyncPeer).order_by(SyncPeer.registered_at.desc()))
    return [_view(p, int(counts.get(p.device_id, 0))) for p in peers]


def open_conflict_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.status == "open"))
               or 0)


# --- deciding whether to accept a bundle's signer ---------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """The signer of a bundle, accepted: its registry row (existing) or the row to add (first contact)."""

    device_id: str
    peer: SyncPeer | None
    new_peer: SyncPeer | None
    key_sha256: str


def trusted_cas(store: Store) -> list[x509.Certificate]:
    """Return the CA certificates this store trusts for device certificates (its own CA chain, trusted/)."""
    out = []
    for cert in trusted_certificates(store):
        try:
            constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        except x509.ExtensionNotFound:
            continue
        if constraints.ca:
            out.append(cert)
    return out


def _issued_by_trusted_ca(cert: x509.Certificate, cas: list[x509.Certificate], now: dt.datetime) -> bool:
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return False
    for ca in cas:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def refuse(code: str, message: Msg) -> UserError:
    return UserError(message, code=code)


def check_sender(session: Session, store: Store, signed: SignedBy, manifest: Manifest, *, role: str) -> Sender:
    """Accept the bundle's signer or refuse it: unknown, revoked, another key, or the wrong kind of sender."""
    device_id = manifest.source.device_id
    if signed.device_id != device_id:
        raise refuse("E_BUNDLE_SIGNATURE", Msg("同步包的签名证书不属于清单中写明的发送设备"))
    if device_id == store.device_id:
        raise refuse("E_BUNDLE_SELF", Msg("这是本机自己导出的同步包，不能导入本机"))
    key = key_sha256(signed.certificate.public_key())
    revoked = session.get(SyncRevocation, key)
    peer = session.get(SyncPeer, device_id)
    name = manifest.source.inspector or manifest.source.device_name or device_id[:8]
    if revoked is not None or (peer is not None and peer.status == "revoked"):
        reason = (peer.revoked_reason if peer is not None else "") or (revoked.reason if revoked else "")
        raise refuse("E_DEVICE_REVOKED", Msg("发送设备（{name}）已被吊销，拒绝导入：{reason}", name=name, reason=reason) if reason
                     else Msg("发送设备（{name}）已被吊销，拒绝导入", name=name))
    expected_sender_role = ROLE_INSPECTOR if role == ROLE_OFFICE else ROLE_OFFICE
    if peer is not None:
        if peer.key_sha256 != key:
            raise refuse("E_DEVICE_KEY_MISMATCH",
                         Msg("同步包的签名密钥与设备（{name}）登记的密钥不符，拒绝导入（可能是伪造的同步包）", name=name))
        if peer.role != expected_sender_role:
            raise refuse("E_BUNDLE_KIND", Msg("设备（{name}）登记的角色不能发送此类同步包", name=name))
        return Sender(device_id, peer, None, key)
    now = dt.datetime.now(dt.UTC)
    if not _issued_by_trusted_ca(signed.certificate, trusted_cas(store), now):
        raise refuse("E_DEVICE_UNKNOWN", Msg("发送设备（{name}，{value}）尚未在本机登记，其证书也不是市办公室签发的，拒绝导入。请先登记该设备（设备 → 登记）", name=name, value=device_id[:8]))
    if expected_sender_role == ROLE_OFFICE:
        # A laptop talks to one office: a second, different office device needs explicit registration.
        known = session.scalar(select(SyncPeer.device_id).where(SyncPeer.role == ROLE_OFFICE).limit(1))
        if known is not None:
            raise refuse("E_DEVICE_UNKNOWN", Msg("同步包来自另一台办公室设备，本机未登记，拒绝导入"))
    cert = signed.certificate
    new_peer = SyncPeer(
        device_id=device_id, name=manifest.source.device_name, inspector=manifest.source.inspector,
        organisation=manifest.source.organisation, role=expected_sender_role,
        certificate_pem=b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *signed.chain)).decode(),
        key_sha256=key, cert_serial=format(cert.serial_number, "x"), issuer=cert.issuer.rfc4514_string(),
        registered_via="office_ca", status="active", registered_at=utcnow(), registered_by=store.actor,
        revoked_by="", revoked_reason="", received_seq=0, audit_seq=0, audit_hash="")
    return Sender(device_id, None, new_peer, key)


def office_peer(session: Session) -> SyncPeer | None:
    """Return the office as registered on a laptop (None before first contact)."""
    return session.scalars(select(SyncPeer).where(SyncPeer.role == ROLE_OFFICE, SyncPeer.status == "active")
                           .order_by(SyncPeer.registered_at)).first()


def find_peers(session: Session, text: str) -> list[SyncPeer]:
    key = f"%{text.strip()}%"
    return list(session.scalars(select(SyncPeer).where(or_(SyncPeer.device_id.like(key), SyncPeer.name.like(key),
                                                             SyncPeer.inspector.like(key)))))


def read_pem_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(Msg("无法读取文件 {path}：{value}", path=path, value=exc.strerror or exc), code="E_READ_FAILED") from None
