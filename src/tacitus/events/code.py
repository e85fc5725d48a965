"""Coding events in one parsed document: patterns on the dependency parse, then speech and context.

For each sentence:
1. find who speaks (the subject of a reporting verb: "Yang pointed out that ...");
2. match patterns by the lemma of each verb (or noun), the most specific first;
3. take source and target from the parse (active, passive, "took a call from", conjoined actors);
4. apply meaning: negation drops an event or makes it a refusal; "should/must" from a speaker
   is the speaker's demand; a future conflictual act is a threat, a future cooperative act an
   intent; an act the speaker only alleges against their own side is their accusation (112);
   acts inside an appeal, demand, threat, condition or question are not facts;
5. fill a speech act's missing actors from context: the paragraph's speaker and the most recent
   other party;
6. merge duplicates within the sentence.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..actors import DocumentMemory, Mention, primary_code
from ..records import Actor, Event, Trigger
from ..taxonomy import lookup
from .dates import event_date
from .patterns import Pattern, PatternSet

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN", "PROPN"}
# How far below an argument's head an actor may sit: "the government of Iran", "China's efforts".
_ACTOR_SEARCH_DEPS = {"compound", "amod", "poss", "nmod", "appos", "prep", "pobj", "npadvmod", "det"}
_ACTOR_SEARCH_PREPS = {"of", "from", "in"}
SPEAKER_CONFIDENCE = 0.1  # taken off when an actor comes from context rather than syntax
MISSING_ACTOR_PENALTY = 0.3
_NOT_SUBJECT_DEPS = {"aux", "auxpass", "neg", "advmod", "punct", "mark", "advcl", "cc", "conj", "ccomp", "xcomp",
                     "parataxis", "intj", "expl", "nsubjpass", "csubjpass"}
DEEP_TARGET_PENALTY = 0.1
NEAR_ACTOR_PENALTY = 0.25  # an actor found by position, not by syntax
DEEP_TARGET_DEPTH = 4
_DEEP_DEPS = {"prep", "pobj", "compound", "amod", "poss", "nmod", "appos", "conj", "dobj", "pcomp", "npadvmod"}
# Acts that need no target to be worth coding: statements, protests, force posture.
OPPOSING_SECTORS = {"OPP", "REB", "INS"}
# Who may be victims of their own country's forces when the text gives no country for them.
VICTIM_SECTORS = {"CVL", "OPP", "EDU", "HLH", "REF", "LAB", "MED", "BUS", "REL", "JUD", "LEG", "PTY"}
MEDIATION_CODE = "045"
NOT_DOING_LEMMAS = {"refrain", "avoid", "abstain", "cease", "desist", "fail"}
WILLING_LEMMAS = {"willing", "ready", "prepared", "eager", "determined"}
# Prepositions that set an act in time or beside a place: no target inside them ("signed after AU
# mediation", "detained migrants near the border with Belarus").
_NOT_TARGET_PREPS = {"after", "before", "during", "amid", "despite", "since", "until", "following", "ahead",
                     "near", "along", "across", "outside", "around", "beside", "off"}
# Killing verbs whose CAMEO root depends on who kills whom (see violence_code).
KILL_LEMMAS = {"kill", "massacre", "slaughter", "execute", "shoot", "murder", "gun", "wound", "injure", "stab"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY"}
POLITICAL_SECTORS = {"GOV", "OPP", "ELI", "LEG", "PTY", "JUD"}
MASS_WORDS = {"hundred", "thousand", "score", "million"}
MASS_KILLING_COUNT = 50  # victims in one act from which CAMEO speaks of mass killing (202)


@dataclass(frozen=True)
class SpeechWords:
    reporting: frozenset[str]
    allegation: frozenset[str]
    demand_modals: frozenset[str]
    future: frozenset[str]
    hypothetical_determiners: frozenset[str]
    conditional_markers: frozenset[str]
    negations: frozenset[str]
    object_control: frozenset[str]
    future_cooperation: dict[str, str]
    future_conflict: dict[str, str]
    refusal: dict[str, str]
    demand_code: str
    accusation_code: str
    # Verbs that report only with a particle ("point out"): only these need their particles looked at.
    phrasal_reporting: frozenset[str] = frozenset()


@functools.cache
def speech_words() -> SpeechWords:
    data = json.loads((resources.files("tacitus") / "data" / "speech.json").read_text(encoding="utf-8"))
    return SpeechWords(
        reporting=frozenset(data["reporting_verbs"]),
        allegation=frozenset(data["allegation_verbs"]),
        demand_modals=frozenset(data["demand_modals"]),
        future=frozenset(data["future_auxiliaries"]),
        hypothetical_determiners=frozenset(data["hypothetical_determiners"]),
        conditional_markers=frozenset(data["conditional_markers"]),
        negations=frozenset(data["negations"]),
        object_control=frozenset(data["object_control_verbs"]),
        future_cooperation=data["future_cooperation"],
        future_conflict=data["future_conflict"],
        refusal=data["refusal"],
        demand_code=data["demand_code"],
        accusation_code=data["accusation_code"],
        phrasal_reporting=frozenset(v.split()[0] for v in data["reporting_verbs"] if " " in v),
    )


@dataclass
class Candidate:
    """An event before it becomes a record."""

    code: str
    source: Actor | None
    target: Actor | None
    trigger_tokens: list[Token]
    rule: str
    confidence: float
    symmetric: bool = False
    speech: bool = False


@dataclass
class DocumentContext:
    """What coding one document carries from sentence to sentence."""

    memory: DocumentMemory
    paragraph: int = -1
    paragraph_speaker: Actor | None = None


# --- small syntax helpers ------------------------------------------------------------------------------

def _children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _has_infinitive_to(token: Token) -> bool:
    """The verb has the infinitive's "to" among its auxiliaries: "to settle"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _is_to_infinitive_advcl(token: Token) -> bool:
    """"urged X on Monday to settle": after a date the parser hangs the complement as an advcl."""
    return token.dep_ == "advcl" and token.tag_ == "VB" and _has_infinitive_to(token)


def is_passive(verb: Token) -> bool:
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True  # "a ceasefire brokered by Egypt", "the journalists detained by police"
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children)


def subject_of(verb: Token, words: SpeechWords, depth: int = 0) -> Token | None:
    """The grammatical subject, inherited through conjoined verbs, infinitives and gerunds."""
    if depth > 6:
        return None
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in ("that", "who", "which") and verb.dep_ == "relcl":
                return verb.head
            return child
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return subject_of(head, words, depth + 1)
    if verb.dep_ == "xcomp" and (passive_subjects := _children(head, "nsubjpass")):
        return passive_subjects[0]  # "the emir was expected to travel": the emir travels
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ in ("acomp", "amod") and head.head is not head:
        return subject_of(head.head, words, depth + 1)  # "is willing to cooperate": whoever is willing
    if verb.dep_ == "xcomp":
        # "urged the US to step up": the urged party; "agreed to meet": the one who agreed.
        if _lemma(head) in words.object_control:
            objects = _children(head, "dobj")
            if objects:
                return objects[0]
        return subject_of(head, words, depth + 1)
    if _is_to_infinitive_advcl(verb):
        if _lemma(head) in words.object_control and (objects := _children(head, "dobj")):
            return objects[0]  # "urged Kiev on Monday to settle": Kiev settles
        return subject_of(head, words, depth + 1)  # "blocked roads to protest against ...": the blockers
    if verb.dep_ in ("pcomp", "advcl") and verb.tag_ == "VBG":
        # "acted ... in sharing information": the gerund's doer is the clause's subject
        governor = head
        for _ in range(4):
            if governor.pos_ in ("VERB", "AUX") or governor.head is governor:
                break
            governor = governor.head
        if governor.pos_ in ("VERB", "AUX"):
            return subject_of(governor, words, depth + 1)
    return None


def passive_subject_of(verb: Token, words: SpeechWords) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return child
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head  # the noun the participle describes
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return passive_subject_of(verb.head, words)
    return None


def agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            objects = _children(child, "pobj")
            if objects:
                return objects[0]
    return None


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        for t in (token, *token.conjuncts):
            if t not in out:
                out.append(t)
    return out


def prep_objects_below(token: Token, prep: str, depth: int = 3) -> list[Token]:
    """Objects of a preposition anywhere in the trigger's phrase, not inside another clause:
    "spoke to Pompeo on the phone" where the parser hung "on the phone" on "Pompeo"."""
    found: list[Token] = []
    frontier = [(token, 0)]
    while frontier:
        current, level = frontier.pop()
        for child in current.children:
            if child.pos_ in ("VERB", "AUX") and child.dep_ != "prep":
                continue
            if child.dep_ in ("prep", "agent", "dative") and child.lower_ == prep:
                found.extend(_children(child, "pobj", "pcomp", "amod", "acomp"))  # "described them as unjustified"
            if level < depth:
                frontier.append((child, level + 1))
    return found


def prep_objects(token: Token, prep: str) -> list[Token]:
    """Objects of a preposition attached to the token (or to its direct object): "talks with Iran"."""
    # the trigger, its direct object ("hold talks with") and its infinitive ("agreed to cooperate with")
    hosts = [token] + _children(token, "dobj", "xcomp")
    found = []
    for host in hosts:
        for child in host.children:
            if child.dep_ in ("prep", "agent", "dative", "prt") and child.lower_ == prep:
                found.extend(_children(child, "pobj", "pcomp"))
                # "between A and B": objects come as conjuncts of the first
    return found


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


# --- actors at tokens ----------------------------------------------------------------------------------

class MentionIndex:
    def __init__(self, mentions: list[Mention], doc: Doc | None = None):
        self.by_token: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self.by_token[i] = mention
        # "American and South Korean troops": the coded adjective outside the noun's mention is a
        # partner of that mention, so both are parties wherever the noun is an argument.
        self.partners: dict[int, list[Actor]] = {}
        for mention in mentions if doc is not None else ():
            head = doc[mention.head]
            if mention.weak or not mention.actor.code or head.dep_ not in ("amod", "conj"):
                continue
            owner = self.by_token.get(head.head.i)
            if owner is not None and owner is not mention and not owner.weak:
                self.partners.setdefault(owner.start, []).append(mention.actor)

    def actor_at(self, token: Token) -> Actor | None:
        """The actor a syntactic argument stands for: its own mention or one just below it."""
        mention = self.by_token.get(token.i)
        if mention is not None and not mention.weak:
            return mention.actor if mention.actor.code else None
        # "a British tanker": an adjective is an actor only for the noun it modifies
        for child in token.children:
            weak = self.by_token.get(child.i)
            if child.dep_ in ("amod", "compound", "nmod") and weak is not None and weak.weak:
                return weak.actor
        return self._first_below(token, 2, lambda child: child.dep_ in _ACTOR_SEARCH_DEPS and (
            child.dep_ != "prep" or child.lower_ in _ACTOR_SEARCH_PREPS), lambda child, mention: not mention.weak)

    def actor_below(self, token: Token, exclude: set[str], max_depth: int = DEEP_TARGET_DEPTH) -> Actor | None:
        """The first coded actor inside an argument's phrase, not crossing into another clause:
        "lifting its embargo on sales of weapons to Vietnam" -> Vietnam."""
        return self._first_below(
            token, max_depth, lambda child: child.dep_ in _DEEP_DEPS,
            lambda child, mention: primary_code(mention.actor.code) not in {primary_code(c) for c in exclude}
            and (not mention.weak or child.dep_ in ("amod", "compound", "nmod")))

    def _first_below(self, token: Token, max_depth: int, follow, accept) -> Actor | None:
        """Breadth-first through the children that `follow` allows: the first coded mention `accept` takes."""
        frontier = [(token, 0)]
        while frontier:
            current, depth = frontier.pop(0)
            for child in current.children:
                if not follow(child):
                    continue
                mention = self.by_token.get(child.i)
                if mention is not None and mention.actor.code and accept(child, mention):
                    return mention.actor
                if depth < max_depth:
                    frontier.append((child, depth + 1))
        return None

    def actors_at(self, tokens: Iterable[Token]) -> list[Actor]:
        out: list[Actor] = []
        expanded = []
        for token in tokens:
            mention = self.by_token.get(token.i)
            # "Barack Obama and Dmitry Medvedev": conjuncts hang on the mention's head, not on every token
            head = token.doc[mention.head] if mention is not None else token
            expanded.append(head)
            if mention is not None and not mention.actor.sectors:
                # "Saudi Arabia, Egypt, the UAE and Bahrain": a list of countries the parser read as an apposition
                for appos in _children(head, "appos"):
                    other = self.by_token.get(appos.i)
                    if other is not None and other.actor.code and not other.actor.sectors \
                            and other.actor.code != mention.actor.code:
                        expanded.append(appos)
        for token in _with_conjuncts(expanded):
            actor = self.actor_at(token)
            found = [actor] if actor is not None else []
            mention = self.by_token.get(token.i)
            if mention is not None and mention.members:  # "the two sides": both parties
                found = list(mention.members)
            elif mention is not None:
                found += self.partners.get(mention.start, [])
            out.extend(a for a in found if all(a is not b for b in out))
        return out


# --- pattern matching ----------------------------------------------------------------------------------

def _particles(verb: Token) -> set[str]:
    """Particles and the prepositions that belong to the verb ("lash out at", "fire on"): a preposition
    counts only close after the verb and not when it only dates the act ("shot dead on Friday on a bridge")."""
    found = set()
    # "welcomed the Mexican president to the capital": count from the end of the direct object
    anchor = max([verb.i] + [t.i for o in _children(verb, "dobj") for t in o.subtree])
    for c in verb.children:
        if c.dep_ in ("prt", "advmod"):
            found.add(c.lower_)
        elif c.dep_ in ("prep", "agent") and 0 < c.i - anchor <= 3 and not any(
                o.ent_type_ in ("DATE", "TIME") for o in c.children if o.dep_ == "pobj"):
            found.add(c.lower_)
    return found


def _direct_objects(verb: Token) -> list[Token]:
    objects = _children(verb, "dobj")
    if not objects and is_passive(verb):
        objects = _children(verb, "nsubjpass")
    return _with_conjuncts(objects)


class _TriggerFacts:
    """What a trigger's patterns test, each computed once however many patterns a lemma has."""

    __slots__ = ("token", "_particles", "_object_lemmas", "_xcomp_lemmas", "_prep_objects")

    def __init__(self, token: Token):
        self.token = token
        self._particles: set[str] | None = None
        self._object_lemmas: set[str] | None = None
        self._xcomp_lemmas: set[str] | None = None
        self._prep_objects: dict[str, set[str]] = {}

    def particles(self) -> set[str]:
        if self._particles is None:
            self._particles = _particles(self.token)
        return self._particles

    def object_lemmas(self) -> set[str]:
        # the object's head or a noun compounded with it: "a mediation effort", "an aid package"
        if self._object_lemmas is None:
            self._object_lemmas = {_lemma(t) for o in _direct_objects(self.token)
                                   for t in (o, *(c for c in o.children if c.dep_ == "compound"))}
        return self._object_lemmas

    def xcomp_lemmas(self) -> set[str]:
        if self._xcomp_lemmas is None:
            self._xcomp_lemmas = {_lemma(c) for c in self.token.children if c.dep_ in ("xcomp", "ccomp")}
        return self._xcomp_lemmas

    def prep_object_lemmas(self, prep: str) -> set[str]:
        if prep not in self._prep_objects:
            self._prep_objects[prep] = {_lemma(o) for o in prep_objects_below(self.token, prep)}
        return self._prep_objects[prep]


def pattern_holds(pattern: Pattern, facts: _TriggerFacts) -> bool:
    if pattern.particle and not facts.particles().issuperset(pattern.particle):
        return False
    if pattern.object and facts.object_lemmas().isdisjoint(pattern.object):
        return False
    if pattern.xcomp and facts.xcomp_lemmas().isdisjoint(pattern.xcomp):
        return False
    if pattern.prep_object and not any(obj in facts.prep_object_lemmas(prep) for prep, obj in pattern.prep_object):
        return False
    return True


def match_token(token: Token, patterns: PatternSet) -> Pattern | None:
    if token.dep_ == "amod":
        return None  # "the detained journalists", "a recognised government": descriptions, not acts
    pos = token.pos_
    if pos in VERB_POS:
        candidates = patterns.verbs.get(_lemma(token), ())
    elif pos in NOUN_POS:
        candidates = patterns.nouns.get(_lemma(token), ())
    else:
        return None
    if not candidates:
        return None
    facts = _TriggerFacts(token)
    for pattern in candidates:
        if pattern_holds(pattern, facts):
            return pattern
    return None


def role_tokens(role: str, trigger: Token, words: SpeechWords) -> list[Token]:
    if role == "subject":
        if trigger.pos_ in VERB_POS and is_passive(trigger):
            agent = agent_of(trigger)
            return [agent] if agent is not None else []
        subject = subject_of(trigger, words) if trigger.pos_ in VERB_POS else None
        if subject is None:
            return []
        # "Kibaki and opposition leader Odinga signed": the parser sometimes gives the verb two subjects
        return [subject] + [c for c in trigger.children if c.dep_ == "nsubj" and c.i != subject.i]
    if role == "subject-compound":
        # When the parse has no subject (title-case headlines, a first name tagged as a preposition),
        # the phrase left of the verb that holds an actor stands in for it.
        if trigger.pos_ not in VERB_POS:
            return []
        return [c for c in trigger.children if c.i < trigger.i and c.dep_ not in _NOT_SUBJECT_DEPS]
    if role == "object":
        if trigger.pos_ in VERB_POS and is_passive(trigger):
            subject = passive_subject_of(trigger, words)
            return [subject] if subject is not None else []
        return _children(trigger, "dobj")
    if role == "agent":
        agent = agent_of(trigger)
        return [agent] if agent is not None else []
    if role == "dative":
        return _children(trigger, "dative", "iobj") or prep_objects(trigger, "to")
    if role == "poss":  # "Iran's attack", "rejected South Korea's offer"
        return _children(trigger, "poss") + [p for o in _children(trigger, "dobj") for p in _children(o, "poss")]
    if role == "xcomp.object":
        return [o for x in _children(trigger, "xcomp") + [c for c in trigger.children if _is_to_infinitive_advcl(c)]
                for o in _children(x, "dobj")]
    if role == "clause.subject":  # "warned that Russia would be isolated": whom the clause is about
        found = []
        for clause in _children(trigger, "ccomp"):
            subject = subject_of(clause, words)
            if subject is not None:
                found.append(subject)
            found += [s for adv in _children(clause, "advcl") if (s := subject_of(adv, words)) is not None]
        return found
    if role.startswith("prep:"):
        return prep_objects(trigger, role[5:])
    return []


def resolve_role(roles: tuple[str, ...], trigger: Token, index: MentionIndex, words: SpeechWords,
                 ) -> tuple[list[Actor], list[Token]]:
    for role in roles:
        if role == "subject":
            roles_here = ("subject", "subject-compound")
        else:
            roles_here = (role,)
        for role_here in roles_here:
            tokens = role_tokens(role_here, trigger, words)
            actors = index.actors_at(tokens)
            if actors:
                return actors, tokens
    return [], []


# --- meaning -------------------------------------------------------------------------------------------

def is_negated(token: Token, words: SpeechWords) -> bool:
    if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in token.children):
        return True
    # "refrain from accusing", "avoid criticising": the act is what does not happen
    if token.dep_ == "advcl" and _has_infinitive_to(token):
        return is_negated(token.head, words)  # "did not block roads to protest": no protest either
    if token.dep_ == "pcomp" and token.head.lower_ == "without":
        return True  # "without informing Beijing"
    while token.dep_ == "conj" and token.head.i != token.i:  # "refrain from accusing or criticising"
        token = token.head
    governor = token.head.head if token.dep_ == "pcomp" else token.head if token.dep_ == "xcomp" else None
    if governor is not None and _lemma(governor) in NOT_DOING_LEMMAS:
        return True
    if any(c.dep_ == "preconj" and c.lower_ == "neither" for c in token.children):
        return True  # "neither accepted nor recognised"
    if token.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" for c in token.head.children):
        return True
    objects = _children(token, "dobj")
    if any(o.lower_ in ("none", "nothing") for o in objects):
        return True  # "met none of its demands"
    # "held no talks"
    return any(d.dep_ == "det" and d.lower_ == "no" for o in objects for d in o.children)


def _auxiliary(token: Token, forms: frozenset[str]) -> Token | None:
    """An auxiliary of the given forms on the verb, or on the head of a conjoined verb:
    "will not be pushed back", "should correct ... and stop"."""
    verb = token
    for _ in range(2):
        for child in verb.children:
            if child.dep_ == "aux" and child.lower_ in forms:
                return child
        if verb.dep_ != "conj":
            break
        verb = verb.head
    return None


def is_future(token: Token, words: SpeechWords) -> bool:
    if _auxiliary(token, words.future) is not None:
        return True
    head = token.head
    if token.dep_ == "xcomp" and _lemma(head) in WILLING_LEMMAS:
        return True  # "is ready to deepen cooperation", "prepared to hold talks"
    # "the guerrillas are to hand over their weapons"
    return token.dep_ == "xcomp" and _lemma(head) == "be" and head.pos_ in ("AUX", "VERB") and \
        _has_infinitive_to(token)


def modal_of(token: Token, words: SpeechWords) -> Token | None:
    return _auxiliary(token, words.demand_modals)


def reporting_verb_above(token: Token, words: SpeechWords) -> Token | None:
    """The reporting verb whose clause holds this token ("said that ..."), if any."""
    current = token
    for _ in range(8):
        head = current.head
        if head is current:
            return None
        if current.dep_ in ("ccomp", "parataxis") and is_reporting(head, words):
            return head
        current = head
    return None


def is_reporting(token: Token, words: SpeechWords) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = _lemma(token)
    if lemma in words.reporting:
        return True
    if lemma in words.phrasal_reporting and any(f"{lemma} {p}" in words.reporting for p in _particles(token)):
        return True
    return lemma == "make" and any(_lemma(c) == "clear" for c in token.children)


def in_condition_or_question(token: Token, sentence_is_question: bool, words: SpeechWords) -> bool:
    if sentence_is_question:
        return True
    current = token
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in words.conditional_markers for c in current.children):
            return True
        if current.head is current or current.dep_ not in ("conj", "advcl", "xcomp", "ccomp"):
            return False
        current = current.head
    return False


def is_hypothetical(token: Token, words: SpeechWords) -> bool:
    """"any scheme to slander China": an act attached to an 'any'/'no' noun is not a fact."""
    if token.dep_ in ("acl", "relcl"):
        noun = token.head
        return any(c.dep_ == "det" and c.lower_ in words.hypothetical_determiners for c in noun.children)
    return False


def scope_of(token: Token, deps: tuple[str, ...], control: frozenset[str] = frozenset()) -> set[int]:
    """Token indices inside the given complements of a trigger; for a verb of `control` ("urged X on
    Monday to settle") also a to-infinitive the parser made an advcl."""
    inside: set[int] = set()
    controls = _lemma(token) in control
    for child in token.children:
        if child.dep_ in deps or (controls and _is_to_infinitive_advcl(child)):
            inside.update(t.i for t in child.subtree)
        if child.dep_ == "prep":  # "accused Iran of attacking", "warned against striking"
            for pcomp in _children(child, "pcomp"):
                inside.update(t.i for t in pcomp.subtree)
    return inside


def code_sentence(
    sentence: Span, index: MentionIndex, context: DocumentContext, patterns: PatternSet, words: SpeechWords,
    one_sided: bool = False, text: str | None = None,
) -> list[Candidate]:
    """Candidates of one sentence, after meaning and context rules, before merging.
    `text` is sentence.text when the caller has it."""
    question = (sentence.text if text is None else text).rstrip().endswith("?")
    # One pass over the tokens: who speaks in this sentence (the subject of its first reporting verb
    # with an actor), the pattern matches, and the verbs, which alone can carry a demand's modal.
    speakers: dict[int, Actor] = {}
    matches: list[tuple[Token, Pattern]] = []
    verbs: list[Token] = []
    for token in sentence:
        pos = token.pos_
        if pos in ("VERB", "AUX"):
            verbs.append(token)
            if is_reporting(token, words):
                subject = subject_of(token, words)
                actor = index.actor_at(subject) if subject is not None else None
                if actor is not None and actor.code:
                    speakers[token.i] = actor
        if pos in VERB_POS or pos in NOUN_POS:  # match_token's own first test, without the call
            pattern = match_token(token, patterns)
            if pattern is not None:
                matches.append((token, pattern))
    sentence_speaker = next(iter(speakers.values()), None)

    # Acts inside another act's content are not facts: "urged X to stop", "accused Y of attacking".
    suppressed: set[int] = set()
    for token, _ in matches:
        suppressed |= scope_of(token, ("xcomp", "ccomp"), words.object_control)
    demands: list[Candidate] = []
    for token in verbs:
        if token.i in suppressed:
            continue
        modal = modal_of(token, words)
        if modal is None:
            continue
        subject = subject_of(token, words)
        target = index.actor_at(subject) if subject is not None else None
        reporter = reporting_verb_above(token, words)
        speaker = speakers.get(reporter.i) if reporter is not None else None
        speaker = speaker or sentence_speaker or context.paragraph_speaker
        suppressed |= {t.i for t in token.subtree if t.i != token.i} - ({t.i for t in subject.subtree} if subject is not None else set())
        if target is None or speaker is None or is_negated(token, words):
            continue
        if primary_code(target.code or "") == primary_code(speaker.code or "") and not _opposed(speaker, target):
            continue  # "we must ..." from the speaker's own side is no demand on anyone
        demands.append(Candidate(words.demand_code, speaker, target, [modal, token], "speech.demand.modal",
                                 0.75, speech=True))
        suppressed.add(token.i)

    candidates: list[Candidate] = list(demands)
    for token, pattern in matches:
        if token.i in suppressed or in_condition_or_question(token, question, words):
            continue
        if token.dep_ == "relcl" and token.tag_ in ("VBP", "VBZ") and not is_future(token, words):
            # "bases that host American troops", "a cleric who lives in the US": a standing state
            continue
        sources, source_tokens = resolve_role(pattern.source, token, index, words)
        targets, target_tokens = resolve_role(pattern.target, token, index, words)
        code = pattern.code
        rule = pattern.id
        confidence = pattern.confidence
        # "The two sides agreed to ...": each party acts toward the other; no target is looked for.
        # Not when the act has an object that is no party: "both leaders denounced terrorism".
        group = (len(sources) == 2 and all(s.rule == "two-sides" for s in sources) and not targets
                 and (pattern.symmetric or not _children(token, "dobj") or pattern.object))
        if not sources and token.pos_ in VERB_POS and not is_passive(token):
            # "The Israeli military says it struck ...": a pronoun subject under a reporting verb is its speaker
            subject = subject_of(token, words)
            reporter_above = reporting_verb_above(token, words)
            if subject is not None and subject.lower_ in ("it", "they", "we") and reporter_above is not None \
                    and reporter_above.i in speakers:
                sources = [speakers[reporter_above.i]]
                rule = f"{rule}+speaker-pronoun"
        if not targets and code == MEDIATION_CODE and token.dep_ == "acl":
            # "agreed to a ceasefire brokered by Egypt": the mediator's targets are the agreement's parties
            governor = token.head.head.head if token.head.dep_ == "pobj" else token.head.head
            if governor.pos_ in VERB_POS:
                subject = subject_of(governor, words)
                targets = index.actors_at([subject]) if subject is not None else []
                if targets:
                    rule = f"{rule}+parties-of-agreement"
        if not targets and not group and not (pattern.symmetric and len(sources) > 1):
            deep = _deep_target(pattern, token, index, words, {s.code for s in sources if s.code})
            if deep is not None:
                targets, rule, confidence = [deep], f"{rule}+deep-target", confidence - DEEP_TARGET_PENALTY
        if not targets and sources and not group and lookup(code).quad == 4:
            victims = _domestic_victims(pattern, token, index, words, sources[0])
            if victims:
                targets, rule = victims, f"{rule}+victims-of-source-country"
        if (not targets and not group and not pattern.speech and not is_passive(token) and token.dep_ not in ("amod", "acl", "relcl")
                and not (pattern.symmetric and len(sources) > 1)):
            near = _nearest_target(sentence, token, index, exclude={s.code for s in sources if s.code},
                                   pattern=pattern)
            if near is not None:
                targets, rule, confidence = [near], f"{rule}+near-target", confidence - NEAR_ACTOR_PENALTY
        root = code[:2]
        future = is_future(token, words)
        if is_negated(token, words):
            if future and root in words.refusal:
                code, rule = words.refusal[root], f"{rule}+refusal"
            else:
                continue
        elif future and root in words.future_cooperation and root != "03":
            code, rule = words.future_cooperation[root], f"{rule}+intent"
        elif future and root in words.future_conflict:
            code, rule = words.future_conflict[root], f"{rule}+threat"
        elif is_hypothetical(token, words):
            continue
        speech = pattern.speech or rule.endswith("+threat")

        # An act the speaker reports against their own side is the speaker's accusation.
        reporter = reporting_verb_above(token, words)
        speaker = speakers.get(reporter.i) if reporter is not None else None
        quad = lookup(code).quad
        if speaker is not None and quad in (3, 4):
            own_side = primary_code(speaker.code or "")
            alleged = _lemma(reporter) in words.allegation
            # Force against the speaker's side that a neutral "said" reports is a fact (officials report
            # attacks on them); words against it are the speaker's charge ("keep discrediting China").
            against_speaker = quad == 3 and any(t.code and primary_code(t.code) == own_side for t in targets)
            # "The President told Mr. Putin that Russia was infringing ...": charged to the addressee's face
            addressees = {primary_code(a.code or "") for a in index.actors_at(_children(reporter, "dobj", "dative"))}
            addressed = any(primary_code(s.code or "") in addressees for s in sources)
            if (alleged or against_speaker or addressed) and sources and all(
                    primary_code(s.code or "") != own_side for s in sources):
                candidates.extend(
                    Candidate(words.accusation_code, speaker, s, [token], f"speech.accusation:{rule}",
                              round(confidence * 0.9, 2), speech=True)
                    for s in sources)
                continue

        trigger_tokens = [token] + [c for c in token.children
                                    if c.dep_ in ("prt", "advmod") and c.lower_ in pattern.particle]
        trigger_tokens += [o for o in _children(token, "dobj") if pattern.object]
        # Speech acts, and verbal cooperation ("offered his apology"), may take their parties from context.
        if speech or lookup(code).quad == 1:
            subject = subject_of(token, words) if token.pos_ in VERB_POS else None
            named_subject = subject is not None and subject.pos_ == "PROPN"
            # The speaker stands in for a missing source of speech only ("Gulen condemned ...": a named
            # subject we cannot code is not the speaker either).
            if not sources and not named_subject and speech:
                speaker = speaker or sentence_speaker or context.paragraph_speaker
                if speaker is not None:
                    sources = [speaker]
                    confidence = round(confidence - SPEAKER_CONFIDENCE, 2)
            object_is_no_party = not speech and not pattern.object and bool(_children(token, "dobj"))
            if not targets and sources and not group and not any(s.rule == "two-sides" for s in sources) \
                    and not (pattern.symmetric and len(sources) > 1) and not object_is_no_party:
                other = context.memory.last_other_party(primary_code(sources[0].code or ""),
                                                        before=token.idx)
                if other is not None:
                    targets = [other]
                    rule = f"{rule}+context-target"
                    confidence = round(confidence - SPEAKER_CONFIDENCE, 2)
        if pattern.symmetric and not targets and len(sources) > 1:
            # "Israel and the UAE signed an agreement": one event per pair of the conjoined parties
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1:]]
        elif group:
            pairs = [(sources[0], sources[1]), (sources[1], sources[0])]
        else:
            pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])]
        for source, target in pairs:
            if source is None and target is None:
                continue
            # Precision first: an event needs both parties, except material conflict whose perpetrator
            # the text leaves unnamed ("two Chinese engineers were kidnapped"). Measured on the dev sets,
            # protests and statements without a target were mostly wrong too; --one-sided keeps them all.
            if not one_sided:
                if target is None:
                    continue
                if source is None and lookup(code).quad != 4 and not is_passive(token):
                    continue
            if source is not None and target is not None and _same_party(source, target):
                continue
            penalty = MISSING_ACTOR_PENALTY if (source is None or target is None) else 0.0
            candidates.append(Candidate(violence_code(code, pattern, token, source, target), source, target,
                                        trigger_tokens, rule,
                                        round(max(0.05, confidence - penalty), 2),
                                        symmetric=pattern.symmetric, speech=speech))
    # The paragraph's speaker carries over to later sentences that name none.
    if speakers:
        context.paragraph_speaker = list(speakers.values())[-1]
    return candidates


def _victim_count(trigger: Token) -> int:
    """The largest number of people the trigger's object (or passive subject) speaks of; 0 if none."""
    victims = _children(trigger, "dobj", "nsubjpass")
    best = 0
    for victim in victims:
        for token in victim.subtree:
            if _lemma(token) in MASS_WORDS:
                best = max(best, 100)
            elif token.like_num:
                try:
                    best = max(best, int(float(token.text.replace(",", ""))))
                except ValueError:
                    continue
    return best


def violence_code(code: str, pattern: Pattern, trigger: Token, source: Actor | None, target: Actor | None) -> str:
    """CAMEO separates killing by who does it to whom: mass killing (202) from a number of victims,
    assassination (186) of a named political figure, unconventional violence (180) by non-state
    perpetrators, conventional force (190) by states' forces. Only the bare killing patterns change."""
    if code != "190" or pattern.specificity or _lemma(trigger) not in KILL_LEMMAS:
        return code
    target_sectors = set(target.sectors) if target is not None else set()
    if _victim_count(trigger) >= MASS_KILLING_COUNT and "MIL" not in target_sectors:
        return "202"
    if target is not None and target.name and target_sectors & POLITICAL_SECTORS and _lemma(trigger) in (
            "kill", "murder", "shoot", "gun"):
        return "186"
    # A bare country ("Israel killed ...") acts as a state; no perpetrator, rebels or gunmen do not.
    state = source is not None and (
        bool(source.country and not source.sectors) or bool(set(source.sectors) & STATE_SECTORS))
    if not state:
        return "180"
    return code


def _domestic_victims(pattern: Pattern, trigger: Token, index: MentionIndex, words: SpeechWords,
                      source: Actor) -> list[Actor]:
    """"Uzbek troops opened fire on demonstrators": victims named only by what they are (civilians,
    protesters, students) are people of the perpetrator's country, as a hand coder would code them."""
    if not source.country:
        return []
    found = []
    for role in pattern.target:
        for token in _with_conjuncts(role_tokens(role, trigger, words)):
            mention = index.by_token.get(token.i)
            if mention is None or mention.weak or mention.actor.code or not mention.actor.sectors:
                continue
            if not set(mention.actor.sectors) <= VICTIM_SECTORS:
                continue
            victim = mention.actor
            found.append(Actor(code=source.country + "".join(victim.sectors), country=source.country,
                               sectors=list(victim.sectors), name=victim.name, text=victim.text,
                               start=victim.start, end=victim.end, rule=f"victims-of:{source.country}+{victim.rule}"))
        if found:
            return found
    return found


def _same_party(a: Actor, b: Actor) -> bool:
    """One party on both sides: the same code, or one country where a side has no sector or both
    share one ("Russia ... its interests" as RUSGOV and RUS). Its military against its government,
    or its government against its opposition, are two parties."""
    if not a.code or not b.code:
        return False
    if a.code == b.code:
        return True
    if primary_code(a.code) != primary_code(b.code) or not a.country:
        return False
    return not a.sectors or not b.sectors or bool(set(a.sectors) & set(b.sectors))


def _opposed(a: Actor, b: Actor) -> bool:
    """Two actors of one country on opposite sides of domestic politics (opposition or rebels vs the rest)."""
    return bool(OPPOSING_SECTORS & set(a.sectors)) != bool(OPPOSING_SECTORS & set(b.sectors))


def _nearest_target(sentence: Span, trigger: Token, index: MentionIndex, exclude: set[str],
                    pattern: Pattern) -> Actor | None:
    """When no target role resolves: the closest coded actor after the trigger inside its own phrase,
    of another primary code than the sources (`exclude`). Tried only for acts, not speech."""
    excluded = {primary_code(c) for c in exclude}
    inside = {t.i for t in trigger.subtree}
    # a preposition the pattern names as a target role ("deployed troops along the border") still counts
    not_target = _NOT_TARGET_PREPS - {role[5:] for role in pattern.target if role.startswith("prep:")}
    for token in sentence[trigger.i - sentence.start + 1:]:
        mention = index.by_token.get(token.i)
        if mention is None or mention.weak or not mention.actor.code or token.i not in inside:
            continue
        if primary_code(mention.actor.code) in excluded or _under_preposition(token, trigger, not_target):
            continue
        return mention.actor
    return None


def _under_preposition(token: Token, top: Token, preps: set[str]) -> bool:
    """Whether the path from `token` up to `top` passes one of these prepositions."""
    current = token
    while current.i != top.i and current.head.i != current.i:
        if current.dep_ == "prep" and current.lower_ in preps:
            return True
        current = current.head
    return False


def _deep_target(pattern: Pattern, trigger: Token, index: MentionIndex, words: SpeechWords,
                 exclude: set[str]) -> Actor | None:
    """When no target role resolves, the first actor inside the phrases those roles point at."""
    for role in pattern.target:
        for token in role_tokens(role, trigger, words):
            actor = index.actor_below(token, exclude)
            if actor is not None:
                return actor
    if not pattern.nominal:  # "approved a loan programme for Ukraine": inside the direct object
        for obj in _children(trigger, "dobj") + (_children(trigger, "xcomp") if pattern.xcomp else []):
            actor = index.actor_below(obj, exclude)
            if actor is not None:
                return actor
    return None


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """One event per (source, code, target) in a sentence; a symmetric pair counts once."""
    best: dict[tuple, Candidate] = {}
    for cand in candidates:
        src = cand.source.code if cand.source else None
        tgt = cand.target.code if cand.target else None
        key = (src, cand.code, tgt)
        if cand.symmetric and (tgt, cand.code, src) in best:
            key = (tgt, cand.code, src)
        if key not in best or best[key].confidence < cand.confidence:
            best[key] = cand
    return sorted(best.values(), key=lambda c: min(t.idx for t in c.trigger_tokens))


def _trigger(tokens: list[Token], doc_text: str) -> Trigger:
    """The text from the first trigger token to the last (as their Span would give it)."""
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last)
    return Trigger(text=doc_text[start:end], start=start, end=end)


def _paragraph_number(text: str, char: int) -> int:
    return text.count("\n\n", 0, char)


def code_document(
    doc: Doc, mentions: list[Mention], memory: DocumentMemory, *, doc_id: str, doc_date: str | None,
    patterns: PatternSet, one_sided: bool = False, text: str | None = None,
) -> list[Event]:
    """Every event of one parsed document, in sentence order.

    An interaction needs both parties unless `one_sided` is true (see CoderOptions.one_sided).
    `text`, the document's text when the caller has it, spares rebuilding doc.text."""
    words = speech_words()
    index = MentionIndex(mentions, doc)
    context = DocumentContext(memory=memory)
    # Memory of actors is consulted "before" a trigger; give it the whole document's mentions once.
    events: list[Event] = []
    if text is None:
        text = doc.text  # Doc.text joins every token: build it once, not once per sentence
    date_entities: list[Span] | None = None  # the document's DATE entities, read once when needed
    for number, sentence in enumerate(doc.sents):
        sentence_text = text[sentence.start_char:sentence.end_char]  # == sentence.text, without a token walk
        if not sentence_text.strip():
            continue
        paragraph = _paragraph_number(text, sentence.start_char)
        if paragraph != context.paragraph:
            context.paragraph, context.paragraph_speaker = paragraph, None
        for cand in _merge(code_sentence(sentence, index, context, patterns, words, one_sided, sentence_text)):
            info = lookup(cand.code)
            anchor = min(cand.trigger_tokens, key=lambda t: t.i)
            if date_entities is None:
                date_entities = [ent for ent in doc.ents if ent.label_ == "DATE"]
            events.append(Event(
                doc_id=doc_id, sentence=number, date=event_date(sentence, anchor, doc_date, date_entities),
                code=info.code, root=info.root, quad=info.quad, goldstein=info.goldstein,
                plover=info.plover, plover_mode=info.plover_mode,
                source=cand.source, target=cand.target, trigger=_trigger(cand.trigger_tokens, text),
                rule=cand.rule, symmetric=cand.symmetric, sentence_text=sentence_text.strip(),
                confidence=cand.confidence,
            ))
    return events
