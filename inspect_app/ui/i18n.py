"""Translations: Chinese source strings, an English catalogue compiled to .qm, live switching.

The core's own messages (errors, flags, blockers: ``inspect_app.i18n``) switch with the window.

The catalogue is Qt's own format (``resources/i18n/inspect_app_en.ts``, compiled with ``pyside6-lrelease``, which
PySide6 ships): plural forms (``%n``) and contexts work as Qt defines them, and Qt Linguist can edit it. Switching
installs or removes the translator; Qt then sends ``LanguageChange`` to every widget, and each page's
``retranslate_ui`` re-sets its texts without touching what the user typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from inspect_app import i18n as core_i18n
from inspect_app.i18n import Text
from inspect_app.resources import resource_path
from inspect_app.rules.opinion_wording import stage_labels

DEFAULT_LANGUAGE = "zh_CN"


def domain(text: str) -> str:
    """Translate a label that comes from the rules (status names, milestones): context ``domain``."""
    return QCoreApplication.translate("domain", text)


class Translations:
    """Owns the installed translators and switches between Chinese (the source language) and English."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self._app = QTranslator()
        self._qt = QTranslator()
        self._installed: list[QTranslator] = []

    def set_language(self, language: str | None) -> str:
        """Install the catalogue for ``language`` (``zh_CN`` or ``en``); return the language in effect."""
        code = "en" if (language or "").lower().startswith("en") else DEFAULT_LANGUAGE
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []
        self._app = QTranslator()
        self._qt = QTranslator()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if code == "en":
            if self._app.load(str(resource_path("i18n", "inspect_app_en.qm"))):
                self._installed.append(self._app)
        elif self._qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            self._installed.append(self._qt)  # Qt's own buttons (OK, Cancel …) in Chinese too
        for translator in self._installed:
            QCoreApplication.installTranslator(translator)
        core_i18n.set_language(code)  # the core's messages (errors, flags, blockers) follow the window
        # Month and day names (the date picker), number formats: Qt takes them from the locale, not from the
        # catalogues; a machine set to English (or C) showed them in English inside the Chinese window.
        locale = (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates) if code == "en"
                  else QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        QLocale.setDefault(locale)
        app = QCoreApplication.instance()
        if isinstance(app, QApplication):
            for widget in app.topLevelWidgets():
                widget.setLocale(locale)  # windows already open: their children follow
        self.language = code
        return code

    def uninstall(self) -> None:
        """Remove the translators this object installed (another ``Translations`` takes over, as in tests)."""
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []


def stage_label(stage: str, labels: Mapping[str, Text] | None = None) -> str:
    """Return a photo stage's name in the UI language: from ``labels`` (``EvidenceCheck.stage_labels``, 封存前 …
    for sealed equipment), else the dismantling stages. Names and English are the opinion's (one source)."""
    if labels is not None and stage in labels:
        return str(labels[stage])
    return core_i18n.translate(stage_labels([]).get(stage, stage))
