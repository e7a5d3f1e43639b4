"""Text from data as it may be shown: on the screen, on stdout and stderr.

Everything glutetui shows that it did not write itself (run notes and ids from the
database, routine titles, names and cues, file and track names from an import, values
from the settings file) passes through `visible_text` on its way out, or through
`visible_message` inside a message of ours that quotes it (an error, a summary line).
They make control characters visible instead of letting the terminal obey them: an ESC
in a note would otherwise start an escape sequence (retitle the terminal, clear the
screen), C1 codes such as U+009B do the same on some terminals, and the bidi overrides and
isolates reorder what follows them. Each one is written the way Python writes it in a
string literal, as plain characters: ESC is `\\x1b`, U+009B `\\x9b`, U+202E `\\u202e`.
Tab and newline stay; a carriage return (alone or before a newline) is a line break. The
result holds no control character but those two, so it is safe to pass through again.

Huge text (a 10 MB note) is cut to a preview that says how much more there is (a huge
message loses its middle instead, so its advice at the end stays); what is stored never
changes. Whether text is parsed as markup is the screen's business: it shows what comes
from here as plain text (Textual `Content`, Rich `Text` or `markup=False`), never as markup.
"""

from __future__ import annotations

import re

from glutetui.domain.wording import counted

PREVIEW_CHARS = 4000  # a page of text; a longer note, title or name shows this much and a count
MESSAGE_END_CHARS = 400  # a huge message keeps this much of its end, where it says what to do

# C0 but tab and newline, DEL and C1, the bidi embeddings, overrides and isolates, and
# lone surrogates (bytes that were not UTF-8), which no output stream can encode.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_HIDDEN = re.compile(f"[{_CONTROL}]")
_HIDDEN_OR_NEWLINE = re.compile(f"[{_CONTROL}\n]")
_LINE_BREAK = re.compile("\r\n?")


def _written_out(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_text(text: str, *, one_line: bool = False, limit: int = PREVIEW_CHARS) -> str:
    """`text` as it may be shown: control characters written out (see the module's doc),
    and at most `limit` characters of it followed by "... (N more characters)".

    `one_line` is for a name in a line of its own kind (a palette entry, a line of
    `run list`, a file name in a summary): a newline is written out as `\\n` too, so
    a name cannot start a line that looks like glutetui's own.
    """
    more = len(text) - limit
    if more > 0:
        text = text[:limit]  # cut first: the rest is never even looked at
    text = _LINE_BREAK.sub("\n", text)
    text = (_HIDDEN_OR_NEWLINE if one_line else _HIDDEN).sub(_written_out, text)
    if more > 0:
        text += f"... ({counted(more, 'more character', thousands=True)})"
    return text


def visible_message(text: str, *, one_line: bool = False, limit: int = PREVIEW_CHARS) -> str:
    """A message of glutetui's own that quotes data (an error naming a file or a value, an
    import summary line), written out as `visible_text` does. When it is huge, because what
    it quotes is, its middle is cut instead of its end: what it says to do still shows."""
    more = len(text) - limit
    if more <= 0:
        return visible_text(text, one_line=one_line)
    head, end = text[:limit - MESSAGE_END_CHARS], text[-MESSAGE_END_CHARS:]
    return (f"{visible_text(head, one_line=one_line)} ... ({counted(more, 'more character', thousands=True)}) ... "
            f"{visible_text(end, one_line=one_line)}")


def terminal_safe_json(document: str) -> str:
    """A JSON document (from json.dumps) with every control character in it written as a
    \\uXXXX escape: the same values for any JSON reader, and nothing a terminal obeys.

    json.dumps escapes C0 itself, but with ensure_ascii=False it writes DEL, C1 and the
    bidi controls as they are.
    """
    # Outside its strings json.dumps writes only ASCII, tab and newline: a match is in a string.
    return _HIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
