"""A lighting policy in the operator's words: its preview, its progress, what the field reports.

Shared by ``vigie lighting`` and the console, so that the shell and the panels say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.text.i18n import fill, translate
from services.domain.dimming import Anchor
from services.domain.room_time import stamp
from services.reference import communes

if TYPE_CHECKING:
    from services.domain.dimming import DimmingProfile
    from services.lighting import ApplyProgress, GroupStatus, LightingPreview, Projection


#: Groups listed one by one in a status before "… and N more".
SHOWN = 20


def commune_names() -> dict[str, str]:
    return {c.insee: c.name for c in communes()}


def number(value: float) -> str:
    """``34 000``: thousands apart by a narrow space, as both French and SI write them."""
    return f"{value:,.0f}".replace(",", "\u202f")


def kwh(value: float) -> str:
    return fill(translate("lighting", "{n} kWh"), {"n": number(value)})


def share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole > 0 else "–"


def describe_steps(profile: DimmingProfile) -> str:
    """``dusk 85 %, dusk+4h 70 %, dawn−1h30 85 %``: what the cabinet runs, as the policy says it."""
    words = {Anchor.DUSK: translate("lighting", "dusk"), Anchor.DAWN: translate("lighting", "dawn")}
    parts = []
    for step in profile.steps:
        offset = ""
        if step.offset:
            sign = "+" if step.offset > 0 else "−"
            hours, minutes = divmod(abs(step.offset), 60)
            offset = f"{sign}{hours}h{minutes:02d}" if minutes else f"{sign}{hours}h"
            if not hours:
                offset = f"{sign}{minutes} min"
        level = translate("lighting", "off") if step.level == 0 else f"{round(step.level * 100)} %"
        parts.append(f"{words[step.anchor]}{offset} {level}")
    steps = ", ".join(parts)
    if not profile.presence_minutes:
        return steps
    boosts = ", ".join(f"{round(step.boost * 100)} %" for step in profile.steps)
    return fill(
        translate("lighting", "{steps}; with presence {boosts} for {minutes} min"),
        {"steps": steps, "boosts": boosts, "minutes": profile.presence_minutes},
    )


def projection_lines(projected: Projection) -> list[str]:
    names = commune_names()
    lines = [
        fill(
            translate(
                "lighting",
                "Tonight ({night}): {projected} against {baseline} at full power, "
                "{saving} saved ({share})",
            ),
            {
                "night": projected.night.strftime("%d/%m/%Y"),
                "projected": kwh(projected.projected_kwh),
                "baseline": kwh(projected.baseline_kwh),
                "saving": kwh(projected.saving_kwh),
                "share": share(projected.saving_kwh, projected.baseline_kwh),
            },
        )
    ]
    for insee, figures in projected.per_commune.items():
        lines.append(
            "  • "
            + fill(
                translate("lighting", "{commune}: {lights} lights, {projected} ({baseline} full)"),
                {
                    "commune": names.get(insee, insee or "?"),
                    "lights": number(figures.lights),
                    "projected": kwh(figures.projected_kwh),
                    "baseline": kwh(figures.baseline_kwh),
                },
            )
        )
    if projected.assumed_power:
        lines.append(
            fill(
                translate(
                    "lighting",
                    "{n} lights report no rated power: counted at 60 W each",
                ),
                {"n": number(projected.assumed_power)},
            )
        )
    for group in projected.unknown_groups:
        lines.append(
            fill(
                translate(
                    "lighting", "The policy names group {group}, which Vigie has never heard of"
                ),
                {"group": group},
            )
        )
    return lines


def preview_lines(preview: LightingPreview) -> list[str]:
    """Exactly what applying sends: groups and lights per profile, the energy, the warnings."""
    projected = preview.projection
    lines = [
        fill(
            translate(
                "lighting",
                "Apply the lighting policy {source} ({title}): {groups} groups, {lights} lights",
            ),
            {
                "source": preview.policy.source,
                "title": preview.policy.title,
                "groups": number(len(preview.plans)),
                "lights": number(projected.lights),
            },
        )
    ]
    examples = {}
    for group in projected.groups:
        examples.setdefault(group.profile.name, group.profile)
    for name, (groups, lights) in preview.per_profile.items():
        profile = preview.policy.profiles[name]
        lines.append(
            "  • "
            + fill(
                translate(
                    "lighting", "{title} ({name}): {groups} groups, {lights} lights: {steps}"
                ),
                {
                    "title": profile.title,
                    "name": name,
                    "groups": number(groups),
                    "lights": number(lights),
                    "steps": describe_steps(examples[name]),
                },
            )
        )
    lines += exception_lines(preview)
    lines += projection_lines(projected)
    return lines


def exception_lines(preview: LightingPreview) -> list[str]:
    """What the profiles carry beyond their steps: full light under modes, events' windows."""
    snow: dict[int, int] = {}
    traffic: dict[str, int] = {}
    events: dict[tuple, int] = {}
    for group in preview.projection.groups:
        full = group.profile.full_light
        if full.snow is not None:
            snow[full.snow] = snow.get(full.snow, 0) + 1
        for mode in full.traffic:
            traffic[mode] = traffic.get(mode, 0) + 1
        for event in group.profile.events:
            key = (event.start, event.end, event.level)
            events[key] = events.get(key, 0) + 1
    lines = [
        "  • "
        + fill(
            translate(
                "lighting",
                "Full light with the snow plan at level {level} or above: {groups} groups",
            ),
            {"level": level, "groups": number(groups)},
        )
        for level, groups in sorted(snow.items())
    ]
    lines += [
        "  • "
        + fill(
            translate("lighting", "Full light in traffic mode {mode}: {groups} groups"),
            {"mode": mode, "groups": number(groups)},
        )
        for mode, groups in sorted(traffic.items())
    ]
    lines += [
        "  • "
        + fill(
            translate(
                "lighting", "At least {level} from {start} to {end} (public event): {groups} groups"
            ),
            {
                "level": f"{round(level * 100)} %",
                "start": stamp(start),
                "end": stamp(end),
                "groups": number(groups),
            },
        )
        for (start, end, level), groups in sorted(events.items())
    ]
    return lines


def progress_line(state: ApplyProgress) -> str:
    return fill(
        translate(
            "lighting",
            "{finished}/{total} groups answered, {done}/{lights} lights hold the profile",
        ),
        {
            "finished": state.finished,
            "total": state.total,
            "done": state.lights_done,
            "lights": state.lights,
        },
    )


def result_lines(state: ApplyProgress) -> list[str]:
    lines = [progress_line(state)]
    if state.short:
        lines.append(
            fill(
                translate("lighting", "Not confirmed for {n} groups: {groups}"),
                {"n": len(state.short), "groups": ", ".join(state.short[:10])},
            )
        )
    if state.silent_gateways:
        lines.append(
            fill(
                translate("lighting", "Cabinets that never answered: {gateways}"),
                {"gateways": ", ".join(state.silent_gateways[:10])},
            )
        )
    return lines


def status_lines(groups: list[GroupStatus]) -> list[str]:
    names = commune_names()
    in_force = sum(g.in_force for g in groups)
    lines = [
        fill(
            translate("lighting", "{in_force} of {groups} groups report the policy's profile"),
            {"in_force": in_force, "groups": len(groups)},
        )
    ]
    per: dict[str, list[int]] = {}
    for g in groups:
        counts = per.setdefault(g.commune or "", [0, 0])
        counts[0] += g.in_force
        counts[1] += 1
    for insee, (ok, total) in sorted(per.items(), key=lambda kv: names.get(kv[0], kv[0])):
        lines.append(
            "  • "
            + fill(
                translate("lighting", "{commune}: {ok}/{total}"),
                {"commune": names.get(insee, insee or "?"), "ok": ok, "total": total},
            )
        )
    astray = [g for g in groups if not g.in_force]
    for g in astray[:SHOWN]:
        said = g.reported or translate("lighting", "no profile")
        when = stamp(g.since) if g.since else "–"
        lines.append(
            fill(
                translate("lighting", "{group}: reports {said} ({when}), should run {expected}"),
                {"group": g.group, "said": said, "when": when, "expected": g.expected},
            )
        )
    if len(astray) > SHOWN:
        lines.append(
            fill(translate("lighting", "… and {n} more groups"), {"n": len(astray) - SHOWN})
        )
    return lines
