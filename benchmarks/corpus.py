"""A reproducible corpus of news-like English documents for the throughput benchmarks.

Every document is built from this file's own templates and a fixed list of countries, office holders
and organisations that the project's dictionaries know, with a seeded random generator: the same
`--docs` and `--seed` give the same text byte for byte, on any machine.

A document has a headline, a dateline paragraph and two to four paragraphs of 5-15 sentences in all;
sentences mix diplomacy and conflict (meetings, calls, appeals, accusations, sanctions, strikes), speech
("X said Y must ..."), follow-up mentions by surname and pronoun, dates relative to the publication
date, and plain background sentences with no event, as wire copy does.

    .venv/bin/python benchmarks/corpus.py --docs 2000 --out /tmp/corpus.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20240316


@dataclass(frozen=True)
class Country:
    name: str  # as a subject: "China", "the United States"
    adjective: str
    capital: str


@dataclass(frozen=True)
class Person:
    name: str
    title: str  # written after the country adjective: "President", "Foreign Minister"
    country: Country
    family_name: str = ""  # when it is not the last word: "Xi" of "Xi Jinping"

    @property
    def surname(self) -> str:
        return self.family_name or self.name.split()[-1]


COUNTRIES = {c.adjective: c for c in (
    Country("China", "Chinese", "Beijing"),
    Country("the United States", "US", "Washington"),
    Country("Russia", "Russian", "Moscow"),
    Country("Ukraine", "Ukrainian", "Kyiv"),
    Country("France", "French", "Paris"),
    Country("Germany", "German", "Berlin"),
    Country("Britain", "British", "London"),
    Country("Japan", "Japanese", "Tokyo"),
    Country("India", "Indian", "New Delhi"),
    Country("Pakistan", "Pakistani", "Islamabad"),
    Country("Iran", "Iranian", "Tehran"),
    Country("Israel", "Israeli", "Jerusalem"),
    Country("Turkey", "Turkish", "Ankara"),
    Country("Egypt", "Egyptian", "Cairo"),
    Country("Saudi Arabia", "Saudi", "Riyadh"),
    Country("South Korea", "South Korean", "Seoul"),
    Country("North Korea", "North Korean", "Pyongyang"),
    Country("Brazil", "Brazilian", "Brasilia"),
    Country("Mexico", "Mexican", "Mexico City"),
    Country("Canada", "Canadian", "Ottawa"),
    Country("Australia", "Australian", "Canberra"),
    Country("Indonesia", "Indonesian", "Jakarta"),
    Country("South Africa", "South African", "Pretoria"),
    Country("Ethiopia", "Ethiopian", "Addis Ababa"),
    Country("Nigeria", "Nigerian", "Abuja"),
    Country("Venezuela", "Venezuelan", "Caracas"),
    Country("Syria", "Syrian", "Damascus"),
    Country("Iraq", "Iraqi", "Baghdad"),
    Country("Poland", "Polish", "Warsaw"),
    Country("Vietnam", "Vietnamese", "Hanoi"),
    Country("the Philippines", "Philippine", "Manila"),
    Country("Sudan", "Sudanese", "Khartoum"),
)}

_C = COUNTRIES
PEOPLE = (
    Person("Xi Jinping", "President", _C["Chinese"], "Xi"),
    Person("Wang Yi", "Foreign Minister", _C["Chinese"], "Wang"),
    Person("Joe Biden", "President", _C["US"]),
    Person("Antony Blinken", "Secretary of State", _C["US"]),
    Person("Vladimir Putin", "President", _C["Russian"]),
    Person("Volodymyr Zelensky", "President", _C["Ukrainian"]),
    Person("Dmytro Kuleba", "Foreign Minister", _C["Ukrainian"]),
    Person("Emmanuel Macron", "President", _C["French"]),
    Person("Olaf Scholz", "Chancellor", _C["German"]),
    Person("Annalena Baerbock", "Foreign Minister", _C["German"]),
    Person("Rishi Sunak", "Prime Minister", _C["British"]),
    Person("Fumio Kishida", "Prime Minister", _C["Japanese"]),
    Person("Narendra Modi", "Prime Minister", _C["Indian"]),
    Person("Ebrahim Raisi", "President", _C["Iranian"]),
    Person("Benjamin Netanyahu", "Prime Minister", _C["Israeli"]),
    Person("Hakan Fidan", "Foreign Minister", _C["Turkish"]),
    Person("Yoon Suk Yeol", "President", _C["South Korean"], "Yoon"),
    Person("Anthony Albanese", "Prime Minister", _C["Australian"]),
    Person("Justin Trudeau", "Prime Minister", _C["Canadian"]),
    Person("Joko Widodo", "President", _C["Indonesian"]),
    Person("Cyril Ramaphosa", "President", _C["South African"]),
    Person("Abiy Ahmed", "Prime Minister", _C["Ethiopian"], "Abiy"),
)
ORGANIZATIONS = ("the United Nations", "NATO", "the European Union", "the World Health Organization",
                 "the African Union", "the International Atomic Energy Agency", "the UN Security Council")
AGENTS = ("government", "foreign ministry", "defence ministry", "military", "troops", "police", "parliament",
          "opposition", "embassy", "navy", "air force", "army")
OUTLETS = ("Wire", "Daily Ledger", "Evening Post", "Morning Courier")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
TOPICS = ("trade", "security", "energy supplies", "the border dispute", "climate finance", "grain exports",
          "maritime security", "the ceasefire", "nuclear talks", "refugees", "debt relief", "arms control")
PLACES = ("the border", "the port", "a village in the north", "the capital's outskirts", "an air base",
          "the disputed islands", "a refugee camp", "the coastal highway")

# Templates. Slots: {a} and {b} are two different actors (country, government body, person or
# organisation), {pa}/{pb} the people of those countries, {a_adj} the first country's adjective,
# {cap} a capital, {topic}, {place}, {when} a date phrase, {n} a number, {him} the last person's surname.
EVENT_SENTENCES = (
    "{a} condemned {b} over the attack on {place}.",
    "{a} accused {b} of violating the ceasefire near {place}.",
    "{pa} met {pb} in {cap} {when} to discuss {topic}.",
    "{pa} held talks with {pb} on {topic}.",
    "{pa} spoke by telephone with {pb} {when}.",
    "{a} urged {b} to resume negotiations on {topic}.",
    "{a} called on {b} to release the detained crew.",
    "{a} imposed sanctions on {b} {when}.",
    "{a} threatened to impose new tariffs on {b}.",
    "{a} signed an agreement with {b} on {topic}.",
    "{a} praised {b} for its role in the talks.",
    "{a} rejected a proposal from {b} on {topic}.",
    "{a} expelled two diplomats from {b}.",
    "{a} warned {b} against any escalation.",
    "The {a_adj} military shelled positions held by {b} near {place}.",
    "{a_adj} troops attacked {b} forces near {place} {when}.",
    "{a} agreed to provide humanitarian aid to {b}.",
    "{a} denied that its forces had struck {place}.",
    "{a} recalled its ambassador to {b} for consultations.",
    "{a} demanded that {b} withdraw its troops from {place}.",
    "{a} criticized {b} for the arrest of {n} activists.",
    "{a} and {b} agreed to cooperate on {topic}.",
    "{pa} visited {cap} {when}, the first such trip in {n} years.",
    "{a} offered to mediate between the two sides.",
    "{a} investigated reports that {b} had seized a cargo ship.",
    "{a} pledged {n} million dollars to rebuild {place}.",
)
SPEECH_SENTENCES = (
    "{pa} said {b} must stop interfering in the internal affairs of {a_name}.",
    "{pa} said {b} should immediately correct its mistakes.",
    "{him} said the talks with {b} had been frank and constructive.",
    "{him} told reporters that {a_name} would respond firmly to any provocation.",
    "He added that {a_name} was ready to work with {b} on {topic}.",
    "According to a statement, {pa} stressed that dialogue was the only way forward.",
    "A spokesman for the {a_adj} foreign ministry said {b} had broken its promises.",
)
BACKGROUND_SENTENCES = (
    "Markets in {cap} were calm on the news.",
    "The meeting lasted about {n} hours.",
    "Officials gave no further details.",
    "The two countries have traded {n} billion dollars' worth of goods this year.",
    "Analysts said the outcome would depend on {topic}.",
    "It was not immediately clear how many people were affected.",
    "Negotiators are expected to meet again next month.",
    "The region has seen {n} such incidents since January.",
    "Prices of {topic} rose by {n} percent last quarter.",
)
HEADLINES = (
    "{A} and {B} discuss {topic}",
    "{A} condemns {B} over border clash",
    "{A} urges restraint as tensions rise",
    "Talks on {topic} resume in {cap}",
    "{A} imposes sanctions on {B}",
)


def _actor_phrase(rng: random.Random, country: Country) -> str:
    """A way news names a country's side: the country, its government body, or its capital."""
    kind = rng.random()
    if kind < 0.45:
        return country.name
    if kind < 0.8:
        return f"the {country.adjective} {rng.choice(AGENTS)}"
    if kind < 0.9:
        return country.capital
    return rng.choice(ORGANIZATIONS)


def _person_phrase(rng: random.Random, country: Country, first: bool) -> tuple[str, Person | None]:
    people = [p for p in PEOPLE if p.country is country]
    if not people:
        return f"the {country.adjective} foreign minister", None
    person = rng.choice(people)
    if first:
        return f"{country.adjective} {person.title} {person.name}", person
    return rng.choice((person.surname, f"{person.title} {person.surname}")), person


def _when(rng: random.Random, date: dt.date) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"on {WEEKDAYS[(date - dt.timedelta(days=rng.randint(0, 5))).weekday()]}"
    if kind < 0.6:
        day = date - dt.timedelta(days=rng.randint(0, 20))
        return f"on {day.day} {MONTHS[day.month - 1]}"
    return rng.choice(("yesterday", "last week", "earlier this month", "on Tuesday"))


def _capitalize(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


def _document(rng: random.Random, index: int) -> dict:
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 4 * 365))
    countries = list(COUNTRIES.values())
    first, second = rng.sample(countries, 2)
    topic = rng.choice(TOPICS)
    seen_people: set[str] = set()
    last_person: Person | None = None

    def fill(template: str) -> str:
        nonlocal last_person
        a_country, b_country = (first, second) if rng.random() < 0.7 else (second, first)
        if rng.random() < 0.2:  # a third party now and then
            b_country = rng.choice([c for c in countries if c is not a_country])
        values = {
            "a": _actor_phrase(rng, a_country), "b": _actor_phrase(rng, b_country),
            "a_adj": a_country.adjective, "a_name": a_country.name, "cap": rng.choice((first, second)).capital,
            "topic": rng.choice((topic, rng.choice(TOPICS))), "place": rng.choice(PLACES),
            "when": _when(rng, date), "n": str(rng.randint(2, 40)),
            "A": first.name.removeprefix("the ").title() if first.name.startswith("the ") else first.name,
            "B": second.name.removeprefix("the ").title() if second.name.startswith("the ") else second.name,
        }
        for slot, country in (("pa", a_country), ("pb", b_country)):
            if "{" + slot + "}" in template:
                phrase, person = _person_phrase(rng, country, first=True)
                if person is not None:
                    if person.name in seen_people:
                        phrase = rng.choice((person.surname, f"{person.title} {person.surname}"))
                    seen_people.add(person.name)
                    if slot == "pa":
                        last_person = person
                values[slot] = phrase
        values["him"] = last_person.surname if last_person else f"The {a_country.adjective} envoy"
        return _capitalize(template.format(**values))

    n_sentences = rng.randint(5, 15)
    kinds = rng.choices(("event", "speech", "background"), weights=(5, 2, 3), k=n_sentences)
    sentences = []
    for kind in kinds:
        if kind == "event":
            sentences.append(fill(rng.choice(EVENT_SENTENCES)))
        elif kind == "speech" and last_person is not None:
            sentences.append(fill(rng.choice(SPEECH_SENTENCES)))
        elif kind == "speech":
            sentences.append(fill(SPEECH_SENTENCES[0]))
        else:
            sentences.append(fill(rng.choice(BACKGROUND_SENTENCES)))
    # A dateline on the first sentence; paragraphs of one to four sentences.
    outlet = rng.choice(OUTLETS)
    sentences[0] = f"{rng.choice((first, second)).capital.upper()}, {MONTHS[date.month - 1]} {date.day} " \
                   f"({outlet}) - {sentences[0]}"
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[i:i + size]))
        i += size
    headline = fill(rng.choice(HEADLINES))
    text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return {"id": f"bench-{index:06d}", "date": date.isoformat(), "title": headline, "source": outlet,
            "text": text}


def generate(n_docs: int, seed: int = DEFAULT_SEED) -> list[dict]:
    """`n_docs` documents as JSONL-ready records (id, date, title, source, text), the same for the same seed."""
    rng = random.Random(seed)
    return [_document(rng, i) for i in range(n_docs)]


def fingerprint(records: list[dict]) -> str:
    """A short hash of the corpus text, printed with results so runs on different corpora are not compared."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(record["text"].encode("utf-8"))
    return digest.hexdigest()[:12]


def write_jsonl(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="JSONL file to write (default: stdout)")
    args = parser.parse_args(argv)
    records = generate(args.docs, args.seed)
    if args.out:
        write_jsonl(records, args.out)
        print(f"{len(records)} documents, fingerprint {fingerprint(records)} -> {args.out}", file=sys.stderr)
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
