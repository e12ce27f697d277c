"""The opinion step of an inspection: conclusion, wording, signatures, what blocks signing, and issuing.

A thin, typed caller of ``services.opinions``: the page reads the inspection's facts and blockers with
``check_opinion`` off the GUI thread (on the window's ``OpRunner``), starts the body from the facts' standard
wording (the same text an opinion issued from the command line gets), keeps the handwritten signatures in memory,
adds the signatures still missing here to the service's blockers, and issues the signed PDF with ``issue_opinion``.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPixmap, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspect_app import rules
from inspect_app.errors import InspectError
from inspect_app.i18n import Plain, Text, translate
from inspect_app.models.changes import OpChanges
from inspect_app.models.store import Store
from inspect_app.rules import Conclusion
from inspect_app.rules.opinion_wording import china_today, chinese_date
from inspect_app.services.opinion_drafts import (
    DraftMember,
    DraftSignature,
    DraftUnsigned,
    OpinionDraft,
    discard_opinion_draft,
    load_opinion_draft,
    save_opinion_draft,
)
from inspect_app.services.opinions import (
    REPRESENTATIVE_KEY,
    HandSignature,
    OpinionCheck,
    OpinionFacts,
    OpinionView,
    SignOff,
    check_opinion,
    issue_opinion,
    list_opinions,
    preview_opinion_pdf,
)
from inspect_app.ui.opinion_preview import OpinionPreview
from inspect_app.ui.signature_pad import Signature, SignatureDialog
from inspect_app.ui.style import GREEN, MUTED, RED
from inspect_app.ui.tasks import CancelToken, OpRunner, Progress

CONCLUSION_CODES: tuple[Conclusion, ...] = tuple(Conclusion)
REFRESH_DELAY_MS = 350
PREVIEW_DELAY_MS = 800
PREVIEW_SIZE = (150, 46)
DRAFT_DELAY_MS = 400


@dataclass(frozen=True)
class LoadedOpinion:
    """What the page reads when it opens an inspection: facts and blockers, the kept draft, the opinion issued."""

    check: OpinionCheck
    draft: OpinionDraft | None
    issued: OpinionView | None


def read_opinion_state(store: Store, inspection_id: str, *, acknowledge: str | None,
                       conclusion: Conclusion) -> LoadedOpinion:
    """Read the opinion step of an inspection (in the worker): the check, the kept draft, the live opinion."""
    check = check_opinion(store, inspection_id, acknowledge=acknowledge, conclusion=conclusion)
    with store.reader() as session:
        live = [v for v in list_opinions(session, inspection_id=check.facts.inspection_id, blob_root=store.blob_root)
                if not v.superseded]
    issued = live[-1] if live and check.facts.status == "done" else None
    return LoadedOpinion(check, load_opinion_draft(store, check.facts.inspection_id), issued)


@dataclass(frozen=True)
class BlockerState:
    """What the service says blocks the opinion; rendered when shown, so a language switch re-words it."""

    texts: list[Text]

    @property
    def messages(self) -> list[str]:
        return [text.render() for text in self.texts]


def error_lines(exc: BaseException) -> list[str]:
    """Return an expected error as lines for the user: each blocker on its own line when there are blockers."""
    if isinstance(exc, InspectError):
        blockers = exc.details.get("blockers") if exc.details else None
        if blockers:
            head = exc.message.splitlines()[0] if exc.message else ""
            return [head, *(str(b.get("message", b)) if isinstance(b, dict) else str(b) for b in blockers)]
        return [line.strip() for line in exc.message.splitlines() if line.strip()] or [exc.code]
    return [f"{type(exc).__name__}: {exc}"]


def _iso(day: QDate) -> str:
    return dt.date(day.year(), day.month(), day.day()).isoformat()


def _signature(kept: DraftSignature) -> Signature:
    """Return a kept signature as the pad made it (points back to tuples after the JSON round trip)."""
    strokes = [[(float(x), float(y), float(pressure), int(t)) for x, y, pressure, t in stroke]
               for stroke in kept.strokes]
    return Signature(kept.signer, strokes, kept.png)


# --- the page -----------------------------------------------------------------------------------------------


class MemberRow:
    """The widgets of one signer (a team member or the enterprise representative)."""

    def __init__(self, parent: QWidget) -> None:
        self.name = QLabel(parent)
        self.name.setObjectName("signerName")
        self.detail = QLabel(parent)
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        self.preview = QLabel(parent)
        self.preview.setObjectName("signaturePreview")
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setStyleSheet("QLabel#signaturePreview { background: white; border: 1px dashed #c3ccd6;"
                                   f" border-radius: 4px; color: {MUTED}; }}")
        self.button = QPushButton(parent)
        self.button.setObjectName("signButton")
        # only a team member's row has these: 未签 (does not sign by hand) and why
        self.unsigned_box: QCheckBox | None = None
        self.reason_edit: QLineEdit | None = None

    def widgets(self) -> list[QWidget]:
        extras = [w for w in (self.unsigned_box, self.reason_edit) if w is not None]
        return [self.name, self.detail, self.preview, self.button, *extras]

    def show_signature(self, signature: Signature | None, empty_text: str, sign_text: str, resign_text: str) -> None:
        if signature is None:
            self.preview.clear()
            self.preview.setText(empty_text)
            self.button.setText(sign_text)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(signature.png, "PNG")
        w, h = PREVIEW_SIZE
        self.preview.setPixmap(pixmap.scaled(w - 6, h - 6, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        self.button.setText(resign_text)


class OpinionPage(QWidget):
    """验收意见: conclusion, wording, team and representative signatures, blockers, issuing the signed PDF."""

    issued = Signal(object)
    """Emitted with the service's ``OpinionView`` after an opinion was issued."""
    show_opinion_requested = Signal(str)
    """Emitted with the issued opinion's id: show it (open, verify) on the 验收意见 page."""
    blockers_changed = Signal()
    preview_updated = Signal()
    """Emitted when a new preview PDF (``preview_pdf``) was made and handed to the preview."""

    def __init__(self, store: Store, inspection_id: str | None, parent: QWidget | None = None, *,
                 runner: OpRunner) -> None:
        super().__init__(parent)
        self.setObjectName("opinionPage")
        self.store = store
        self.runner = runner
        self.inspection_id: str | None = None
        self.facts: OpinionFacts | None = None
        self.blocker_state: BlockerState | None = None
        self.signatures: dict[int, Signature] = {}
        """Team signatures by position in the inspection's team (in memory only)."""
        self.representative_signature: Signature | None = None
        self.unsigned: dict[int, str] = {}
        """Team members marked 未签 (did not sign by hand), by position in the team: why (may be empty)."""
        self.signature_dialog: SignatureDialog | None = None
        self.last_result: OpinionView | None = None
        self.issued_opinion: OpinionView | None = None
        """The live opinion already issued on this inspection (after a restart too)."""
        self._restoring = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._generation = 0
        self._pending = 0
        self._issuing = False
        self._body_edited = False
        self._setting_body = False
        self._member_rows: list[MemberRow] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh_blockers)
        self.preview_pdf: bytes | None = None
        self._preview_generation = 0
        self._preview_running = False
        self._preview_again = False
        self._preview_dirty = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._build()
        self.blockers_changed.connect(self.schedule_preview)
        self.rep_title.textChanged.connect(self.schedule_preview)
        self.conclusion_group.idToggled.connect(self._conclusion_for_preview)
        self.runner.changed.connect(self._on_store_changed)
        for signal in (self.ack_edit.textChanged, self.rep_name.textChanged, self.rep_title.textChanged,
                       self.body_edit.textChanged, self.reasons_edit.textChanged, self.deadline_edit.dateChanged,
                       self.dismantle_edit.dateChanged, self.rep_agrees.toggled, self.rep_opinion.textChanged,
                       self.rep_unsigned.toggled, self.rep_unsigned_reason.textChanged):
            signal.connect(self.schedule_draft)
        self.conclusion_group.idToggled.connect(lambda _id, checked: self.schedule_draft() if checked else None)
        self.retranslate_ui()
        self.set_inspection(inspection_id)

    # --- layout --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("hint")

        # summary
        self.summary_box = QGroupBox(self)
        form = QFormLayout(self.summary_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.enterprise_label = QLabel(self.summary_box)
        self.enterprise_label.setObjectName("enterpriseName")
        self.enterprise_label.setStyleSheet("font-weight: bold; font-size: 15px; color: #102a43;")
        self.uscc_label = QLabel(self.summary_box)
        self.equipment_label = QLabel(self.summary_box)
        self.method_label = QLabel(self.summary_box)
        self.visit_label = QLabel(self.summary_box)
        self.checklist_label = QLabel(self.summary_box)
        self.checklist_label.setTextFormat(Qt.TextFormat.RichText)
        self._summary_captions = [QLabel(self.summary_box) for _ in range(6)]
        values = [self.enterprise_label, self.uscc_label, self.equipment_label, self.method_label, self.visit_label,
                  self.checklist_label]
        for caption, value in zip(self._summary_captions, values, strict=True):
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption.setObjectName("hint")
            form.addRow(caption, value)

        # conclusion and wording
        self.conclusion_box = QGroupBox(self)
        conclusion_layout = QVBoxLayout(self.conclusion_box)
        choices = QHBoxLayout()
        self.conclusion_group = QButtonGroup(self)
        self.conclusion_buttons: dict[Conclusion, QRadioButton] = {}
        for n, code in enumerate(CONCLUSION_CODES):
            button = QRadioButton(self.conclusion_box)
            button.setObjectName(f"conclusion_{code}")
            self.conclusion_group.addButton(button, n)
            self.conclusion_buttons[code] = button
            choices.addWidget(button)
        choices.addStretch(1)
        self.conclusion_buttons[Conclusion.PASS].setChecked(True)
        self.conclusion_group.idToggled.connect(self._conclusion_toggled)
        conclusion_layout.addLayout(choices)
        body_head = QHBoxLayout()
        self.body_caption = QLabel(self.conclusion_box)
        self.body_caption.setObjectName("hint")
        self.reset_body_button = QPushButton(self.conclusion_box)
        self.reset_body_button.setObjectName("resetBody")
        self.reset_body_button.clicked.connect(self.reset_body)
        body_head.addWidget(self.body_caption, 1)
        body_head.addWidget(self.reset_body_button)
        conclusion_layout.addLayout(body_head)
        self.body_edit = QPlainTextEdit(self.conclusion_box)
        self.body_edit.setObjectName("opinionBody")
        self.body_edit.setMinimumHeight(130)
        self.body_edit.textChanged.connect(self._body_changed)
        conclusion_layout.addWidget(self.body_edit, 1)
        # a fail or recheck needs its reasons, a recheck its deadline (printed in the conclusion)
        self.reasons_panel = QWidget(self.conclusion_box)
        reasons_layout = QGridLayout(self.reasons_panel)
        reasons_layout.setContentsMargins(0, 0, 0, 0)
        self.reasons_caption = QLabel(self.reasons_panel)
        self.reasons_caption.setObjectName("hint")
        self.reasons_caption.setWordWrap(True)
        self.reasons_edit = QPlainTextEdit(self.reasons_panel)
        self.reasons_edit.setObjectName("opinionReasons")
        self.reasons_edit.setFixedHeight(58)
        self.reasons_edit.textChanged.connect(self._signoff_changed)
        self.deadline_caption = QLabel(self.reasons_panel)
        self.deadline_edit = self._date_edit(self.reasons_panel, "recheckBy", QDate.currentDate().addDays(30))
        reasons_layout.addWidget(self.reasons_caption, 0, 0, 1, 2)
        reasons_layout.addWidget(self.reasons_edit, 1, 0, 1, 2)
        reasons_layout.addWidget(self.deadline_caption, 2, 0)
        reasons_layout.addWidget(self.deadline_edit, 2, 1, Qt.AlignmentFlag.AlignLeft)
        reasons_layout.setColumnStretch(1, 1)
        conclusion_layout.addWidget(self.reasons_panel)
        # sealed equipment (封存) is dismantled later: the deadline the opinion sets (限时拆除)
        self.dismantle_panel = QWidget(self.conclusion_box)
        dismantle_layout = QGridLayout(self.dismantle_panel)
        dismantle_layout.setContentsMargins(0, 0, 0, 0)
        self.dismantle_caption = QLabel(self.dismantle_panel)
        self.dismantle_edit = self._date_edit(self.dismantle_panel, "dismantleBy", QDate.currentDate().addMonths(6))
        self.dismantle_hint = QLabel(self.dismantle_panel)
        self.dismantle_hint.setObjectName("hint")
        self.dismantle_hint.setWordWrap(True)
        dismantle_layout.addWidget(self.dismantle_caption, 0, 0)
        dismantle_layout.addWidget(self.dismantle_edit, 0, 1, Qt.AlignmentFlag.AlignLeft)
        dismantle_layout.addWidget(self.dismantle_hint, 1, 0, 1, 2)
        dismantle_layout.setColumnStretch(1, 1)
        conclusion_layout.addWidget(self.dismantle_panel)

        # team signatures
        self.team_box = QGroupBox(self)
        self.team_grid = QGridLayout(self.team_box)
        self.team_grid.setColumnStretch(1, 1)
        self.team_empty = QLabel(self.team_box)
        self.team_empty.setObjectName("hint")

        # representative
        self.rep_box = QGroupBox(self)
        rep_layout = QGridLayout(self.rep_box)
        self.rep_name = QLineEdit(self.rep_box)
        self.rep_name.setObjectName("representativeName")
        self.rep_title = QLineEdit(self.rep_box)
        self.rep_title.setObjectName("representativeTitle")
        self.rep_row = MemberRow(self.rep_box)
        self.rep_row.button.setObjectName("signRepresentative")
        self.rep_row.button.clicked.connect(self.sign_representative)
        self.rep_name.textChanged.connect(self._representative_changed)
        self.rep_name_caption = QLabel(self.rep_box)
        self.rep_title_caption = QLabel(self.rep_box)
        rep_layout.addWidget(self.rep_name_caption, 0, 0)
        rep_layout.addWidget(self.rep_name, 0, 1)
        rep_layout.addWidget(self.rep_title_caption, 1, 0)
        rep_layout.addWidget(self.rep_title, 1, 1)
        rep_layout.addWidget(self.rep_row.preview, 0, 2, 2, 1)
        rep_layout.addWidget(self.rep_row.button, 0, 3, 2, 1)
        # 无异议 only when the representative signed and agreed; otherwise the enterprise's own words (or a line)
        self.rep_agrees = QCheckBox(self.rep_box)
        self.rep_agrees.setObjectName("representativeAgrees")
        self.rep_agrees.toggled.connect(self._signoff_changed)
        self.rep_opinion = QLineEdit(self.rep_box)
        self.rep_opinion.setObjectName("representativeOpinion")
        self.rep_opinion.textChanged.connect(self._signoff_changed)
        # 未签: the representative does not sign by hand (refuses, or is not there); why prints in their cell
        self.rep_unsigned = QCheckBox(self.rep_box)
        self.rep_unsigned.setObjectName("representativeUnsigned")
        self.rep_unsigned.toggled.connect(self._signoff_changed)
        self.rep_unsigned_reason = QLineEdit(self.rep_box)
        self.rep_unsigned_reason.setObjectName("representativeUnsignedReason")
        self.rep_unsigned_reason.textChanged.connect(self._signoff_changed)
        rep_layout.addWidget(self.rep_agrees, 2, 0, 1, 4)
        rep_layout.addWidget(self.rep_opinion, 3, 0, 1, 4)
        rep_layout.addWidget(self.rep_unsigned, 4, 0)
        rep_layout.addWidget(self.rep_unsigned_reason, 4, 1, 1, 3)
        rep_layout.setColumnStretch(1, 1)
        self.rep_row.name.hide()
        self.rep_row.detail.hide()

        # acknowledgement of open doubt flags
        self.ack_box = QGroupBox(self)
        ack_layout = QVBoxLayout(self.ack_box)
        self.ack_hint = QLabel(self.ack_box)
        self.ack_hint.setObjectName("hint")
        self.ack_hint.setWordWrap(True)
        self.ack_edit = QPlainTextEdit(self.ack_box)
        self.ack_edit.setObjectName("acknowledgement")
        self.ack_edit.setFixedHeight(58)
        self.ack_edit.textChanged.connect(self.schedule_refresh)
        ack_layout.addWidget(self.ack_hint)
        ack_layout.addWidget(self.ack_edit)

        # blockers
        self.blockers_box = QGroupBox(self)
        blockers_layout = QVBoxLayout(self.blockers_box)
        self.ready_label = QLabel(self.blockers_box)
        self.ready_label.setObjectName("readyLabel")
        self.ready_label.setWordWrap(True)
        self.blockers_list = QListWidget(self.blockers_box)
        self.blockers_list.setMaximumHeight(150)  # a few lines; the form below matters as much
        self.blockers_list.setObjectName("blockers")
        self.blockers_list.setWordWrap(True)
        self.blockers_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.blockers_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.blockers_list.setMinimumHeight(110)
        self.blockers_list.setStyleSheet(f"QListWidget#blockers {{ color: {RED}; }}"
                                         " QListWidget#blockers::item { padding: 3px 2px; }")
        self.ready_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        blockers_layout.addWidget(self.ready_label, 0, Qt.AlignmentFlag.AlignTop)
        blockers_layout.addWidget(self.blockers_list, 1)

        # columns inside a scroll area
        content = QWidget(self)
        content.setObjectName("opinionContent")
        # One column: beside the inspection list and the preview there is no room for two without
        # squeezing the signers' names and units into a column one character wide.
        # 340, not 400: at 1280×720 beside the list the form gets ~370 pixels; wider, its blockers and summary were
        # cut behind a sideways scroll bar (and holding the splitter open instead pushed the preview off the page).
        content.setMinimumWidth(340)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.blockers_box)
        column.addWidget(self.summary_box)
        column.addWidget(self.conclusion_box)
        column.addWidget(self.team_box)
        column.addWidget(self.rep_box)
        column.addWidget(self.ack_box)
        column.addStretch(1)
        self.body_edit.setMinimumHeight(150)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.form_scroll = scroll

        # the action bar stays visible
        self.result_label = QLabel(self)
        self.result_label.setObjectName("opinionResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setOpenExternalLinks(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.sign_button = QPushButton(self)
        self.sign_button.setObjectName("primary")
        self.sign_button.setMinimumWidth(150)
        self.sign_button.clicked.connect(self.issue)
        # Issued (here, on the command line, before a restart): where to open and verify it.
        self.view_issued_button = QPushButton(self)
        self.view_issued_button.setObjectName("viewIssued")
        self.view_issued_button.clicked.connect(self._view_issued)
        self.view_issued_button.hide()
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.view_issued_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The outcome of issuing (a wrong passphrase, the number issued) shows at the top, where the user looks
        # after the passphrase dialog closes, not below the fold of the form.
        self.result_label.hide()

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.status_label)
        # the live preview beside the form
        self.preview_box = QGroupBox(self)
        self.preview_box.setObjectName("previewBox")
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.setContentsMargins(6, 6, 6, 6)
        self.preview = OpinionPreview(self.preview_box, runner=self.runner)
        preview_layout.addWidget(self.preview, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("opinionSplitter")
        self.splitter.setChildrenCollapsible(True)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.preview_box)
        # Half the width for the preview: at 1366 pixels a two-fifths column shrank the page to unreadable.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([620, 620])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._preview_maybe_shown())

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.result_label)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)
        self._show_reasons()

    def _date_edit(self, parent: QWidget, name: str, day: QDate) -> QDateEdit:
        """A deadline of the sign-off: a date with a calendar, in ISO form (it prints in the Chinese date)."""
        edit = QDateEdit(parent)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(day)
        edit.dateChanged.connect(self._signoff_changed)
        return edit

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("书面验收意见"))
        for caption, text in zip(self._summary_captions, (
                self.tr("企业"), self.tr("统一社会信用代码"), self.tr("设备及产能"), self.tr("退出方式"),
                self.tr("核查时间地点"), self.tr("核查清单")), strict=True):
            caption.setText(text)
        self.summary_box.setTitle(self.tr("核查概况"))
        self.conclusion_box.setTitle(self.tr("验收结论"))
        labels = {Conclusion.PASS: self.tr("通过"), Conclusion.FAIL: self.tr("不予通过"),
                  Conclusion.RECHECK: self.tr("限期整改后复验")}
        for code, button in self.conclusion_buttons.items():
            button.setText(labels[code])
        self.body_caption.setText(self.tr("意见正文（印在结论部分，可修改）"))
        self.reset_body_button.setText(self.tr("恢复标准文本"))
        self.reset_body_button.setToolTip(self.tr("按所选结论重新生成标准文本（会覆盖已修改的内容）"))
        self.team_box.setTitle(self.tr("验收组签名"))
        self.team_empty.setText(self.tr("本次核查未填写验收组成员，请在“验收组”步骤中填写。"))
        self.rep_box.setTitle(self.tr("企业代表"))
        self.rep_name_caption.setText(self.tr("姓名"))
        self.rep_title_caption.setText(self.tr("职务"))
        self.rep_name.setPlaceholderText(self.tr("企业代表姓名"))
        self.rep_title.setPlaceholderText(self.tr("如：总经理"))
        self.rep_agrees.setText(self.tr("企业代表签字并确认无异议"))
        self.rep_opinion.setPlaceholderText(self.tr("企业意见（未确认无异议时印出；不填则留空线）"))
        self.rep_unsigned.setText(self.tr("未签"))
        self.rep_unsigned_reason.setPlaceholderText(self.tr("企业代表未签原因（如：拒绝签字）"))
        self.reasons_caption.setText(self.tr("理由（每行一条，写明哪些核查项目、哪些方面不符合要求；未达要求的核查项目自动列入）"))
        self.deadline_caption.setText(self.tr("整改期限"))
        self.dismantle_caption.setText(self.tr("限时拆除期限"))
        self.ack_box.setTitle(self.tr("疑点说明"))
        self.ack_hint.setText(self.tr("照片存在未说明的疑点（时间、位置、重复等）时，须在此写明理由后方可签发；"
                                      "理由将记入验收意见和审计记录。"))
        self.ack_edit.setPlaceholderText(self.tr("例如：拆除前照片由企业提供，已与现场核对一致"))
        self.blockers_box.setTitle(self.tr("签发条件"))
        self.sign_button.setText(self.tr("签发并签名…"))
        self.view_issued_button.setText(self.tr("查看并核验…"))
        self.view_issued_button.setToolTip(self.tr("在“验收意见”页打开本次核查已签发的意见：打开 PDF、核验签名与影像证据"))
        self._show_preview_title()
        self._show_facts()
        self._show_signatures()
        self._show_blockers()

    def _show_preview_title(self) -> None:
        view = self.issued_opinion
        if view is not None and view.stored_path is not None and view.stored_path.is_file():
            self.preview_box.setTitle(self.tr("已签发的验收意见 {number}").format(number=view.number))
        else:
            self.preview_box.setTitle(self.tr("预览（未签发，随填写内容更新）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.facts is not None:
            self.refresh_blockers()  # photos may have been added in the previous step
            self.schedule_preview()

    # --- loading -------------------------------------------------------------------------------------------

    def set_inspection(self, inspection_id: str | None) -> None:
        """Show the opinion step of ``inspection_id`` (None: nothing); signatures in memory are dropped."""
        self._generation += 1
        self._refresh_timer.stop()
        self.inspection_id = inspection_id
        self.facts = None
        self.blocker_state = None
        self.flush_draft()
        self.signatures = {}
        self.unsigned = {}
        self.representative_signature = None
        self.last_result = None
        self.issued_opinion = None
        self._body_edited = False
        self._set_body("")
        self.rep_name.clear()
        self.rep_title.clear()
        for widget in (self.reasons_edit, self.rep_opinion, self.rep_agrees, self.deadline_edit,
                       self.dismantle_edit, self.rep_unsigned, self.rep_unsigned_reason):
            widget.blockSignals(True)
        self.reasons_edit.clear()
        self.rep_opinion.clear()
        self.rep_agrees.setChecked(False)
        self.rep_unsigned.setChecked(False)
        self.rep_unsigned_reason.clear()
        self.deadline_edit.setDate(QDate.currentDate().addDays(30))
        self.dismantle_edit.setDate(QDate.currentDate().addMonths(6))
        for widget in (self.reasons_edit, self.rep_opinion, self.rep_agrees, self.deadline_edit,
                       self.dismantle_edit, self.rep_unsigned, self.rep_unsigned_reason):
            widget.blockSignals(False)
        self.ack_edit.blockSignals(True)
        self.ack_edit.clear()
        self.ack_edit.blockSignals(False)
        self._set_result("")
        self._preview_timer.stop()
        self._preview_generation += 1
        self.preview_pdf = None
        self.preview.clear()
        self._rebuild_team()
        self._show_facts()
        self._show_blockers()
        if inspection_id is None:
            return
        self.preview.set_loading()
        generation = self._generation
        store = self.store
        acknowledge = self.acknowledgement()
        conclusion = self.conclusion()

        def op(_p: Progress, _c: CancelToken) -> LoadedOpinion:
            return read_opinion_state(store, inspection_id, acknowledge=acknowledge or None, conclusion=conclusion)

        self._submit(op, lambda result: self._loaded(generation, result), generation)

    def _submit(self, op: Any, on_success: Any, generation: int) -> None:
        self._pending += 1
        self._update_sign_button()

        def ok(result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            self._pending -= 1
            on_success(result)
            self._update_sign_button()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            self._pending -= 1
            if generation == self._generation:
                self._load_failed(exc)
            self._update_sign_button()
            return isinstance(exc, InspectError) or self.runner.show_failure is None

        self.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self, show_progress=False)

    def _loaded(self, generation: int, loaded: LoadedOpinion) -> None:
        if generation != self._generation:
            return
        check = loaded.check
        facts = check.facts
        self.facts = facts
        self.issued_opinion = loaded.issued
        self.blocker_state = BlockerState(self._blocker_texts(check))
        self._restoring = True
        try:
            if loaded.draft is not None:
                self._restore_draft(loaded.draft)
            if not self.rep_name.text() and facts.contact_name:
                self.rep_name.setText(facts.contact_name)
                self.rep_title.setText("企业联系人")  # data printed in the PDF: Chinese whatever the UI language
            self._rebuild_team()
            self._show_facts()
            if not self._body_edited:
                self._set_body(self.standard_body())
        finally:
            self._restoring = False
        if loaded.draft is not None:
            self.refresh_blockers()  # the restored conclusion and explanation change what blocks
        self._show_issued()
        self._show_blockers()
        self._show_preview_title()
        if self.issued_opinion is not None:
            self.schedule_preview()  # the signed PDF as stored

    def _blocker_texts(self, check: OpinionCheck) -> list[Text]:
        # Once issued, "an opinion already exists" is the state the banner shows, not a blocker to fix.
        issued = self.issued_opinion is not None
        return [b.text for b in check.blockers if not (issued and b.code == "E_OPINION_EXISTS")]

    # --- the draft kept on this laptop ---------------------------------------------------------------------

    def current_draft(self) -> OpinionDraft | None:
        """Return what the page holds now as a draft (None before the inspection's facts are read)."""
        if self.facts is None:
            return None
        team = self.facts.team
        members = [DraftMember(dict(team[i]), DraftSignature(sig.signer, sig.strokes, sig.png))
                   for i, sig in sorted(self.signatures.items()) if i < len(team)]
        rep = self.representative_signature
        return OpinionDraft(
            inspection_id=self.facts.inspection_id, conclusion=self.conclusion().value,
            body=self.body() if self._body_edited else "", body_edited=self._body_edited,
            acknowledgement=self.ack_edit.toPlainText(), representative_name=self.rep_name.text(),
            representative_title=self.rep_title.text(), team_signatures=members,
            representative_signature=DraftSignature(rep.signer, rep.strokes, rep.png) if rep is not None else None,
            reasons=self.reasons_edit.toPlainText(), recheck_by=_iso(self.deadline_edit.date()),
            dismantle_by=_iso(self.dismantle_edit.date()),
            unsigned=[DraftUnsigned(dict(team[i]), reason) for i, reason in sorted(self.unsigned.items())
                      if i < len(team)],
            representative_agrees=self.rep_agrees.isChecked(), representative_opinion=self.rep_opinion.text(),
            representative_unsigned=self.rep_unsigned.isChecked(),
            representative_unsigned_reason=self.rep_unsigned_reason.text())

    def _restore_draft(self, draft: OpinionDraft) -> None:
        team = self.facts.team if self.facts else []
        if draft.conclusion:
            self.set_conclusion(draft.conclusion)
        if draft.body_edited:
            self._set_body(draft.body)
            self._body_edited = True
        self.ack_edit.setPlainText(draft.acknowledgement)
        self.rep_name.setText(draft.representative_name)
        self.rep_title.setText(draft.representative_title)
        self.signatures = {team.index(m.member): _signature(m.signature)
                           for m in draft.team_signatures if m.member in team}
        rep = draft.representative_signature
        if rep is not None and rep.signer == draft.representative_name.strip():
            self.representative_signature = _signature(rep)
        self.unsigned = {team.index(u.member): u.reason for u in draft.unsigned if u.member in team}
        self.reasons_edit.setPlainText(draft.reasons)
        for edit, value in ((self.deadline_edit, draft.recheck_by), (self.dismantle_edit, draft.dismantle_by)):
            if value:
                edit.setDate(QDate.fromString(value, Qt.DateFormat.ISODate))
        self.rep_agrees.setChecked(draft.representative_agrees)
        self.rep_opinion.setText(draft.representative_opinion)
        self.rep_unsigned.setChecked(draft.representative_unsigned)
        self.rep_unsigned_reason.setText(draft.representative_unsigned_reason)

    def schedule_draft(self) -> None:
        """Keep the draft a moment after the last change (drawn signatures, typed explanations …)."""
        if self._restoring or self._setting_body or self.facts is None or self.issued_opinion is not None:
            return
        self._draft_timer.start()

    def has_unsaved_draft(self) -> bool:
        return self._draft_timer.isActive()

    def flush_draft(self) -> None:
        """Keep the draft now if a change waits (closing the page or the window)."""
        if self._draft_timer.isActive():
            self.save_draft()

    def save_draft(self) -> None:
        """Write the draft in the worker."""
        self._draft_timer.stop()
        draft = self.current_draft()
        if draft is None:
            return
        store = self.store

        def op(_p: Progress, _c: CancelToken) -> None:
            save_opinion_draft(store, draft)

        self.runner.run(op, parent_widget=self, show_progress=False)

    # --- the issued state ----------------------------------------------------------------------------------

    def _set_result(self, html_text: str, colour: QColor | None = None) -> None:
        background = "#e8f5ec" if colour == GREEN else "#fdecea" if colour == RED else "#f4f6f8"
        self.result_label.setStyleSheet(
            f"QLabel#opinionResult {{ padding: 6px 8px; border-radius: 4px; background: {background}; }}")
        self.result_label.setText(html_text)
        self.result_label.setVisible(bool(html_text))

    def _show_issued(self) -> None:
        view = self.issued_opinion
        if view is None or self._issuing:
            return
        if self.last_result is not None and self.last_result.id == view.id:
            return  # the success line of this session already says it, with the file
        text = self.tr("本次核查已签发验收意见 {number}（{conclusion}），{date}。").format(
            number=view.number, conclusion=translate(view.conclusion_label), date=view.issued_on.isoformat())
        hint = self.tr("影像资料已锁定。如需更正：先“重新打开核查”（写明原因），修改后再签发更正意见。")
        self._set_result(f"<span style='color:{GREEN}; font-weight:bold'>{html.escape(text)}</span><br>"
                         f"<span style='color:{MUTED}'>{html.escape(hint)}</span>", GREEN)

    def _view_issued(self) -> None:
        if self.issued_opinion is not None:
            self.show_opinion_requested.emit(self.issued_opinion.id)

    def _load_failed(self, exc: BaseException) -> None:
        self.blocker_state = BlockerState([Plain(self.tr("读取失败：{error}").format(error="；".join(error_lines(exc))))])
        self._show_blockers()

    def schedule_refresh(self) -> None:
        """Refresh the blockers a moment after the last edit."""
        self._refresh_timer.start()
        self._update_sign_button()

    def refresh_blockers(self) -> None:
        """Ask the service again what blocks the opinion (off the GUI thread)."""
        self._refresh_timer.stop()
        if self.facts is None or self.inspection_id is None:
            return
        self._generation += 1
        generation = self._generation
        store = self.store
        inspection_id = self.facts.inspection_id
        acknowledge = self.acknowledgement()
        conclusion = self.conclusion()

        def op(_p: Progress, _c: CancelToken) -> OpinionCheck:
            return check_opinion(store, inspection_id, acknowledge=acknowledge or None, conclusion=conclusion)

        self._submit(op, lambda result: self._refreshed(generation, result), generation)

    def _refreshed(self, generation: int, check: OpinionCheck) -> None:
        if generation != self._generation:
            return
        facts, state = check.facts, BlockerState(self._blocker_texts(check))
        if self.facts is None or facts.team != self.facts.team:
            self._keep_signatures(facts.team)
            self.facts = facts
            self._rebuild_team()
        self.facts = facts
        self.blocker_state = state
        self._show_facts()
        self._show_blockers()

    def _keep_signatures(self, team: list[dict[str, str]]) -> None:
        """Keep the signatures of members still on the (changed) team."""
        old_team = self.facts.team if self.facts else []
        kept: dict[int, Signature] = {}
        for index, signature in self.signatures.items():
            if index < len(old_team) and old_team[index] in team:
                kept[team.index(old_team[index])] = signature
        self.signatures = kept
        self.unsigned = {team.index(old_team[i]): reason for i, reason in self.unsigned.items()
                         if i < len(old_team) and old_team[i] in team}

    def _on_store_changed(self, changes: OpChanges) -> None:
        if self.facts is not None and self.isVisible() and changes.casework:
            self.schedule_refresh()

    def busy(self) -> bool:
        """Return whether a read or the issuing is still running."""
        return self._pending > 0 or self._issuing or self._refresh_timer.isActive()

    # --- preview -------------------------------------------------------------------------------------------

    def preview_hidden(self) -> bool:
        """Return whether the preview cannot be seen (page hidden, or the splitter collapsed it)."""
        return not self.isVisible() or not self.preview.isVisible() or self.preview.width() < 40

    def schedule_preview(self) -> None:
        """Make the preview again a moment after the last change of the form."""
        if self.facts is None:
            return
        self._preview_generation += 1  # whatever is being made now is already stale
        if self.preview_hidden():
            self._preview_dirty = True
            return
        self.preview.set_loading()
        self._preview_timer.start()

    def _conclusion_for_preview(self, _id: int, checked: bool) -> None:
        if checked:
            self.schedule_preview()

    def _preview_maybe_shown(self) -> None:
        if self._preview_dirty and not self.preview_hidden():
            self.schedule_preview()

    def preview_request(self) -> dict[str, Any]:
        """Return the arguments of ``preview_opinion_pdf`` for the form as it is now."""
        assert self.facts is not None
        return {
            "inspection_id": self.facts.inspection_id, "conclusion": self.conclusion(),
            "body": self.body() or None, "representative": self.representative(),
            "acknowledge": self.acknowledgement() or None, "signatures": self.hand_signatures(),
            "signoff": self.signoff(),
        }

    def refresh_preview(self) -> None:
        """Make the preview PDF off the GUI thread (one request at a time; a stale result is dropped)."""
        self._preview_timer.stop()
        if self.facts is None:
            return
        if self.preview_hidden():
            self._preview_dirty = True
            return
        self._preview_dirty = False
        if self._preview_running:
            self._preview_again = True  # ask again with the newest form once the running one is done
            return
        generation = self._preview_generation
        store = self.store
        kwargs = self.preview_request()
        self._preview_running = True
        self._preview_again = False
        # Once issued, the preview shows the signed PDF as stored, not a draft of a next opinion.
        issued = self.issued_opinion.stored_path if self.issued_opinion is not None else None
        self._show_preview_title()

        def op(_p: Progress, _c: CancelToken) -> bytes:
            if issued is not None and issued.is_file():
                return issued.read_bytes()
            return preview_opinion_pdf(store, **kwargs)

        def settle() -> bool:
            """Finish the request; return whether its result is still wanted."""
            self._preview_running = False
            if self._preview_again:  # the timer fired while this one ran: the form changed, make it now
                self._preview_again = False
                self._preview_timer.start(0)
            return generation == self._preview_generation

        def ok(pdf: bytes) -> None:
            if not shiboken6.isValid(self) or not settle():
                return
            self.preview_pdf = pdf
            self.preview.set_pdf(pdf)
            self.preview_updated.emit()

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self) or not settle():
                return True
            self.preview_pdf = None
            self.preview.set_error(self.tr("无法生成预览：{error}").format(error="；".join(error_lines(exc))))
            return True

        self.runner.run(op, on_success=ok, on_failure=failed, parent_widget=self, show_progress=False)

    # --- values --------------------------------------------------------------------------------------------

    def conclusion(self) -> Conclusion:
        """Return the chosen conclusion."""
        checked = self.conclusion_group.checkedId()
        return CONCLUSION_CODES[checked] if 0 <= checked < len(CONCLUSION_CODES) else Conclusion.PASS

    def set_conclusion(self, conclusion: Conclusion | str) -> None:
        self.conclusion_buttons[rules.parse_conclusion(conclusion)].setChecked(True)

    def acknowledgement(self) -> str:
        return self.ack_edit.toPlainText().strip()

    def reasons(self) -> tuple[str, ...]:
        """The reasons typed for a fail or recheck, one a line (empty for a pass)."""
        if self.conclusion() is Conclusion.PASS:
            return ()
        return tuple(line.strip() for line in self.reasons_edit.toPlainText().splitlines() if line.strip())

    def recheck_by(self) -> dt.date | None:
        """The recheck deadline (only for a recheck)."""
        if self.conclusion() is not Conclusion.RECHECK:
            return None
        day = self.deadline_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def signoff(self) -> SignOff:
        """What the service needs besides the drawn signatures (every member signs by hand on this page)."""
        return SignOff(reasons=self.reasons(), recheck_by=self.recheck_by(), dismantle_by=self.dismantle_by(),
                       unsigned=self.unsigned_reasons(), representative_agrees=self.rep_agrees.isChecked(),
                       representative_opinion=self.rep_opinion.text().strip(),
                       representative_unsigned=self.rep_unsigned_reason.text().strip()
                       if self.rep_unsigned.isChecked() else "")

    def dismantle_by(self) -> dt.date | None:
        """The dismantling deadline (限时拆除) when the opinion covers sealed equipment."""
        if self.facts is None or not self.facts.needs_dismantle_deadline:
            return None
        day = self.dismantle_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def unsigned_reasons(self) -> dict[str, str]:
        """Members marked 未签, by name: why they did not sign by hand (printed in red in the PDF)."""
        team = self.facts.team if self.facts else []
        return {str(team[i]["name"]): reason.strip() for i, reason in self.unsigned.items()
                if i < len(team) and reason.strip()}

    def set_unsigned(self, index: int, unsigned: bool, reason: str = "") -> None:
        """Mark team member ``index`` as not signing by hand (with why), or as signing again."""
        if unsigned:
            self.unsigned[index] = reason
        else:
            self.unsigned.pop(index, None)
        self._show_signatures()
        self._show_blockers()
        self.schedule_preview()
        self.schedule_draft()

    def _signoff_changed(self, *_args: Any) -> None:
        self._show_reasons()
        self._show_blockers()
        self.schedule_preview()

    def _show_reasons(self) -> None:
        conclusion = self.conclusion()
        self.reasons_panel.setVisible(conclusion is not Conclusion.PASS)
        self.deadline_caption.setVisible(conclusion is Conclusion.RECHECK)
        self.deadline_edit.setVisible(conclusion is Conclusion.RECHECK)
        self.rep_opinion.setEnabled(not self.rep_agrees.isChecked())
        rep_unsigned = self.rep_unsigned.isChecked()
        self.rep_agrees.setEnabled(not rep_unsigned)  # 无异议 is printed only over a signature
        self.rep_unsigned_reason.setVisible(rep_unsigned)
        self._show_signatures()
        sealed = self.facts.sealed_equipment if self.facts is not None else []
        self.dismantle_panel.setVisible(bool(sealed))
        if sealed:
            self.dismantle_hint.setText(self.tr("{equipment} 以封存方式退出：意见书写明企业须在此日期前拆除主体设备")
                                        .format(equipment="、".join(sealed)))

    def body(self) -> str:
        return self.body_edit.toPlainText().strip()

    def representative(self) -> dict[str, str] | None:
        name = self.rep_name.text().strip()
        return {"name": name, "title": self.rep_title.text().strip()} if name else None

    def standard_body(self) -> str:
        """Return the standard wording for the chosen conclusion (the service's, as the command line prints it)."""
        return self.facts.standard_body(self.conclusion()) if self.facts is not None else ""

    def reset_body(self) -> None:
        """Replace the wording with the standard text for the chosen conclusion."""
        self._body_edited = False
        self._set_body(self.standard_body())

    def _set_body(self, text: str) -> None:
        self._setting_body = True
        try:
            self.body_edit.setPlainText(text)
        finally:
            self._setting_body = False
        self._show_blockers()

    def _body_changed(self) -> None:
        if not self._setting_body:
            self._body_edited = True
            self._show_blockers()

    def _conclusion_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        self._show_reasons()
        if not self._body_edited:
            self._set_body(self.standard_body())
        self.schedule_refresh()

    # --- showing -------------------------------------------------------------------------------------------

    def _show_facts(self) -> None:
        facts = self.facts
        self._show_reasons()  # the dismantling deadline shows for sealed equipment only
        if facts is None:
            waiting = self.tr("正在读取…") if self.inspection_id else self.tr("未选择核查")
            for label in (self.enterprise_label, self.uscc_label, self.equipment_label, self.method_label,
                          self.visit_label, self.checklist_label):
                label.setText("")
            self.enterprise_label.setText(waiting)
            self.status_label.setText("")
            return
        self.enterprise_label.setText(facts.enterprise_name)
        self.uscc_label.setText(facts.uscc)
        self.equipment_label.setText("\n".join(str(line) for line in facts.equipment_lines)
                                     or self.tr("（本次核查未涉及设备）"))
        labels = [translate(rules.EXIT_METHOD_LABELS[method]) for method in facts.methods]
        self.method_label.setText(self.tr("、").join(labels) or self.tr("未制定退出计划"))
        place = facts.location_text or facts.address
        day = chinese_date(facts.visited_on) if facts.visited_on else self.tr("尚未核查")
        self.visit_label.setText(f"{day}，{place}" if place else day)
        words = {"yes": self.tr("是"), "no": self.tr("否"), "na": self.tr("不适用"), "": self.tr("未核查")}
        rows = []
        for line in facts.checklist:
            ok = line.answer in ("yes", "na") or (not line.required and line.answer != "no")
            colour = GREEN if ok else RED
            mark = "✓" if ok else "✗"
            note = f" <span style='color:{MUTED}'>（{html.escape(line.note)}）</span>" if line.note else ""
            rows.append(f"<tr><td style='color:{colour}; padding-right:6px'>{mark}</td>"
                        f"<td style='padding-right:10px'>{html.escape(translate(line.label))}</td>"
                        f"<td style='color:{colour}'>{html.escape(words.get(line.answer, line.answer))}{note}</td></tr>")
        self.checklist_label.setText(f"<table cellspacing='0' cellpadding='1'>{''.join(rows)}</table>" if rows
                                     else self.tr("（无核查项）"))
        status = {"planned": self.tr("核查尚未开始"), "draft": self.tr("核查尚未完成"), "done": self.tr("核查已完成"),
                  "cancelled": self.tr("核查已取消")}.get(facts.status, facts.status)
        self.status_label.setText(status)

    def _rebuild_team(self) -> None:
        for row in self._member_rows:
            for widget in row.widgets():
                self.team_grid.removeWidget(widget)
                widget.deleteLater()
        self._member_rows = []
        self.team_grid.removeWidget(self.team_empty)
        team = self.facts.team if self.facts else []
        if not team:
            self.team_grid.addWidget(self.team_empty, 0, 0, 1, 3)
            self.team_empty.setVisible(self.facts is not None)
        else:
            self.team_empty.hide()
        for index, member in enumerate(team):
            row = MemberRow(self.team_box)
            row.button.setObjectName(f"signMember{index}")
            row.preview.setObjectName("signaturePreview")
            row.name.setText(member["name"])
            row.name.setStyleSheet("font-weight: bold;")
            row.detail.setText(" ".join(p for p in (member.get("organisation", ""), member.get("title", "")) if p))
            row.button.clicked.connect(lambda _checked=False, i=index: self.sign_member(i))
            # 未签: the member does not sign by hand; the reason prints in red in the signature cell
            unsigned_box = QCheckBox(self.team_box)
            unsigned_box.setObjectName(f"unsignedMember{index}")
            reason_edit = QLineEdit(self.team_box)
            reason_edit.setObjectName(f"unsignedReason{index}")
            unsigned_box.setChecked(index in self.unsigned)
            reason_edit.setText(self.unsigned.get(index, ""))
            unsigned_box.toggled.connect(
                lambda checked, i=index, edit=reason_edit: self.set_unsigned(i, checked, edit.text()))
            reason_edit.textEdited.connect(
                lambda text, i=index, box=unsigned_box: self.set_unsigned(i, True, text) if box.isChecked() else None)
            row.unsigned_box, row.reason_edit = unsigned_box, reason_edit
            self.team_grid.addWidget(row.name, 2 * index, 0)
            self.team_grid.addWidget(row.detail, 2 * index, 1)
            self.team_grid.addWidget(row.preview, 2 * index, 2)
            self.team_grid.addWidget(row.button, 2 * index, 3)
            self.team_grid.addWidget(unsigned_box, 2 * index + 1, 0)
            self.team_grid.addWidget(reason_edit, 2 * index + 1, 1, 1, 3)
            self._member_rows.append(row)
        self._show_signatures()

    def _show_signatures(self) -> None:
        empty, sign, resign = self.tr("未签名"), self.tr("签名"), self.tr("重签")
        for index, row in enumerate(self._member_rows):
            unsigned = index in self.unsigned
            row.show_signature(None if unsigned else self.signatures.get(index),
                               self.tr("未签") if unsigned else empty, sign, resign)
            name = self.facts.team[index]["name"] if self.facts and index < len(self.facts.team) else ""
            row.button.setToolTip(self.tr("请 {name} 手写签名").format(name=name))
            row.button.setEnabled(not self._issuing and not unsigned)
            box, reason = row.unsigned_box, row.reason_edit
            if box is not None and reason is not None:
                box.setText(self.tr("未签"))
                box.setToolTip(self.tr("{name} 不手写签名：意见书的签字栏印“未签”及原因").format(name=name))
                box.setEnabled(not self._issuing)
                reason.setEnabled(unsigned and not self._issuing)
                reason.setVisible(unsigned)  # an empty box beside every member would read as a field to fill
                reason.setPlaceholderText(self.tr("未签原因（如：出差未到场）"))
        rep_unsigned = self.rep_unsigned.isChecked()
        self.rep_row.show_signature(None if rep_unsigned else self.representative_signature,
                                    self.tr("未签") if rep_unsigned else empty, sign, resign)
        self.rep_row.button.setEnabled(bool(self.rep_name.text().strip()) and self.facts is not None
                                       and not self._issuing and not rep_unsigned)

    def local_blockers(self) -> list[str]:
        """Return what blocks signing that this page knows without the store: missing signatures, empty text."""
        out: list[str] = []
        if self.facts is None:
            return out
        for index, member in enumerate(self.facts.team):
            if index in self.unsigned:
                if not self.unsigned[index].strip():
                    out.append(self.tr("验收组成员“{name}”未签：请写明原因").format(name=member["name"]))
            elif index not in self.signatures:
                out.append(self.tr("验收组成员“{name}”尚未签名").format(name=member["name"]))
        rep = self.representative()
        if rep is not None and self.rep_unsigned.isChecked():
            if not self.rep_unsigned_reason.text().strip():
                out.append(self.tr("企业代表“{name}”未签：请写明原因").format(name=rep["name"]))
        elif rep is not None and self.representative_signature is None:
            out.append(self.tr("企业代表“{name}”尚未签名").format(name=rep["name"]))
        if not self.body():
            out.append(self.tr("意见正文为空"))
        conclusion = self.conclusion()
        if conclusion is not Conclusion.PASS and not self.reasons() and not self.facts.gaps:
            out.append(self.tr("“{conclusion}”须写明理由").format(conclusion=translate(conclusion.label)))
        deadline = self.recheck_by()
        if conclusion is Conclusion.RECHECK and deadline is not None and deadline <= china_today():
            out.append(self.tr("整改期限应晚于今天"))
        dismantle = self.dismantle_by()
        if dismantle is not None and dismantle <= china_today():
            out.append(self.tr("限时拆除期限应晚于今天"))
        return out

    def blocker_messages(self) -> list[str]:
        """Return everything that currently blocks signing (the service's blockers first); nothing once issued:
        the next opinion needs the inspection reopened, and its blockers are read then."""
        if self.issued_opinion is not None:
            return []
        state = self.blocker_state
        service = list(state.messages) if state is not None else []
        return service + self.local_blockers()

    def _show_blockers(self) -> None:
        self.blockers_list.clear()
        messages = self.blocker_messages()
        for message in messages:
            item = QListWidgetItem(f"• {message}")
            item.setToolTip(message)
            self.blockers_list.addItem(item)
        if self.facts is None:
            self.ready_label.setText(self.tr("正在检查…") if self.inspection_id else "")
            self.ready_label.setStyleSheet(f"color: {MUTED};")
        elif self.issued_opinion is not None:
            self.ready_label.setText(self.tr("✓ 已签发 {number}").format(number=self.issued_opinion.number))
            self.ready_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
        elif messages:
            self.ready_label.setText(self.tr("以下 {n} 项须先解决：").format(n=len(messages)))
            self.ready_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        else:
            self.ready_label.setText(self.tr("✓ 已满足签发条件"))
            self.ready_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
        self.blockers_list.setVisible(bool(messages))
        self._update_sign_button()
        self.blockers_changed.emit()

    def _update_sign_button(self) -> None:
        state = self.blocker_state
        ready = (self.facts is not None and state is not None and not self.blocker_messages()
                 and not self._issuing and self._pending == 0 and not self._refresh_timer.isActive()
                 and self.issued_opinion is None)
        self.sign_button.setEnabled(ready)
        self.sign_button.setText(self.tr("已签发") if self.issued_opinion is not None else self.tr("签发并签名…"))
        self.view_issued_button.setVisible(self.issued_opinion is not None and not self._issuing)
        if self.issued_opinion is not None:
            self.sign_button.setToolTip(self.tr("本次核查已签发验收意见；如需更正请先重新打开核查"))
        elif ready:
            self.sign_button.setToolTip(self.tr("输入证书口令并选择保存位置，生成签名的验收意见 PDF"))
        elif self._issuing:
            self.sign_button.setToolTip(self.tr("正在签发…"))
        else:
            self.sign_button.setToolTip(self.tr("请先解决“签发条件”中列出的问题"))

    # --- signatures ----------------------------------------------------------------------------------------

    def _open_signature_dialog(self, signer: str, done: Any) -> SignatureDialog:
        # 重签 starts on an empty pad: a new signature is drawn anew, never touched up from the old strokes.
        dialog = SignatureDialog(signer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        generation_inspection = self.inspection_id

        def finished(_result: int) -> None:
            if not shiboken6.isValid(self):
                return
            if self.signature_dialog is dialog:
                self.signature_dialog = None
            signature = dialog.signature()
            if signature is not None and self.inspection_id == generation_inspection:
                done(signature)

        dialog.finished.connect(finished)
        self.signature_dialog = dialog
        dialog.open()
        return dialog

    def sign_member(self, index: int) -> SignatureDialog | None:
        """Open the signature dialog for team member ``index`` (window-modal, not blocking)."""
        if self.facts is None or not 0 <= index < len(self.facts.team):
            return None
        member = dict(self.facts.team[index])

        def done(signature: Signature) -> None:
            team = self.facts.team if self.facts else []
            if index < len(team) and team[index] == member:
                self.signatures[index] = signature
                self._show_signatures()
                self._show_blockers()
                self.schedule_draft()

        return self._open_signature_dialog(member["name"], done)

    def sign_representative(self) -> SignatureDialog | None:
        """Open the signature dialog for the enterprise representative."""
        rep = self.representative()
        if rep is None or self.facts is None:
            return None

        def done(signature: Signature) -> None:
            if self.rep_name.text().strip() == signature.signer:
                self.representative_signature = signature
                self._show_signatures()
                self._show_blockers()
                self.schedule_draft()

        return self._open_signature_dialog(rep["name"], done)

    def member_signed(self, index: int) -> bool:
        return index in self.signatures

    def _representative_changed(self, text: str) -> None:
        signature = self.representative_signature
        if signature is not None and signature.signer != text.strip():
            self.representative_signature = None  # a signature belongs to the person who drew it
        self._show_signatures()
        self._show_blockers()

    # --- issuing -------------------------------------------------------------------------------------------

    def default_output_path(self) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = self.facts.enterprise_name if self.facts else self.tr("验收意见")
        stamp = dt.date.today().strftime("%Y%m%d")
        safe = "".join(c for c in name if c not in '\\/:*?"<>|').strip() or "opinion"
        return Path(folder) / self.tr("{enterprise}_验收意见_{date}.pdf").format(enterprise=safe, date=stamp)

    def ask_passphrase(self) -> str | None:
        """Ask for the signing passphrase (hidden input); None when cancelled."""
        text, ok = QInputDialog.getText(self, self.tr("签发验收意见"), self.tr("请输入本机签名证书的口令："),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def ask_output_path(self) -> Path | None:
        """Ask where to save the signed PDF; None when cancelled."""
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("保存签名的验收意见"), str(self.default_output_path()),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return None
        out = Path(path)
        return out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")

    def hand_signatures(self) -> dict[str, HandSignature]:
        """Return the handwritten signatures drawn on this page, keyed as the opinion service expects."""
        out: dict[str, HandSignature] = {}
        team = self.facts.team if self.facts else []
        for index, signature in self.signatures.items():
            if index < len(team) and index not in self.unsigned:
                out[str(team[index].get("name", ""))] = HandSignature(signature.png, signature.strokes)
        if self.representative_signature is not None and not self.rep_unsigned.isChecked():
            out[REPRESENTATIVE_KEY] = HandSignature(self.representative_signature.png,
                                                    self.representative_signature.strokes)
        return out

    def issue(self) -> None:
        """Ask for the passphrase and the output file, then issue and sign the opinion off the GUI thread."""
        if not self.sign_button.isEnabled():
            return
        passphrase = self.ask_passphrase()
        if passphrase is None:
            return
        out_path = self.ask_output_path()
        if out_path is None:
            return
        self.issue_with(passphrase, out_path)

    def issue_with(self, passphrase: str, out_path: Path) -> None:
        """Issue and sign the opinion (the service checks every blocker again and refuses with the list)."""
        if self.facts is None:
            return
        store = self.store
        inspection_id, conclusion = self.facts.inspection_id, self.conclusion()
        acknowledge, body = self.acknowledgement() or None, self.body() or None
        representative, signatures = self.representative(), self.hand_signatures()
        signoff = self.signoff()
        self._issuing = True
        self._show_signatures()
        self._update_sign_button()
        self._set_result(f"<span style='color:{MUTED}'>{html.escape(self.tr('正在生成并签名验收意见…'))}</span>")

        def op(_p: Progress, _c: CancelToken) -> OpinionView:
            return issue_opinion(store, inspection_id=inspection_id, conclusion=conclusion, passphrase=passphrase,
                                 out_path=out_path, acknowledge=acknowledge, body=body, representative=representative,
                                 signatures=signatures, signoff=signoff)

        def ok(view: OpinionView) -> None:
            if not shiboken6.isValid(self):
                return
            self._issuing = False
            self.last_result = view
            number = view.number
            path = Path(view.out_path or out_path)
            label = translate(view.conclusion_label)
            text = html.escape(self.tr("已签发验收意见 {number}（{conclusion}）").format(number=number, conclusion=label))
            link = f"<a href='{path.resolve().as_uri()}'>{html.escape(str(path))}</a>"
            self._set_result(f"<span style='color:{GREEN}; font-weight:bold'>✓ {text}</span><br>"
                             f"{html.escape(self.tr('文件：'))}{link}", GREEN)
            self.issued_opinion = view
            self._draft_timer.stop()
            inspection = view.inspection_id
            self.runner.run(lambda _p, _c: discard_opinion_draft(store, inspection), show_progress=False)
            self._show_signatures()
            self.issued.emit(view)
            self.refresh_blockers()
            self._show_preview_title()
            self.schedule_preview()  # the signed PDF, not a draft of a next one

        def failed(exc: BaseException) -> bool:
            if not shiboken6.isValid(self):
                return True
            self._issuing = False
            self._show_error_lines(error_lines(exc))
            self._show_signatures()
            self._update_sign_button()
            return isinstance(exc, InspectError) or self.runner.show_failure is None

        self.runner.run(op, on_success=ok, on_failure=failed, label=self.tr("正在生成并签名验收意见…"), parent_widget=self)

    def _show_error_lines(self, lines: list[str]) -> None:
        head, *rest = lines or [self.tr("签发失败")]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in rest)
        self._set_result(f"<span style='color:{RED}; font-weight:bold'>{html.escape(head)}</span>"
                         + (f"<ul style='color:{RED}; margin:0'>{items}</ul>" if items else ""), RED)

    def result_text(self) -> str:
        """Return the result line as plain text (for tests and accessibility)."""
        document = QTextDocument()
        document.setHtml(self.result_label.text())
        return document.toPlainText()
