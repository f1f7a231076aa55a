"""Controls the operator may not use: disabled whatever else would enable them, saying why.

The console passes each panel the refusal the permission matrix gives for the operator at the
desk (an empty text when the act is allowed). A panel then enables its controls through
``set_permitted``, so that a selection or a state change never re-enables a refused control, and
the tooltip says the refusal in the operator's words.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from widgets.plain_text import plain_tooltip

_OWN_TOOLTIP = "vigie_tooltip_before_refusal"


def set_permitted(widget: QWidget, enabled: bool, refusal: str, tooltip: str | None = None) -> None:
    """Enable ``widget`` when ``enabled`` and nothing refuses it; a refusal is its tooltip.

    The widget's own tooltip (an F-key, say) is kept aside while a refusal shows, and back when
    the refusal goes (another operator logs in). ``tooltip`` replaces the own one.
    """
    widget.setEnabled(enabled and not refusal)
    refused_before = widget.property(_OWN_TOOLTIP) is not None
    if refusal:
        if not refused_before:
            widget.setProperty(_OWN_TOOLTIP, widget.toolTip())
        if tooltip is not None:
            widget.setProperty(_OWN_TOOLTIP, plain_tooltip(tooltip) if tooltip else "")
        widget.setToolTip(plain_tooltip(refusal))
        return
    if refused_before:
        widget.setToolTip(widget.property(_OWN_TOOLTIP))
        widget.setProperty(_OWN_TOOLTIP, None)
    if tooltip is not None:
        widget.setToolTip(plain_tooltip(tooltip) if tooltip else "")
