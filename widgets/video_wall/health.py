"""How a tile judges its stream: live, late or lost, from the age of its last frame.

A picture that stopped moving must never pass for a live one: a tile says *late* with the age of
its last frame as soon as frames stop coming, and *lost* (no picture at all, never a frozen one)
once they have stopped for ``LOST_AFTER_S`` or the stream ended.
"""

from __future__ import annotations

from enum import StrEnum

#: A 25 fps stream delivers a frame every 40 ms; a second without one is visible to the eye.
LATE_AFTER_S = 1.0
#: Past this, the last picture is no longer shown: it would be taken for the present.
LOST_AFTER_S = 5.0


class Health(StrEnum):
    WAITING = "waiting"  # opened, no frame yet
    LIVE = "live"
    LATE = "late"
    LOST = "lost"


def judge(last_frame_age_s: float | None, ended: bool, waited_s: float) -> Health:
    """The stream's health.

    ``last_frame_age_s`` is None when no frame came yet; ``ended`` when the player reported the
    end of the stream or an error; ``waited_s`` since it was asked to play.
    """
    if last_frame_age_s is None:
        return Health.LOST if ended or waited_s >= LOST_AFTER_S else Health.WAITING
    if ended or last_frame_age_s >= LOST_AFTER_S:
        return Health.LOST
    return Health.LATE if last_frame_age_s >= LATE_AFTER_S else Health.LIVE
