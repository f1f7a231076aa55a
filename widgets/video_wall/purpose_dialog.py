"""Why a camera is opened: the incident it is opened from, or a listed purpose with a text.

Asked every time a camera is opened by hand (the law asks each access to have its purpose). The
dialog says which camera, offers the incident when there is one (chosen by default), else one
of the city's listed purposes and a text, which is required: OK stays disabled until the
purpose is complete. The services refuse a view without a purpose in the same words.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.camera_views import (
    DEFAULT_MINUTES,
    MAX_PURPOSE,
    Purpose,
    incident_purpose,
    listed_purpose,
)
from widgets.plain_text import plain_label

#: The listed purposes as operators read them (CSI L.251-2).
PURPOSE_TITLES = {
    Purpose.PUBLIC_SAFETY: QT_TRANSLATE_NOOP("PurposeDialog", "Protecting people and property"),
    Purpose.TRAFFIC: QT_TRANSLATE_NOOP("PurposeDialog", "Regulating traffic"),
    Purpose.PUBLIC_BUILDINGS: QT_TRANSLATE_NOOP("PurposeDialog", "Protecting public buildings"),
    Purpose.RISKS: QT_TRANSLATE_NOOP("PurposeDialog", "Preventing natural or technological risks"),
    Purpose.RESCUE: QT_TRANSLATE_NOOP("PurposeDialog", "Rescue and fire prevention"),
    Purpose.EVENTS: QT_TRANSLATE_NOOP("PurposeDialog", "Safety of a gathering or event"),
}


class PurposeDialog(QDialog):
    def __init__(
        self,
        camera_names: list[str],
        incident: tuple[int, str] | None = None,  # (id, how the operator knows it)
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("purpose_dialog")
        self.setWindowTitle(self.tr("Why open this camera?"))
        self.incident_id = incident[0] if incident else None
        self.incident_choice = QRadioButton(
            self.tr("For incident: %1").replace("%1", incident[1]) if incident else ""
        )
        self.listed_choice = QRadioButton(self.tr("For a listed purpose"))
        group = QButtonGroup(self)
        group.addButton(self.incident_choice)
        group.addButton(self.listed_choice)
        self.purposes = QComboBox()
        for purpose, title in PURPOSE_TITLES.items():
            self.purposes.addItem(QCoreApplication.translate("PurposeDialog", title), purpose)
        self.text = QLineEdit()
        self.text.setMaxLength(MAX_PURPOSE - 40)  # room for the purpose's key
        self.text.setPlaceholderText(self.tr("What you are looking for (required)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        cameras = plain_label("\n".join(camera_names))  # names came from the field
        cameras.setWordWrap(True)
        form = QFormLayout()
        form.addRow(plain_label(self.tr("Camera(s)")), cameras)
        form.addRow(self.purposes)
        form.addRow(plain_label(self.tr("Details")), self.text)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr(
                    "Every view is recorded with its purpose, and closes itself after %1 minutes "
                    "unless renewed."
                ).replace("%1", str(DEFAULT_MINUTES))
            )
        )
        layout.addWidget(self.incident_choice)
        layout.addWidget(self.listed_choice)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.incident_choice.setVisible(incident is not None)
        (self.incident_choice if incident else self.listed_choice).setChecked(True)
        for changed in (self.incident_choice.toggled, self.listed_choice.toggled):
            changed.connect(self._check)
        self.text.textChanged.connect(self._check)
        self.purposes.currentIndexChanged.connect(self._check)
        self._check()

    def purpose(self) -> tuple[str, int | None] | None:
        """The purpose as recorded and the incident, or None while it is incomplete."""
        if self.incident_choice.isChecked() and self.incident_id is not None:
            return incident_purpose(self.incident_id), self.incident_id
        if not self.text.text().strip():
            return None
        return listed_purpose(Purpose(self.purposes.currentData()), self.text.text()), None

    def _check(self) -> None:
        listed = self.listed_choice.isChecked()
        self.purposes.setEnabled(listed)
        self.text.setEnabled(listed)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.purpose() is not None)
