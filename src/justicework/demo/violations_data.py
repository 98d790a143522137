# ruff: noqa: RUF001  # Cyrillic and Arabic demo texts are meant to contain those letters
"""The fictional world of the violations demo: conflicts and their parties, titles and
descriptions in the documenting organisations' languages, which acts each kind of event
brings, and where places lie. Nothing here is about a real person or a real armed group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from justicework.violations.models import Incident


@dataclass(frozen=True)
class Party:
    name: str
    kind: str
    sub_units: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    name: str
    context: str
    start: dt.date
    countries: tuple[str, ...]
    orgs: tuple[str, ...]  # demo organisation keys documenting it
    language: str  # ui language of titles: en fr es ru uk ar
    locales: tuple[str, ...]  # Faker locales for persons
    events: tuple[str, ...]
    parties: tuple[Party, ...]


CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        name="Eastern Plains war",
        context=Incident.Context.IAC,
        start=dt.date(2022, 2, 24),
        countries=("UA", "GE"),
        orgs=("member-1", "member-4", "member-8", "partner-1"),
        language="uk",
        locales=("uk_UA", "ru_RU"),
        events=("shelling", "detention", "raid", "checkpoint", "displacement", "hospital", "sgbv"),
        parties=(
            Party(
                "Northern Federation Armed Forces",
                "armed_forces",
                ("14th Motorised Rifle Brigade", "61st Tank Battalion", "7th Artillery Regiment"),
            ),
            Party(
                "Northern Federation Guard",
                "security_services",
                ("Filtration Directorate", "2nd Operational Regiment", "Special Rapid Unit 'Vega'"),
            ),
            Party(
                "Volunteer Corps 'Steppe'",
                "paramilitary",
                ("Assault Detachment 'Kite'", "Reserve Company 3", "Logistics Group 'North'"),
            ),
        ),
    ),
    Conflict(
        name="Lakes Highlands conflict",
        context=Incident.Context.NIAC,
        start=dt.date(2019, 6, 1),
        countries=("CD", "CF", "BI"),
        orgs=("member-2", "member-7", "partner-2"),
        language="fr",
        locales=("fr_FR",),
        events=("raid", "displacement", "sgbv", "disappearance", "detention", "hospital"),
        parties=(
            Party(
                "Highland Defence Forces",
                "armed_forces",
                ("3e Brigade d'intervention", "12e Bataillon", "Groupement tactique Est"),
            ),
            Party(
                "Mouvement pour la libération des collines",
                "armed_group",
                ("Brigade Simba-Nord", "Compagnie mobile", "Section des renseignements"),
            ),
            Party(
                "Milice des Trois Rivières",
                "militia",
                ("Groupe du marché", "Groupe des collines", "Garde du chef"),
            ),
        ),
    ),
    Conflict(
        name="Desert Plateau war",
        context=Incident.Context.NIAC,
        start=dt.date(2015, 3, 1),
        countries=("SY", "IQ", "YE"),
        orgs=("member-5", "partner-4", "partner-5"),
        language="ar",
        locales=("ar_AA",),
        events=("shelling", "detention", "disappearance", "hospital", "raid", "sgbv"),
        parties=(
            Party(
                "Plateau Republican Army",
                "armed_forces",
                ("الفرقة الرابعة", "اللواء 105", "كتيبة المدفعية 9"),
            ),
            Party(
                "Brigades of the Dawn",
                "armed_group",
                ("كتيبة الفجر", "سرية الأمن", "مجموعة الاقتحام"),
            ),
            Party(
                "General Intelligence Directorate",
                "security_services",
                ("الفرع 215", "فرع التحقيق", "مكتب الحدود"),
            ),
        ),
    ),
    Conflict(
        name="Coastal protests",
        context=Incident.Context.NONE_KNOWN,
        start=dt.date(2019, 4, 1),
        countries=("CO", "VE"),
        orgs=("member-3", "partner-3"),
        language="es",
        locales=("es_CO",),
        events=("protest", "detention", "disappearance", "checkpoint"),
        parties=(
            Party(
                "Dirección de Orden Público",
                "police",
                ("Escuadrón Antidisturbios 4", "Grupo Motorizado Centro", "Unidad de Reacción"),
            ),
            Party(
                "Grupo de Operaciones Especiales",
                "security_services",
                ("Sección de Inteligencia", "Comando Costa", "Equipo Delta"),
            ),
            Party(
                "Colectivo 'La Ceiba'",
                "militia",
                ("Núcleo Barrio Norte", "Núcleo Puerto", "Brigada Juvenil"),
            ),
        ),
    ),
)

TITLES: dict[str, dict[str, str]] = {
    "shelling": {
        "en": "Shelling of {place}",
        "fr": "Bombardement de {place}",
        "es": "Bombardeo de {place}",
        "ru": "Обстрел {place}",
        "uk": "Обстріл {place}",
        "ar": "قصف {place}",
    },
    "detention": {
        "en": "Mass detentions in {place}",
        "fr": "Arrestations massives à {place}",
        "es": "Detenciones masivas en {place}",
        "ru": "Массовые задержания в {place}",
        "uk": "Масові затримання в {place}",
        "ar": "اعتقالات جماعية في {place}",
    },
    "raid": {
        "en": "Night raid on {place}",
        "fr": "Raid nocturne sur {place}",
        "es": "Incursión nocturna en {place}",
        "ru": "Ночной рейд в {place}",
        "uk": "Нічний рейд у {place}",
        "ar": "مداهمة ليلية في {place}",
    },
    "checkpoint": {
        "en": "Abuses at the {place} checkpoint",
        "fr": "Exactions au poste de contrôle de {place}",
        "es": "Abusos en el retén de {place}",
        "ru": "Нарушения на блокпосту {place}",
        "uk": "Порушення на блокпосту {place}",
        "ar": "انتهاكات عند حاجز {place}",
    },
    "displacement": {
        "en": "Forced displacement from {place}",
        "fr": "Déplacement forcé depuis {place}",
        "es": "Desplazamiento forzado desde {place}",
        "ru": "Принудительное выселение из {place}",
        "uk": "Примусове виселення з {place}",
        "ar": "تهجير قسري من {place}",
    },
    "disappearance": {
        "en": "Disappearances after the sweep of {place}",
        "fr": "Disparitions après le ratissage de {place}",
        "es": "Desapariciones tras el operativo en {place}",
        "ru": "Исчезновения после зачистки {place}",
        "uk": "Зникнення після зачистки {place}",
        "ar": "حالات اختفاء بعد تمشيط {place}",
    },
    "hospital": {
        "en": "Strike on the hospital in {place}",
        "fr": "Frappe sur l'hôpital de {place}",
        "es": "Ataque al hospital de {place}",
        "ru": "Удар по больнице в {place}",
        "uk": "Удар по лікарні в {place}",
        "ar": "قصف المستشفى في {place}",
    },
    "sgbv": {
        "en": "Sexual violence during the occupation of {place}",
        "fr": "Violences sexuelles pendant l'occupation de {place}",
        "es": "Violencia sexual durante la ocupación de {place}",
        "ru": "Сексуальное насилие во время оккупации {place}",
        "uk": "Сексуальне насильство під час окупації {place}",
        "ar": "عنف جنسي خلال احتلال {place}",
    },
    "protest": {
        "en": "Repression of the protest in {place}",
        "fr": "Répression de la manifestation à {place}",
        "es": "Represión de la protesta en {place}",
        "ru": "Подавление протеста в {place}",
        "uk": "Придушення протесту в {place}",
        "ar": "قمع الاحتجاج في {place}",
    },
}

DESCRIPTIONS = {
    "en": "Witnesses describe {n} victims. Members of {party} were in the area at the time.",
    "fr": "Les témoins décrivent {n} victimes. Des membres de {party} étaient présents.",
    "es": "Los testigos describen {n} víctimas. Miembros de {party} estaban en la zona.",
    "ru": "Свидетели сообщают о {n} пострадавших. В районе находились бойцы «{party}».",
    "uk": "Свідки повідомляють про {n} постраждалих. У районі перебували бійці «{party}».",
    "ar": "يصف الشهود {n} ضحايا. كان عناصر من {party} في المنطقة في ذلك الوقت.",
}

#: Acts recorded for each kind of event (first ones more often).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "shelling": ("killing_in_attack", "injury", "indiscriminate_attack", "destruction_of_property"),
    "detention": ("arbitrary_detention", "torture", "cruel_treatment", "denial_of_fair_trial"),
    "raid": ("extrajudicial_execution", "pillage", "abduction", "rape", "destruction_of_property"),
    "checkpoint": ("arbitrary_detention", "torture", "other_sexual_violence", "killing"),
    "displacement": ("forced_displacement", "deportation", "pillage", "transfer_of_children"),
    "disappearance": ("enforced_disappearance", "abduction", "torture", "extrajudicial_execution"),
    "hospital": ("attack_on_protected_objects", "killing_in_attack", "injury"),
    "sgbv": (
        "rape",
        "other_sexual_violence",
        "sexual_slavery",
        "forced_marriage",
        "enforced_prostitution",
        "forced_pregnancy",
        "enforced_sterilisation",
        "gender_persecution",
    ),
    "protest": (
        "repression_of_assembly",
        "arbitrary_detention",
        "cruel_treatment",
        "attack_on_journalists_defenders",
        "killing",
    ),
}

METHODS: dict[str, tuple[str, ...]] = {
    "killing_in_attack": ("shelling", "airstrike", "missile", "cluster_munition"),
    "injury": ("shelling", "landmine_ied", "airstrike"),
    "indiscriminate_attack": ("shelling", "cluster_munition", "missile"),
    "attack_on_protected_objects": ("airstrike", "missile", "shelling"),
    "torture": ("beating", "electric_shock", "suffocation", "suspension", "mock_execution"),
    "cruel_treatment": ("beating", "deprivation_food_water", "humiliation", "incommunicado"),
    "extrajudicial_execution": ("shooting",),
    "killing": ("shooting", "beating"),
    "repression_of_assembly": ("beating", "shooting", "chemical_weapon"),
    "rape": ("sexual_assault_method",),
    "other_sexual_violence": ("sexual_assault_method", "humiliation"),
}

OUTCOMES: dict[str, tuple[str, ...]] = {
    "killing_in_attack": ("deceased",),
    "extrajudicial_execution": ("deceased",),
    "killing": ("deceased",),
    "injury": ("injured",),
    "enforced_disappearance": ("missing", "missing", "released", "deceased"),
    "abduction": ("missing", "released", "escaped"),
    "arbitrary_detention": ("released", "detained", "released"),
    "forced_displacement": ("displaced",),
    "deportation": ("displaced",),
}

#: Rough bounding boxes (south, west, north, east) for fictional coordinates.
BOXES: dict[str, tuple[float, float, float, float]] = {
    "UA": (46.0, 23.0, 52.0, 40.0),
    "GE": (41.2, 40.0, 43.5, 46.5),
    "CD": (-12.0, 13.0, 5.0, 31.0),
    "CF": (2.5, 14.5, 10.5, 27.0),
    "BI": (-4.4, 29.0, -2.3, 30.8),
    "SY": (32.5, 35.8, 37.2, 42.0),
    "IQ": (29.5, 38.8, 37.3, 48.5),
    "YE": (12.6, 42.6, 18.9, 53.0),
    "CO": (-4.2, -79.0, 12.4, -67.0),
    "VE": (0.7, -73.3, 12.2, -59.8),
}

ARABIC_PLACES = ("قرية {n}", "حي {n}", "تل {n}", "عين {n}", "كفر {n}")
LANGUAGE_OF_LOCALE = {"uk_UA": "uk", "ru_RU": "ru", "fr_FR": "fr", "es_CO": "es", "ar_AA": "ar"}
SCRIPT_OF_LOCALE = {"uk_UA": "Cyrl", "ru_RU": "Cyrl", "ar_AA": "Arab"}
SOURCE_KINDS = (
    "victim_testimony",
    "witness_testimony",
    "photo",
    "video",
    "social_media",
    "satellite_imagery",
    "medical_record",
    "ngo_report",
)
