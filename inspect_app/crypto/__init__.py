"""Device identity, the office CA, PAdES signing of opinions and their verification."""

from __future__ import annotations

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
