"""Text normalisation and safe query parsing, shared by both backends.

Both the index side and the query side go through :func:`tokens`, so a word matches whatever
script it is written in and whichever backend stores it:

* Unicode NFKD, then combining marks dropped: Latin accents (``é`` → ``e``), Cyrillic breve
  (``й`` → ``и``), Arabic harakat and the hamza carried by alef, waw and yeh
  (alef with hamza or madda → alef, waw and yeh with hamza → waw, yeh);
* Arabic tatweel removed; alef wasla → alef; alef maqsura → yeh; teh marbuta → heh;
  Persian yeh and keheh → Arabic yeh and kaf; Arabic-Indic digits → ASCII digits;
* NFKC and case folding; a token is a run of letters or digits (underscore splits).

User query text is never passed to the database's query language: :func:`parse_query` keeps
only tokens, phrases (``"..."``) and trailing-``*`` prefixes, and each backend quotes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Longest token kept (longer runs are cut); the longest query accepted, in terms.
MAX_TOKEN_LENGTH = 64
MAX_TERMS = 16

_TRANSLATE = str.maketrans(
    {
        "\u0640": "",  # tatweel
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maqsura -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06cc": "\u064a",  # Persian yeh -> yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_QUERY_PART = re.compile(r'"([^"]*)"(\*?)|(\S+)')


def normalise_text(value: str) -> str:
    """Script-aware, accent- and case-insensitive form of ``value`` (not yet tokenised)."""
    value = str(value)
    if value.isascii():  # NFKD, NFKC and the table leave ASCII as it is
        return value.casefold()
    # Word by word (a space joins no two characters in any normal form), remembered: names
    # and places repeat across the documents of an import.
    return " ".join(_normalise_word(word) for word in value.split(" "))


@lru_cache(maxsize=65536)
def _normalise_word(word: str) -> str:
    text = unicodedata.normalize("NFKD", word)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_TRANSLATE)
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(value: str) -> list[str]:
    """The tokens of ``value`` after :func:`normalise_text`."""
    return [tok[:MAX_TOKEN_LENGTH] for tok in _TOKEN.findall(normalise_text(value))]


def document_text(value: str) -> str:
    """What is stored in the index for ``value``: its tokens separated by single spaces."""
    return " ".join(tokens(value))


@dataclass(frozen=True)
class Term:
    """One query term: a single token or a phrase (tokens in this order, adjacent).
    ``prefix`` makes the last token match any word that starts with it. ``alternatives`` are
    whole index tokens that satisfy the term as well; ``stems`` index token starts that do
    (``search.stems.widen``). (The alternatives are a model's keywords: an incident stores
    the code token of each type of act instead of the type's labels in five languages, and a
    word of a label is expanded into the codes whose label holds it)."""

    tokens: tuple[str, ...]
    prefix: bool = False
    alternatives: tuple[str, ...] = ()
    #: Other starts that satisfy the term (its stems, ``search.stems``), each a prefix.
    stems: tuple[str, ...] = ()
    #: The word as typed, for a term made of one typed word ('' for phrases).
    word: str = ""


def parse_query(text: str | None) -> list[Term]:
    """Parse user input into terms; all terms must match (AND).

    ``"exact phrase"`` is a phrase, ``word*`` a prefix, anything else is split into tokens; a
    word that splits into several tokens (``al-Hassan``) becomes a phrase. Query syntax of the
    database (``OR``, ``NEAR``, ``:``, ``^``, ``&``, ``!`` …) has no meaning and is dropped.
    At most :data:`MAX_TERMS` terms are kept. Never raises on any string.
    """
    terms: list[Term] = []
    for match in _QUERY_PART.finditer(text or ""):
        phrase, phrase_star, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            prefix = word.endswith("*")
            toks = tuple(tokens(word))
        else:
            prefix = bool(phrase_star)
            toks = tuple(tokens(phrase))
        if toks:
            typed = word if word is not None and not prefix and len(toks) == 1 else ""
            terms.append(Term(toks, prefix, word=typed))
        if len(terms) >= MAX_TERMS:
            break
    return terms
