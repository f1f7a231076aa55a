"""Street lights as the map draws them: their level, and whether one is dark when it should be lit.

The map page only draws; the judgement is made here, on the map feed's lane, where the sun and
the city's lighting policy are known. A light should be lit when it is night at its group's place
(dusk to dawn, the sun the cabinets reckon: ``services.domain.dimming``) and the policy's profile
for its group gives it a level above zero at this hour: a village's lights switched off in the
small hours by the policy are not a fault. Without a policy (its file unreadable), night alone
says it. A light reported off, or on at 0 %, when it should be lit is dark when it must not be.

A margin (``GRACE``) on either side of every change (dusk, dawn, a step of the policy) lets a
cabinet's own clock and its report arrive before anything is marked: the cabinet switches on
at its sunset, and its lights' states reach the console a moment later. It never reads the
database or the broker: the feed hands it what it heard.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from services.domain.dimming import DimmingProfile
from services.domain.errors import VigieError
from services.domain.lighting import LightingPolicy
from services.domain.sun import is_night
from services.lighting_policy import load_policy

#: How long after a light should have come on, and before it may go off, nothing is marked.
GRACE = timedelta(minutes=15)

LightLook = tuple[float | None, bool]
"""(level drawn: 0 off, up to 1 at full level, None not reported; dark when it should be lit)."""

log = logging.getLogger(__name__)


def light_look(power: str | None, level: float | None, *, should_be_lit: bool) -> LightLook:
    """How a light is drawn from what it last reported, and whether it is dark when it must not."""
    if power == "off":
        shown: float | None = 0.0
    elif power == "on":
        shown = 1.0 if level is None else max(0.0, min(1.0, level))
    else:  # not reported yet (or booting): drawn as a light, not judged
        shown = None
    return shown, should_be_lit and shown is not None and shown <= 0.0


class LightJudge:
    """Whether a group's lights should be lit at a moment, from the sun and the city's policy.

    Answers are kept for the minute they were asked in: 34,000 lights in a few hundred groups
    cost a few hundred judgements a sweep.
    """

    def __init__(self, policy_path: str = "", *, policy: LightingPolicy | None = None) -> None:
        self.policy_path = policy_path
        self.policy = policy
        self._loaded = policy is not None
        self._profiles: dict[tuple[str, str], DimmingProfile | None] = {}
        self._minute: datetime | None = None
        self._said: dict[tuple[str, str], bool] = {}

    def reload(self) -> None:
        """Read the city's policy file again (it may have been edited and applied since)."""
        try:
            policy = load_policy(self.policy_path)
        except VigieError as error:  # judged by night alone rather than not at all
            log.warning("lighting policy unreadable, lights judged by night alone: %s", error)
            policy = None
        self.policy, self._loaded = policy, True
        self._profiles.clear()
        self._said.clear()

    def should_be_lit(
        self, group: str | None, commune: str | None, lat: float, lon: float, at: datetime
    ) -> bool:
        if not self._loaded:
            self.reload()
        minute = at.replace(second=0, microsecond=0)
        if minute != self._minute:
            self._minute = minute
            self._said.clear()
        key = (group or "", commune or "")
        said = self._said.get(key)
        if said is None:
            profile = self._profile(key)
            said = all(self._lit(profile, lat, lon, t) for t in (at - GRACE, at, at + GRACE))
            self._said[key] = said
        return said

    def _profile(self, key: tuple[str, str]) -> DimmingProfile | None:
        if self.policy is None:
            return None
        if key not in self._profiles:
            group, commune = key
            self._profiles[key] = self.policy.profile_for(group, commune or None)
        return self._profiles[key]

    @staticmethod
    def _lit(profile: DimmingProfile | None, lat: float, lon: float, at: datetime) -> bool:
        if profile is None:
            return is_night(at, lat, lon)
        return profile.level_at(at, lat, lon) > 0.0
