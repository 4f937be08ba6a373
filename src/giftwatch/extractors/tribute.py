"""What a gift is for, and whom it honours: short phrases taken from the sentence."""
from __future__ import annotations

import re

_TRIBUTE = re.compile(r"\b(?:in (?:the )?(?:names?|hono(?:u)?r|memory|memoriam|tribute|recognition) of|"
                      r"on behalf of|dedicated to)\s+(?P<rest>[^.;:!?]{0,160})", re.I)
_NAME = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+))*")
_KIN = re.compile(r"\b(?:our|their|his|her)\s+(?:\w+\s+){0,3}?(?:children|child|kids|twins|son|sons|daughter|"
                  r"daughters|wife|husband|mother|father|parents|grandmother|grandfather|grandchildren|"
                  r"brother|sister|granddaughter|grandson)\b", re.I)
_STOP_WORDS = {"The", "A", "An", "Our", "Their", "His", "Her", "This", "That", "In", "On", "And"}
_PURPOSE = re.compile(
    r"\b(?P<phrase>(?:to|will) (?:help )?(?:support|fund|help|benefit|establish|create|expand|build|provide|launch|"
    r"advance|endow|enhance|improve|strengthen|renovate|purchase|cover|pay for|ensure|name|equip|upgrade|"
    r"preserve|protect|sustain)\b[^.;!?]{3,140}|for (?:scholarships?|research|the (?:construction|creation|"
    r"renovation|expansion) of)[^.;!?]{0,120}|aimed at [^.;!?]{3,100}|establish(?:es|ing)? the [^.;!?]{3,100})")


def find_tribute(sentence: str, donors: list[str]) -> list[str]:
    """People honoured or remembered: "in memory of her husband, Tom Reyes" → ["Tom Reyes"].

    First names given with a kinship word ("our children Ella and Alexander")
    take the donors' family name.
    """
    honoured: list[str] = []
    surname = _family_name(donors)
    for match in _TRIBUTE.finditer(sentence):
        rest = re.split(r",\s*(?:who|which|and (?:the|a)|to|for)\b|\s+(?:to|for|with|from|at|as)\s+"
                        r"|,\s*(?:[a-z]|[A-Z]{2,5}\b(?!\s+[A-Z]))", match["rest"])[0]   # ", MD, medical director"
        kin = bool(_KIN.search(rest))
        for name in _NAME.findall(rest):
            if re.search(r"[’']s$", name):
                continue   # "Samir’s father, Yusuf Khalidi": the father is the one honoured
            words = [w for w in name.split() if w not in _STOP_WORDS]
            if not words:
                continue
            full = " ".join(words)
            if len(words) == 1 and kin and surname:
                full = f"{full} {surname}"
            if full not in honoured:
                honoured.append(full)
    return honoured


def _family_name(donors: list[str]) -> str | None:
    people = [d.split() for d in donors if len(d.split()) >= 2]
    surnames = {p[-1] for p in people}
    return surnames.pop() if len(surnames) == 1 else None


def find_purpose(sentence: str) -> str | None:
    match = _PURPOSE.search(sentence)
    return match["phrase"].strip(" ,") if match else None
