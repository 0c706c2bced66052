"""The ``events`` component: event mentions, typed with ACLED's taxonomy, with modality, actors,
date and place.

Triggers are found on lemmas (full pipeline) or lower-case word forms (rules-only pipeline), from
the lexicon :data:`TRIGGERS` (phrases with spaCy's :class:`~spacy.matcher.PhraseMatcher`). Each
trigger is then refined from its dependency context (the weapon, the target, the actor: "drone
attack" is an ``Air/drone strike``, "attack on civilians" an ``Attack``, "attack on an army post" an
``Armed clash``), given a modality from the words that govern it ("ready to disarm" is intended,
"could launch airstrikes" hypothetical, "did not attack" negated), its actors (subject, object), the
time expression of its clause (``doc.spans["timex"]``) and the toponym of its clause
(``doc.spans["toponyms"]``, else the parser's place entities, else a proper name beside a place
noun: "the villages of Kafr Zita and Al-Mansoura"), the innermost of nested places ("the
Zafaraniyah district of southern Baghdad": Zafaraniyah) and every coordinated one.

Results are in ``doc._.events``, a list of dicts with the keys :data:`EVENT_KEYS`.

Example::

    >>> nlp = spacy.load("en_core_web_sm"); nlp.add_pipe("events")      # doctest: +SKIP
    >>> nlp("US jets bombed Houthi positions in Yemen.")._.events[0]["sub_event_type"]  # doctest: +SKIP
    'Air/drone strike'
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice, product

from spacy.attrs import LEMMA, LOWER, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from timeline.pipeline import doc_text
from timeline.taxonomy import EVENT_TYPE_OF, plover_code

EVENT_KEYS: tuple[str, ...] = (
    "event_type", "sub_event_type", "plover", "modality", "trigger", "trigger_start", "trigger_end",
    "actor1", "actor2", "sentence", "sentence_start",
    "date_text", "date_start", "date_end", "date_precision", "date_modifier", "date_value", "date_basis",
    "place_text", "place_start", "place_end", "place_name", "geonameid", "latitude", "longitude",
    "geo_precision", "geo_level", "admin1", "country",
)
"""Keys of each event dict in ``doc._.events`` (the contract between stages)."""

for _name, _default in (("dct", None), ("article_id", None), ("events", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

# --------------------------------------------------------------------------------------------
# Lexicon: kind -> trigger lemmas. A trailing ":v" / ":n" restricts the part of speech (verb /
# noun) when a tagger is present. Multi-word triggers are written with spaces; the last word
# inflects for nouns, the first for verbs ("lay down arms" -> "laid down arms").
# Kinds written in lower case are generic and get their ACLED sub-event type from context.

TRIGGERS: dict[str, tuple[str, ...]] = {
    "violence": (
        "attack", "assault", "strike:v", "raid", "ambush", "kill:v", "shoot:v", "shooting:n", "gun down",
        "open fire", "fire on", "fire at", "murder", "massacre", "slaughter", "behead", "execute:v",
        "stab", "wound:v", "injure:v", "storm:v", "target:v", "hit:v", "bomb:v", "bombing", "bombard",
        "bombardment", "blast:n", "explosion", "explode", "detonate", "offensive:n", "incursion",
        "lynch", "torture", "gunman:n", "drop:v", "massacre", "assassinate", "assassination", "killing:n",
        "fire:v", "pound:v", "blow up", "beat up", "beat:v", "abuse:v", "invade", "invasion",
        "force out", "drive out", "go off", "open live fire", "come under fire", "come under attack", "stone:v",
        "ram:v",
    ),
    "Armed clash": (
        "clash", "fight:v", "fighting:n", "battle", "firefight", "gunfight", "gunbattle", "gun battle",
        "skirmish", "exchange fire", "exchange of fire", "engage:v", "repel", "repulse", "trade fire", "trade gunfire",
        "exchange gunfire",
        "counterattack", "counteroffensive",
    ),
    "Air/drone strike": (
        "airstrike", "air strike", "air raid", "airstrike", "drone strike", "drone attack", "air attack",
        "aerial bombardment", "aerial attack", "air campaign", "strafe",
    ),
    "Shelling/artillery/missile attack": (
        "shell:v", "shelling", "artillery fire", "rocket attack", "missile attack", "missile strike",
        "mortar attack", "mortar fire", "rocket fire", "rocket:n", "missile:n", "mortar:n", "mortar round",
        "mortar shell", "artillery shell", "shell:n",
    ),
    "Remote explosive/landmine/IED": (
        "roadside bomb", "car bomb", "landmine", "land mine", "ied", "improvised explosive device",
        "bomb attack", "bomb blast", "explosive device", "booby trap", "unexploded ordnance", "magnetic bomb",
        "sticky bomb", "set off:v", "step on:v", "bomb:n",
    ),
    "Suicide bomb": ("suicide bombing", "suicide attack", "suicide bomber", "suicide bomb", "suicide car bomb",
                     "suicide vest", "explosive vest", "blow himself up", "blow herself up", "blow themselves up"),
    "Grenade": ("grenade attack", "throw grenade", "hurl grenade", "lob grenade", "grenade:n"),
    "Chemical weapon": ("chemical attack", "gas attack", "chemical weapon"),
    "Sexual violence": ("rape", "sexually assault", "sexual assault", "sexual violence"),
    "Abduction/forced disappearance": ("abduct", "abduction", "kidnap", "kidnapping", "take hostage", "hijack",
                                       "hostage:n", "disappearance", "forcibly disappear", "take away"),
    "Government regains territory": ("recapture", "retake", "regain", "liberate", "reclaim", "take back", "dislodge",
                                     "wrest back", "win back"),
    "Non-state actor overtakes territory": ("seize control", "take control", "overrun", "capture:v", "seize:v",
                                            "occupy:v", "wrest control"),
    "Peaceful protest": (
        "protest", "demonstrate", "demonstration", "rally", "march:v", "sit-in", "picket", "hunger strike",
        "go on strike", "walkout", "strike:n", "protester", "demonstrator", "boycott", "vigil",
        "block:v", "march:n", "gather:v", "go-slow", "take to the streets", "human chain", "stand in silence",
    ),
    "Protest with intervention": ("tear gas", "teargas", "water cannon", "rubber bullet", "disperse:v", "break up",
                                  "baton-charge"),
    "Violent demonstration": ("riot", "rioting", "rioter", "violent protest", "hurl stone", "throw stone", "pelt"),
    "Mob violence": ("mob", "vigilante"),
    "Agreement": (
        "agree", "agreement", "deal:n", "accord", "sign:v", "treaty", "pact", "accept", "offer:v",
        "pledge", "promise:v", "settle", "settlement", "consensus", "prisoner swap", "prisoner exchange",
        "exchange of prisoners",
    ),
    "Arrests": (
        "arrest", "detain", "detention", "apprehend", "imprison", "jail:v", "round up", "take into custody",
        "capture:n", "nab", "sentence:v", "charge:v", "custody:n",
    ),
    "Headquarters or base established": ("establish:v", "set up", "build:v", "construct:v", "open:v"),
    "Looting/property destruction": (
        "loot", "looting", "plunder", "ransack", "vandalize", "vandalise", "torch", "set fire", "set ablaze",
        "burn:v", "demolish", "raze", "destroy", "destruction", "pillage",
    ),
    "Non-violent transfer of territory": (
        "withdraw", "withdrawal", "pull out", "pullout", "pull back", "retreat", "evacuate", "evacuation",
        "vacate", "hand over", "handover", "abandon", "leave:v", "relocate", "redeploy",
    ),
    "Disrupted weapons use": ("defuse", "intercept", "shoot down", "dismantle", "thwart", "foil", "weapons cache",
                              "arms cache", "discover:v", "uncover:v", "down:v"),
    "Change to group/activity": (
        "dissolve", "merge", "split:v", "defect", "rename", "suspend operations",
        "cease operations", "halt operations", "limit presence", "reduce presence",
    ),
    "Disarmament": (
        "disarm", "disarmament", "demobilize", "demobilise", "demobilization", "decommission",
        "lay down arms", "lay down weapons", "hand over weapons", "surrender weapons", "give up arms",
        "lay down their arms", "lay down their weapons", "demobilisation", "stand down", "disband",
        "turn themselves in", "turn himself in", "turn herself in",
    ),
    "Ceasefire": ("ceasefire", "cease-fire", "truce", "armistice"),
    "Talks": (
        "talk", "negotiate", "negotiation", "meet:v", "meeting", "visit", "host:v", "discuss", "discussion",
        "consult", "consultation", "mediate", "mediation", "summit", "dialogue", "confer", "phone:v",
        "parley", "envoy", "receive:v", "conference", "welcome:n",
    ),
    "Threat or warning": ("threaten", "threat", "warn", "warning", "ultimatum", "caution:v"),
    "Demand": (
        "demand", "urge", "call on", "call for", "appeal", "ask:v", "request", "press:v", "insist",
        "petition", "plead", "pressure:v", "seek refuge", "seek asylum", "push for", "press for",
    ),
    "Accusation": (
        "accuse", "accusation", "blame", "condemn", "condemnation", "criticize", "criticise", "criticism",
        "denounce", "allege", "investigate", "investigation", "probe", "inquiry", "sue", "lawsuit",
        "rebuke", "deplore", "decry", "slam:v", "protest to", "complain", "complaint",
        "find guilty", "hearing", "indict", "indictment", "convict",
    ),
    "Rejection": (
        "reject", "refuse", "veto", "rebuff", "decline:v", "dismiss", "deny", "oppose", "spurn", "defy",
        "rule out", "renege", "violate", "resist", "boycott talks",
    ),
    "Sanctions": (
        "sanction", "embargo", "expel", "expulsion", "sever ties", "cut ties", "break off", "recall",
        "suspend", "freeze", "cut off", "halt:v", "downgrade", "reduce aid", "cancel", "call off", "end:v",
    ),
    "Restrictions": (
        "curfew", "ban", "martial law", "state of emergency", "censor", "censorship", "outlaw", "shut down",
        "restrict", "restriction", "crackdown", "crack down", "confiscate", "deport", "deportation",
        "prohibit", "impose blockade", "blockade", "state of siege", "hack:v", "deface", "cyberattack",
    ),
    "Aid": ("aid", "donate", "donation", "assistance", "relief", "provide", "deliver", "grant asylum", "supply:v",
            "send:v", "contribute", "asylum", "grant:n", "loan:n", "humanitarian corridor"),
    "Cooperation": ("cooperate", "cooperation", "collaborate", "joint exercise", "share:v", "ally:v", "extradite", "extradition",
                    "war games", "joint patrol", "joint operation"),
    "Support": (
        "praise", "endorse", "endorsement", "support", "back:v", "welcome:v", "commend", "hail:v",
        "recognize", "recognise", "recognition", "apologize", "apologise", "apology", "forgive",
        "congratulate", "defend:v", "restore:v", "upgrade:v", "normalize:v", "normalise:v",
    ),
    "Concession": ("ease", "lift:v", "relax", "concede", "yield:v", "accede", "allow", "grant:v", "pardon", "amnesty",
                   "shorten:v", "loosen:v", "reopen:v"),
    "Release": ("release", "free:v", "repatriate", "swap", "return:v", "exchange:v"),
    "Deployment": (
        "deploy", "deployment", "mobilize", "mobilise", "mobilization", "reinforce", "reinforcement",
        "send troops", "dispatch", "mass:v", "buildup", "build-up", "alert", "patrol", "step up security",
        "tighten security", "step up measure", "heighten security", "prepare", "station:v", "strengthen:v",
        "bolster:v", "beef up", "arrive:v",
    ),
}

# Context words that decide the ACLED sub-event type of a generic violence trigger.
AIR_WORDS = frozenset("air airstrike aircraft airplane warplane jet plane drone uav helicopter gunship "
                      "aerial bomber f-16 fighter-jet airforce".split())
SHELLING_WORDS = frozenset("shell shelling artillery mortar rocket missile howitzer tank katyusha "
                           "projectile barrage cannon".split())
IED_WORDS = frozenset("ied roadside landmine mine explosive car bomb bombing blast explosion device "
                      "booby-trapped booby motorcycle sticky".split())
SUICIDE_WORDS = frozenset("suicide bomber".split())
CHEMICAL_AGENT = re.compile(r"\b(chlorine|sarin|chloropicrin|phosgene|vx|tabun|(toxic|poison|nerve|mustard|chemical) "
                            r"(gas|agents?|weapons?|munitions?))\b", re.IGNORECASE)
"""Words that make an attack a ``Chemical weapon`` anywhere in its sentence ("rockets filled with a toxic gas")."""
GRENADE_WORDS = frozenset({"grenade"})
FIRING_VERBS = frozenset("fire launch land hit strike fall rain target slam explode crash lob hurl shoot impact "
                          "pound struck".split())
"""Verbs that make a rocket, missile or shell an attack ("mortar rounds landed on a market")."""
ASSAILANT_WORDS = frozenset("attacker assailant bandit raider kidnapper abductor gunman".split())
ARMED_WORDS = frozenset(
    "troop soldier force army military militant rebel insurgent fighter militia militiaman guerrilla "
    "police policeman officer guard checkpoint base position post convoy patrol barrack garrison outpost "
    "jihadist gunman commander unit brigade battalion regiment marine navy warship tank personnel "
    "separatist combatant al-shabaab isis isil taliban houthi hezbollah hamas".split())
CIVILIAN_WORDS = frozenset(
    "civilian villager resident man woman child boy girl people family farmer worker journalist teacher "
    "student pilgrim passenger shopper worshipper worshiper doctor nurse patient refugee trader driver "
    "protester demonstrator activist mourner herder fisherman official politician candidate "
    "leader chief judge village home house school hospital market mosque church shop ruler elder businessman "
    "cleric imam pastor priest chairman".split())
CROWD_CONTROL_WORDS = frozenset("tear teargas gas water cannon rubber baton disperse".split())
PROTESTER_WORDS = frozenset("protester demonstrator protest demonstration rally marcher crowd".split())
LABOUR_WORDS = frozenset("worker employee staff union unionist labour labor wage pay salary pension teacher doctor "
                         "nurse driver miner docker dockworker farmer trucker student shopkeeper trader merchant "
                         "transporter lawyer civil servant general hunger walkout striker strike-bound "
                         "industrial nationwide shutdown".split())
"""Words that make the noun "strike" a stoppage of work ("teachers' strike", "general strike") rather
than a military strike ("condemned the strike" in a report of an air raid)."""
PROTEST_LEMMAS = frozenset("protest protester demonstrate demonstration demonstrator rally march marcher sit-in "
                           "picket strike striker vigil block go-slow".split())
"""Lemmas that put a snippet in a protest ("activists who had blocked a motorway")."""
RIOTER_WORDS = frozenset("mob vigilante crowd rioter resident villager youth supporter mourner fan hooligan".split())
"""Subjects of violence that are no armed group: a riot (``Mob violence``, ``Violent demonstration`` in a protest)."""
STATE_TARGET_WORDS = frozenset("police policeman officer gendarme station parliament congress senate assembly court "
                               "palace ministry council hall government governor mayor embassy prefecture".split())
"""Targets that make a crowd's violence a riot against the state (``Violent demonstration``: "threw stones at police")."""
RECIPROCAL_WORDS = frozenset({"each", "another"})
"""Objects of a crowd's violence between two sides ("pelted each other with stones": ``Mob violence``)."""
GATHERING_VERBS = frozenset("gather assemble converge congregate sit stand march walk drive ride line rally camp "
                            "parade".split())
"""Verbs of people coming together or moving as a crowd; with a purpose clause of a demand ("drove tractors into
Berlin to oppose cuts", "sat in the streets to demand") they report a protest."""
PROTEST_PURPOSES = frozenset("demand oppose protest denounce condemn reject press push call urge decry criticize "
                             "criticise voice express".split())
"""Purpose verbs of a gathering that make it a protest ("gathered to demand", "marched to denounce")."""
PROTEST_PROPS = frozenset("flower wreath candle banner placard sign flag portrait slogan sit-in vigil rally march "
                          "protest picket".split())
"""Objects of "lay", "hold", "carry", "wave" that make them protest acts ("laid flowers", "holding a sit-in")."""
INTERVENTION_VERBS = frozenset("detain arrest disperse remove evict drag beat surround clear round take".split())
"""Verbs of the police acting on a crowd: their object doing a protest act is a ``Protest with intervention``."""
PROJECTILE_WORDS = frozenset("drone uav missile rocket projectile shahed shell".split())
"""Things fired that air defence destroys or downs (``Disrupted weapons use``)."""
REFLEXIVES = frozenset({"himself", "herself", "themselves"})
"""Objects of "killing" that make an explosion a ``Suicide bomb`` ("killing himself and six soldiers")."""
AGENT_NOUNS = frozenset("gunman mob vigilante kidnapper".split())
"""Trigger nouns that name who acts: as the subject of an event verb in their clause they are no event of their own."""
NON_STATE_WORDS = frozenset("rebel militant insurgent militia militiaman jihadist gunman gang bandit fighter separatist "
                            "al-shabaab isis isil iswap jnim taliban houthi m23 adf codeco kidnapper".split())
STATE_WORDS = frozenset("police policeman officer soldier troop army military security gendarme gendarmerie guard "
                        "authority government force regime agent".split())
LETHAL_WORDS = frozenset("kill dead death die killing live fatal lethal fatally".split())
_LIVE_FIRE = re.compile(r"\blive (?:ammunition|fire|rounds?|bullets?)\b", re.IGNORECASE)
"""Lethal force named as such: protesters fired on with it suffer ``Excessive force`` even with tear gas too."""
WEAPON_WORDS = frozenset("weapon arm ammunition cache explosive rifle gun pistol bomb ied grenade rocket missile mine "
                         "mortar drone launcher ak-47 munition".split())
GOVERNMENT_WORDS = frozenset("army troop soldier force government military police regime".split())
TERRITORY_WORDS = frozenset("town city village area district territory region province control "
                            "neighborhood neighbourhood hill airport base position stronghold".split())
PROPERTY_WORDS = frozenset("house home building property shop store office vehicle car crop field "
                           "school church mosque market village hut bridge tower pipeline line station depot "
                           "infrastructure facility plant factory truck bus tyre tire barricade warehouse "
                           "headquarters base tent camp farm equipment mast antenna granary clinic centre center "
                           "stall livestock kiosk".split())
BASE_WORDS = frozenset("headquarters base camp outpost office position stronghold checkpoint post garrison barrack "
                       "hq".split())
AGREEMENT_WORDS = frozenset("agreement deal treaty accord pact memorandum contract ceasefire cease-fire truce law "
                            "decree declaration protocol charter convention document armistice bill order "
                            "understanding roadmap".split())
RESTRICTION_WORDS = frozenset("restriction curfew ban sanction embargo blockade strike protest boycott siege emergency "
                              "law closure limit control measure state".split())
RELATION_WORDS = frozenset("talk negotiation mediation visit aid tie relation link cooperation flight contact "
                           "membership trade assistance effort dialogue meeting program programme".split())
AID_WORDS = frozenset("aid assistance weapon arm food medicine supply equipment fund money help relief shelter goods "
                      "material grain water tent vaccine ammunition loan grant".split())
WORKER_WORDS = frozenset("worker farmer student driver resident trucker teacher union fisherman villager".split())

# Words that govern an event and make it not (yet) real.
INTENT_HEADS = frozenset(
    "ready willing prepared plan intend threaten vow pledge promise want seek aim decide agree offer "
    "prepare readiness willingness intention intent desire wish hope expect propose consider "
    "weigh mull poised determined commit set going eager keen resolve".split())
HYPOTHETICAL_HEADS = frozenset(
    "fear risk threat possibility prospect avoid prevent potential possible likely demand call urge ask "
    "press pressure push encourage insist need condition plan scenario chance danger unless if warn warning rumour "
    "rumor speculation proposal option must able".split())
OCCURRENCE_VERBS = frozenset("happen occur take come begin start continue end resume".split())
"""Verbs whose subject is the event itself ("the attack happened", "fighting resumed")."""
NEGATING_HEADS = frozenset("refuse deny decline fail reject halt stop cease without".split())
MODAL_HYPOTHETICAL = frozenset("could would might may should can must".split())
MODAL_INTENDED = frozenset({"will", "shall", "'ll"})
HYPOTHETICAL_MODIFIERS = frozenset("potential possible planned proposed future threatened likely imminent "
                                   "looming expected feared".split())
REPORTING_VERBS = frozenset("say tell report confirm claim state announce add note reveal stress explain "
                            "according quote believe think describe".split())
LIGHT_VERBS = frozenset("launch carry conduct stage hold mount make begin start continue resume step "
                        "unleash undertake perform execute intensify escalate claim take have".split())
LOCATIVE_PREPS = frozenset("in at near inside outside across throughout around into on off along "
                           "within over outskirts of through beyond between as like including "
                           "north south east west northeast northwest southeast southwest".split())
TERRITORIAL_VERBS = frozenset("capture seize occupy invade overrun patrol cede annex retake recapture liberate "
                              "bomb shell attack hit strike storm raid besiege surround enter evacuate vacate "
                              "control hold take destroy target blockade encircle".split())
"""Verbs whose object (or passive subject) can be the place itself ("captured Naarden")."""
FEATURE_NOUNS = frozenset("city town village province district area region state county camp neighbourhood "
                          "neighborhood suburb governorate municipality commune capital island port enclave "
                          "prefecture settlement outskirts border strip territory zone".split())
RELATIVE_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest near outside "
                                "northern southern eastern western".split())
ADJUNCT_PREPS = frozenset("after before since during amid despite following in at on near by through until "
                          "over under between among across within from as throughout".split())
QUANTIFIERS = frozenset("several some many few all both each every various numerous multiple other "
                        "any more most these those this that the a an".split())
AMOUNT_NOUNS = frozenset("hundred thousand dozen score most much some all part rest half third quarter "
                         "majority swath swathe stretch kilometre kilometer mile hectare acre km".split())
"""Heads whose "of" phrase names what was taken ("hundreds of square kilometres of territory")."""
NOT_CAPTURED = frozenset("title championship crown cup medal trophy gold silver bronze prize award moment imagination "
                         "attention heart mind mood spirit essence feeling image likeness seat vote share lead "
                         "victory win point wicket record market audience nomination".split())
"""Objects of "capture" that make it no event ("captured the title", "captured the imagination")."""
RECORDING_WORDS = frozenset("camera video film footage tape photo photograph picture recording cctv lens".split())
"""Words that make "captured" mean recorded ("the attack was captured on camera")."""
PERSON_PRONOUNS = frozenset("he she him her they them we us i me".split())
"""Pronouns that stand for people ("he was captured": an arrest or abduction, not territory)."""
PRONOUNS = frozenset("it they them he she we i you him her us its their who which that this these those "
                     "itself themselves".split())

_IRREGULAR = {
    "shoot": ("shot",), "fight": ("fought",), "hit": ("hit",), "seize": ("seized",), "lay": ("laid",),
    "take": ("took", "taken"), "give": ("gave", "given"), "meet": ("met",), "hold": ("held",),
    "leave": ("left",), "set": ("set",), "break": ("broke", "broken"), "cut": ("cut",), "send": ("sent",),
    "throw": ("threw", "thrown"), "come": ("came",), "blow": ("blew", "blown"), "build": ("built",), "stand": ("stood",),
    "find": ("found",), "burn": ("burnt",), "lob": ("lobbed",), "rebuff": ("rebuffed",), "go": ("went", "gone"),
    "forgive": ("forgave", "forgiven"), "sell": ("sold",), "slay": ("slew", "slain"), "stab": ("stabbed",),
    "nab": ("nabbed",), "ban": ("banned",), "shut": ("shut",), "spurn": ("spurned",), "swap": ("swapped",),
    "rebut": ("rebutted",), "abet": ("abetted",), "mob": ("mobbed",), "plan": ("planned",), "strike": ("struck", "stricken"),
    "lead": ("led",), "sentence": ("sentenced",), "rally": ("rallied",), "slam": ("slammed",),
    "ally": ("allied",), "kidnap": ("kidnapped", "kidnapping", "kidnapper"),
    "withdraw": ("withdrew", "withdrawn"), "drive": ("drove", "driven"), "beat": ("beaten",), "flee": ("fled",),
    "seek": ("sought",), "bring": ("brought",), "catch": ("caught",), "fall": ("fell", "fallen"),
    "undertake": ("undertook", "undertaken"), "overrun": ("overran",), "freeze": ("froze", "frozen"),
    "swear": ("swore", "sworn"), "win": ("won",), "lose": ("lost",), "deal": ("dealt",), "pay": ("paid",),
    "speak": ("spoke", "spoken"), "steal": ("stole", "stolen"), "begin": ("began", "begun"),
    "run": ("ran",), "hang": ("hung",), "forbid": ("forbade", "forbidden"), "arise": ("arose", "arisen"),
    "rise": ("rose", "risen"), "spread": ("spread",), "tear": ("tore", "torn"), "sign": ("signed",),
    "ride": ("rode", "ridden"), "slay": ("slew", "slain"), "bid": ("bid",), "rebuild": ("rebuilt",),
    "hurl": ("hurled",), "abduct": ("abducted",), "bomb": ("bombed",), "shell": ("shelled", "shelling"),
}


def _inflections(word: str) -> set[str]:
    """Surface forms of an English word (over-generating is harmless: they are only matched)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms |= set(_IRREGULAR.get(word, ()))
    return forms


_POS_OF = {"v": ["VERB", "AUX"], "n": ["NOUN", "PROPN"], None: ["VERB", "NOUN", "PROPN", "ADJ", "AUX"]}
"""Parts of speech a trigger's inflecting word may have, by lexicon marker (``:v``, ``:n``, none)."""


@dataclass(frozen=True)
class TriggerRule:
    """One lexicon entry: a kind, its words (lemmas), its part of speech (``v``, ``n`` or ``None``)."""
    kind: str
    words: tuple[str, ...]
    pos: str | None

    @property
    def label(self) -> str:
        """Match label shared by the entries of one kind and part of speech."""
        return f"{self.kind}|{self.pos or ''}"

    def phrases(self) -> list[str]:
        """Lower-case surface forms of a multi-word entry (its first and last words inflected)."""
        options = [sorted(_inflections(w)) if i in (0, len(self.words) - 1) else [w]
                   for i, w in enumerate(self.words)]
        return [" ".join(combo) for combo in product(*options)]


def trigger_rules() -> list[TriggerRule]:
    """The lexicon :data:`TRIGGERS` as rules, one per word or phrase; a word or phrase listed under
    two kinds is an error (the matcher could not tell them apart)."""
    rules, seen = [], {}
    for kind, entries in TRIGGERS.items():
        for entry in entries:
            text, _, pos = entry.partition(":")
            rule = TriggerRule(kind, tuple(text.split()), pos or None)
            if (rule.words, rule.pos) in seen and seen[rule.words, rule.pos] != kind:
                raise ValueError(f"trigger {entry!r} is listed under {seen[rule.words, rule.pos]!r} and {kind!r}")
            seen[rule.words, rule.pos] = kind
            rules.append(rule)
    return rules


MONTH_NAMES = frozenset({"March", "May"})
"""Month names that are also trigger words ("march", "may")."""

NOT_TRIGGERS = frozenset({"according", "accordingly", "concerning", "regarding", "pending", "given"})
"""Word forms whose lemma is a trigger but that are prepositions here ("according to")."""

NON_EVENT_HEADS = frozenset(
    "helicopter aircraft jet plane submarine boat ship vehicle dog force squad unit group team leader "
    "organizer organiser movement site zone line capability weapon system rifle drone cell wing official "
    "agency organization organisation worker ministry minister spokesman spokeswoman source chief "
    "commander agent police gear".split())
"""Nouns that an event word modifies without being an event ("attack helicopter", "protest movement")."""


# --------------------------------------------------------------------------------------------
# The component


class EventDetector:
    """Find event mentions and write ``doc._.events`` (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = "events", place_labels: tuple[str, ...] = ("GPE", "LOC", "FAC"),
                 place_linker: str = "learned"):
        self.name = name
        self.place_labels = frozenset(place_labels)
        if place_linker == "learned":
            # imported here: timeline.place_linking builds on this module (the rule linker is a feature)
            from timeline.place_linking import place_candidates as learned_candidates
            self.link_places = learned_candidates
        elif place_linker == "rules":
            self.link_places = place_candidates
        else:
            raise ValueError(f"events: place_linker must be 'learned' or 'rules', not {place_linker!r}")
        rules = trigger_rules()
        # single words: tokens whose lemma or lower-case form is a trigger's (a set lookup on the
        # doc's LEMMA and LOWER columns), then the entry is looked up by lemma/form and part of
        # speech; phrases: a PhraseMatcher on word forms, labelled with their entry
        self.by_lemma: dict[str, list[TriggerRule]] = {}
        self.by_form: dict[str, list[TriggerRule]] = {}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule in rules:
            if len(rule.words) == 1 and "-" not in rule.words[0]:
                self.by_lemma.setdefault(rule.words[0], []).append(rule)
                for form in _inflections(rule.words[0]):
                    self.by_form.setdefault(form, []).append(rule)
            else:
                self.phrase_matcher.add(rule.label, [nlp.make_doc(p) for p in rule.phrases()])
        self.lemma_ids = frozenset(nlp.vocab.strings.add(lemma) for lemma in self.by_lemma)
        self.form_ids = frozenset(nlp.vocab.strings.add(form) for form in self.by_form)
        self.word_labels: dict[tuple[bool, int, int, int], str | None] = {}

    def __call__(self, doc: Doc) -> Doc:
        parsed = doc.has_annotation("DEP")
        tagged = doc.has_annotation("LEMMA") and doc.has_annotation("POS")
        word_ids = _word_ids(doc)
        spans = self._word_triggers(doc, tagged, word_ids)
        spans += [Span(doc, start, end, label=label) for label, start, end in self.phrase_matcher(doc)]
        spans = filter_spans(spans)
        spans = [s for s in spans if s.text.lower() not in NOT_TRIGGERS and self._plausible_pos(s)]
        if not spans:
            doc._.events = []
            return doc
        context = _DocContext(doc, parsed, self.place_labels, self.link_places, word_ids)
        context.trigger_heads = {(s.root if parsed else s[0]).i for s in spans}
        events = []
        for span in spans:
            events += self._event(span, span.label_.partition("|")[0], context)
        doc._.events = _dedupe(_normalise_actors(events, doc))
        return doc

    def _word_triggers(self, doc: Doc, tagged: bool, word_ids: list[tuple[int, int]]) -> list[Span]:
        """One-token trigger spans, labelled with their entry: tokens whose exact lemma (tagged docs)
        or lower-case form is in the lexicon, with the part of speech of an entry; ``word_ids`` are
        the tokens' (lemma, lower-case form) string ids. The label of a (word form, lemma, part of
        speech) is worked out once, then kept in :attr:`word_labels`."""
        form_ids, lemma_ids = self.form_ids, self.lemma_ids
        spans = []
        for start in [i for i, (lemma, lower) in enumerate(word_ids) if lower in form_ids or lemma in lemma_ids]:
            token = doc[start]
            key = (tagged, token.orth, token.lemma, token.pos)
            if key not in self.word_labels:
                self.word_labels[key] = self._word_label(token, tagged)
            if self.word_labels[key] is not None:
                spans.append(Span(doc, start, start + 1, label=self.word_labels[key]))
        return spans

    def _word_label(self, token: Token, tagged: bool) -> str | None:
        """Label of the lexicon entry whose word ``token`` is, None when no entry has its part of speech."""
        candidates = (self.by_lemma.get(token.lemma_.lower(), []) + self.by_form.get(token.lower_, [])
                      if tagged else self.by_form.get(token.lower_, []))
        if not tagged and token.text in MONTH_NAMES:
            return None  # "On 3 March 2020": without a tagger, a capitalised month is not a march
        rule = next((r for r in candidates if not tagged or token.pos_ in _POS_OF[r.pos]), None)
        return rule.label if rule is not None else None

    def places_at(self, doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
        """Character spans of the places linked to the word at characters ``[start, end)`` of a
        processed doc, taken as an event trigger: the places of the events detected there; for a
        word the component did not keep as an event, the places the linker would give it, except
        that a lexicon word the component ruled out ("captured the title", "prices shot up") gets
        none. Example: ``places_at(doc, 7, 14)`` on "Troops clashed with rebels in Mosul." is ``[(30, 35)]``."""
        events = [e for e in doc._.events or [] if e["trigger_start"] < end and start < e["trigger_end"]]
        if events:
            first = events[0]["trigger_start"]
            return sorted({(e["place_start"], e["place_end"]) for e in events
                           if e["trigger_start"] == first and e["place_start"] is not None})
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        parsed = doc.has_annotation("DEP")
        ctx = _DocContext(doc, parsed, self.place_labels, self.link_places)
        head = span.root if parsed else span[0]
        tagged = doc.has_annotation("LEMMA") and doc.has_annotation("POS")
        rules = (self.by_lemma.get(head.lemma_.lower(), []) if tagged else []) + self.by_form.get(head.lower_, [])
        rule = next((r for r in rules if not tagged or head.pos_ in _POS_OF[r.pos]), None)
        if rule is not None and _refine(rule.kind, head, doc[head.i:head.i + 1], ctx) is None:
            return []
        sent = head.sent if parsed or doc.has_annotation("SENT_START") else doc[:]
        return sorted((p["place_start"], p["place_end"]) for p in _places_of(head, sent, ctx)
                      if p["place_start"] is not None)

    @staticmethod
    def _plausible_pos(span: Span) -> bool:
        """Whether a phrase's inflecting word has the part of speech of its entry (always true
        without a tagger)."""
        if len(span) == 1 or not span.doc.has_annotation("POS"):
            return True
        pos = span.label_.partition("|")[2] or None
        head = span[0] if pos == "v" else span[-1]
        return head.pos_ in _POS_OF[pos] or pos is None and span.root.pos_ in _POS_OF[None]

    def _event(self, span: Span, kind: str, ctx: "_DocContext") -> list[dict]:
        """The mentions of one trigger: one per place when the clause names coordinated places
        ("evacuated headquarters in Mosul and Anbar"), else one; none when it is no event."""
        head = span.root if ctx.parsed else span[0]
        if ctx.parsed and _is_modifier_only(head, span, ctx.trigger_heads):
            return []
        sub = _refine(kind, head, span, ctx)
        if sub is None:
            return []
        sent = _clause_sentence(span, ctx)
        if ctx.parsed and _is_description(head, kind):
            return []
        modality, cue = _modality(head, span, sent, ctx)
        actor1, actor2 = _actors(head, sent, ctx) if ctx.parsed else (None, None)
        sent_text = ctx.text_of(sent)
        event = dict.fromkeys(EVENT_KEYS)
        event.update(
            event_type=EVENT_TYPE_OF[sub], sub_event_type=sub, plover=plover_code(sub, modality, cue, head.lemma_.lower()), modality=modality,
            trigger=span.text, trigger_start=span.start_char, trigger_end=span.end_char,
            actor1=actor1, actor2=actor2, sentence=sent_text.strip(),
            sentence_start=sent.start_char + (len(sent_text) - len(sent_text.lstrip())),
        )
        event.update(_date_of(head, sent, ctx))
        return [{**event, **place} for place in _places_of(head, sent, ctx)]


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def _clause_sentence(span: Span, ctx: "_DocContext") -> Span:
    """The sentence of a trigger, cut at blank lines (a headline or byline glued to the next
    paragraph by the parser is not part of its sentence)."""
    doc = span.doc
    sent = ctx.sentence(span)
    text, base = ctx.text_of(sent), sent.start_char
    start, end = sent.start_char, sent.end_char
    for m in _PARAGRAPH_BREAK.finditer(text):
        if base + m.end() <= span.start_char:
            start = base + m.end()
        elif base + m.start() >= span.end_char:
            end = base + m.start()
            break
    clipped = doc.char_span(start, end, alignment_mode="contract")
    return clipped if clipped is not None and clipped.start <= span.start and clipped.end >= span.end else sent


_DESCRIPTIVE_KINDS = frozenset({"Support", "Cooperation", "Aid", "Agreement", "Restrictions", "Demand",
                                "Concession", "Deployment", "Sanctions", "Talks", "Accusation", "Rejection"})


def _is_description(head: Token, kind: str) -> bool:
    """A participle or adjective describing a thing rather than reporting an event ("militias backed
    by Iran", "the banned movement", "a wounded man")."""
    if head.dep_ == "amod":
        return True
    if head.dep_ == "conj" and head.tag_ in ("VBN", "JJ") and head.head.dep_ in ("amod", "compound", "nmod"):
        return True  # "attacks on U.S. and allied forces"
    if head.pos_ == "VERB" and head.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") and any(
            c.dep_ == "det" for c in head.children):
        return True  # "evacuated the wounded"
    if head.dep_ == "acl" and head.tag_ == "VBN" and kind in _DESCRIPTIVE_KINDS:
        has_object = any(c.dep_ == "dobj" for t in [head, *head.conjuncts] for c in t.children)
        return not has_object
    return False


@Language.factory("events", default_config={"place_labels": ["GPE", "LOC", "FAC"], "place_linker": "learned"})
def make_event_detector(nlp: Language, name: str, place_labels: list[str], place_linker: str) -> EventDetector:
    """spaCy factory of the ``events`` component (entry point ``events``). ``place_linker``:
    "learned" (:mod:`timeline.place_linking`, the rules when there is no parse) or "rules"
    (:func:`place_candidates`)."""
    return EventDetector(nlp, name, tuple(place_labels), place_linker)


# --------------------------------------------------------------------------------------------
# Per-document context: linked spans and their token indices


class _DocContext:
    """What the linkers need from a doc, computed once: parse flag, time and place spans, entities;
    per-token words and per-sentence facts are kept as the triggers ask for them."""

    def __init__(self, doc: Doc, parsed: bool, place_labels: frozenset[str], link_places=None,
                 word_ids: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.parsed = parsed
        self.link_places = link_places or place_candidates  # (head, sent, ctx) -> place spans, best first
        self.word_ids = word_ids if word_ids is not None else _word_ids(doc)  # see _word_ids
        self.sentenced = parsed or doc.has_annotation("SENT_START")
        self.text = doc_text(doc)
        self._sentence_words: dict[tuple[int, int], frozenset[str]] = {}
        self.timexes = [(s, timex) for s in doc.spans.get("timex", []) if (timex := _timex(s))]
        self.ents = ents = doc.ents
        self.ent_at = {i: e for e in ents for i in range(e.start, e.end)}
        toponyms = list(doc.spans.get("toponyms", []))
        self.toponym_tokens = {i for s in toponyms for i in range(s.start, s.end)}
        taken = set(self.toponym_tokens)
        extra = [e for e in ents if e.label_ in place_labels and not any(i in taken for i in range(e.start, e.end))]
        toponyms = [s for s in toponyms if not _inside_name(s, self.ent_at)]
        taken |= {i for s in extra for i in range(s.start, s.end)}
        named = _place_phrases(doc, taken) if parsed else []
        self.places = sorted(toponyms + extra + named, key=lambda s: s.start)
        self.place_tokens = {i for s in self.places for i in range(s.start, s.end)}
        self.candidate_facts: dict[tuple[tuple[int, int], ...], dict] = {}  # the place linker's, per candidate set
        self.place_scores: dict[tuple[int, int, int], list] = {}  # the place linker's, per (trigger, sentence)
        self.trigger_heads: set[int] = set()
        self._focus = None
        self._sentences: dict[tuple[int, int], Span] = {}
        self._matches: dict[tuple[str, int, int], bool] = {}

    def text_of(self, span: Span) -> str:
        """``span.text``, cut from the doc's text once taken."""
        return self.text[span.start_char:span.end_char]

    def sentence(self, span: Span) -> Span:
        """``span.sent`` (the whole doc when it has no sentence boundaries), made once per span."""
        key = (span.start, span.end)
        if key not in self._sentences:
            self._sentences[key] = span.sent if self.sentenced else self.doc[:]
        return self._sentences[key]

    def search(self, pattern: re.Pattern, span: Span) -> bool:
        """Whether ``pattern`` occurs in the text of ``span``, searched once per pattern and span."""
        key = (pattern.pattern, span.start, span.end)
        if key not in self._matches:
            self._matches[key] = pattern.search(self.text_of(span)) is not None
        return self._matches[key]

    def lower(self, i: int) -> str:
        """``doc[i].lower_``."""
        return self.doc.vocab.strings[self.word_ids[i][1]]

    def lemma(self, i: int) -> str:
        """``doc[i].lemma_`` ("" without a lemmatizer)."""
        return self.doc.vocab.strings[self.word_ids[i][0]]

    def token_words(self, i: int) -> frozenset[str]:
        """Context words of token ``i`` (see :func:`_words_of`)."""
        return _words_of(self.word_ids[i], self.doc.vocab.strings)[0]

    def sentence_words(self, sent: Span) -> frozenset[str]:
        """Lower-case lemmas and forms of the tokens of ``sent``, once per sentence."""
        key = (sent.start, sent.end)
        if key not in self._sentence_words:
            strings = self.doc.vocab.strings
            self._sentence_words[key] = frozenset().union(
                *(_words_of(pair, strings)[1] for pair in set(self.word_ids[sent.start:sent.end])))
        return self._sentence_words[key]

    @cached_property
    def publication_date(self) -> dict:
        """The date fields of a mention with no date in its clause (see :func:`_publication_date`)."""
        return _publication_date(self.doc._.dct)

    def focus_place(self) -> dict | None:
        """The article's focus place: the resolved toponym most often named in a locative phrase
        ("in Iraq"), first mention breaking ties; None when no toponym is."""
        if self._focus is None:
            counts: Counter = Counter()
            first: dict[str, tuple[int, dict]] = {}
            for span in self.places:
                place = _place(span)
                if not place or span.start == 0 or self.lower(span.start - 1) not in LOCATIVE_PREPS:
                    continue
                counts[place["geonameid"]] += 1
                first.setdefault(place["geonameid"], (span.start, place))
            best = min(counts, key=lambda g: (-counts[g], first[g][0])) if counts else None
            self._focus = first[best][1] if best else {}
        return self._focus or None


def _word_ids(doc: Doc) -> list[tuple[int, int]]:
    """(lemma, lower-case form) string ids of every token of ``doc``, by index."""
    lemmas, lowers = doc.to_array([LEMMA, LOWER]).T.tolist()
    return list(zip(lemmas, lowers))


_WORDS_OF: dict[tuple[int, int], tuple[frozenset[str], frozenset[str]]] = {}
"""Cache of :func:`_words_of`, shared by all docs; emptied when it reaches :data:`_WORDS_OF_SIZE` entries."""
_WORDS_OF_SIZE = 100_000


def _words_of(pair: tuple[int, int], strings) -> tuple[frozenset[str], frozenset[str]]:
    """(context words, sentence words) of a token with the (lemma, lower-case form) string ids
    ``pair``: its lower-case lemma and form; for context, each also without a plural "s" and split
    at hyphens ("air-strikes": air-strikes, air-strike, air, strikes)."""
    words = _WORDS_OF.get(pair)
    if words is None:
        lemma, lower = strings[pair[0]], strings[pair[1]]
        sentence = frozenset(w.lower() for w in (lemma or lower, lower))
        context = set(sentence)
        for w in sentence:
            if w.endswith("s") and len(w) > 3:
                context.add(w[:-1])
            context.update(w.split("-"))
        if len(_WORDS_OF) >= _WORDS_OF_SIZE:
            _WORDS_OF.clear()
        words = _WORDS_OF[pair] = (frozenset(context), sentence)
    return words


def _inside_name(span: Span, ent_at: dict[int, Span]) -> bool:
    """Whether a toponym is part of a longer organisation or person name ("Islamic State of Iraq");
    ``ent_at`` maps token indices to the entity spans that hold them."""
    doc = span.doc
    for token in (doc[span.start], doc[span.end - 1]):
        if token.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW") and token.ent_iob_ != "O":
            ent = ent_at.get(token.i)
            if ent is not None and (ent.start < span.start or ent.end > span.end):
                return True
    return False


_NOT_PLACE_ENTS = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                             "QUANTITY", "LAW", "WORK_OF_ART", "LANGUAGE", "EVENT", "PRODUCT"})
"""Entity labels that never name a place, whatever the context."""
FACILITY_WORDS = frozenset("hospital airport university square camp base mosque church school prison hotel "
                           "bridge market station stadium palace embassy compound checkpoint road street "
                           "highway hill mountain river valley crossing port airbase hilltop".split())
TITLE_WORDS = frozenset("minister president king queen prince emir sheikh general colonel secretary governor mayor "
                        "ambassador envoy chancellor premier senator judge pope cleric imam".split())
"""Titles that make a proper-noun phrase a person ("Prime Minister Mohammed Shia al-Sudani")."""
PLACE_NOUNS = FEATURE_NOUNS | frozenset("quarter sector countryside peninsula plain hill hilltop mountain "
                                        "valley farm axis junction island".split())
"""Common nouns whose name is given by a proper noun beside them ("the Sayidda Zaynab district",
"the villages of Kafrnan and Harsh Tiseen")."""


def _place_phrases(doc: Doc, taken: set[int]) -> list[Span]:
    """Proper-noun phrases in a place position that the gazetteer and the NER may miss (token
    indices in ``taken`` are already places): the name beside a place noun ("the village of
    Mainok", "the Shalman area"), the object of "in/at/near/..." ("in Helwaniyah district",
    "near Deefow"), and the names coordinated with a place ("Kafr Zita, Al-Latiminah and
    Al-Mansoura"). The small model often tags such names PERSON (and ORG): they count anyway,
    except an organisation after a preposition ("in the Senate") unless it names a facility."""
    out, seen = [], set(taken)

    def add(token: Token) -> None:
        start = min([token.i] + [c.left_edge.i for c in token.lefts
                                 if c.dep_ == "compound" and c.pos_ == "PROPN"])
        if any(i in seen for i in range(start, token.i + 1)):
            return
        span = doc[start:token.i + 1]
        if span.text[:1].isupper():
            out.append(span)
            seen.update(range(span.start, span.end))

    proper_nouns = [doc[i] for i in (doc.to_array(POS) == PROPN).nonzero()[0].tolist()]
    for token in proper_nouns:
        if token.dep_ == "compound" and token.head.pos_ == "PROPN":
            continue
        if token.ent_type_ in _NOT_PLACE_ENTS:
            continue
        head = token.head
        named_by_noun = (token.dep_ in ("compound", "amod", "nmod") and head.pos_ == "NOUN"
                         and head.lemma_.lower() in PLACE_NOUNS)
        of_place_noun = (token.dep_ == "pobj" and head.lower_ == "of"
                         and head.head.lemma_.lower() in PLACE_NOUNS)
        if named_by_noun or of_place_noun:
            add(token)
            continue
        if token.ent_type_ == "ORG" and not any(t.lemma_.lower() in FACILITY_WORDS for t in token.subtree):
            continue  # "in the Senate"; but "at the Rafik Hariri Hospital"
        if (token.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS - {"of", "from", "as", "like", "including", "between"}
                and not any(t.lower_ in TITLE_WORDS for t in token.subtree)):
            add(token)  # not "talks between Prime Minister Mohammed al-Sudani and ..."
    # names coordinated with a place: "the cities of Saraqib, Binnish and Taftanaz"
    places = set(seen)
    for token in proper_nouns:
        if (token.dep_ == "conj" and token.ent_type_ not in _NOT_PLACE_ENTS
                and token.i not in seen and any(c.i in places for c in token.conjuncts)):
            add(token)
    return out


def _timex(span: Span) -> dict | None:
    return span._.timex if Span.has_extension("timex") else None


def _place(span: Span) -> dict | None:
    return span._.place if Span.has_extension("place") else None


# --------------------------------------------------------------------------------------------
# Typing


def _is_modifier_only(head: Token, span: Span, trigger_heads: set[int]) -> bool:
    """A trigger that only modifies another event word or a thing ("disarmament talks",
    "attack helicopter"); "mediation mission" stays an event."""
    if len(span) > 1 or head.dep_ not in ("compound", "amod", "nmod") or head.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return head.head.i in trigger_heads or head.head.lemma_.lower() in NON_EVENT_HEADS


def _context_words(head: Token, span: Span, ctx: _DocContext) -> set[str]:
    """Lower-case lemmas around a trigger: its phrase, children, head and siblings (parsed), or a
    window of 5 words each side (rules only)."""
    if ctx.parsed:
        children = [c for c in head.children if not _measured_time_clause(c)]
        tokens = list(span) + children + [head.head]
        for child in children:
            tokens.extend(child.children)
        if head.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "xcomp", "conj", "advcl"):
            tokens.extend(head.head.children)
            if head.dep_ == "pobj":
                tokens.extend(head.head.head.children)
                tokens.append(head.head.head)
        indices = [t.i for t in tokens]
    else:
        indices = range(max(0, span.start - 5), min(len(ctx.doc), span.end + 5))
    words = set()
    for i in indices:
        words |= ctx.token_words(i)
    return words


def _measured_time_clause(token: Token) -> bool:
    """Whether ``token`` heads a clause set apart by a measured time ("gunned down ... hours after a
    motorcycle bomb tore through a checkpoint"): another event, whose words do not type this one."""
    return token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("after", "before", "since")
                                         for c in token.children) \
        and any(c.dep_ == "npadvmod" and c.lemma_.lower() in ("hour", "day", "minute", "week") for c in token.children)


def _objects(head: Token) -> list[Token]:
    """Objects and targets of a trigger: dobj, passive subject, pobj of on/against/at."""
    out = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "at", "targeting", "of"):
            out.extend(c for c in prep.children if c.dep_ == "pobj")
    if head.dep_ == "acl" or head.dep_ == "relcl":
        out.append(head.head)
    return out + [c for o in out for c in o.conjuncts]


def _object_words(head: Token, ctx: _DocContext) -> set[str]:
    """Lower-case lemmas and forms of the trigger's object phrases ("700 kg of medicine")."""
    out = set()
    for obj in _objects(head):
        for t in islice(obj.subtree, 12):
            out.update((ctx.lemma(t.i).lower(), ctx.lower(t.i)))
    return out


def _sentence_words(head: Token, span: Span, ctx: _DocContext) -> frozenset[str]:
    """Lower-case lemmas and forms of the trigger's sentence (the whole doc without sentences)."""
    return ctx.sentence_words(ctx.sentence(span))


def _actor_words(head: Token) -> set[str]:
    """Lemmas of the trigger's active subject phrase ("Iraqi security forces": iraqi, security, force)."""
    subject, passive = _subject(head)
    if subject is None or passive:
        return set()
    return {w for t in subject.subtree for w in (t.lemma_.lower(), t.lower_)}


_WARNING_SHOTS = re.compile(r"\b(?:into|in) the air\b", re.IGNORECASE)


def _violence_type(kind: str, head: Token, span: Span, ctx: _DocContext, words: set[str]) -> str:
    """ACLED sub-event type of a generic ``violence`` or ``Armed clash`` trigger, in ACLED's
    precedence: who acts (rioters, a mob), the weapon (suicide, chemical, grenade, air, artillery,
    explosive), then the target (protesters, armed forces, civilians)."""
    lower = span.text.lower()
    words = words | (_object_words(head, ctx) if ctx.parsed else set())  # "fired dozens of rockets"
    sentence = _sentence_words(head, span, ctx)
    sent = ctx.sentence(span)
    who = _actor_words(head) if ctx.parsed else set()
    protest = bool(sentence & PROTEST_LEMMAS)
    targets = _objects(head) if ctx.parsed else []
    if ctx.parsed and " under " in lower:  # "a patrol came under fire": the subject is the target
        targets = [t for t in [_subject(head)[0]] if t is not None]
    target_words = _words_with_modifiers(targets)
    if ctx.parsed and head.lemma_.lower() in ("fight", "battle") and any(c.dep_ == "dobj" and c.lower_ == "way"
                                                                          for c in head.children):
        # "troops fought their way back into the town"
        return "Government regains territory" if _state_actor(head) else "Non-state actor overtakes territory"
    if who & PROTESTER_WORDS - {"crowd"} and (kind != "Armed clash" or words & {"police", "security"}):
        return "Violent demonstration"
    if ctx.parsed and _crowd(head):
        if (target_words | _words_with_modifiers(_of_nouns(targets))) & (ARMED_WORDS | ASSAILANT_WORDS) \
                - {"police", "policeman", "officer"}:
            return "Armed clash"  # "vigilantes killed three of the attackers": a fight with armed men
        opponents = target_words | _words_with_modifiers(
            [o for p in head.children if p.dep_ == "prep" and p.lower_ in ("with", "against")
             for o in p.children if o.dep_ == "pobj"], ("compound",))
        against_state = opponents & (STATE_TARGET_WORDS | {"security", "soldier", "troop", "gendarmerie"}) \
            and not target_words & RECIPROCAL_WORDS  # "clashed with police"
        return "Violent demonstration" if protest or "rioter" in who or against_state else "Mob violence"
    if words & SUICIDE_WORDS or sentence & {"suicide"} or "vest" in sentence and sentence & {"explosive", "bomb"} \
            or ctx.parsed and _killed_self(sent, sentence):
        return "Suicide bomb"
    if ctx.search(CHEMICAL_AGENT, sent):
        return "Chemical weapon"
    if lower.startswith("fir") and ctx.search(_WARNING_SHOTS, sent):
        return "Protest with intervention" if protest else "Other"  # warning shots
    if lower.startswith("deton") and (words & {"safely", "expert", "disposal", "squad"}
                                      or "controlled detonation" in ctx.text_of(sent).lower()):
        return "Disrupted weapons use"  # a bomb squad's controlled detonation
    if lower.startswith("raid") and ctx.parsed and head.dep_ == "pobj" and head.head.head.pos_ == "VERB" \
            and head.head.head.lemma_.lower() in SEIZING_LEMMAS and _seizure_type(head.head.head, ctx) == "Disrupted weapons use":
        return "Disrupted weapons use"  # "two drones and explosives were seized in the raid": a search, not a strike
    if words & GRENADE_WORDS and not words & {"stun", "flash", "smoke"}:
        return "Grenade"
    if (words | (_cause_words(head) if ctx.parsed else set())) & {"unexploded", "ordnance", "landmine", "mine", "ied",
                                                                 "roadside"}:
        return "Remote explosive/landmine/IED"
    before = {w for i in range(max(sent.start, span.start - 3), span.start) for w in ctx.token_words(i)}
    if (words | before) & AIR_WORDS and not ctx.search(_WARNING_SHOTS, sent):
        return "Air/drone strike"  # "air force jets bombed", even when the parser loses the subject
    if words & (SHELLING_WORDS - ({"cannon"} if "water" in words else set())) or lower.startswith("bombard"):
        return "Shelling/artillery/missile attack"  # a cannon, not a water cannon
    if kind == "Armed clash":
        return "Armed clash"
    if words & IED_WORDS or lower.startswith(("bomb", "blast", "explo", "deton")):
        return "Remote explosive/landmine/IED"
    if words & {"rape", "sexual", "sexually"}:
        return "Sexual violence"
    if (target_words | words) & PROTESTER_WORDS - {"crowd"} or words & PROTEST_LEMMAS and words & {"people", "man", "woman"}:
        if ctx.search(_LIVE_FIRE, sent) or sentence & LETHAL_WORDS and not sentence & CROWD_CONTROL_WORDS - {"gas"}:
            return "Excessive force against protesters"
        return "Protest with intervention"
    if words & CROWD_CONTROL_WORDS and protest:
        return "Protest with intervention"  # "fired tear gas to disperse protesters"
    if lower.startswith("raid") and ctx.parsed and not target_words & ARMED_WORDS and (
            sentence & {"arrest", "detain", "custody"} and _state_actor(head)
            or head.dep_ == "pobj" and head.head.head.lemma_.lower() in ("arrest", "detain")):
        return "Arrests"  # "police raided the party's offices and arrested 40"; "detained 18 in dawn raids"
    if target_words & ARMED_WORDS:
        return "Armed clash"
    if target_words & CIVILIAN_WORDS:
        return "Attack"
    if lower.startswith(("offensive", "incursion", "storm", "raid", "ambush", "pound")):
        return "Armed clash"
    if words & ARMED_WORDS and not words & CIVILIAN_WORDS:
        return "Armed clash"
    return "Attack"


RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})
SEIZING_LEMMAS = frozenset({"seize", "confiscate", "recover", "find", "capture"})
"""Verbs of a search that finds things ("weapons were seized in the raid")."""


def _seizure_type(head: Token, ctx: _DocContext) -> str | None:
    """What "seized", "captured", "occupied" report, from their objects and subject: territory
    (a place, a base), people (``Arrests`` by the state, else ``Abduction``), weapons (``Disrupted
    weapons use``); None otherwise ("seized the moment")."""
    targets = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    relative = [t for t in targets if t.lower_ in RELATIVE_PRONOUNS]
    if head.dep_ in ("acl", "relcl") and (relative or not targets) \
            and not any(c.lower_ in ("where", "when") for c in head.children):
        # "the town seized by rebels", "the base, which rebels seized": the noun is the thing seized;
        # not in "the town, where officers seized detonators"
        targets = [t for t in targets if t not in relative] + [head.head]
    targets += [c for t in targets for c in t.conjuncts]  # the thing seized, not "at the port"
    for _ in range(2):  # "parts of the city", "hundreds of square kilometres of territory"
        targets += [o for o in _of_nouns([t for t in targets if t.like_num or t.lemma_.lower() in AMOUNT_NOUNS])
                    if o not in targets]
    objects = {t.lemma_.lower() for t in targets} | {t.lower_ for t in targets}
    state = _state_actor(head)
    places = TERRITORY_WORDS | BASE_WORDS | FACILITY_WORDS | FEATURE_NOUNS | {"terminal", "refinery", "town", "mine"}
    if objects & places or any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in targets) or head.lemma_.lower() == "overrun":
        return "Government regains territory" if state else "Non-state actor overtakes territory"
    people = any(t.ent_type_ in ("PERSON", "NORP") or t.lower_ in PERSON_PRONOUNS
                 or any(c.dep_ == "nummod" for c in t.children) and t.lemma_.lower().endswith(("er", "or", "ist", "ian", "ant"))
                 for t in targets)
    if people or objects & (CIVILIAN_WORDS | ARMED_WORDS | {"suspect", "member", "missionary", "hostage", "elder",
                                                          "worker", "nurse", "priest", "smuggler", "trafficker"}):
        if _crowd(head):
            return "Mob violence"  # "residents seized a suspected thief and beat him"
        return "Arrests" if state else "Abduction/forced disappearance"
    if objects & WEAPON_WORDS:
        return "Disrupted weapons use"
    if head.lemma_.lower() == "capture" and not objects & NOT_CAPTURED \
            and not _sentence_words(head, head.doc[head.i:head.i + 1], ctx) & RECORDING_WORDS:
        # an unknown thing captured: people when passive ("Brigitte was captured Oct. 9 in Sydney"), else ground
        if any(t.dep_ == "nsubjpass" for t in targets) or not targets:
            return "Arrests" if state else "Abduction/forced disappearance"
        return "Government regains territory" if state else "Non-state actor overtakes territory"
    return None


def _state_actor(head: Token) -> bool:
    """Whether the trigger's actor (active subject or passive agent) is the state's: army, police,
    the government ("Army units took control"), or forces of a country or people ("Iraqi forces"),
    and no non-state word ("rebel soldiers"). Forces of an organisation ("TPLF forces") are not."""
    subject, passive = _subject(head)
    phrase = [] if subject is None or passive else list(subject.subtree)
    phrase += [t for c in head.children if c.dep_ == "agent" for t in c.subtree]
    who = {w for t in phrase for w in (t.lemma_.lower(), t.lower_)}
    if who & NON_STATE_WORDS:
        return False
    return bool(who & STATE_WORDS - {"force"}) or "force" in who and any(
        t.ent_type_ in ("NORP", "GPE") for t in phrase)


def _of_nouns(tokens: list[Token]) -> list[Token]:
    """The nouns of the "of" phrases of ``tokens`` ("dozens of students": students)."""
    return [o for t in tokens for p in t.children if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children if o.dep_ == "pobj"]


def _words_with_modifiers(tokens: list[Token], deps: tuple[str, ...] = ()) -> set[str]:
    """Lower-case lemmas and forms of ``tokens`` and of their children whose dependency is in ``deps``
    ("security forces" with ``("compound",)``: security, force, forces)."""
    return {w for t in tokens for m in (t, *(c for c in t.children if c.dep_ in deps))
            for w in (m.lemma_.lower(), m.lower_)}


def _crowd(head: Token) -> bool:
    """Whether the trigger's active subject is a crowd, not an armed group or the state ("residents",
    "hundreds of football fans"; not "armed youths", "militia supporters", "a bomb in a club packed with fans")."""
    subject, passive = _subject(head)
    if subject is None or passive:
        return False
    nouns = [subject, *_of_nouns([subject])]  # "hundreds of residents"
    nouns += [c for t in nouns for c in t.conjuncts]
    who = _words_with_modifiers(nouns, ("amod", "compound", "nmod"))
    return bool(who & RIOTER_WORDS) and not who & (NON_STATE_WORDS | STATE_WORDS | {"armed"})


_HYPHENED = re.compile(r"\w+(?:-\w+)+")


def _protest_act(verb: Token) -> bool:
    """Whether a verb reports a protest act: protesting, gathering or marching ("people who tried to march"),
    gathering or moving with a demand ("sitting in the streets to demand"), laying or holding tokens of
    protest ("laid flowers", "holding a sit-in")."""
    lemma = verb.lemma_.lower()
    acts = PROTEST_LEMMAS | {"gather", "assemble", "mourn", "commemorate", "chant"}
    if lemma in acts or any(c.dep_ == "xcomp" and c.lemma_.lower() in acts for c in verb.children):
        return True
    if lemma in GATHERING_VERBS and any(c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in PROTEST_PURPOSES
                                        for c in verb.children):
        return True
    if lemma not in ("lay", "hold", "carry", "wave", "raise", "light", "stage"):
        return False
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        words = {t.lemma_.lower() for t in obj.subtree}
        words.update(_HYPHENED.findall(obj.doc[obj.left_edge.i:obj.right_edge.i + 1].text.lower()))  # "a sit-in"
        if words & PROTEST_PROPS:
            return True
    return False


def _protest_purpose(head: Token) -> bool:
    """A demand in the purpose clause of a gathering by people who are no armed group: "farmers drove
    tractors into Berlin to oppose cuts", "nurses formed a human chain to press for jobs"."""
    verb = head.head
    return (head.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
            and verb.lemma_.lower() in GATHERING_VERBS
            and not _actor_words(verb) & (STATE_WORDS | NON_STATE_WORDS | ARMED_WORDS))


def _acted_on_nouns(head: Token) -> list[Token]:
    """The trigger's objects and the nouns of their "of" phrases ("dozens of students")."""
    objects = _objects(head)
    return objects + _of_nouns(objects)


def _objects_protesting(head: Token) -> bool:
    """Whether the people a trigger acts on are doing a protest act ("detained 160 people who tried to
    march", "detained dozens of students holding a sit-in")."""
    return any(c.dep_ in ("relcl", "acl") and _protest_act(c) for t in _acted_on_nouns(head) for c in t.children)


def _intervened(verb: Token) -> bool:
    """Whether the people doing a protest act are the object of the police's action ("police removed
    supporters who were sitting in the streets to demand ...")."""
    node = verb
    for _ in range(4):
        if node.dep_ in ("relcl", "acl"):
            owner = node.head
            if owner.dep_ == "pobj" and owner.head.lower_ == "of":
                owner = owner.head.head  # "dozens of students holding ..."
            action = owner.head
            return owner.dep_ in ("dobj", "nsubjpass") and action.lemma_.lower() in INTERVENTION_VERBS and (
                action.lemma_.lower() != "take" or any(c.lower_ == "away" for c in action.children))
        if node.dep_ not in ("xcomp", "advcl", "conj"):
            return False
        node = node.head
    return False


def _killed_self(sent: Span, sentence: frozenset[str]) -> bool:
    """An attacker killed by his own explosives: "rammed an explosives-packed truck into the gate, killing
    himself and six soldiers"."""
    def killed(t: Token) -> bool:  # "killing himself", "killing six soldiers and himself"
        obj = t.head if t.dep_ == "conj" else t
        return obj.dep_ == "dobj" and obj.head.lemma_.lower() in ("kill", "blow")

    return bool(sentence & {"explosive", "explosives", "bomb", "explosion", "blast"}) and any(
        t.lower_ in REFLEXIVES and killed(t) for t in sent)


def _cause_words(head: Token) -> set[str]:
    """Lower-case lemmas of the clauses and phrases that say how a harm came about ("wounded after
    stepping on a mine", "killed by a roadside bomb"), without relative clauses."""
    out = set()
    for child in head.children:
        if child.dep_ in ("advcl", "prep", "agent"):
            out |= {t.lemma_.lower() for t in islice(child.subtree, 15)}
    return out


def _refine(kind: str, head: Token, span: Span, ctx: _DocContext) -> str | None:
    """ACLED sub-event type of a trigger of ``kind`` in its context (None: not an event)."""
    words = _context_words(head, span, ctx)
    lower = span.text.lower()
    objects = _object_words(head, ctx) if ctx.parsed else words
    if ctx.parsed and head.dep_ in ("nsubj", "nsubjpass") and head.head.i in ctx.trigger_heads \
            and head.lemma_.lower() in AGENT_NOUNS \
            and not any(t.text == ";" for t in head.doc[min(head.i, head.head.i):max(head.i, head.head.i)]):
        return None  # "gunmen killed a chief": the verb is the event
    if ctx.parsed and kind in _DESCRIPTIVE_KINDS and head.pos_ == "PROPN" and head.ent_type_ not in ("", "DATE", "TIME"):
        return None  # a word of a name ("the Rapid Support Forces")
    if lower == "bomb" and not (ctx.parsed and head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "VERB"
                                and head.head.i not in ctx.trigger_heads):
        return None  # a bare "bomb" is an event only as the doer of a verb that is none ("a bomb damaged a
        # pylon"); not "a bomb squad", "defused a bomb", nor beside the verb that is ("a bomb exploded")
    if ctx.parsed and kind in ("Demand", "Rejection", "Accusation") and _protest_purpose(head):
        return "Protest with intervention" if _intervened(head) else "Peaceful protest"
    if kind == "Demand" and objects & {"ransom"}:
        return "Abduction/forced disappearance"  # "demanding a ransom", "a ransom was demanded"
    if kind == "Aid" and lower.startswith("sen") and objects & PROJECTILE_WORDS:
        return _violence_type("violence", head, span, ctx, words)  # "sent waves of drones at Odesa"
    if kind in ("violence", "Armed clash"):
        return _violence_type(kind, head, span, ctx, words)
    if kind in ("Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Air/drone strike", "Grenade"):
        sentence = _sentence_words(head, span, ctx)
        if kind == "Grenade" and words & {"stun", "flash", "smoke"}:
            return "Protest with intervention" if sentence & PROTEST_LEMMAS else None
        if lower.rstrip("s") in ("rocket", "missile", "mortar", "shell") and (head.pos_ != "VERB" or not ctx.parsed):
            fired = (head.head.lemma_.lower() in FIRING_VERBS or any(c.lemma_.lower() in FIRING_VERBS for c in head.children)
                     if ctx.parsed else bool(words & FIRING_VERBS))
            if not fired:
                return None  # "missile defence", "a shell company": nothing fired
        if ctx.search(CHEMICAL_AGENT, ctx.sentence(span)):
            return "Chemical weapon"
        if kind != "Grenade" and (words & SUICIDE_WORDS or sentence & {"suicide"}
                                  or ctx.parsed and _killed_self(ctx.sentence(span), sentence)):
            return "Suicide bomb"
        if kind == "Remote explosive/landmine/IED" and words & {"safely", "expert", "disposal", "defuse"}:
            return "Disrupted weapons use"
        if lower.startswith(("set", "step")) and not objects & {"bomb", "charge", "ied", "mine", "landmine", "device",
                                                                "explosive", "explosives"}:
            return None  # "set off for Paris", "setting off explosions", "stepped on a toe"; not "stepped on a mine"
        return kind
    if kind == "Protest with intervention":
        sentence = _sentence_words(head, span, ctx)
        if sentence & (PROTEST_LEMMAS | PROTESTER_WORDS | {"supporter", "activist", "student", "worker", "opposition"}):
            return kind
        return None
    if kind == "Peaceful protest":
        if span.text in MONTH_NAMES:
            return None  # "On 3 March 2022"
        said = words | (_cause_words(head) if ctx.parsed else set())  # "gathered outside the council against power cuts"
        if lower.startswith("gather") and not said & {"demand", "protest", "chant", "slogan", "placard", "banner",
                                                      "denounce", "oppose", "against", "call", "support"}:
            return None
        if lower in ("block", "blocked", "blocks", "blocking", "blockade") and not words & PROTESTER_WORDS | {"worker", "farmer", "student", "driver", "resident"}:
            return "Restrictions" if words & GOVERNMENT_WORDS else None
        if lower.startswith("strike") and words & (AIR_WORDS | SHELLING_WORDS | ARMED_WORDS | {"target", "position", "missile"}):
            return "Air/drone strike" if words & AIR_WORDS else "Shelling/artillery/missile attack" if words & SHELLING_WORDS else "Armed clash"
        if lower.startswith("strike") and not _sentence_words(head, span, ctx) & LABOUR_WORDS:
            return None  # "condemned the strike": no sign of a stoppage of work
        if words & {"disperse", "tear", "teargas", "arrest", "detain", "baton", "crack", "break"} \
                or ctx.parsed and _intervened(head):
            return "Protest with intervention"
        if words & {"violent", "violently", "stone", "rock", "torch", "burn", "loot", "smash"}:
            return "Violent demonstration"
        return "Peaceful protest"
    if kind == "Government regains territory":
        return None if objects & NOT_CAPTURED - {"point", "seat", "position"} else kind  # not "won back the title"
    if kind == "Abduction/forced disappearance" and head.lemma_.lower() == "take" and ctx.parsed:
        # "gunmen took away a former official"; "police took away people who had gathered"
        sub = _seizure_type(head, ctx)
        if sub == "Arrests" and _objects_protesting(head):
            return "Protest with intervention"
        return sub if sub in ("Arrests", "Abduction/forced disappearance", "Mob violence") else None
    if kind == "Violent demonstration" and objects & RECIPROCAL_WORDS and not _sentence_words(head, span, ctx) & PROTEST_LEMMAS:
        return "Mob violence"  # "groups pelted each other with stones"
    if kind == "Abduction/forced disappearance" and lower.startswith("hostage") and ctx.parsed:
        # "took four elders hostage", "held hostage"; not "freed two hostages"
        return kind if head.head.lemma_.lower() in ("take", "hold", "seize", "keep", "capture") else None
    if kind == "Non-state actor overtakes territory":
        if ctx.parsed and not lower.startswith(("seize control", "seized control", "take control", "took control",
                                                "taken control", "taking control", "takes control")):
            return _seizure_type(head, ctx)
        return "Government regains territory" if ctx.parsed and _state_actor(head) else kind
    if kind == "Looting/property destruction":
        who = _actor_words(head) if ctx.parsed else set()
        if lower.startswith("destr") and objects & PROJECTILE_WORDS and (
                who & {"defence", "defense", "defender"} or any(c.lower_ == "over" for c in head.children)):
            return "Disrupted weapons use"  # "air defence destroyed 21 drones over Kyiv"
        if lower.startswith(("destr", "demol", "raz", "burn", "torch", "set")) and not (objects | words) & PROPERTY_WORDS:
            return None  # "the destruction of Hamas's leadership"
        if who & PROTESTER_WORDS - {"crowd"} or ctx.parsed and _crowd(head):
            protest = (bool(_sentence_words(head, span, ctx) & PROTEST_LEMMAS) or who & {"rioter", "protester", "demonstrator"}
                       or objects & STATE_TARGET_WORDS)
            return "Violent demonstration" if protest else "Mob violence"
        return kind
    if kind == "Arrests" and lower == "custody" and not (
            head.head.lower_ == "into" if ctx.parsed else span.start > 0 and ctx.lower(span.start - 1) == "into"):
        return None  # "took the writer into custody", not "died in custody"
    if kind == "Arrests" and ((words | objects) & PROTESTER_WORDS or objects & {"activist", "supporter", "striker", "marcher"}
                              and _sentence_words(head, span, ctx) & PROTEST_LEMMAS or ctx.parsed and _objects_protesting(head)):
        return "Protest with intervention"  # ACLED: protesters arrested
    if kind == "Non-violent transfer of territory":
        if lower.startswith(("evacuat", "hand")):
            if objects & (CIVILIAN_WORDS | {"wounded", "injured", "sick", "national", "citizen", "foreigner"}) - PROPERTY_WORDS:
                return "Aid" if lower.startswith("evacuat") else "Release"
            if lower.startswith("hand") and objects & AID_WORDS:
                return "Aid"
            if lower.startswith("hand") and objects & {"suspect", "prisoner", "hostage", "detainee", "body", "criminal", "fugitive"}:
                return "Release"
            if lower.startswith("hand") and objects & (WEAPON_WORDS | {"rifle", "firearm"}):
                return "Disarmament"  # "handed over 12 rifles"
        if lower.startswith(("leav", "left", "abandon", "relocat")) and not words & (BASE_WORDS | TERRITORY_WORDS | {"troop", "force"}):
            return None
        left = [c for c in head.children if c.dep_ == "dobj"] if ctx.parsed and lower.startswith(("leav", "left")) else []
        if left and not any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.pos_ == "PROPN"
                            or t.lemma_.lower() in TERRITORY_WORDS | BASE_WORDS | FEATURE_NOUNS | FACILITY_WORDS
                            for t in left):
            return None  # "left letters in villages", not "left the town"
        if lower.startswith(("withdr", "pull")) and words & {"support", "candidacy", "bill", "complaint", "suit", "offer", "application"}:
            return "Rejection"
        return kind
    if kind == "Headquarters or base established":
        if objects & {"tie", "ties", "relation", "relations", "embassy", "consulate"}:
            return "Support"  # "established diplomatic ties", "opened an embassy"
        return kind if objects & BASE_WORDS else None
    if kind == "Support" and lower.startswith(("restor", "upgrad", "normali")):
        return kind if objects & {"tie", "ties", "relation", "relations", "embassy"} else None
    if kind == "Concession" and lower.startswith("grant") and objects & (AID_WORDS | {"asylum", "refuge"}):
        return "Aid"
    if kind == "Deployment" and lower.startswith("arriv"):
        # troops arriving in a country or city; not a minister arriving, nor police arriving at the scene
        if not ctx.parsed:
            return None
        subject, passive = _subject(head)
        where = [o for p in head.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children if o.dep_ == "pobj"]
        if subject is None or passive or subject.lemma_.lower() not in ARMED_WORDS | {"peacekeeper", "reinforcement",
                                                                                      "contingent", "deployment"} \
                or not any(o.ent_type_ in ("GPE", "LOC") for o in where):
            return None
    if kind == "Deployment" and (words | (_actor_words(head) if ctx.parsed else set())) & {
            "peacekeeper", "peacekeeping", "peace-keeping"}:
        return "Aid"  # peacekeepers sent: military protection (PLOVER AID)
    if kind == "Deployment" and lower.startswith(("strengthen", "bolster", "beef")):
        # troops, forces or security strengthened, not "strengthen the ability of the government"
        strengthened = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        what = (_words_with_modifiers(strengthened + [c for t in strengthened for c in t.conjuncts],
                                      ("amod", "compound")) if ctx.parsed else words)
        if not what & (ARMED_WORDS | {"security", "defence", "defense", "presence", "deployment"}):
            return None
    if kind == "Concession" and lower.startswith("allow") and ctx.parsed and head.dep_ == "advcl" and head.tag_ == "VBG":
        return None  # a consequence, not an act: "a proposal ..., allowing them to keep their salaries"
    if kind == "Disarmament" and lower.startswith("turn") and not (_actor_words(head) if ctx.parsed else words) & (
            NON_STATE_WORDS | {"combatant", "member", "rebel", "fighter", "militant", "deserter"}):
        return "Arrests"  # a suspect turned himself in; fighters who turn themselves in disarm
    if kind == "Peaceful protest" and head.head.lemma_.lower() in ("lodge", "file", "register", "deliver", "send"):
        return "Accusation"  # "lodged an official protest with Albania"
    if kind == "Disrupted weapons use":
        return kind if lower.startswith(("defus", "intercept", "shot", "shoot", "dismantl")) or words & (SHELLING_WORDS | IED_WORDS | AIR_WORDS | WEAPON_WORDS | {"attack", "plot"}) else None
    if kind == "Sanctions" and lower.startswith(("cancel", "call", "end", "halt", "suspend", "lift", "break")):
        if objects & RESTRICTION_WORDS:
            return "Concession"
        if objects & {"publication", "newspaper", "broadcast", "activity", "party", "constitution"}:
            return "Restrictions"
        if not objects & RELATION_WORDS and lower.startswith(("cancel", "call", "end", "break")):
            return None
    if kind == "Concession" and lower.startswith(("lift", "eas", "relax", "shorten", "loosen")) and not (objects | words) & RESTRICTION_WORDS:
        return None if lower.startswith("lift") else kind
    if kind == "Restrictions" and lower.startswith("blockad") and words & (PROTESTER_WORDS | WORKER_WORDS):
        return "Peaceful protest"
    if kind == "Aid" and lower.startswith(("send", "sent")):
        if objects & {"troop", "soldier", "force", "warship", "unit", "police", "reinforcement", "army"}:
            return "Deployment"
        if objects & {"envoy", "delegation", "minister", "mission", "representative", "mediator"}:
            return "Talks"
        return kind if objects & AID_WORDS else None
    if kind == "Talks" and lower.startswith("receiv"):
        return kind if objects & {"delegation", "envoy", "minister", "president", "visitor", "mission", "observer",
                                  "leader", "ambassador", "king", "counterpart", "official", "team"} else None
    if kind == "Cooperation" and lower.startswith("shar"):
        return kind if objects & {"intelligence", "information", "expertise", "evidence", "data", "technology", "know-how"} else None
    if kind == "Rejection" and lower.startswith("violat"):
        return "Armed clash" if objects & {"ceasefire", "cease-fire", "truce", "airspace", "border"} else kind
    if kind == "Deployment" and lower.startswith("prepar") and not words & (ARMED_WORDS | {"attack", "offensive"}):
        return None
    if kind == "Agreement" and lower.startswith("sign") and not objects & AGREEMENT_WORDS:
        return None  # "sign up for our newsletter"
    if kind == "Aid" and lower.startswith(("provid", "deliver", "suppl")) and not words & {"aid", "assistance", "support", "weapon", "arm", "food", "medicine", "supply", "equipment", "fund", "help", "relief", "shelter", "goods"}:
        return None
    if kind == "Release" and lower.startswith(("swap", "exchang")):
        if (objects | words) & {"prisoner", "captive", "detainee", "pow", "hostage", "body", "soldier"}:
            return "Agreement"  # a prisoner swap
        if lower.startswith("exchang"):
            return None  # "exchanged views"
    if kind == "Release" and ctx.search(CHEMICAL_AGENT, ctx.sentence(span)) and (objects | words) & (
            WEAPON_WORDS | SHELLING_WORDS | {"cloud", "gas", "smoke", "fume", "canister", "barrel"}):
        return "Chemical weapon"  # "a shell released a chlorine-smelling cloud"
    if kind == "Release" and lower.startswith("free") and not words & {"prisoner", "hostage", "detainee", "captive", "body", "remains", "property", "land", "territory", "refugee", "soldier", "kidnapper", "captor", "abductor"}:
        return None
    if kind == "Release" and lower.startswith("return") and (not objects or objects & {"fire", "home", "favor", "favour", "call", "power", "normal"}):
        return None
    if kind == "Talks" and lower == "envoy" and not words & {"send", "dispatch", "meet", "visit"}:
        return None
    return kind


# --------------------------------------------------------------------------------------------
# Modality


def _modality(head: Token, span: Span, sent: Span, ctx: _DocContext) -> tuple[str, str | None]:
    """(modality, cue): asserted, intended, hypothetical or negated, and the word that says so,
    from the words governing the trigger."""
    if not ctx.parsed:
        return _modality_from_window(span, sent, ctx)
    condition = next((c for c in head.children if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")), None)
    if condition is not None:
        return "hypothetical", condition.lower_  # "if the militias do not disarm": a condition, not a denial
    for c in head.children:
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
            return "negated", c.lower_
        if c.dep_ == "amod" and c.lemma_.lower() in HYPOTHETICAL_MODIFIERS:
            return "hypothetical", c.lemma_.lower()
    node, by_subject, result_of = head, False, False
    for _ in range(6):
        aux = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if node is not head and not by_subject and node.pos_ in ("VERB", "AUX", "ADJ"):
            neg = next((c for c in node.children if c.dep_ == "neg"), None)
            if neg is not None:
                return "negated", neg.lower_
        if aux & MODAL_HYPOTHETICAL:
            cue = sorted(aux & MODAL_HYPOTHETICAL)[0]
            if cue == "would" and _reported(node):
                return "intended", "would"  # "they said they would boycott": future in the past
            return "hypothetical", cue
        mark = next((c for c in node.children if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")), None)
        if mark is not None:
            return "hypothetical", mark.lower_
        if aux & MODAL_INTENDED or ("going" in aux and node.tag_ == "VB"):
            return "intended", "will"
        if node is not head and not by_subject and not result_of:
            lemma = node.lemma_.lower()
            if lemma == "be":  # "another option is to allow", "the plan is to withdraw"
                lemma = next((c.lemma_.lower() for c in node.children if c.dep_ == "nsubj"), lemma)
            if lemma in NEGATING_HEADS and node.i < head.i:
                return "negated", lemma
            if lemma in INTENT_HEADS:
                return "intended", lemma
            if lemma in HYPOTHETICAL_HEADS:
                return "hypothetical", lemma
        if node.dep_ in ("ROOT", "ccomp", "parataxis", "relcl") or node.head.i == node.i:
            break  # a relative clause tells a fact of its noun ("stop drivers who were marching")
        if node is not head and node.lemma_.lower() in REPORTING_VERBS:
            break
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head  # coordinated verbs share auxiliaries and modals ("could attack and seize")
            continue
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("xcomp", "advcl", "acl", "pcomp", "relcl", "pobj", "dobj", "acomp"):
            break
        if node.dep_ == "pobj" and node.head.lower_ in ADJUNCT_PREPS:
            break  # "after talks", "during the attack": circumstances, not complements
        # the event as the subject of another verb: that verb's modals still apply ("the attack could
        # happen"), not its negation or meaning ("the explosion did not damage", "the blast set shops ablaze")
        by_subject = by_subject or node.dep_ == "nsubj" and node.head.lemma_.lower() not in OCCURRENCE_VERBS
        # a participle clause tells the result of its verb's action ("set off explosives ..., wounding 24"):
        # it takes that verb's modals, not the meaning of the verb ("set" as in "set to")
        result_of = node.dep_ == "advcl" and node.tag_ == "VBG" and not any(c.dep_ == "mark" for c in node.children)
        node = node.head
    return "asserted", None


def _reported(node: Token) -> bool:
    """Whether a clause is the content of a reporting verb ("said they would ...")."""
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    return node.dep_ == "ccomp" and node.head.lemma_.lower() in REPORTING_VERBS | {"announce", "declare", "warn"}


_NEG_WORDS = frozenset({"not", "n't", "never", "no"})
_HYPO_WORDS = MODAL_HYPOTHETICAL | {"if", "unless", "avoid", "prevent", "fear", "fears", "risk", "potential", "possible"}
_INTENT_WORDS = frozenset({"will", "ready", "willing", "plan", "plans", "planned", "planning", "threaten", "threatens",
                           "threatened", "threatening", "vow", "vowed", "vows", "pledge", "pledged", "intend",
                           "intends", "intended", "prepared", "readiness", "willingness", "agreed", "agreeing",
                           "decided", "want", "wants", "seek", "seeks", "aim", "aims"})


def _modality_from_window(span: Span, sent: Span, ctx: _DocContext) -> tuple[str, str | None]:
    """Modality from the four words before the trigger (rules-only pipeline)."""
    window = [ctx.lower(i) for i in range(max(sent.start, span.start - 4), span.start)]
    for words, modality in ((_NEG_WORDS, "negated"), (_HYPO_WORDS, "hypothetical"), (_INTENT_WORDS, "intended")):
        cue = next((w for w in reversed(window) if w in words), None)
        if cue is not None:
            return modality, cue
    before = [ctx.lower(i) for i in range(max(sent.start, span.start - 12), span.start)]
    cue = next((w for w in reversed(before) if w in ("if", "unless")), None)
    return ("hypothetical", cue) if cue else ("asserted", None)


# --------------------------------------------------------------------------------------------
# Actors


def _is_pronoun(token: Token) -> bool:
    """A pronoun ("they", "its"), but not "US" the country."""
    return token.pos_ == "PRON" or (token.lower_ in PRONOUNS and not token.text.isupper())


def _phrase(token: Token, ctx: _DocContext, floor: int = 0) -> str | None:
    """The name-like phrase headed by ``token`` ("US forces", "Kata'ib Hezbollah", "leaders of
    Kataib Hezbollah"), starting no earlier than token ``floor``; None for pronouns."""
    if _is_pronoun(token):
        return None
    doc = token.doc
    end = token.i + 1
    ent = ctx.ent_at.get(token.i) if token.ent_iob_ != "O" else None
    if ent is not None and ent.root == token:
        left = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod") and c.i < ent.start]
        start, end = min([ent.start] + [c.left_edge.i for c in left]), ent.end
    else:
        keep = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod", "npadvmod")
                and c.lower_ not in QUANTIFIERS]
        start = min([token.i] + [c.left_edge.i for c in keep])
        of = _first(c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of")
        named = _first(c for c in of.children if c.dep_ == "pobj") if of is not None else None
        if named is not None and named.pos_ == "PROPN":  # "leaders of Kataib Hezbollah"
            end = named.i + 1
    start = max(start, floor)
    # a name does not run across a line break ("... with the US. AP\nPresident Trump": a photo credit)
    start = max([start] + [t.i + 1 for t in doc[start:token.i] if "\n" in t.text_with_ws])
    end = min([end] + [t.i + (not t.is_space) for t in doc[token.i:end] if "\n" in t.text_with_ws])
    while start < token.i and doc[start].lower_ in QUANTIFIERS | {"'s", "’s", "dead", "alive"}:  # "shot dead X"
        start += 1
    return _clean(doc[start:end].text)


_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _clean(text: str) -> str | None:
    text = _SPACES.sub(" ", text).strip(" ,.;:'\"“”‘’-–—")
    text = _ARTICLE.sub("", text)
    return text or None


def _first(tokens) -> Token | None:
    return next(iter(tokens), None)


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, is_passive) of a verb, inherited through xcomp, conj, acomp chains and intent
    nouns ("militias expressed their readiness to disarm": militias disarm)."""
    node = verb
    for _ in range(5):
        for c in node.children:
            if c.dep_ in ("nsubj", "csubj") and not _is_pronoun(c):
                return c, False
            if c.dep_ == "nsubjpass" and not _is_pronoun(c):
                return c, True
            if c.dep_ == "agent":
                pobj = _first(g for g in c.children if g.dep_ == "pobj")
                if pobj is not None:
                    return pobj, False
            if c.dep_ == "poss" and node is not verb and node.pos_ == "NOUN" and not _is_pronoun(c):
                return c, False
        if node.head.i == node.i:
            break
        if node.dep_ in ("xcomp", "conj", "acomp", "advcl"):
            node = node.head
        elif node.dep_ in ("acl", "relcl"):
            if node.head.pos_ == "NOUN" and node.head.lemma_.lower() in INTENT_HEADS | {"decision", "step", "move", "effort", "attempt", "bid"}:
                node = node.head  # the intent noun; its owner or its verb's subject acts
            elif node.dep_ == "relcl" or node.tag_ != "VBN":
                return node.head, False
            else:
                return node.head, True
        elif node.dep_ in ("dobj", "pobj", "prep") and node.pos_ in ("NOUN", "ADP"):
            node = node.head
        else:
            break
    return None, False


def _actors(head: Token, sent: Span, ctx: _DocContext) -> tuple[str | None, str | None]:
    """actor1 (who acts) and actor2 (who is acted on) of a trigger's clause, within its sentence."""
    actor1, actor2 = _actor_tokens(head, ctx)
    inside = lambda t: t is not None and sent.start <= t.i < sent.end  # noqa: E731
    if actor1 is not None and not inside(actor1):
        actor1 = _glued_subject(head, sent)
    return ((_phrase(actor1, ctx, sent.start) if inside(actor1) else None),
            (_phrase(actor2, ctx, sent.start) if inside(actor2) else None))


def _glued_subject(head: Token, sent: Span) -> Token | None:
    """The subject of a sentence the parser glued to the line before it ("Last news in Fakti\n\n
    Iraqi militias are ready ..."): the last noun before the trigger attached outside the sentence."""
    nouns = [t for t in sent if t.i < head.i and t.pos_ in ("NOUN", "PROPN")
             and not (sent.start <= t.head.i < sent.end)]
    return nouns[-1] if nouns else None


def _actor_tokens(head: Token, ctx: _DocContext) -> tuple[Token | None, Token | None]:
    """Head tokens of actor1 and actor2 (see :func:`_actors`)."""
    actor1 = actor2 = None
    if head.pos_ in ("VERB", "AUX", "ADJ"):
        subject, passive = _subject(head)
        agent = _first(g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj")
        obj = _first(c for c in head.children if c.dep_ in ("dobj", "dative") and c.ent_type_ not in ("DATE", "TIME"))
        actor1, actor2 = (agent, subject) if passive else (subject, obj)
        actor2 = actor2 if actor2 is not None else _prep_actor(head, ("on", "against", "with", "at", "to"), ctx)
    else:
        own_name = ctx.ent_at.get(head.i)  # a modifier inside the trigger's own entity names no actor ("Iran Weigh Disarmament")
        actor1 = _first(c for c in head.children if c.dep_ == "poss" or (
            c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")
            and (own_name is None or ctx.ent_at.get(c.i) is not own_name)))
        actor1 = actor1 if actor1 is not None else _prep_actor(head, ("by", "from"), ctx)
        between = _first(g for c in head.children if c.dep_ == "prep" and c.lower_ in ("between", "among")
                         for g in c.children if g.dep_ == "pobj")
        if between is not None:
            others = list(between.conjuncts)
            actor1 = actor1 if actor1 is not None else between
            actor2 = others[0] if others else None
        else:
            actor2 = _prep_actor(head, ("on", "against", "to", "with"), ctx)
        if actor1 is None and head.dep_ in ("dobj", "pobj"):
            verb = head
            for _ in range(5):  # "claimed responsibility for dozens of attacks"
                if verb.dep_ not in ("dobj", "pobj", "prep") or verb.head.i == verb.i:
                    break
                verb = verb.head
            if verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in LIGHT_VERBS:
                subject, passive = _subject(verb)
                actor1 = subject if not passive else None
    if actor1 is not None and actor2 is not None and actor1.i == actor2.i:
        actor2 = None
    return actor1, actor2


def _prep_actor(head: Token, preps: tuple[str, ...], ctx: _DocContext) -> Token | None:
    """The object of one of ``preps`` on ``head`` that is not a date or a place."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            pobj = _first(c for c in prep.children if c.dep_ == "pobj")
            if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME") and not _is_place_token(pobj, ctx):
                return pobj
    return None


def _is_place_token(token: Token, ctx: _DocContext) -> bool:
    return token.i in ctx.toponym_tokens and token.ent_type_ not in ("ORG", "NORP", "PERSON")


def _key(name: str) -> str:
    return re.sub(r"[^\w ]", "", name.lower().replace("'s", "").replace("’s", "")).replace("the ", "").strip()


def _normalise_actors(events: list[dict], doc: Doc) -> list[dict]:
    """Map each actor to the longest mention in the article whose words contain its words and
    that ends with the same word ("Sudani" -> "Prime Minister Mohammed Shia al-Sudani"); a name
    with two different longest matches ("Walker": "Mary Walker", "James Walker") is left as it is."""
    actors = {e[k] for e in events for k in ("actor1", "actor2") if e[k]}
    if not actors:
        return events
    names = actors | {_clean(ent.text) for ent in doc.ents if ent.label_ in ("PERSON", "ORG", "GPE", "NORP")} - {None}
    keyed = {n: _key(n) for n in sorted(names)}
    canonical = {}
    for name in actors:
        key = keyed[name]
        words = key.split()
        if not words or not name.split()[-1][:1].isupper():
            continue  # "leaders" is not folded into "militia leaders": only names are normalised
        longer = [other for other, okey in keyed.items()
                  if len(okey.split()) > len(words) and okey.split()[-1].endswith(words[-1])
                  and all(any(ow.endswith(w) for ow in okey.split()) for w in words)]
        longest = max((len(keyed[other].split()) for other in longer), default=0)
        best = {keyed[other]: other for other in longer if len(keyed[other].split()) == longest}
        if len(best) == 1:
            canonical[name] = next(iter(best.values()))
    for e in events:
        for k in ("actor1", "actor2"):
            if e[k]:
                e[k] = canonical.get(e[k], e[k])
    return events


# --------------------------------------------------------------------------------------------
# Date


DATE_LINK_MAX_COST = 6
"""Largest dependency-path cost (see :func:`date_link_cost`) at which a time expression dates an event."""


def _date_of(head: Token, sent: Span, ctx: _DocContext) -> dict:
    """The time expression of the trigger's clause, else of the nearest governing clause, else the
    publication time at month precision (``date_basis="publication"``), else undated."""
    candidates = [(s, t) for s, t in ctx.timexes if s.start >= sent.start and s.end <= sent.end
                  and not (s.start <= head.i < s.end)]
    chosen = None
    if candidates and ctx.parsed:
        scored = []
        for s, t in candidates:
            cost = date_link_cost(s.root, head)
            if cost is not None and cost <= DATE_LINK_MAX_COST:
                scored.append((cost, t.get("start") is None, abs(s.start - head.i), s.start, (s, t)))
        chosen = min(scored, key=lambda x: x[:4])[4] if scored else None
    elif candidates:
        chosen = min(candidates, key=lambda c: min(abs(c[0].start - head.i), abs(c[0].end - 1 - head.i)))
    if chosen is not None:
        span, t = chosen
        return {
            "date_text": ctx.text_of(span), "date_start": t.get("start"), "date_end": t.get("end"),
            "date_precision": t.get("granularity"), "date_modifier": t.get("modifier"),
            "date_value": t.get("value"), "date_basis": t.get("basis") or "explicit",
        }
    return ctx.publication_date


@lru_cache(maxsize=1024)
def _publication_date(dct: str | None) -> dict:
    """No date in the clause: the month of publication up to the publication day (coarse).
    Cached per publication time: the dict is shared, never change it in place."""
    day = _iso_day(dct)
    if day is None:
        return {"date_text": None, "date_start": None, "date_end": None, "date_precision": None,
                "date_modifier": None, "date_value": None, "date_basis": "undated"}
    return {"date_text": None, "date_start": day.replace(day=1).isoformat(), "date_end": day.isoformat(),
            "date_precision": "month", "date_modifier": None, "date_value": day.strftime("%Y-%m"),
            "date_basis": "publication"}


def _iso_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Place


_NO_PLACE = {"place_text": None, "place_start": None, "place_end": None, "place_name": None,
             "geonameid": None, "latitude": None, "longitude": None, "geo_precision": None,
             "geo_level": None, "admin1": None, "country": None}


PLACE_LINK_MAX_COST = 2
"""Largest dependency-path cost (see :func:`place_link_cost`) at which a toponym is the event's place."""

# cost of each step on the path from the toponym up to the meeting point with the trigger: chains
# of locative phrases are free ("in front of the embassy in Islamabad"), clauses and subjects are not
_UP_COST = {"pobj": 0, "prep": 0, "compound": 0, "appos": 0, "conj": 0, "nmod": 0, "amod": 0, "poss": 0,
            "npadvmod": 1, "pcomp": 1, "dobj": 1, "attr": 1, "oprd": 1, "dative": 1, "advmod": 0, "nummod": 1,
            "acl": 1, "relcl": 2, "nsubj": 1, "nsubjpass": 1, "agent": 1, "punct": 1, "cc": 1, "dep": 2,
            "advcl": 2, "xcomp": 2}
# cost of each step on the path from the trigger up to the meeting point
_DOWN_COST = {"advcl": 1, "xcomp": 0, "conj": 0, "dobj": 0, "pobj": 0, "prep": 0, "nsubj": 1, "nsubjpass": 0,
              "acl": 1, "relcl": 2, "attr": 1, "compound": 1, "amod": 1, "appos": 1, "pcomp": 1, "npadvmod": 1,
              "acomp": 1, "dep": 2, "oprd": 1}


def place_link_cost(place: Token, trigger: Token) -> int | None:
    """Cost of the dependency path between a toponym's head and an event trigger: 0 for "in X"
    on the trigger itself, more for each step through subjects, clauses and non-locative
    prepositions; None when the path crosses a reported clause (``ccomp``) or the sentence, or
    when the toponym names the actor ("Israel captured ...", "US forces destroyed ...")."""
    return _link_cost(place, trigger, temporal=False)


def date_link_cost(time: Token, trigger: Token) -> int | None:
    """Cost of the dependency path between a time expression's head and an event trigger, as
    :func:`place_link_cost`; a date on the verb that reports the event ("officials said on Monday
    that ...") counts, at a higher cost. An event told as what was done to a noun earlier ("passengers
    kidnapped by separatists were released on Monday", "fighters who had deserted were arrested") does
    not take the time of the clause around it."""
    if trigger.dep_ in ("acl", "relcl") and (trigger.tag_ == "VBN" and trigger.dep_ == "acl"
                                             or any(c.dep_ == "aux" and c.lower_ == "had" for c in trigger.children)) \
            and not trigger.is_ancestor(time):
        return None
    return _link_cost(time, trigger, temporal=True)


def _link_cost(anchor: Token, trigger: Token, temporal: bool) -> int | None:
    # tokens of two sentences never meet: their trees are disjoint, so the walk below gives None
    up = [anchor] + list(anchor.ancestors)
    index = {t.i: n for n, t in enumerate(up)}
    down_cost, node = 0, trigger
    for _ in range(12):
        if node.i in index:
            break
        if node.head.i == node.i or node.dep_ == "csubj":
            return None
        if node.dep_ in ("ccomp", "parataxis"):
            if not temporal:
                return None
            down_cost += 3
        else:
            down_cost += _DOWN_COST.get(node.dep_, 3)
        node = node.head
    else:
        return None
    meet = node
    up_cost, locative = 0, False
    for t in up[:index[meet.i]]:
        if t.dep_ in ("ccomp", "parataxis"):
            return None
        if temporal:
            if t.dep_ in ("relcl", "acl") and t.head.i != trigger.i:
                return None  # "positions, which were built in 2019": the noun's own time
            up_cost += 1 if t.dep_ in ("advcl", "nsubj", "nsubjpass", "dobj") else 0
            continue
        if t.dep_ == "nsubjpass" and t.head.i == trigger.i and trigger.lemma_.lower() in TERRITORIAL_VERBS:
            continue  # "Eastern Slavonia was captured", "South Ossetia is patrolled": the place itself
        if t.dep_ in ("nsubj", "nsubjpass", "agent") and not locative:
            return None  # the place names the actor ("Israel captured", "US forces destroyed")
        if t.dep_ == "prep" and t.lower_ == "by" and not locative:
            return None
        step = _UP_COST.get(t.dep_, 3)
        if t.dep_ == "prep":
            if t.lower_ == "of" and t.head.lemma_.lower() not in FEATURE_NOUNS | FACILITY_WORDS:
                step += 1  # "Hjertstedt of Sweden", "the Member of Parliament of Junagadh"
            elif t.lower_ in LOCATIVE_PREPS:
                locative = True
            else:
                step += 1
        if t.dep_ in ("compound", "amod", "poss", "nmod"):
            step += 1  # "US targets", "the West Bank city of Nablus": an attribute, not the place
        if t.dep_ == "advmod" and t.lower_ in RELATIVE_DIRECTIONS:
            step += 2  # "Hilla, just south of Baghdad"
        up_cost += step
    if meet.i != trigger.i and meet.lemma_.lower() in REPORTING_VERBS:
        up_cost += 3
    if not temporal and not locative and not _direct_object_place(up[:index[meet.i]], meet, trigger):
        return None  # "conflict with the US": a place must be where the event is, not who it involves
    # a relative clause on the place ("Hong Kong, where ... met") puts the event there
    if not temporal and meet.i == anchor.i and any(c.lower_ in ("where", "wherein") for c in trigger.children if c.dep_ == "advmod"):
        return max(0, down_cost - 2)
    return up_cost + down_cost


def _direct_object_place(path: list[Token], meet: Token, trigger: Token) -> bool:
    """A place that is the trigger's object or names it ("shelled Donetsk", "captured Naarden",
    "the Mosul attack")."""
    if meet.i != trigger.i:
        return False
    if any(t.dep_ == "nsubjpass" for t in path):
        return trigger.lemma_.lower() in TERRITORIAL_VERBS
    return all(t.dep_ in ("dobj", "compound", "appos", "conj", "nmod", "amod", "npadvmod", "poss", "nsubjpass")
               for t in path)


def place_candidates(head: Token, sent: Span, ctx: _DocContext) -> list[Span]:
    """Toponyms of the trigger's clause, best first (lowest path cost, then nearest)."""
    spans = [s for s in ctx.places if s.start >= sent.start and s.end <= sent.end
             and not (s.start <= head.i < s.end)]
    if not spans:
        return []
    if not ctx.parsed:
        locative = [s for s in spans if s.start > sent.start and s.doc[s.start - 1].lower_ in LOCATIVE_PREPS
                    or s.start > sent.start + 1 and s.doc[s.start - 2].lower_ in ("in", "at", "near")]
        return sorted(locative, key=lambda s: abs(s.start - head.i))
    scored = []
    for s in spans:
        if s.root.head.i == head.i and s.root.dep_ in ("compound", "amod", "poss") and _specificity(s) == 4:
            continue  # "US airstrikes", "Iraqi demands": a country naming the trigger is its actor
        cost = place_link_cost(s.root, head)
        if cost is not None and cost <= PLACE_LINK_MAX_COST:
            scored.append((cost, _specificity(s), sum(1 for _ in s.root.ancestors), abs(s.start - head.i), s))
    if not scored:
        return []
    spans = [x[-1] for x in scored]
    scored = [x for x in scored if not any(_surrounds(x[-1], other) for other in spans if other is not x[-1])]
    # among the closely linked toponyms, the most specific place ("In Sarajevo, a peacekeeper was
    # shot in the suburb of Dobrinja": Dobrinja), then the most closely linked
    best = min(x[0] for x in scored)
    close = sorted((x for x in scored if x[0] <= best + 1), key=lambda x: (x[1], x[0], x[2], x[3]))
    rest = sorted((x for x in scored if x[0] > best + 1), key=lambda x: x[:4])
    return [x[-1] for x in close + rest]


_NESTING_DEPS = frozenset("prep pobj appos poss compound amod nmod npadvmod advmod".split())
"""Dependencies that attach a place to the description of another ("X district of Y", "X, north of Y")."""


def _place_noun_of(span: Span) -> Token:
    """The token a place phrase stands for in its clause: the place noun it names ("the Shalman
    area", "the village of Mainok"), else its own root."""
    root = span.root
    if root.dep_ in ("compound", "amod", "nmod") and root.head.lemma_.lower() in PLACE_NOUNS:
        return root.head
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in PLACE_NOUNS:
        return root.head.head
    return root


def _surrounds(outer: Span, inner: Span) -> bool:
    """Whether ``outer`` only locates ``inner``: attached to its description ("the Zafaraniyah
    district of southern Baghdad", "Dhuluiya, north of Baghdad", "Mogadishu's Huriwaa district"),
    or naming the same place noun with a coarser place ("the Homs neighbourhood of Baba Amr")."""
    noun = _place_noun_of(inner)
    if outer.start <= noun.i < outer.end:
        return False  # "villages of Hawul Area of Borno State": inner is attached to outer's own name
    if _place_noun_of(outer).i == noun.i:
        return _specificity(outer) > _specificity(inner)
    node = outer.root
    for _ in range(8):
        if node.i == noun.i:
            return True
        if node.dep_ not in _NESTING_DEPS or node.head.i == node.i:
            return False
        node = node.head
    return False


def _specificity(span: Span) -> int:
    """geo_precision of a toponym (1 point ... 4 country); 1 for a name the gazetteer lacks
    (likely a small place), 2 for a parser entity when no gazetteer ran."""
    place = _place(span)
    if place:
        return int(place.get("geo_precision") or 2)
    if span.label_ in ("GPE", "LOC", "FAC") and "toponyms" not in span.doc.spans:
        return 1 if span.label_ == "FAC" else 2
    return 0


def _coordinated(first: Span, other: Span) -> bool:
    """Whether two places are named in coordinated phrases: "in Mosul and Anbar", "the villages
    of Kafrnan and Harsh Tiseen", "in Ankara and in Bartin", "two in Miranshah and four in Mir Ali"."""
    if other.root in first.root.conjuncts:
        return True
    a, b = _place_noun_of(first), _place_noun_of(other)
    if b in a.conjuncts:
        return True
    pa, pb = _attachment(a), _attachment(b)
    if pa is not None and pb is not None and pb in pa.conjuncts:
        return True  # coordinated prepositions
    ha = pa.head if pa is not None else None
    hb = pb.head if pb is not None else None
    return ha is not None and hb is not None and hb in ha.conjuncts


def _attachment(noun: Token) -> Token | None:
    """The preposition that attaches a place noun to its clause ("in" of "in Mosul"), None when
    the noun is no prepositional object."""
    return noun.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else None


def _places_of(head: Token, sent: Span, ctx: _DocContext) -> list[dict]:
    """The toponym of the trigger's clause, with the toponyms coordinated with it ("in Mosul and
    Anbar": both); else, at a coarser ``geo_precision`` and with no span, the place the rule linker
    finds in the clause when another linker abstained ("the Houthis in Yemen suffered blows under
    US airstrikes": Yemen), or the article's focus place; else no place. One dict of place fields
    per place."""
    candidates = ctx.link_places(head, sent, ctx)
    if candidates:
        first = candidates[0]
        if not ctx.parsed:
            return [_place_fields(first)]
        return [_place_fields(span) for span in candidates if span is first or _coordinated(first, span)]
    if ctx.link_places is not place_candidates:
        nearby = next((place for span in place_candidates(head, sent, ctx) if (place := _place(span))), None)
        if nearby:
            return [_less_sure(nearby)]
    focus = ctx.focus_place()
    return [_less_sure(focus)] if focus else [dict(_NO_PLACE)]


def _less_sure(place: dict) -> dict:
    """Place fields for a place the event is only assumed to be at: no span, and a ``geo_precision``
    one step coarser and at least a region's (3), so that the map draws no point for it."""
    precision = int(place.get("geo_precision") or 4)
    return {
        **_NO_PLACE, "place_name": place.get("name"), "geonameid": place.get("geonameid"),
        "latitude": place.get("latitude"), "longitude": place.get("longitude"),
        "geo_precision": min(4, max(precision + 1, 3)),
        "geo_level": place.get("level"), "admin1": place.get("admin1"), "country": place.get("country"),
    }


def _place_fields(span: Span) -> dict:
    """The place fields of a mention linked to the toponym ``span``."""
    place = _place(span) or {}
    return {
        "place_text": span.text, "place_start": span.start_char, "place_end": span.end_char,
        "place_name": place.get("name"), "geonameid": place.get("geonameid"),
        "latitude": place.get("latitude"), "longitude": place.get("longitude"),
        "geo_precision": place.get("geo_precision"), "geo_level": place.get("level"),
        "admin1": place.get("admin1"), "country": place.get("country"),
    }


# --------------------------------------------------------------------------------------------


def _dedupe(events: list[dict]) -> list[dict]:
    """Drop a mention that repeats the kind, sentence, modality and actors of the one before it
    ("shot and killed": one attack)."""
    out: list[dict] = []
    for e in events:
        prev = out[-1] if out else None
        if (prev and prev["sentence_start"] == e["sentence_start"] and prev["sub_event_type"] == e["sub_event_type"]
                and prev["modality"] == e["modality"] and 0 <= e["trigger_start"] - prev["trigger_end"] <= 12):
            continue
        out.append(e)
    return out
