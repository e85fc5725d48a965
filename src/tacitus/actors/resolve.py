"""Finding actor mentions in a parsed document and giving each a CAMEO-style code.

A mention is a run of adjacent tokens that are dictionary hits or parts of a person's name
("US Secretary of State Michael R. Pompeo", "Iran's foreign minister", "the Chinese side").
Its code is decided by a cascade, and `Actor.rule` records which step decided:

1. a known person (dated roles: the code held on the event date; a "former" in the text wins),
2. a known organisation (with dated periods: the Taliban before and after August 2021),
3. a country composed with agent nouns ("Chinese" + "warplanes" -> CHNMIL), a seat of power
   ("the Kremlin" -> RUSGOV), a capital used as a metonym (GOV), or the bare country; a title
   takes the body or country of its of/for/in phrase ("the leader of Hezbollah" -> LBNREB),
4. document memory: a surname, "he"/"she", or a bare title seen before in the document ("the
   minister" after "Defence Minister X"); a bare spokesperson or ministry in a readout whose first
   sentences name one issuing country is that country's government (rule "document-country"),
5. nothing: the mention keeps its text and sectors with `code: None`.

"The two sides", "both countries" and the like become one mention whose `members` are the last two
distinct parties the document named (rule "two-sides"). An adjective or a country's name that only
modifies a non-actor noun ("a Chinese restaurant", "US sanctions") is a weak mention: an actor only
for the noun it modifies.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..nlp import head_indices
from ..records import Actor
from .dictionary import (
    ADJECTIVE, AGENT, CAPITAL, COUNTRY_NAME, DEMONYM, MODIFIER, ORGANIZATION, PERSON, SEAT,
    ActorDictionary, Entry, primary_code, split_code,
)

# A capital after these prepositions names a place, not a government ("talks in Beijing").
PLACE_PREPOSITIONS = {"in", "near", "at", "outside", "around", "across", "into", "inside", "within", "throughout",
                      "towards", "toward", "over", "of"}
# NER labels that confirm an ambiguous country form ("Jordan" the country, not the person).
PLACE_LABELS = {"GPE", "NORP", "LOC"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
WEAK = "weak"  # marks an adjective mention that is no actor on its own
GROUP = "group"  # marks a group phrase ("the two sides") whose members are the parties
# Kinds written as proper names, which news capitalises.
_PROPER_KINDS = {COUNTRY_NAME, ADJECTIVE, DEMONYM, CAPITAL, SEAT, ORGANIZATION}
_PLACE_KINDS = {COUNTRY_NAME, ADJECTIVE, DEMONYM, CAPITAL, SEAT}
# Group phrases that stand for the two parties the document last named: "the two sides", "both countries".
GROUP_NOUNS = {"sides", "countries", "leaders", "nations", "governments", "presidents", "ministers"}
# State sectors: a country's officials, forces and courts are one party; its rebels or opposition another.
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
GROUP_NUMBERS = {"two", "both"}
# Agent nouns for the body that issues a readout: bare, they mean the document's own side.
ISSUER_TITLES = {"agent.spokesperson", "agent.ministry", "agent.foreign-ministry"}
HYPHENS = {"-", "‐", "‑"}
# A bare generic title refers back to an earlier specific one: "the minister" after "Defence Minister X".
TITLE_FAMILIES = {
    "agent.minister": {"agent.foreign-minister", "agent.defence-minister", "agent.interior-minister",
                       "agent.finance-minister", "agent.trade-minister", "agent.energy-minister",
                       "agent.justice-minister", "agent.other-ministers"},
    "agent.ministry": {"agent.foreign-ministry", "agent.defence-ministry", "agent.interior-ministry",
                       "agent.finance-ministry", "agent.justice-ministry", "agent.other-ministries"},
}


@dataclass
class Mention:
    """An actor mention in a doc: token span, head token, and the resolved actor."""

    start: int  # token indices, end exclusive
    end: int
    head: int
    actor: Actor
    kinds: set[str] = field(default_factory=set)
    is_person: bool = False
    titles: tuple[str, ...] = ()  # ids of the agent nouns in the mention ("agent.president")
    # A group phrase ("the two sides", "both countries"): the parties it stands for, in document order.
    # `actor` is then the first of them; the event coder expands the members into a symmetric event.
    members: tuple[Actor, ...] = ()

    @property
    def weak(self) -> bool:
        return WEAK in self.kinds


@dataclass
class DocumentMemory:
    """What earlier sentences of one document said about actors."""

    names: dict[str, Actor] = field(default_factory=dict)  # "Yang", "Yang Jiechi" -> first full mention
    last_person: Actor | None = None
    mentions: list[Actor] = field(default_factory=list)  # every coded mention in document order
    titles: dict[str, Actor] = field(default_factory=dict)  # "agent.president" -> first "President Obama"

    def remember(self, mention: Mention, name_tokens: list[str]) -> None:
        actor = mention.actor
        if actor.code is None:
            return
        self.mentions.append(actor)
        if actor.country:  # a bare "the President" later means the first president named with a country
            for title in mention.titles:
                self.titles.setdefault(title, actor)
        if mention.is_person and name_tokens:
            self.last_person = actor
            full = " ".join(name_tokens)
            # Family name first (Yang Jiechi) or last (Pompeo): either alone later means this person.
            for key in (full, name_tokens[0], name_tokens[-1]):
                self.names.setdefault(key, actor)

    def last_other_party(self, primary: str | None, before: int | None = None) -> Actor | None:
        """The most recent coded actor whose primary code differs from `primary`."""
        for actor in reversed(self.mentions):
            if before is not None and actor.start >= before:
                continue
            if actor.code and primary_code(actor.code) != primary:
                return actor
        return None


def _best_hits(doc: Doc, text: str, dictionary: ActorDictionary) -> dict[int, tuple[int, int, list[Entry]]]:
    """Token index -> the longest hit covering it (earlier start wins a tie); `text` is doc.text."""
    by_token: dict[int, tuple[int, int, list[Entry]]] = {}
    # Doc.ents builds new spans on every access: read it once
    entity_at: dict[int, Span] = {i: e for e in doc.ents for i in range(e.start, e.end)}
    # A place or nationality name inside a longer one is not that place: "Latin American", "New Mexico".
    for start, end, entries in sorted(dictionary.match(doc), key=lambda h: (h[0] - h[1], h[0])):
        if start in by_token or any(i in by_token for i in range(start + 1, end)):
            continue
        ent = entity_at.get(start)
        if ent is not None and ent.label_ in PLACE_LABELS and (ent.start < start or ent.end > end) \
                and not _is_determiner_only(doc, ent, start, end):
            entries = [e for e in entries if e.kind not in (COUNTRY_NAME, ADJECTIVE, DEMONYM, CAPITAL)]
        if ent is not None and ent.label_ == "PERSON" and ent.start <= start and ent.end > end \
                and not _is_determiner_only(doc, ent, start, end):
            # A place that begins a person's name is a given name: "Paris Hilton", "Jordan Peterson".
            entries = [e for e in entries if e.kind not in (COUNTRY_NAME, CAPITAL)]
        last = doc[end - 1]
        hit_text = text[doc[start].idx:last.idx + len(last)]
        if hit_text.islower() or not any(c.isupper() for c in hit_text):  # islower(): the quick common case
            # News capitalises names of places and bodies; in lower case they are common words: "fine china".
            entries = [e for e in entries if e.kind not in _PROPER_KINDS]
        if any(e.ambiguous for e in entries) and not _confirmed_place(doc[start:end]):
            entries = [e for e in entries if not e.ambiguous]
        if not entries:
            continue
        for i in range(start, end):
            by_token[i] = (start, end, entries)
    return by_token


def _is_determiner_only(doc: Doc, ent: Span, start: int, end: int) -> bool:
    """True when the entity only adds "the" (or a possessive) around the hit: "the United States"."""
    extra = [t for t in ent if not start <= t.i < end]
    return all(t.lower_ == "the" or t.tag_ == "POS" or t.is_punct for t in extra)


def _confirmed_place(span: Span) -> bool:
    return any(t.ent_type_ in PLACE_LABELS for t in span)


def _is_name_token(token: Token) -> bool:  # _runs reads the same test from arrays
    return token.ent_type_ == "PERSON" and not token.is_punct and not token.is_space


def _is_name_hyphen(doc: Doc, i: int) -> bool:
    """A hyphen inside a hyphenated name, written without spaces: "Akufo-Addo", "Diaz-Canel"."""
    token = doc[i]
    return (0 < i < len(doc) - 1 and token.text in HYPHENS and not doc[i - 1].whitespace_
            and not token.whitespace_ and _is_name_token(doc[i - 1]) and _is_name_token(doc[i + 1]))


def _name_words(doc: Doc, start: int, end: int, hits: dict[int, tuple[int, int, list[Entry]]]) -> list[str]:
    """The words of a person's name in a span, hyphenated parts joined ("Nana Akufo-Addo"); a place the
    tagger took for a name ("Khartoum") is no name."""
    words: list[str] = []
    glue = False
    for i in range(start, end):
        token = doc[i]
        if i in hits and any(e.kind in _PLACE_KINDS for e in hits[i][2]):
            glue = False
            continue
        if token.text in HYPHENS and _is_name_hyphen(doc, i):
            if words:
                words[-1] += token.text
                glue = True
            continue
        if _is_name_token(token):
            if glue and words:
                words[-1] += token.text
            else:
                words.append(token.text)
        glue = False
    return words


def _runs(doc: Doc, hits: dict[int, tuple[int, int, list[Entry]]]) -> list[tuple[int, int]]:
    """Maximal runs of adjacent hit or name tokens within a sentence; "'s" may join a run to a title."""
    # This pass visits every token: it reads their attributes as arrays, not as Token objects.
    strings = doc.vocab.strings
    person, possessive = strings["PERSON"], strings["POS"]
    hyphens = {strings[h] for h in HYPHENS}
    entity, punct, space, tag, sent_start, orth = doc.to_array(
        ["ENT_TYPE", "IS_PUNCT", "IS_SPACE", "TAG", "SENT_START", "ORTH"]).T.tolist()
    runs: list[tuple[int, int]] = []
    start = None
    n = len(doc)
    carry_to = -1  # "South Korea's unification ministry": words up to the possessed title join the run
    for i in range(n):
        inside = (i in hits or i <= carry_to
                  or (entity[i] == person and not punct[i] and not space[i])  # _is_name_token
                  or (orth[i] in hyphens and _is_name_hyphen(doc, i)))
        joins = False
        if start is not None and tag[i] == possessive and i + 1 < n:
            title = _possessed_title(doc, i, hits)
            joins = title is not None
            carry_to = max(carry_to, title if title is not None else -1)
        if start is not None and (sent_start[i] == 1 or not (inside or joins)):
            runs.append((start, i))
            start = None
        if start is None and inside:
            start = i
    if start is not None:
        runs.append((start, n))
    return runs


def _possessed_title(doc: Doc, i: int, hits: dict[int, tuple[int, int, list[Entry]]]) -> int | None:
    """After a possessive "'s" at i: the index of the title it possesses when that title follows within a
    few modifier words ("Iran's foreign minister", "South Korea's unification ministry"), else None."""
    def is_title(j: int) -> bool:
        return any(e.kind in (AGENT, MODIFIER) for e in hits.get(j, (0, 0, []))[2])

    if is_title(i + 1):
        return i + 1
    owner = doc[i - 1] if i > 0 else None
    head = owner.head if owner is not None and owner.dep_ == "poss" else None
    if head is None or not 0 < head.i - i <= 4 or not is_title(head.i):
        return None
    between = doc[i + 1:head.i]
    if any(t.is_punct or t.i in hits and not is_title(t.i) for t in between):
        return None
    return head.i


def _head_of(heads: list[int], start: int, end: int) -> int:
    """The token of the span whose syntactic head lies outside it (the last such token);
    `heads` holds each token's head index."""
    for i in range(end - 1, start - 1, -1):
        if not start <= heads[i] < end or heads[i] == i:
            return i
    return end - 1


def _code_on(entry: Entry, date: str | None, cutoff: str | None) -> tuple[str, str]:
    """The code an organisation or person has on a date, and a note on how it was chosen."""
    if entry.kind == PERSON:
        roles = entry.periods
        if not roles:
            return entry.code or "", "person"
        if date is None:
            current = [r for r in roles if r.end is None] or [roles[-1]]
            return current[-1].code, "person:latest-role"
        for role in roles:
            if role.covers(date):
                note = "person:role"
                if role.end is None and cutoff and date > cutoff:
                    note = f"person:role-as-of-{cutoff}"
                return role.code, note
        if any(r.end and r.end < date for r in roles):
            # between roles or after the last: a former office holder (ELI) unless the table says otherwise
            return (entry.after or (entry.code + "ELI" if entry.code else "")), "person:former"
        return entry.code or "", "person:before-roles"
    for period in entry.periods:
        if date is not None and period.covers(date):
            return period.code, "organization:period"
    return entry.code or "", "organization"


def _compose(
    doc: Doc, doc_text: str, start: int, end: int, head_index: int, hits: dict[int, tuple[int, int, list[Entry]]],
    people: set[int], date: str | None, dictionary: ActorDictionary,
) -> tuple[Actor, set[str], bool, list[str]] | None:
    """Decide the code of one run. Returns (actor, kinds, is_person, name tokens) or None if no actor.
    `doc_text` is doc.text, which spaCy builds anew on every access; `people` the indices of the tokens
    in PERSON entities."""
    seen: list[tuple[Entry, int, int]] = []
    i = start
    while i < end:
        if i in hits:
            h_start, h_end, entries = hits[i]
            for entry in entries:
                seen.append((entry, h_start, h_end))
            i = h_end
        else:
            i += 1
    by_kind: dict[str, list[tuple[Entry, int, int]]] = {}
    for item in seen:
        by_kind.setdefault(item[0].kind, []).append(item)
    # the run's text and offsets as a Span would give them, without building one (runs are many)
    last = doc[end - 1]
    start_char, end_char = doc[start].idx, last.idx + len(last)
    text = doc_text[start_char:end_char]
    # a person's name needs a token the tagger took for part of one
    name_tokens = _name_words(doc, start, end, hits) if any(i in people for i in range(start, end)) else []
    head = doc[head_index]
    modifiers = [e for e, _, _ in by_kind.get(MODIFIER, [])]
    agents = [e for e, _, _ in by_kind.get(AGENT, [])]
    mod_sectors = list(dict.fromkeys(s for e in modifiers for s in e.sectors))
    if "ELI" in mod_sectors:  # "retired army general": a former office holder, whatever the office
        mod_sectors = ["ELI"]
    agent_sectors = mod_sectors or [s for e in agents[-1:] for s in e.sectors]
    kinds = set(by_kind)

    def actor(code: str | None, rule: str, name: str | None = None, sectors: list[str] | None = None) -> Actor:
        country, code_sectors = split_code(code) if code else (None, [])
        return Actor(code=code, country=country, sectors=sectors if sectors is not None else code_sectors,
                     name=name, text=text, start=start_char, end=end_char, rule=rule)

    if PERSON in by_kind:
        entry = by_kind[PERSON][0][0]
        code, note = _code_on(entry, date, dictionary.cutoff)
        if mod_sectors and entry.code:  # "former Secretary of State Mike Pompeo": the text's title wins
            code, note = entry.code + "".join(mod_sectors), "person:title-in-text"
        elif note == "person:before-roles" and agent_sectors and entry.code:
            # a title the table does not know yet ("Governor X" before X's first listed role)
            code, note = entry.code + "".join(agent_sectors), "person:title-in-text"
        return actor(code, f"{note}:{entry.id}", entry.name), kinds, True, entry.name.split() if entry.name else name_tokens
    if ORGANIZATION in by_kind:
        entry = by_kind[ORGANIZATION][0][0]
        code, note = _code_on(entry, date, dictionary.cutoff)
        return actor(code, f"{note}:{entry.id}", entry.name), kinds, False, []

    if name_tokens:
        known = _person_by_surname(name_tokens, date, dictionary)
        if known is not None:
            code, note = _code_on(known, date, dictionary.cutoff)
            if mod_sectors and known.code:
                code, note = known.code + "".join(mod_sectors), "person:title-in-text"
            return (actor(code, f"{note}:surname:{known.id}", known.name), kinds | {PERSON}, True,
                    known.name.split() if known.name else name_tokens)

    country_item = None
    for kind in (COUNTRY_NAME, SEAT, CAPITAL, DEMONYM, ADJECTIVE):
        if kind in by_kind:
            country_item = (kind, by_kind[kind][0][0])
            break
    is_person = bool(name_tokens)
    if country_item:
        kind, entry = country_item
        country = entry.code or ""
        if kind == CAPITAL and not agent_sectors and not is_person:
            prep = head.head if head.dep_ == "pobj" else None
            if prep is not None and prep.lower_ in PLACE_PREPOSITIONS:
                if prep.head.pos_ in ("NOUN", "PROPN"):  # "the government in Kiev": kept for that noun only
                    return actor(country + "GOV", f"capital-place:{entry.id}", entry.name), kinds | {WEAK}, False, []
                return None  # "talks in Beijing": a place
            if head.dep_ in ("amod", "compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN"):
                return None  # "the Paris agreement", "Brussels sprouts": a name-giving place
            return actor(country + "GOV", f"capital:{entry.id}", entry.name), kinds, False, []
        if agent_sectors:
            name = " ".join(name_tokens) or None
            return (actor(country + "".join(agent_sectors), f"compose:{entry.id}+{(modifiers or agents)[-1].id}", name),
                    kinds, is_person, name_tokens)
        if kind == SEAT:
            return actor(country + "".join(entry.sectors), f"seat:{entry.id}", entry.name), kinds, False, []
        if kind in (ADJECTIVE, DEMONYM, COUNTRY_NAME) and head.dep_ in ("amod", "compound", "nmod") \
                and not is_person:
            # "Chinese characteristics": an adjective of a non-actor noun. It is kept as a weak mention,
            # which an event may use only for the very noun it modifies ("seized a British tanker");
            # so is a country's name used the same way ("US sanctions", "Canada geese").
            return actor(country, f"adjective-of-noun:{entry.id}"), kinds | {WEAK}, False, []
        if is_person:  # "Chinese national Li Wei": a person of that country, sector unknown
            return actor(country, f"person-of-country:{entry.id}", " ".join(name_tokens)), kinds, True, name_tokens
        return actor(country, f"{kind}:{entry.id}", None), kinds, False, []
    if agent_sectors:
        name = " ".join(name_tokens) or None
        return actor(None, f"agent:{(modifiers or agents)[-1].id}", name, sectors=list(agent_sectors)), kinds, is_person, name_tokens
    if is_person:
        return actor(None, "name", " ".join(name_tokens)), kinds, True, name_tokens
    return None


def _person_by_surname(name_tokens: list[str], date: str | None, dictionary: ActorDictionary) -> Entry | None:
    """The one known person with this last name who held a role on the date ("President Obama")."""
    candidates = dictionary.surnames.get(name_tokens[-1].lower(), [])
    if date is not None:
        candidates = [e for e in candidates if any(r.covers(date) for r in e.periods)]
    if len(name_tokens) > 1:  # a full name spelled another way: both ends must agree
        ends = {name_tokens[0].lower(), name_tokens[-1].lower()}
        candidates = [e for e in candidates if e.name and ends <= {w.lower() for w in e.name.split()}]
    return candidates[0] if len(candidates) == 1 else None


def find_mentions(doc: Doc, dictionary: ActorDictionary, date: str | None,
                  memory: DocumentMemory | None = None, text: str | None = None) -> list[Mention]:
    """All actor mentions of a parsed document, in order, with codes; updates `memory`.
    `text`, the document's text when the caller has it, spares rebuilding doc.text."""
    memory = memory if memory is not None else DocumentMemory()
    doc_text = doc.text if text is None else text
    hits = _best_hits(doc, doc_text, dictionary)
    mentions: list[Mention] = []
    names: dict[int, list[str]] = {}
    heads = head_indices(doc)
    person = doc.vocab.strings["PERSON"]
    people = {i for i, entity in enumerate(doc.to_array("ENT_TYPE").tolist()) if entity == person}
    for start, end in _runs(doc, hits):
        head_index = _head_of(heads, start, end)
        composed = _compose(doc, doc_text, start, end, head_index, hits, people, date, dictionary)
        if composed is None:
            continue
        actor, kinds, is_person, name_tokens = composed
        titles = tuple(dict.fromkeys(e.id for i in range(start, end) if i in hits
                                     for e in hits[i][2] if e.kind == AGENT))
        mention = Mention(start, end, head_index, actor, kinds, is_person, titles)
        mentions.append(mention)
        names[len(mentions) - 1] = name_tokens
    _share_across_appositions(doc, mentions)
    _place_agents(doc, mentions)
    _conjoined_adjectives(doc, mentions)
    _agents_with_distant_adjectives(doc, mentions)
    issuer = _issuing_country(doc, mentions)
    sites = _word_sites(doc)
    groups = _group_phrases(doc, sites.group_nouns)
    if groups:  # a group phrase replaces the bare title mention inside it ("sides", "leaders")
        keep = [i for i, m in enumerate(mentions) if not any(g.start <= m.start < g.end for g in groups)]
        names = {new: names[old] for new, old in enumerate(keep)}
        mentions = [mentions[i] for i in keep]
    order = sorted(mentions + groups, key=lambda m: m.start)
    name_of = {id(m): names[i] for i, m in enumerate(mentions)}
    for mention in order:
        if GROUP in mention.kinds:
            _resolve_group(mention, memory, doc[mention.head].lower_)
            continue
        if WEAK in mention.kinds:
            continue
        _recall(mention, memory, name_of[id(mention)], doc[mention.head], issuer)
        memory.remember(mention, name_of[id(mention)])
    mentions = order
    mentions.extend(_remembered_names(doc, sites.proper_nouns, mentions, memory))
    mentions.extend(_pronouns(doc, sites.pronouns, mentions, memory))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _share_across_appositions(doc: Doc, mentions: list[Mention]) -> None:
    """"Wang Yi, China's foreign minister": the title's code goes to the name, the name to the title."""
    by_head = {m.head: m for m in mentions}
    for mention in mentions:
        head = doc[mention.head]
        partner = None
        if head.dep_ == "appos" and head.head.i in by_head:
            partner = by_head[head.head.i]
        else:
            for child in head.children:
                if child.dep_ == "appos" and child.i in by_head:
                    partner = by_head[child.i]
                    break
        if partner is None:
            continue
        if mention.actor.code is None and partner.actor.code is not None:
            mention.actor.code, mention.actor.country = partner.actor.code, partner.actor.country
            mention.actor.sectors = list(partner.actor.sectors)
            mention.actor.rule = f"apposition:{partner.actor.rule}"
            mention.actor.name = mention.actor.name or partner.actor.name


def _is_body(mention: Mention) -> bool:
    """An organisation, an international body or a country's composed body ("the Israeli military"),
    as against a bare country, capital or person."""
    code = mention.actor.code or ""
    return bool(code) and not mention.weak and (
        ORGANIZATION in mention.kinds or mention.actor.country is None or bool(split_code(code)[1]))


def _place_agents(doc: Doc, mentions: list[Mention]) -> None:
    """"the government in Kiev", "the president of Egypt": an agent noun takes the country its
    in/of/from phrase names (a country, capital or seat), before memory is asked."""
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    for mention in mentions:
        actor = mention.actor
        if actor.code is not None or not actor.sectors:
            continue
        # the phrase may hang on any word of the title ("Ministry of Foreign Affairs of Japan") or on the
        # name the title precedes ("King Abdullah II of Jordan")
        hosts = list(doc[mention.start:mention.end])
        head = doc[mention.head]
        while head.dep_ == "compound" and head.head.pos_ == "PROPN" and not mention.start <= head.head.i < mention.end:
            head = head.head
            hosts.append(head)
        for prep in (c for host in hosts for c in host.children):
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "of", "from", "for"):
                continue
            place = next((by_token[o.i] for o in prep.children if o.dep_ == "pobj" and o.i in by_token), None)
            if place is None or not place.actor.code:
                continue
            if prep.lower_ != "in" and not place.is_person and _is_body(place):
                # "the leader of Hezbollah", "a spokesman for the Israeli military": the body's own code
                actor.code, actor.country = place.actor.code, place.actor.country
                actor.sectors = list(place.actor.sectors)
                actor.rule = f"member-of:{place.actor.rule}+{actor.rule}"
                break
            if prep.lower_ == "for" or not place.actor.country:
                continue  # "the UN envoy for Syria" is not Syria's
            if place.is_person:  # "Prime Minister of Pakistan Nawaz Sharif": the title is that person
                if prep.lower_ == "of" and place.actor.code:
                    mention.actor = Actor(**{**place.actor.to_dict(), "text": actor.text, "start": actor.start,
                                             "end": actor.end, "rule": f"title-of:{place.actor.rule}"})
                    mention.is_person = True
                break
            actor.code = place.actor.country + "".join(actor.sectors)
            actor.country = place.actor.country
            actor.rule = f"compose-prep:{place.actor.rule}+{actor.rule}"
            break


def _conjoined_adjectives(doc: Doc, mentions: list[Mention]) -> None:
    """"American and South Korean troops": the first adjective shares the composed noun's sectors."""
    for mention in mentions:
        if WEAK not in mention.kinds or not mention.actor.country:
            continue
        head = doc[mention.head]
        linked = [head.head] if head.dep_ == "conj" else []
        linked += [c for c in head.children if c.dep_ == "conj"]
        for other in mentions:
            if other is mention or WEAK in other.kinds or not other.actor.sectors or not other.actor.country:
                continue
            if any(other.start <= t.i < other.end for t in linked):
                mention.actor.code = mention.actor.country + "".join(other.actor.sectors)
                mention.actor.sectors = list(other.actor.sectors)
                mention.actor.rule = f"conjoined-adjective:{other.actor.rule}"
                mention.kinds.discard(WEAK)
                break


def _agents_with_distant_adjectives(doc: Doc, mentions: list[Mention]) -> None:
    """"an American surveillance drone": a country adjective parted from its agent noun by another
    modifier still makes one actor (USAMIL), as if they were adjacent."""
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    for mention in mentions:
        actor = mention.actor
        if actor.code is not None or not actor.sectors or WEAK in mention.kinds:
            continue
        head = doc[mention.head]
        # the leftmost country adjective among the noun's modifiers ("a British-Iranian aid worker": GBR)
        for token in head.subtree:
            if token.i >= head.i:
                break
            other = by_token.get(token.i)
            if token.dep_ in ("amod", "compound", "nmod") and other is not None and WEAK in other.kinds \
                    and other.actor.country and not other.actor.sectors:
                actor.code = other.actor.country + "".join(actor.sectors)
                actor.country = other.actor.country
                actor.rule = f"compose-distant:{other.actor.rule}+{actor.rule}"
                break


@dataclass
class _WordSites:
    """Where the few words that the later passes look for are, found in one pass over the doc."""

    group_nouns: list[int] = field(default_factory=list)  # "sides", "countries"
    pronouns: list[int] = field(default_factory=list)  # "he", "she"
    proper_nouns: list[int] = field(default_factory=list)


def _word_sites(doc: Doc) -> _WordSites:
    strings = doc.vocab.strings  # compared as ids: reading every token's strings would cost more
    group_nouns, pronouns = {strings[w] for w in GROUP_NOUNS}, {strings[w] for w in PERSON_PRONOUNS}
    proper_noun = strings["PROPN"]
    sites = _WordSites()
    for i, (lower, pos) in enumerate(doc.to_array(["LOWER", "POS"]).tolist()):
        if lower in group_nouns:
            sites.group_nouns.append(i)
        elif lower in pronouns:
            sites.pronouns.append(i)
        if pos == proper_noun:
            sites.proper_nouns.append(i)
    return sites


def _group_phrases(doc: Doc, nouns: list[int]) -> list[Mention]:
    """"the two sides", "both countries", "the two neighbouring countries": uncoded group mentions.
    `nouns` are the indices of the group nouns."""
    groups = []
    for noun in nouns:
        token = doc[noun]
        i = token.i - 1
        while i >= 0 and doc[i].pos_ == "ADJ" and doc[i].ent_type_ not in PLACE_LABELS and token.i - i <= 2:
            i -= 1  # "the two neighbouring countries"; not "both Korean leaders"
        if i < 0 or doc[i].lower_ not in GROUP_NUMBERS or doc[i].sent.start != token.sent.start:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
            continue  # "both sides of the border", "the two countries of the region": not the two parties
        if doc[i].lower_ == "two" and i > 0 and doc[i - 1].lower_ == "the":
            i -= 1
        elif doc[i].lower_ == "two":
            continue  # "two countries" without "the" is any two, not the two named
        span = doc[i:token.i + 1]
        groups.append(Mention(i, token.i + 1, token.i, Actor(
            code=None, country=None, sectors=[], name=None, text=span.text, start=span.start_char,
            end=span.end_char, rule=None), {GROUP}))
    return groups


def _party_key(actor: Actor) -> str:
    """What makes two actors different parties: the primary code, and for a country also whether the
    actor is its state or someone else (the government and the rebels are two sides)."""
    primary = primary_code(actor.code or "")
    if actor.country is None or not actor.sectors or set(actor.sectors) & STATE_SECTORS:
        return primary
    return primary + actor.sectors[0]


PERSON_GROUP_NOUNS = {"leaders", "presidents", "ministers", "premiers", "heads"}


def _last_two_parties(memory: DocumentMemory, before: int, people_only: bool) -> list[Actor]:
    found: list[Actor] = []
    seen: set[str] = set()
    for earlier in reversed(memory.mentions):
        if earlier.start >= before or not earlier.code or (people_only and "person" not in (earlier.rule or "")):
            continue
        key = _party_key(earlier)
        if key not in seen:
            seen.add(key)
            found.append(earlier)
        if len(found) == 2:
            break
    return found


def _resolve_group(group: Mention, memory: DocumentMemory, noun: str) -> None:
    """A group phrase stands for the last two distinct parties named before it."""
    found = _last_two_parties(memory, group.actor.start, people_only=noun in PERSON_GROUP_NOUNS)
    if len(found) < 2:  # "the two leaders" after named people; else any two parties
        found = _last_two_parties(memory, group.actor.start, people_only=False)
    if len(found) < 2:
        group.actor.rule = "two-sides:unresolved"
        return
    text, start, end = group.actor.text, group.actor.start, group.actor.end

    def member(a: Actor) -> Actor:
        code = a.code or ""
        if a.country and _party_key(a) == a.country:  # a state: the group noun says which part of it
            if noun in ("countries", "nations"):
                code = a.country
            elif noun != "sides" or not a.sectors:
                code = a.country + "GOV"
        country, sectors = split_code(code)
        # "the two leaders" are the people named before; "the two sides" are their countries' sides
        named = noun in ("leaders", "presidents", "ministers") and code == a.code
        return Actor(code=code, country=country, sectors=sectors, name=a.name if named else None,
                     text=text, start=start, end=end, rule="two-sides")

    members = tuple(member(a) for a in sorted(found, key=lambda a: a.start))
    first = members[0]
    group.actor = Actor(code=first.code, country=first.country, sectors=list(first.sectors), name=first.name,
                        text=text, start=start, end=end, rule="two-sides")
    group.members = members


def _issuing_country(doc: Doc, mentions: list[Mention]) -> Actor | None:
    """The side a document speaks for, when its first sentences name exactly one: a dateline capital
    ("TOKYO, June 2 --"), else the one country whose government the headline, or the first two
    sentences, name. None when they name none or several."""
    sentences = list(doc.sents)[:2]
    if not sentences:
        return None
    for sent in sentences:  # dateline: a capital first in the sentence, then a comma
        first = next((m for m in mentions if m.start == sent.start), None)
        if first is not None and CAPITAL in first.kinds and first.actor.country and first.end < len(doc) \
                and doc[first.end].text == ",":
            return Actor(code=first.actor.country + "GOV", country=first.actor.country, sectors=["GOV"],
                         rule=f"dateline:{first.actor.rule}")
    for scope in (sentences[:1], sentences):
        end = scope[-1].end
        governments = [m.actor for m in mentions if m.start < end and not m.weak and m.actor.code
                       and m.actor.country and "GOV" in m.actor.sectors]
        countries = {a.country for a in governments}
        if len(countries) == 1:
            first = governments[0]
            return Actor(code=first.country + "GOV", country=first.country, sectors=["GOV"], rule=first.rule)
        if countries:
            return None
    return None


def _recall(mention: Mention, memory: DocumentMemory, name_tokens: list[str], head: Token,
            issuer: Actor | None = None) -> None:
    """Fill an uncoded mention from what the document said before."""
    actor = mention.actor
    if actor.code is not None:
        return
    if head.dep_ in ("amod", "compound", "nmod") or head.pos_ == "ADJ":
        return  # "joint military exercise": a modifier, not a reference to an earlier actor
    if name_tokens:
        for key in (" ".join(name_tokens), name_tokens[-1], name_tokens[0]):
            known = memory.names.get(key)
            if known is not None:
                actor.code, actor.country, actor.sectors = known.code, known.country, list(known.sectors)
                actor.name, actor.rule = known.name, f"memory:{key}"
                mention.is_person = True
                return
    issuer_title = bool(mention.titles) and set(mention.titles) <= ISSUER_TITLES and MODIFIER not in mention.kinds
    if issuer_title and issuer is not None and set(actor.sectors) <= {"GOV"}:
        # "the spokesperson", "Foreign Ministry spokesperson Mao Ning" in a ministry's own readout
        actor.code, actor.country, actor.sectors = issuer.code, issuer.country, list(issuer.sectors)
        actor.rule = f"document-country:{issuer.rule}"
        return
    if name_tokens:
        return  # "President Thein Sein": a named person unknown to the dictionary is not the earlier president
    for title in mention.titles:  # "the President" after "President Obama"
        earlier = memory.titles.get(title)
        if earlier is None and title in TITLE_FAMILIES:  # "the minister" after "Defence Minister X"
            specific = [memory.titles[t] for t in TITLE_FAMILIES[title] if t in memory.titles]
            earlier = max(specific, key=lambda a: a.start) if specific else None
        if earlier is not None:
            actor.code, actor.country, actor.name = earlier.code, earlier.country, earlier.name
            actor.sectors = list(earlier.sectors)
            actor.rule = f"memory:title:{title}"
            return
    if issuer_title:
        return  # a bare spokesperson or ministry is no guess at the last government named
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some") for c in head.children)
    if actor.sectors and not name_tokens and not indefinite:  # "the spokesman": the last actor with that sector
        for earlier in reversed(memory.mentions):
            if earlier.code and set(actor.sectors) & set(earlier.sectors):
                actor.code, actor.country, actor.name = earlier.code, earlier.country, earlier.name
                actor.sectors = list(earlier.sectors)
                actor.rule = f"memory:title:{actor.rule}"
                return


def _remembered_names(doc: Doc, proper_nouns: list[int], mentions: list[Mention],
                      memory: DocumentMemory) -> list[Mention]:
    """A bare proper noun the tagger missed as a name but the document named before: "Wang" after "Wang Yi"."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    first_seen = {}
    for m in mentions:
        if m.is_person and m.actor.name:
            first_seen.setdefault(m.actor.name, m.start)
    out = []
    for i in proper_nouns:
        if i in taken:
            continue
        token = doc[i]
        known = memory.names.get(token.text)
        if known is None or first_seen.get(known.name or "", len(doc)) >= token.i:
            continue
        out.append(Mention(token.i, token.i + 1, token.i, Actor(
            code=known.code, country=known.country, sectors=list(known.sectors), name=known.name,
            text=token.text, start=token.idx, end=token.idx + len(token.text), rule=f"memory:{token.text}"),
            {PERSON}, True))
    return out


def _pronouns(doc: Doc, pronouns: list[int], mentions: list[Mention], memory: DocumentMemory) -> list[Mention]:
    """"he"/"she" as a subject: the last person mentioned before it."""
    out = []
    taken = {i for m in mentions for i in range(m.start, m.end)}
    last_person: Actor | None = memory.last_person
    # "He" as a subject most often continues the last person who was a subject (centering).
    people = sorted(((m.start, doc[m.head].dep_ in ("nsubj", "nsubjpass"), m.actor)
                     for m in mentions if m.is_person and m.actor.code), key=lambda x: x[0])
    for i in pronouns:
        token = doc[i]
        if i in taken or token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        subjects = [a for s, is_subject, a in people if s < token.i and is_subject]
        before = [a for s, _, a in people if s < token.i]
        referent = subjects[-1] if subjects else (before[-1] if before else last_person)
        if referent is None:
            continue
        out.append(Mention(token.i, token.i + 1, token.i, Actor(
            code=referent.code, country=referent.country, sectors=list(referent.sectors), name=referent.name,
            text=token.text, start=token.idx, end=token.idx + len(token.text), rule="memory:pronoun"), {PERSON}, True))
    return out
