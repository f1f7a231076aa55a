"""A camera carried by drag and drop, between panels that do not know each other.

The equipment table gives it, the video wall takes it; the map's page, which can only drag
text, gives a ``camera:`` id as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData

#: The drag-and-drop type of a camera: its id, in UTF-8.
CAMERA_MIME = "application/x-vigie-camera"


def camera_mime(camera: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME, QByteArray(camera.encode("utf-8")))
    mime.setText(camera)
    return mime


def camera_in(mime: QMimeData) -> str | None:
    """The camera a drag carries, or None."""
    if mime.hasFormat(CAMERA_MIME):
        found = bytes(mime.data(CAMERA_MIME).data()).decode("utf-8", "replace").strip()
        return found or None
    text = mime.text().strip() if mime.hasText() else ""
    return text if text.startswith("camera:") and len(text) <= 128 and " " not in text else None
