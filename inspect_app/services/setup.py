"""First run: who uses this store, in what role, with which signing identity (the wizard and ``inspect-app setup``).

One use case for both faces: the window's first-run wizard collects the answers page by page and calls
``first_run`` once; the command line takes the same answers as options. Each step is an existing use case
(settings, ``services.identity``); this module only runs them in order and says what was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspect_app.errors import UserError
from inspect_app.fileio import write_atomic
from inspect_app.i18n import Msg
from inspect_app.models.store import Store
from inspect_app.services import identity
from inspect_app.services.settings import ROLES, get_setting, set_setting

SETUP_DONE_KEY = "inspector"


@dataclass(frozen=True)
class FirstRunAnswers:
    """What the first-run wizard (or ``inspect-app setup``) asks."""

    name: str
    organisation: str
    title: str = ""
    role: str = "inspector"
    create_identity: bool = True
    passphrase: str = ""
    office_ca_pem: bytes | None = None
    """The city office's CA certificate to trust (signatures and bundles of its devices)."""
    office_ca_name: str = "office-ca"
    request_out: Path | None = None
    """Where to save this device's certificate request, to take to the office."""


@dataclass
class FirstRunResult:
    """What the first run did."""

    role: str
    identity: identity.IdentityView | None = None
    trusted: Path | None = None
    request: Path | None = None
    done: list[str] = field(default_factory=list)


def is_ca_certificate(pem: bytes) -> bool:
    """Tell whether ``pem`` holds a CA certificate (basic constraints CA:TRUE)."""
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        return False
    for cert in certs:
        try:
            if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
                return True
        except x509.ExtensionNotFound:
            continue
    return False


def check_answers(answers: FirstRunAnswers, *, passphrase_asked: bool = True) -> None:
    """Refuse answers that cannot work, before anything is written (``passphrase_asked=False``: not yet asked)."""
    if not answers.name.strip():
        raise UserError(Msg("请填写核查人员姓名"), code="E_NAME_REQUIRED")
    if not answers.organisation.strip():
        raise UserError(Msg("请填写所在单位"), code="E_ORGANISATION_REQUIRED")
    if answers.role not in ROLES:
        raise UserError(Msg("角色应为 inspector（核查人员）或 office（市办公室）：{value}", value=answers.role), code="E_ROLE_INVALID")
    if answers.create_identity and passphrase_asked and not answers.passphrase:
        raise UserError(Msg("请设置签名口令（用于保护本机签名密钥）"), code="E_PASSPHRASE")
    if answers.request_out is not None and not answers.create_identity:
        raise UserError(Msg("证书申请需要本机签名身份：请同时创建签名身份"), code="E_NO_IDENTITY")
    if answers.office_ca_pem is not None and not is_ca_certificate(answers.office_ca_pem):
        raise UserError(Msg("所选文件不是 CA 证书（需要市办公室的 CA 证书，PEM 格式）"), code="E_CERT_NOT_CA")
    if answers.request_out is not None and Path(answers.request_out).exists():
        raise UserError(Msg("目标文件已存在：{out}（不会覆盖）", out=answers.request_out), code="E_FILE_EXISTS")


def needs_setup(store: Store) -> bool:
    """Tell whether nobody has been set up on this store yet (the wizard's question)."""
    with store.reader() as session:
        inspector = get_setting(session, SETUP_DONE_KEY)
    return not (isinstance(inspector, dict) and str(inspector.get("name", "")).strip())


def first_run(store: Store, answers: FirstRunAnswers) -> FirstRunResult:
    """Record the inspector and the role, create the signing identity, trust the office CA, save the request."""
    check_answers(answers)
    name, organisation, title = answers.name.strip(), answers.organisation.strip(), answers.title.strip()
    with store.transaction() as session:
        set_setting(session, "inspector", {"name": name, "organisation": organisation, "title": title})
        set_setting(session, "role", answers.role)
    result = FirstRunResult(role=answers.role, done=["inspector", "role"])
    if answers.create_identity:
        if identity.has_identity(store):
            result.identity = identity.show_identity(store)
            result.done.append("identity_kept")
        else:
            result.identity = identity.create_device_identity(store, common_name=name, organisation=organisation,
                                                              passphrase=answers.passphrase)
            result.done.append("identity")
    if answers.office_ca_pem is not None:
        result.trusted = identity.trust_certificate(store, answers.office_ca_pem, name=answers.office_ca_name)
        result.done.append("trusted")
    if answers.request_out is not None:
        request = identity.export_request(store, answers.passphrase)
        write_atomic(Path(answers.request_out), request)
        result.request = Path(answers.request_out)
        result.done.append("request")
    return result
