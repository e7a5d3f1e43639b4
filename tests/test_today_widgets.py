"""Today's one-widget rows: the goal line and the stat boxes, drawn as text at a known width."""

from __future__ import annotations

from textual.app import App

from glutetui.ui.widgets.day_heading import DayHeading
from glutetui.ui.widgets.goal_line import GoalLine
from glutetui.ui.widgets.stat_boxes import StatBoxes, box_widths


class Rows(App):
    CSS = "Screen { layout: vertical; }"

    def compose(self):
        yield DayHeading()
        yield GoalLine()
        yield StatBoxes({"bout": "Bout now", "breaks": "Breaks"})


def test_box_widths_share_every_cell():
    assert box_widths(76, 5) == [16, 15, 15, 15, 15]
    assert box_widths(10, 5) == [2] * 5
    assert sum(box_widths(203, 5)) == 203


async def test_the_rows_draw_text_bar_and_boxes():
    app = Rows()
    async with app.run_test(size=(40, 8)) as pilot:
        line, boxes = app.query_one(GoalLine), app.query_one(StatBoxes)
        line.show("Sat 3:00 of 6:00", 0.5, over=False)  # 16 cells of text, 2 of gap, 22 of bar
        boxes.show("bout", "56 min")
        boxes.show("breaks", "a value far too long for its box")
        await pilot.pause()
        drawn = line.render().plain
        assert drawn == "Sat 3:00 of 6:00  " + "━" * 22 and len(drawn) == 40
        assert [span.style for span in line.render().spans][-2:] == ["$primary", "$surface"]
        assert [span.end - span.start for span in line.render().spans][-2:] == [11, 11]  # half of the bar
        rows = boxes.render().plain.split("\n")
        assert rows == [
            "╭──────────────────╮╭──────────────────╮",
            "│ Bout now         ││ Breaks           │",
            "│ 56 min           ││ a value far too… │",
            "╰──────────────────╯╰──────────────────╯",
        ]
        line.show("Sat 7:00 of 6:00", 7 / 6, over=True)
        await pilot.pause()
        assert line.has_class("-over") and line.render().plain.endswith("━" * 22)
        drawn_spans = [span for span in line.render().spans if span.end > span.start]
        assert drawn_spans[-1].style == "$error" and drawn_spans[-1].end - drawn_spans[-1].start == 22


async def test_the_heading_keeps_the_state_whole_and_cuts_the_date():
    app = Rows()
    async with app.run_test(size=(40, 8)) as pilot:
        heading = app.query_one(DayHeading)
        heading.show(date_text="Wednesday 18 November 2026", state_text="Sitting since 15:30")
        await pilot.pause()
        assert heading.render().plain == "Wednesday 18 Novembe Sitting since 15:30"
        heading.show(state_text="Away")
        await pilot.pause()
        assert heading.render().plain == "Wednesday 18 November 2026" + " " * 10 + "Away"
