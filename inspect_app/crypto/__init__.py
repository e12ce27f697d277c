"""Device identity, the office CA, PAdES signing of opinions and their verification.

The names below are loaded from their submodule on first use (PEP 562): importing ``inspect_app.crypto.ca`` or
``inspect_app.crypto.identity`` (certificates only: ``device list``, the sync signer) must not pull in the PDF
signer and verifier with pyHanko and reportlab (~0.4 s of a command's start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspect_app.crypto.ca import CertificateAuthority, create_ca, issue_certificate, load_ca
    from inspect_app.crypto.identity import (
        Identity,
        create_identity,
        export_request,
        import_certificate,
        load_identity,
    )
    from inspect_app.crypto.pades import sign_pdf, sign_pdf_bytes
    from inspect_app.crypto.verify import Check, VerificationReport, verify_opinion_pdf

_HOME = {
    "CertificateAuthority": "ca",
    "create_ca": "ca",
    "issue_certificate": "ca",
    "load_ca": "ca",
    "Identity": "identity",
    "create_identity": "identity",
    "export_request": "identity",
    "import_certificate": "identity",
    "load_identity": "identity",
    "sign_pdf": "pades",
    "sign_pdf_bytes": "pades",
    "Check": "verify",
    "VerificationReport": "verify",
    "verify_opinion_pdf": "verify",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


__all__ = [
    "CertificateAuthority",
    "Check",
    "Identity",
    "VerificationReport",
    "create_ca",
    "create_identity",
    "export_request",
    "import_certificate",
    "issue_certificate",
    "load_ca",
    "load_identity",
    "sign_pdf",
    "sign_pdf_bytes",
    "verify_opinion_pdf",
]
