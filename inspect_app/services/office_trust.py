"""The office side of trust: publishing the CA's revocation list, countersigning received opinions, and
exporting what an outside verifier needs (root certificate, CRL, a one-page guide).

* ``publish_crl``: the office CA signs a CRL listing every revoked device certificate it issued (from the
  device registry); it is kept in the CA folder and in ``<data>/trusted/office-ca.crl``, travels to laptops in
  assignment bundles, and goes into every countersigned opinion.
* ``countersign_opinion`` / ``countersign_pending``: an opinion received from a laptop is checked (signature
  intact, signer chained to the office CA, not revoked) and countersigned by the office's own key with the
  validation material embedded (``crypto.countersign``); the countersigned file is stored beside the original
  (content-addressed; the original is never touched) and recorded in ``opinion_countersignature``.
* ``export_verification_kit``: root certificate (PEM and DER), current CRL (PEM and DER) and 验证指南.pdf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from sqlalchemy import select

from inspect_app import crypto
from inspect_app.crypto.ca import Revoked, crl_number, issue_crl
from inspect_app.crypto.countersign import countersign_pdf
from inspect_app.errors import EnvironmentProblem, UserError
from inspect_app.fileio import write_atomic, write_new
from inspect_app.i18n import Msg
from inspect_app.models.audit import record_event
from inspect_app.models.base import utcnow
from inspect_app.models.opinions import AcceptanceOpinion, OpinionCountersignature
from inspect_app.models.store import Store
from inspect_app.models.sync import SyncRevocation
from inspect_app.services import identity as identity_service
from inspect_app.services.opinions import document_path
from inspect_app.services.settings import store_role

OFFICE_CRL_NAME = "office-ca"


@dataclass(frozen=True)
class CrlView:
    """A published revocation list."""

    number: int
    issued_at: dt.datetime
    next_update: dt.datetime
    revoked: int
    path: Path


@dataclass(frozen=True)
class CountersignOutcome:
    """What happened to one received opinion."""

    opinion_id: str
    number: str
    done: bool
    message: str
    pdf_sha256: str = ""


@dataclass
class CountersignReport:
    """All opinions looked at by one countersigning run."""

    outcomes: list[CountersignOutcome] = field(default_factory=list)

    @property
    def signed(self) -> int:
        return sum(1 for o in self.outcomes if o.done)


def office_crl_path(store: Store) -> Path:
    """Return where the office's current CRL is kept in the data folder."""
    return identity_service.trusted_dir(store.data_dir) / f"{OFFICE_CRL_NAME}.crl"


def _require_office(store: Store) -> None:
    with store.reader() as session:
        if store_role(session) != "office":
            raise UserError(Msg("只有市办公室的数据库可以执行此操作（inspect-app init --role office）"), code="E_NOT_OFFICE")


def publish_crl(store: Store, ca_dir: Path, *, passphrase: str, now: dt.datetime | None = None) -> CrlView:
    """Issue the office CA's CRL from the device registry's revocations; keep it in the CA folder and in this
    data folder (where countersigning, verifying and assignment bundles take it from)."""
    _require_office(store)
    ca = crypto.load_ca(Path(ca_dir), passphrase)
    issuer = ca.certificate.subject.rfc4514_string()
    with store.reader() as session:
        rows = [(r.issuer, r.cert_serial, r.revoked_at) for r in session.scalars(select(SyncRevocation))]
    revoked = []
    for row_issuer, cert_serial, revoked_at in rows:
        if row_issuer != issuer or not cert_serial:
            continue
        try:
            serial = int(cert_serial, 16)
        except ValueError:
            continue
        when = revoked_at if revoked_at.tzinfo else revoked_at.replace(tzinfo=dt.UTC)
        revoked.append(Revoked(serial, when, x509.ReasonFlags.key_compromise))
    crl = issue_crl(ca, revoked, now=now)
    path = office_crl_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, crl.public_bytes(serialization.Encoding.PEM))
    number = crl_number(crl)
    with store.transaction() as session:
        record_event(session, action="ca.crl", entity=("crl", str(number)),
                     detail={"number": number, "revoked": len(revoked), "issuer": issuer})
    return CrlView(number=number, issued_at=crl.last_update_utc, next_update=crl.next_update_utc or crl.last_update_utc,
                   revoked=len(revoked), path=path)


def current_crl(store: Store) -> x509.CertificateRevocationList | None:
    """Return the office's current CRL from this data folder, if one was published."""
    path = office_crl_path(store)
    if not path.is_file():
        return None
    try:
        return x509.load_pem_x509_crl(path.read_bytes())
    except ValueError:
        return None


def _fresh_crl(store: Store) -> x509.CertificateRevocationList:
    crl = current_crl(store)
    if crl is None:
        raise UserError(Msg("尚未发布吊销列表：请先运行 inspect-app ca crl --dir CA文件夹"), code="E_NO_CRL")
    with store.reader() as session:
        latest = max((r.revoked_at for r in session.scalars(select(SyncRevocation))), default=None)
    if latest is not None:
        latest = latest if latest.tzinfo else latest.replace(tzinfo=dt.UTC)
        if latest > crl.last_update_utc:
            raise UserError(Msg("吊销列表早于最近一次设备吊销，请先重新发布：inspect-app ca crl --dir CA文件夹"),
                            code="E_CRL_STALE")
    return crl


def countersign_opinion(store: Store, opinion_id: str, *, office: crypto.Identity,
                        crl: x509.CertificateRevocationList | None = None,
                        now: dt.datetime | None = None) -> CountersignOutcome:
    """Check and countersign one received opinion (see the module doc); a refusal is an outcome, not an error."""
    from inspect_app.services.verification import trust_anchors

    crl = crl or _fresh_crl(store)
    with store.reader() as session:
        row = session.get(AcceptanceOpinion, opinion_id)
        if row is None or row.deleted_at is not None:
            raise UserError(Msg("找不到验收意见：{opinion_id}", opinion_id=opinion_id), code="E_OPINION_NOT_FOUND")
        number, pdf_sha = row.number, row.pdf_sha256
        if session.get(OpinionCountersignature, opinion_id) is not None:
            return CountersignOutcome(opinion_id, number, False, "已会签")
    source = document_path(store, pdf_sha)
    if not source.is_file():
        return CountersignOutcome(opinion_id, number, False, "文件不在本机文书存储中，未会签")
    anchors = trust_anchors(store)
    report = crypto.verify_opinion_pdf(source, anchors=anchors)
    failed = [c for c in report.checks if not c.ok]
    if failed:
        return CountersignOutcome(opinion_id, number, False, "未会签：" + "；".join(c.detail for c in failed))
    roots = [c for c in anchors.trusted if c.issuer == c.subject and _is_ca(c)]
    signed = countersign_pdf(source.read_bytes(), office, crls=[crl], roots=roots, signing_time=now)
    sha = hashlib.sha256(signed).hexdigest()
    target = document_path(store, sha)
    try:
        if not write_new(target, signed) and hashlib.sha256(target.read_bytes()).hexdigest() != sha:
            raise EnvironmentProblem(Msg("文书存储中的文件已损坏（内容与哈希不符）"), code="E_BLOB_CORRUPT")
    except OSError as exc:
        raise EnvironmentProblem(Msg("无法保存会签文件：{error}", error=exc.strerror or exc), code="E_WRITE_FAILED") from exc
    with store.transaction() as session:
        if session.get(OpinionCountersignature, opinion_id) is not None:
            return CountersignOutcome(opinion_id, number, False, "已会签")
        sig = OpinionCountersignature(opinion_id=opinion_id, pdf_sha256=sha, signed_at=now or utcnow(),
                                      signer_name=office.common_name, signer_fingerprint=office.fingerprint,
                                      crl_number=crl_number(crl))
        session.add(sig)
        record_event(session, action="opinion.countersign", entity=("acceptance_opinion", opinion_id),
                     detail={"number": number, "pdf_sha256": sha, "original_sha256": pdf_sha,
                             "crl_number": crl_number(crl)})
    return CountersignOutcome(opinion_id, number, True, f"已会签（{office.common_name}）", sha)


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def pending_countersign(store: Store) -> list[str]:
    """Return the opinions received from other devices that the office has not countersigned yet."""
    with store.reader() as session:
        done = set(session.scalars(select(OpinionCountersignature.opinion_id)))
        rows = session.scalars(select(AcceptanceOpinion).where(AcceptanceOpinion.deleted_at.is_(None))
                               .order_by(AcceptanceOpinion.year, AcceptanceOpinion.serial))
        return [r.id for r in rows if r.id not in done and r.origin_device != store.device_id]


def countersign_pending(store: Store, *, passphrase: str, now: dt.datetime | None = None) -> CountersignReport:
    """Countersign every received opinion not countersigned yet, with the office's identity."""
    _require_office(store)
    office = identity_service.load_device_identity(store, passphrase)
    if office.self_signed:
        raise UserError(Msg("市办公室的签名证书是自签名的：请先用市办公室 CA 为其签发证书（identity import-cert）"),
                        code="E_OFFICE_SELF_SIGNED")
    crl = _fresh_crl(store)
    report = CountersignReport()
    for opinion_id in pending_countersign(store):
        report.outcomes.append(countersign_opinion(store, opinion_id, office=office, crl=crl, now=now))
    return report


def countersigned_path(store: Store, opinion_id: str) -> Path | None:
    """Return the countersigned file of an opinion, if the office countersigned it."""
    with store.reader() as session:
        sig = session.get(OpinionCountersignature, opinion_id)
        return document_path(store, sig.pdf_sha256) if sig is not None else None


# --- what an outside verifier needs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KitView:
    """The files ``export_verification_kit`` wrote."""

    folder: Path
    files: list[Path]
    fingerprint: str
    crl: CrlView


def fingerprint_text(cert: x509.Certificate) -> str:
    """Return the SHA-256 fingerprint as a reader shows it: colon-separated upper-case hex."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def export_verification_kit(store: Store, ca_dir: Path, out_dir: Path, *, passphrase: str,
                            verification_url: str = "") -> KitView:
    """Publish a fresh CRL and write the root certificate, the CRL and 验证指南.pdf into ``out_dir``."""
    from inspect_app.reports.verification_guide import GuideFacts, render_guide

    crl_view = publish_crl(store, ca_dir, passphrase=passphrase)
    ca = crypto.load_ca(Path(ca_dir), passphrase)
    crl = x509.load_pem_x509_crl(crl_view.path.read_bytes())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cert = ca.certificate
    names = {
        "root.pem": cert.public_bytes(serialization.Encoding.PEM),
        "root.cer": cert.public_bytes(serialization.Encoding.DER),
        "office-ca.crl": crl.public_bytes(serialization.Encoding.DER),
        "office-ca.crl.pem": crl.public_bytes(serialization.Encoding.PEM),
    }
    written = []
    for name, content in names.items():
        write_atomic(out_dir / name, content)
        written.append(out_dir / name)
    cn = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    facts = GuideFacts(
        authority=str(cn[0].value) if cn else cert.subject.rfc4514_string(),
        fingerprint=fingerprint_text(cert),
        valid_from=cert.not_valid_before_utc, valid_to=cert.not_valid_after_utc,
        crl_number=crl_view.number, crl_issued=crl_view.issued_at, crl_next=crl_view.next_update,
        revoked=crl_view.revoked, verification_url=verification_url,
    )
    guide = out_dir / "验证指南.pdf"
    write_atomic(guide, render_guide(facts))
    written.append(guide)
    return KitView(folder=out_dir, files=written, fingerprint=facts.fingerprint, crl=crl_view)


def set_office_seal(store: Store, png: bytes) -> str:
    """Keep the office's seal image (a PNG, best with a transparent background) in the blob store and make it
    the one printed on opinions; return its SHA-256."""
    import io

    from PIL import Image, UnidentifiedImageError

    from inspect_app.evidence.blobstore import BlobStore
    from inspect_app.services.settings import set_setting

    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        raise UserError(Msg("印章图片应为 PNG 文件"), code="E_SEAL_INVALID") from None
    if not (100 <= width <= 3000 and 100 <= height <= 3000) or not 0.8 <= width / height <= 1.25:
        raise UserError(Msg("印章图片应近似正方形，边长 100–3000 像素（现为 {width}×{height}）", width=width, height=height), code="E_SEAL_INVALID")
    digest = BlobStore(store.blob_root).put_bytes(png)
    with store.transaction() as session:
        set_setting(session, "office_seal", digest)
        record_event(session, action="settings.office_seal", entity=("setting", "office_seal"),
                     detail={"sha256": digest, "size": [width, height]})
    return digest
