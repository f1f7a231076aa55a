"""The shift handover: its dialog and the status bar's word that one waits to be accepted.

The dialog shows the summary handed to the next shift, the remarks, Hand over or Accept; the
chooser, which of several handovers waiting to read.
"""

from widgets.handover.chooser import WaitingHandoverChooser
from widgets.handover.dialog import Section, ShiftHandoverDialog
from widgets.handover.status import PendingHandoverLabel

__all__ = ["PendingHandoverLabel", "Section", "ShiftHandoverDialog", "WaitingHandoverChooser"]
