"""The command palette's list of commands, shown as text.

Textual's own SystemCommandsProvider reads every title and help text as markup, and
some titles are routine titles from the runner's files: `Hill day [/] warm-up` would
stop the app when ctrl+p opens, and `Knee [left]` would lose its `[left]`. This one
yields the same commands as plain Content, with control characters written out.
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.fuzzy import Matcher
from textual.system_commands import SystemCommandsProvider

from glutetui.domain.display_text import visible_text


class PlainTextCommands(SystemCommandsProvider):
    """The app's system commands (`App.get_system_commands`), titles and help as text."""

    def _commands(self) -> list[tuple[str, Content, object, bool]]:
        return [(visible_text(title, one_line=True), Content(visible_text(help_text, one_line=True)), callback,
                 discover)
                for title, help_text, callback, discover in self.app.get_system_commands(self.screen)]

    async def discover(self) -> Hits:
        for title, help_content, callback, discover in sorted(self._commands(), key=lambda command: command[0]):
            if discover:
                yield DiscoveryHit(Content(title), callback, text=title, help=help_content)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_content, callback, _ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title, help=help_content)


def highlighted(matcher: Matcher, title: str) -> Content:
    """`title` with the letters the query matched marked, as Matcher.highlight does, but
    without reading `title` as markup."""
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
