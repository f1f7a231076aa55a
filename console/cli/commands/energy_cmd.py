"""``vigie energy``: street lighting's kWh per commune and night, against full power.

What the recorder keeps per commune and night (``energy_nights``, summed from the cabinets'
meter readings as they arrive): the energy used, the baseline (the same lights at full power for
the same hours of night) and the saving, in kWh, in euros at the city's tariff and in kg of CO2
at its factor (the lighting policy's). Read as the database login, as ``vigie query`` reads.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import add_json
from console.text.i18n import fill, translate

#: Without --since, the nights shown go back this many from the night in progress (or tonight's).
DEFAULT_NIGHTS = 30
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def since_night(text: str) -> date:
    """An argparse type: the first night shown.

    A date is that night (its evening); a time (the room's unless a zone is given) or a span
    back from now (``90m``, ``12h``, ``7d``) is the night it falls in, a night running from
    noon to noon.
    """
    from console.cli.commands.audit_cmd import since_time
    from services.store.energy import night_of

    text = text.strip()
    if _DATE.fullmatch(text):
        return date.fromisoformat(text)
    return night_of(since_time(text))


since_night.__name__ = "time"  # argparse names the type in its error


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    energy = sub.add_parser(
        "energy",
        parents=[common],
        help=translate("cli", "street lighting's kWh per commune and night, against full power"),
        description=translate(
            "cli",
            "Street lighting's energy per commune and night, as the recorder sums the cabinets' "
            "meter readings: kWh used, the same lights at full power for the same hours of "
            "night, and the saving in kWh, in euros at the city's tariff and in kg of CO2 at "
            "its factor (the lighting policy's). A night runs from noon to noon and is named "
            "by its evening.",
        ),
    )
    energy.add_argument(
        "--since",
        metavar="TIME",
        type=since_night,
        help=fill(
            translate(
                "cli",
                "from the night of TIME: a date (that evening's night), 2026-12-04T18:00 (the "
                "room's time unless a zone is given), or a span back from now such as 12h or "
                "7d (default: the last {nights} nights and the one in progress)",
            ),
            {"nights": DEFAULT_NIGHTS},
        ),
    )
    energy.add_argument(
        "--commune", metavar="INSEE", help=translate("cli", "only this commune (its INSEE code)")
    )
    add_json(energy)
    energy.set_defaults(handler=run_energy)


def run_energy(ctx: Context) -> ExitStatus:
    from services.domain.energy import EnergyTotals, Tariff, by_commune, totals
    from services.domain.geography import by_insee
    from services.lighting_policy import load_policy
    from services.reference import communes
    from services.store import energy
    from services.store.energy import night_of

    names = {insee: c.name for insee, c in by_insee(communes()).items()}
    commune = ctx.args.commune
    if commune is not None and commune not in names:
        raise CliFailure(
            fill(
                translate("cli", "--commune {insee}: no commune of the métropole has this code"),
                {"insee": commune},
            ),
            ExitStatus.USAGE,
        )
    since = ctx.args.since or night_of(datetime.now(UTC)) - timedelta(days=DEFAULT_NIGHTS)
    policy = load_policy(ctx.settings.lighting)
    tariff = Tariff(eur_per_kwh=policy.tariff_eur_per_kwh, co2_kg_per_kwh=policy.co2_kg_per_kwh)
    with ctx.database().read() as session:
        nights = energy.nights(session, since=since, commune=commune)
    total = totals(nights)

    def figures(kwh: float, baseline: float) -> dict[str, Any]:
        saving = tariff.saving(baseline - kwh)
        return {
            "kwh": round(kwh, 3),
            "baseline_kwh": round(baseline, 3),
            "saving_kwh": round(saving.kwh, 3),
            "saving_eur": round(saving.euros, 2),
            "saving_co2_kg": round(saving.co2_kg, 3),
        }

    if ctx.json:
        ctx.emit_json(
            {
                "since": since.isoformat(),
                "commune": commune,
                "tariff_eur_per_kwh": tariff.eur_per_kwh,
                "co2_kg_per_kwh": tariff.co2_kg_per_kwh,
                "nights": [
                    {
                        "night": n.night.isoformat(),
                        "commune": n.commune,
                        **figures(n.kwh, n.baseline_kwh),
                    }
                    for n in nights
                ],
                "communes": [
                    {"commune": insee, **figures(t.kwh, t.baseline_kwh)}
                    for insee, t in sorted(by_commune(nights).items())
                ],
                "totals": {
                    **figures(total.kwh, total.baseline_kwh),
                    "saving_share": round(total.saving_share, 4),
                },
            }
        )
        return ExitStatus.OK
    if not nights:
        ctx.say(
            fill(
                translate("cli", "no street lighting energy recorded from the night of {since}"),
                {"since": since.isoformat()},
            )
        )
        return ExitStatus.OK

    def row(first: str, second: str, t: EnergyTotals) -> list[str]:
        saving = tariff.saving(t.saving_kwh)
        return [
            first,
            second,
            f"{t.kwh:.1f}",
            f"{t.baseline_kwh:.1f}",
            f"{t.saving_kwh:.1f}",
            f"{t.saving_share:.0%}",
            f"{saving.euros:.2f}",
            f"{saving.co2_kg:.1f}",
        ]

    ctx.table(
        [
            translate("cli", "night"),
            translate("cli", "commune"),
            translate("cli", "kWh"),
            translate("cli", "full power kWh"),
            translate("cli", "saving kWh"),
            translate("cli", "saving"),
            translate("cli", "saving €"),
            translate("cli", "saving kg CO2"),
        ],
        [row(n.night.isoformat(), names.get(n.commune, n.commune), totals([n])) for n in nights],
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "{nights} nights from {since}: {kwh} kWh against {baseline} kWh at full power, "
                "a saving of {saving} kWh ({share}), {euros} € at {tariff} €/kWh and {co2} kg "
                "of CO2 at {factor} kg/kWh",
            ),
            {
                "nights": len({n.night for n in nights}),
                "since": since.isoformat(),
                "kwh": f"{total.kwh:.1f}",
                "baseline": f"{total.baseline_kwh:.1f}",
                "saving": f"{total.saving_kwh:.1f}",
                "share": f"{total.saving_share:.0%}",
                "euros": f"{tariff.saving(total.saving_kwh).euros:.2f}",
                "tariff": f"{tariff.eur_per_kwh:g}",
                "co2": f"{tariff.saving(total.saving_kwh).co2_kg:.1f}",
                "factor": f"{tariff.co2_kg_per_kwh:g}",
            },
        )
    )
    return ExitStatus.OK
