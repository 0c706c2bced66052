"""Event kinds: ACLED's event and sub-event types, event-atlas's finer kinds, PLOVER codes, styles.

ACLED (Armed Conflict Location & Event Data) sorts events into 6 event types and 25 sub-event
types; they are spelled here exactly as ACLED spells them. News about talks, threats and
disarmament needs finer kinds than ACLED's catch-all ``Other``: these *extensions* sit under
``Strategic developments``, each with the ACLED sub-event type it falls back to. Every kind carries
its PLOVER code (the 16 PLOVER 2021 categories of ``CAMEO2PLOVER-2021``).

Example::

    >>> EVENT_TYPE_OF["Air/drone strike"], PLOVER_OF["Air/drone strike"]
    ('Explosions/Remote violence', 'ASSAULT')
    >>> EVENT_TYPE_OF["Talks"], ACLED_SUB_EVENT_TYPE_OF["Talks"], PLOVER_OF["Talks"]
    ('Strategic developments', 'Other', 'CONSULT')
"""

from __future__ import annotations

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC_DEVELOPMENTS = "Strategic developments"

EVENT_TYPES: tuple[str, ...] = (
    BATTLES, EXPLOSIONS, VIOLENCE_AGAINST_CIVILIANS, PROTESTS, RIOTS, STRATEGIC_DEVELOPMENTS,
)
"""ACLED's 6 event types."""

# sub-event type -> (event type, PLOVER code)
_ACLED: dict[str, tuple[str, str | None]] = {
    "Armed clash": (BATTLES, "ASSAULT"),
    "Government regains territory": (BATTLES, "ASSAULT"),
    "Non-state actor overtakes territory": (BATTLES, "ASSAULT"),
    "Chemical weapon": (EXPLOSIONS, "ASSAULT"),
    "Air/drone strike": (EXPLOSIONS, "ASSAULT"),
    "Suicide bomb": (EXPLOSIONS, "ASSAULT"),
    "Shelling/artillery/missile attack": (EXPLOSIONS, "ASSAULT"),
    "Remote explosive/landmine/IED": (EXPLOSIONS, "ASSAULT"),
    "Grenade": (EXPLOSIONS, "ASSAULT"),
    "Sexual violence": (VIOLENCE_AGAINST_CIVILIANS, "ASSAULT"),
    "Attack": (VIOLENCE_AGAINST_CIVILIANS, "ASSAULT"),
    "Abduction/forced disappearance": (VIOLENCE_AGAINST_CIVILIANS, "ASSAULT"),
    "Peaceful protest": (PROTESTS, "PROTEST"),
    "Protest with intervention": (PROTESTS, "PROTEST"),
    "Excessive force against protesters": (PROTESTS, "ASSAULT"),
    "Violent demonstration": (RIOTS, "PROTEST"),
    "Mob violence": (RIOTS, "ASSAULT"),
    "Agreement": (STRATEGIC_DEVELOPMENTS, "AGREE"),
    "Arrests": (STRATEGIC_DEVELOPMENTS, "COERCE"),
    "Change to group/activity": (STRATEGIC_DEVELOPMENTS, "MOBILIZE"),
    "Disrupted weapons use": (STRATEGIC_DEVELOPMENTS, "COERCE"),
    "Headquarters or base established": (STRATEGIC_DEVELOPMENTS, "MOBILIZE"),
    "Looting/property destruction": (STRATEGIC_DEVELOPMENTS, "COERCE"),
    "Non-violent transfer of territory": (STRATEGIC_DEVELOPMENTS, "RETREAT"),
    "Other": (STRATEGIC_DEVELOPMENTS, None),
}

SUB_EVENT_TYPES: tuple[str, ...] = tuple(_ACLED)
"""ACLED's 25 sub-event types, grouped by event type in ACLED's order."""

# extension -> (ACLED sub-event type it falls back to, PLOVER code, what it covers)
_EXTENSIONS: dict[str, tuple[str, str, str]] = {
    "Talks": ("Other", "CONSULT", "meetings, negotiations, visits, mediation"),
    "Threat or warning": ("Other", "THREATEN", "threats, warnings, ultimatums"),
    "Disarmament": ("Change to group/activity", "RETREAT", "disarming, demobilising, laying down arms"),
    "Ceasefire": ("Agreement", "RETREAT", "truces and ceasefires declared"),
    "Release": ("Other", "RETREAT", "prisoners or property released, returned"),
    "Demand": ("Other", "REQUEST", "demands, appeals, calls on someone to act"),
    "Accusation": ("Other", "ACCUSE", "accusations, condemnation, criticism, investigations"),
    "Rejection": ("Other", "REJECT", "refusals, rejections, vetoes"),
    "Sanctions": ("Other", "SANCTION", "sanctions, expulsions, cut ties or aid"),
    "Restrictions": ("Other", "COERCE", "curfews, bans, states of emergency, censorship"),
    "Aid": ("Other", "AID", "aid, assistance, asylum given"),
    "Cooperation": ("Other", "COOPERATE", "joint material, military or intelligence work"),
    "Support": ("Other", "SUPPORT", "praise, endorsement, recognition, apologies"),
    "Concession": ("Other", "CONCEDE", "easing restrictions, yielding to demands"),
    "Deployment": ("Change to group/activity", "MOBILIZE", "troops deployed, forces mobilised, alerts raised"),
}

EXTENSIONS: tuple[str, ...] = tuple(_EXTENSIONS)
"""event-atlas's finer kinds, all under ``Strategic developments``."""

ALL_SUB_EVENT_TYPES: tuple[str, ...] = SUB_EVENT_TYPES + EXTENSIONS

EVENT_TYPE_OF: dict[str, str] = {
    **{sub: event_type for sub, (event_type, _) in _ACLED.items()},
    **{ext: STRATEGIC_DEVELOPMENTS for ext in _EXTENSIONS},
}
"""sub_event_type (ACLED or extension) -> ACLED event_type."""

ACLED_SUB_EVENT_TYPE_OF: dict[str, str] = {
    **{sub: sub for sub in _ACLED},
    **{ext: parent for ext, (parent, _, _) in _EXTENSIONS.items()},
}
"""sub_event_type -> the ACLED sub-event type it is (itself) or falls back to (extensions)."""

PLOVER_OF: dict[str, str | None] = {
    **{sub: plover for sub, (_, plover) in _ACLED.items()},
    **{ext: plover for ext, (_, plover, _) in _EXTENSIONS.items()},
}
"""sub_event_type -> PLOVER 2021 event code (None for ACLED's ``Other``)."""

ACLED_PRECEDENCE: tuple[str, ...] = (
    "Chemical weapon", "Suicide bomb", "Sexual violence", "Excessive force against protesters",
    "Government regains territory", "Non-state actor overtakes territory",
    "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    "Armed clash", "Attack", "Abduction/forced disappearance", "Mob violence", "Violent demonstration",
    "Protest with intervention", "Peaceful protest",
    "Disrupted weapons use", "Looting/property destruction", "Arrests", "Non-violent transfer of territory",
    "Headquarters or base established", "Agreement", "Change to group/activity", "Other",
)
"""ACLED's 25 sub-event types, most specific (or most violent) first: when one snippet reports
two events of equal standing ("abducted and raped a woman", "a suicide attacker struck; gunmen
then opened fire"), ACLED codes the earlier one of this order (a chemical attack by air is
``Chemical weapon``, protesters shot dead ``Excessive force against protesters``)."""


def precedence(sub_event_type: str | None) -> float:
    """Rank of a sub_event_type in :data:`ACLED_PRECEDENCE` (lower: codes first); an extension
    ranks just after the ACLED type it falls back to, an unknown kind last.

    >>> precedence("Suicide bomb") < precedence("Attack") < precedence("Talks")
    True
    """
    parent = ACLED_SUB_EVENT_TYPE_OF.get(sub_event_type or "")
    if parent is None:
        return float(len(ACLED_PRECEDENCE))
    return ACLED_PRECEDENCE.index(parent) + (0.5 if parent != sub_event_type else 0.0)


EXTENSION_SCOPE: dict[str, str] = {ext: scope for ext, (_, _, scope) in _EXTENSIONS.items()}
"""extension -> what it covers, for legends and documentation."""

PLOVER_CODES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
"""The 16 PLOVER 2021 event categories."""

LEGACY_PLOVER: dict[str, str] = {
    "FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
}
"""Codes of earlier PLOVER drafts (as in the 2016 gold-standard records) -> PLOVER 2021."""

MODALITIES: tuple[str, ...] = ("asserted", "intended", "hypothetical", "negated")
"""``asserted`` happened (or is happening); the others are kept off maps and timelines by default."""

EVENT_STYLE: dict[str, dict[str, str]] = {
    BATTLES: {"color": "#c0392b", "icon": "crosshairs"},
    EXPLOSIONS: {"color": "#e67e22", "icon": "bomb"},
    VIOLENCE_AGAINST_CIVILIANS: {"color": "#8e44ad", "icon": "person-falling-burst"},
    PROTESTS: {"color": "#2980b9", "icon": "bullhorn"},
    RIOTS: {"color": "#d35400", "icon": "fire"},
    STRATEGIC_DEVELOPMENTS: {"color": "#16a085", "icon": "chess-knight"},
    # extensions shown as their own lane or layer
    "Talks": {"color": "#27ae60", "icon": "handshake"},
    "Threat or warning": {"color": "#f1c40f", "icon": "triangle-exclamation"},
    "Disarmament": {"color": "#1abc9c", "icon": "shield-halved"},
    "Ceasefire": {"color": "#2ecc71", "icon": "dove"},
    "Release": {"color": "#48c9b0", "icon": "person-walking-arrow-right"},
    "Demand": {"color": "#5dade2", "icon": "hand-point-right"},
    "Accusation": {"color": "#a04000", "icon": "gavel"},
    "Rejection": {"color": "#7f8c8d", "icon": "ban"},
    "Sanctions": {"color": "#6c3483", "icon": "scale-balanced"},
    "Restrictions": {"color": "#566573", "icon": "handcuffs"},
    "Aid": {"color": "#58d68d", "icon": "hand-holding-medical"},
    "Cooperation": {"color": "#45b39d", "icon": "people-group"},
    "Support": {"color": "#82e0aa", "icon": "flag"},
    "Concession": {"color": "#a3e4d7", "icon": "hand-holding-hand"},
    "Deployment": {"color": "#34495e", "icon": "person-rifle"},
}
"""event_type (and extension kind) -> ``{"color": "#rrggbb", "icon": Font Awesome 6 free solid name}``."""

COOPERATIVE_PLOVER = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
HOSTILE_PLOVER = frozenset({"ASSAULT", "COERCE", "SANCTION", "PROTEST"})


PLOVER_BY_TRIGGER: dict[tuple[str, str], str] = {("Agreement", "sign"): "SUPPORT"}
"""(sub_event_type, trigger lemma) -> PLOVER code where CAMEO splits what ACLED lumps together:
signing a formal agreement is SUPPORT (CAMEO 057), agreeing to one is AGREE."""


def plover_code(sub_event_type: str, modality: str = "asserted", cue: str | None = None,
                lemma: str | None = None) -> str | None:
    """PLOVER code of a mention, which (unlike ACLED's type) depends on its modality: PLOVER codes
    an intended or conditional cooperative act as AGREE ("will withdraw", "ready to disarm"), an
    intended hostile act as THREATEN ("would boycott"), an obligation as REQUEST ("must release"),
    and a refused cooperative act as REJECT ("will not accept").

    >>> plover_code("Disarmament"), plover_code("Disarmament", "intended", "ready")
    ('RETREAT', 'AGREE')
    >>> plover_code("Air/drone strike", "hypothetical", "could")
    'THREATEN'
    """
    code = PLOVER_OF.get(sub_event_type)
    if modality == "asserted" and (sub_event_type, lemma) in PLOVER_BY_TRIGGER:
        return PLOVER_BY_TRIGGER[sub_event_type, lemma]
    if code is None or modality == "asserted":
        return code
    if modality == "negated":
        return "REJECT" if code in COOPERATIVE_PLOVER else code
    if cue in ("must", "should", "need"):
        return "REQUEST" if code in COOPERATIVE_PLOVER | HOSTILE_PLOVER else code
    if code in COOPERATIVE_PLOVER:
        return "AGREE"
    if code in HOSTILE_PLOVER:
        return "THREATEN"
    return code


UNKNOWN_STYLE: dict[str, str] = {"color": "#95a5a6", "icon": "circle"}
"""Style for a row whose event_type is missing or unknown."""


def style_of(event_type: str | None, sub_event_type: str | None = None) -> dict[str, str]:
    """Style of an event: its extension's own style if it has one, else its event type's.

    >>> style_of("Strategic developments", "Talks")["icon"]
    'handshake'
    """
    if sub_event_type in _EXTENSIONS:
        return EVENT_STYLE[sub_event_type]
    return EVENT_STYLE.get(event_type or "", UNKNOWN_STYLE)
