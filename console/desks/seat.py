"""What every desk of one console shares: who sits there, and the ways out to the world.

Made once by the composition root and handed to each desk, so the operator's name reaches an
act through one object instead of through every constructor on the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.bridge import Bridge
from console.shell.main_window import MainWindow
from services.commands.sender import CommandSender
from services.domain.operators import Role
from services.store.database import Database


@dataclass(frozen=True)
class Seat:
    operator: str  # every act this console makes carries this name
    role: Role
    db: Database
    bridge: Bridge  # the operator's acts and every read go through its lanes
    sender: CommandSender  # dispatches and commands out, their answers in
    window: MainWindow
    names: dict[str, str]  # commune names by INSEE code, for what the operator reads

    def tell(self, text: str, seconds: int = 60) -> None:
        """A sentence in the status bar: what was done, or what came back."""
        self.window.statusBar().showMessage(text, seconds * 1000)
