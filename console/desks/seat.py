"""What every desk of one console shares: who sits there, and the ways out to the world.

Made once by the composition root and handed to each desk, so the operator's name reaches an
act through one object instead of through every constructor on the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.bridge import Bridge
from console.shell.main_window import MainWindow
from console.text.messages import describe
from services.commands.sender import CommandSender
from services.domain.errors import PermissionDenied
from services.domain.operators import Role
from services.domain.permissions import Act, Matrix
from services.domain.units import UnitKind
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
    matrix: Matrix  # the permission matrix in force: what this operator's buttons allow

    def may(self, act: Act) -> bool:
        return self.matrix.allows(self.role, act)

    def refusal(self, *acts: Act) -> str:
        """Why the operator may do none of ``acts``, in their words; empty when one is allowed.

        The services refuse the same acts in the same words: a disabled button only says first
        what the act would be told.
        """
        if any(self.may(act) for act in acts):
            return ""
        refused = PermissionDenied(
            "permission.refused", operator=self.operator, role=self.role.value, act=acts[0].value
        )
        return describe(refused)

    @property
    def unit_kinds(self) -> frozenset[UnitKind]:
        """Whose positions this operator is shown (police patrols only to those who send them)."""
        return self.matrix.unit_kinds(self.role)

    def tell(self, text: str, seconds: int = 60) -> None:
        """A sentence in the status bar: what was done, or what came back."""
        self.window.statusBar().showMessage(text, seconds * 1000)
