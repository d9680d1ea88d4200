"""Plain-language limits for the text a patient reads: how long an exercise's and an
education section's text may be, as printed.

The built-in library keeps to them (a test checks every entry); ``rxprint validate``
warns, without failing, when a plugin's entry goes past them. The limits follow the
health-literacy checklists (CDC Clear Communication Index, AHRQ PEMAT): short sentences,
few key messages, one term for one thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rxprint.library.model import EducationSection, Exercise

PURPOSE_WORDS = 25  # "why it helps": one sentence of at most this many words
STEPS = 6  # at most this many numbered steps ...
STEPS_WORDS = 70  # ... of at most this many words in all
EXERCISE_WORDS = 130  # why it helps, position, steps, tips and stop rules, in all
SENTENCE_WORDS = 20  # no sentence longer
EDUCATION_WORDS = 120  # an education section, title excepted
EDUCATION_MESSAGES = 3  # its paragraphs: two or three key messages
# words a patient may not know, each with the plain word the library uses instead
PLAIN_TERMS = {"reps": "repetitions (or times)", "rep": "repetition (or time)"}

_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
# a sentence ends at . ! or ? followed by a space and a capital letter or digit, or at
# the end of the text ("Hold 30 s." stays one sentence: "s" is lowercase)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d)]))\s+"
                           r"(?=[\"'\u201c(]?[A-Z0-9])")


@dataclass(frozen=True)
class Finding:
    """One place where an entry goes past a limit."""

    field: str  # e.g. "steps", "steps[3]", "purpose"
    message: str


def count_words(text: str) -> int:
    """Words as a reader counts them: "don't", "30-second" and "3.5" are one word each."""
    return len(_WORD.findall(text))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (a step without a full stop is one sentence)."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text.strip())) if s]


def _long_sentences(field: str, text: str) -> Iterator[Finding]:
    for sentence in sentences(text):
        n = count_words(sentence)
        if n > SENTENCE_WORDS:
            yield Finding(field, f"a sentence of {n} words (at most {SENTENCE_WORDS}; "
                                 f"split it): \"{_start(sentence)}\"")


def _terms(field: str, text: str) -> Iterator[Finding]:
    for word in _WORD.findall(text):
        plain = PLAIN_TERMS.get(word.lower())
        if plain:
            yield Finding(field, f'"{word}": say "{plain}", the word the handout uses')


def _start(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:6]) + (" ..." if len(words) > 6 else "")


def _each(field: str, texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    for i, text in enumerate(texts, start=1):
        yield f"{field}[{i}]", text


def check_exercise(exercise: Exercise) -> list[Finding]:
    """Every limit ``exercise`` goes past (an empty list: it keeps to all of them)."""
    e = exercise
    found: list[Finding] = []
    purpose_sentences = len(sentences(e.purpose))
    purpose_words = count_words(e.purpose)
    if purpose_sentences > 1 or purpose_words > PURPOSE_WORDS:
        found.append(Finding("purpose", f"{purpose_sentences} sentences, {purpose_words} "
                                        f"words: say why it helps in one sentence of at "
                                        f"most {PURPOSE_WORDS} words"))
    if len(e.steps) > STEPS:
        found.append(Finding("steps", f"{len(e.steps)} steps (at most {STEPS})"))
    steps_words = sum(count_words(s) for s in e.steps)
    if steps_words > STEPS_WORDS:
        found.append(Finding("steps", f"{steps_words} words (at most {STEPS_WORDS} in all "
                                      f"the steps)"))
    total = exercise_words(e)
    if total > EXERCISE_WORDS:
        found.append(Finding("", f"{total} words in all (at most {EXERCISE_WORDS} for why it "
                                 f"helps, starting position, steps, tips and when to stop)"))
    texts = [("title", e.title), ("position", e.position), ("purpose", e.purpose),
             *_each("steps", e.steps), *_each("cues", e.cues), *_each("cautions", e.cautions)]
    for field, text in texts:
        found += _long_sentences(field, text)
        found += _terms(field, text)
    return found


def exercise_words(exercise: Exercise) -> int:
    """The words an exercise prints besides its title and dosage."""
    e = exercise
    return sum(count_words(t) for t in (e.position, e.purpose, *e.steps, *e.cues,
                                        *e.cautions))


def check_education(section: EducationSection) -> list[Finding]:
    """Every limit an education section goes past."""
    s = section
    found: list[Finding] = []
    total = education_words(s)
    if total > EDUCATION_WORDS:
        found.append(Finding("", f"{total} words (at most {EDUCATION_WORDS}, title "
                                 f"excepted)"))
    if len(s.paragraphs) > EDUCATION_MESSAGES:
        found.append(Finding("paragraphs", f"{len(s.paragraphs)} paragraphs: keep to two or "
                                           f"three key messages"))
    for field, text in [("title", s.title), *_each("paragraphs", s.paragraphs),
                        *_each("bullets", s.bullets)]:
        found += _long_sentences(field, text)
        found += _terms(field, text)
    return found


def education_words(section: EducationSection) -> int:
    """The words an education section prints besides its title."""
    return sum(count_words(t) for t in (*section.paragraphs, *section.bullets))
