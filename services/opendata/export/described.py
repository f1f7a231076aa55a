"""What the catalogue says of each dataset, in French (the portal's language) and in English.

This is published content, not the console's interface: it is written here in both languages
rather than translated through Qt, as data.gouv.fr and the European portal read them.
"""

from __future__ import annotations

from dataclasses import dataclass

_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


@dataclass(frozen=True)
class Described:
    title: dict[str, str]
    description: dict[str, str]
    keywords: tuple[str, ...]
    theme: str
    accrual: str  # the EU frequency authority's code
    files: tuple[str, ...] = ()  # what the dataset writes (an export removes only these)


DATASETS: dict[str, Described] = {
    "eclairage-energie": Described(
        {
            "fr": "Éclairage public : énergie consommée par commune et par nuit",
            "en": "Street lighting: energy used per commune and night",
        },
        {
            "fr": "kWh relevés aux compteurs des armoires d'éclairage, par commune et par nuit "
            "(nommée par sa soirée), comparés à la consommation des mêmes points lumineux "
            "à pleine puissance pendant les mêmes heures : l'économie de la gradation.",
            "en": "kWh read from the lighting cabinets' meters per commune and night (named by "
            "its evening), against the same lights at full power for the same hours: what "
            "dimming saves.",
        },
        ("éclairage public", "énergie", "gradation", "sobriété énergétique"),
        _THEME + "ENER",
        "DAILY",
        files=("eclairage-energie.csv",),
    ),
    "eclairage-pannes": Described(
        {
            "fr": "Éclairage public : pannes par commune et par semaine, et délai de réparation",
            "en": "Street lighting: faults per commune and week, and time to repair",
        },
        {
            "fr": "Points lumineux tombés en panne chaque semaine ISO, par commune, ceux réparés "
            "et le délai de réparation (médiane et 90e centile, en heures).",
            "en": "Street lights that failed each ISO week, per commune, those repaired and the "
            "time to repair (median and 90th percentile, hours).",
        },
        ("éclairage public", "maintenance", "pannes"),
        _THEME + "GOVE",
        "WEEKLY",
        files=("eclairage-pannes.csv",),
    ),
    "trafic-debit": Described(
        {
            "fr": "Trafic routier : débit horaire aux boucles de comptage",
            "en": "Road traffic: hourly flow at the counting loops",
        },
        {
            "fr": "Véhicules par heure (moyenne des mesures de l'heure) à chaque boucle de "
            "comptage, avec le carrefour à feux auquel elle se rattache.",
            "en": "Vehicles per hour (the mean of the hour's readings) at each counting loop, with "
            "the signalised intersection it belongs to.",
        },
        ("trafic", "circulation", "comptage routier", "mobilité"),
        _THEME + "TRAN",
        "DAILY",
        files=("trafic-debit.csv", "trafic-capteurs.geojson"),
    ),
    "priorite-bus": Described(
        {
            "fr": "Priorité bus aux feux : demandes et demandes servies par carrefour et par jour",
            "en": "Bus priority at traffic signals: requests and requests served per intersection "
            "and day",
        },
        {
            "fr": "Demandes de priorité des bus aux carrefours équipés et part servie, par jour.",
            "en": "Buses' priority requests at equipped intersections and the share served, per "
            "day.",
        },
        ("bus", "transport en commun", "feux tricolores", "priorité"),
        _THEME + "TRAN",
        "DAILY",
        files=("priorite-bus.csv", "priorite-bus.geojson"),
    ),
    "signalements-commune": Described(
        {
            "fr": "Signalements et incidents par catégorie, par commune et par semaine",
            "en": "Reports and incidents per category, commune and week",
        },
        {
            "fr": "Incidents traités par le centre de supervision urbain, par semaine ISO, "
            "commune et catégorie, avec les totaux. Secret statistique : aucun nombre "
            "inférieur à 5 n'est publié, ni ne peut être retrouvé par différence avec un "
            "total (suppression complémentaire) ; une ligne absente vaut « aucun ou moins "
            "de 5 ».",
            "en": "Incidents handled by the control room, per ISO week, commune and category, "
            "with totals. No count under 5 is published or can be recovered by subtraction "
            "from a total (complementary suppression); an absent row means 'none or fewer "
            "than 5'.",
        },
        ("signalements", "incidents", "sécurité", "cadre de vie"),
        _THEME + "GOVE",
        "WEEKLY",
        files=("signalements-commune.csv",),
    ),
    "signalements-grille": Described(
        {
            "fr": "Signalements et incidents par carreau de 250 m (Lambert-93) et par semaine",
            "en": "Reports and incidents per 250 m square (Lambert-93) and week",
        },
        {
            "fr": "Incidents de chaque commune par carreau de 250 m du quadrillage Lambert-93 "
            "(EPSG:2154), par semaine ISO, sous le même secret statistique que le jeu par "
            "commune (5 au moins, suppression complémentaire). Aucune position plus fine.",
            "en": "Each commune's incidents per 250 m square of the Lambert-93 grid (EPSG:2154), "
            "per ISO week, under the same rule as the per-commune dataset (at least 5, "
            "complementary suppression). No finer position.",
        },
        ("signalements", "incidents", "carroyage", "Lambert-93"),
        _THEME + "REGI",
        "WEEKLY",
        files=("signalements-grille.csv", "signalements-grille.geojson"),
    ),
    "viabilite-hivernale": Described(
        {
            "fr": "Viabilité hivernale : délais de traitement par tronçon et par épisode neigeux",
            "en": "Winter service: treatment delays per road segment and snow episode",
        },
        {
            "fr": "Pour chaque tronçon du réseau et chaque épisode du plan neige : premier "
            "passage d'une lame ou d'une saleuse après le début de l'épisode, objectif, "
            "retard, passages et plus long intervalle sans traitement (minutes).",
            "en": "For each network segment and each snow-plan episode: the first pass of a "
            "plough or spreader after the episode began, the target, the delay, the passes "
            "and the longest time untreated (minutes).",
        },
        ("viabilité hivernale", "neige", "verglas", "salage", "déneigement"),
        _THEME + "TRAN",
        "DAILY",
        files=("viabilite-hivernale.csv", "viabilite-troncons.geojson"),
    ),
    "plan-neige": Described(
        {"fr": "Plan neige : niveaux successifs", "en": "Snow plan: its levels over time"},
        {
            "fr": "Les niveaux du plan neige (veille, alerte, intervention, crise) et leurs "
            "heures de début et de fin.",
            "en": "The snow plan's levels (watch, alert, intervention, crisis) and when each "
            "began and ended.",
        },
        ("viabilité hivernale", "neige", "plan neige"),
        _THEME + "GOVE",
        "DAILY",
        files=("plan-neige.csv",),
    ),
    "cameras": Described(
        {"fr": "Vidéoprotection : emplacement des caméras", "en": "CCTV: camera locations"},
        {
            "fr": "Emplacement et nom des caméras de vidéoprotection de la voie publique.",
            "en": "Where the public-space CCTV cameras stand, and their names.",
        },
        ("vidéoprotection", "caméras"),
        _THEME + "JUST",
        "WEEKLY",
        files=("cameras.csv", "cameras.geojson"),
    ),
}


#: Every file an export may write: the only ones a later export removes (a dataset dropped).
ALL_FILES = frozenset(f for d in DATASETS.values() for f in d.files)
