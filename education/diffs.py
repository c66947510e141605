"""Word-level differences between two versions of an article's text, for the history page."""

import difflib
import re
from dataclasses import dataclass

# Words and the spaces between them, so that line breaks survive into the diff.
_TOKENS = re.compile(r"\s+|\S+")
# Long unchanged stretches are shortened to this many words at each end.
CONTEXT_WORDS = 12


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added", "removed" or "skipped"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    segments: list

    @property
    def has_changes(self):
        return any(segment.kind in ("added", "removed") for segment in self.segments)


def _shorten(tokens, is_first, is_last):
    words = [t for t in tokens if not t.isspace()]
    if len(words) <= 2 * CONTEXT_WORDS + 5:
        return [Segment("same", "".join(tokens))]

    def take(count, from_end=False):
        picked, seen = [], 0
        for token in reversed(tokens) if from_end else tokens:
            if not token.isspace():
                seen += 1
                if seen > count:
                    break
            picked.append(token)
        return "".join(reversed(picked) if from_end else picked)

    skipped = len(words) - (0 if is_first else CONTEXT_WORDS) - (0 if is_last else CONTEXT_WORDS)
    segments = []
    if not is_first:
        segments.append(Segment("same", take(CONTEXT_WORDS)))
    segments.append(Segment("skipped", f" … {skipped} unchanged words … "))
    if not is_last:
        segments.append(Segment("same", take(CONTEXT_WORDS, from_end=True)))
    return segments


def _join_changes_split_by_spaces(a, opcodes):
    """One change for "a long time" -> "many months", not three split by matching spaces."""
    joined = []
    for opcode in opcodes:
        tag, i1, i2, j1, j2 = opcode
        if (
            len(joined) >= 2
            and tag != "equal"
            and joined[-2][0] != "equal"
            and joined[-1][0] == "equal"
            and all(token.isspace() for token in a[joined[-1][1] : joined[-1][2]])
        ):
            joined.pop()
            first = joined.pop()
            opcode = ("replace", first[1], i2, first[3], j2)
        joined.append(opcode)
    return joined


def word_diff(old, new):
    """The segments that turn `old` into `new`, word by word."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = _join_changes_split_by_spaces(a, matcher.get_opcodes())
    segments = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            segments.extend(_shorten(a[i1:i2], index == 0, index == len(opcodes) - 1))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def compare_texts(old_fields, new_fields):
    """A FieldDiff for each labelled text that differs; unchanged ones are left out."""
    return [
        FieldDiff(label, word_diff(old_fields.get(label, ""), new_fields.get(label, "")))
        for label in dict.fromkeys([*old_fields, *new_fields])
        if old_fields.get(label, "") != new_fields.get(label, "")
    ]
