"""Where the education sections go (rxprint.render.planner): the simulation of platypus'
frames, and the choice of the placement that prints on the fewest, fullest pages."""

from __future__ import annotations

from rxprint.render.planner import SLACK, Frames, Layout, plan, simulate

PAGE = 100.0 + SLACK
ONE_COLUMN = Frames(500, first=((PAGE, 0.0),), rest=(PAGE,))
TWO_COLUMNS = Frames(250, first=((PAGE, 0.0), (PAGE, 0.0)), rest=(PAGE, PAGE))


def test_blocks_move_whole_and_the_space_before_is_dropped_at_a_frame_top() -> None:
    layout = simulate([(60, 5, None), (30, 5, None), (40, 5, None)], ONE_COLUMN)
    assert layout is not None
    assert layout.pages == 2  # 60 + 5 + 30 = 95 fits; 40 more does not
    assert [round(f, 2) for f in layout.fills] == [0.93, 0.39]  # 40 at the top: no space


def test_a_block_taller_than_a_frame_cannot_be_planned() -> None:
    assert simulate([(120, 0, None)], ONE_COLUMN) is None
    assert plan([(120, 0, None)], [(10, 0, None)], ONE_COLUMN) is None


def test_page_one_may_start_part_used() -> None:
    frames = Frames(500, first=((PAGE, 50.0),), rest=(PAGE,))
    layout = simulate([(40, 5, None), (10, 5, None)], frames)
    assert layout is not None and layout.pages == 2  # 50 + 5 + 40 = 95, then 10 more


def test_a_block_flows_into_the_right_column_only_with_room_for_its_head() -> None:
    blocks = [(70, 0, None), (60, 5, 20.0)]
    layout = simulate(blocks, TWO_COLUMNS)
    assert layout is not None and layout.pages == 1  # 25 left, head 20: it flows on
    layout = simulate([(70, 0, None), (60, 5, 30.0)], TWO_COLUMNS)
    assert layout is not None and layout.pages == 1  # whole into the right column
    layout = simulate([(70, 0, None), (60, 5, 30.0), (60, 5, 30.0)], TWO_COLUMNS)
    assert layout is not None and layout.pages == 2
    # a block never flows from a right column onto the next page
    layout = simulate([(70, 0, None), (90, 5, None), (60, 5, 10.0)], TWO_COLUMNS)
    assert layout is not None and layout.pages == 2


def test_the_plan_takes_the_fewest_pages() -> None:
    # exercises of 45: two a page; a box of 50 fits only on a page with one exercise
    anchors = [(45, 5, None)] * 3
    slots = plan(anchors, [(50, 5, None)], ONE_COLUMN)
    assert slots == (2,)  # after the third exercise, on its page: 2 pages, not 3
    layout = simulate([*anchors, (50, 5, None)], ONE_COLUMN)
    assert layout is not None and layout.pages == 2


def test_among_equal_page_counts_a_near_empty_last_page_costs_most() -> None:
    short_last = Layout(pages=3, fills=(0.9, 0.9, 0.1))
    short_other = Layout(pages=3, fills=(0.9, 0.5, 0.5))
    full = Layout(pages=3, fills=(0.8, 0.8, 0.5))
    assert full.cost() < short_other.cost() < short_last.cost()
    assert Layout(pages=2, fills=(0.5, 0.1)).cost() < full.cost()  # pages first
    # the plan: a box that fits on page 1 or page 2 goes where no page is left short
    anchors = [(50, 3, None), (50, 3, None), (10, 3, None)]
    assert plan(anchors, [(45, 3, None)], ONE_COLUMN) == (0,)


def test_a_ranged_block_stays_in_its_range_and_free_blocks_keep_their_order() -> None:
    anchors = [(20, 3, None)] * 5
    movable = [(30, 3, None), (30, 3, None), (30, 3, None)]
    slots = plan(anchors, movable, ONE_COLUMN, [(1, 2), None, None])
    assert slots is not None
    assert 1 <= slots[0] <= 2
    assert slots[1] <= slots[2]


def test_ties_go_to_the_latest_placement() -> None:
    # a short box fits anywhere on the one page: it goes after the last exercise
    assert plan([(10, 3, None)] * 3, [(10, 3, None)], ONE_COLUMN) == (2,)


def test_a_ranged_block_after_its_anchor_prints_beside_it_not_pages_after() -> None:
    # anchor 1 fills page 1's foot; the box may follow it only on that page: it does not
    # fit there, so it goes before anchor 1 (slot 0), on page 1
    anchors = [(10, 3, None), (70, 3, None), (40, 3, None)]
    assert plan(anchors, [(8, 3, None)], ONE_COLUMN, [(0, 1)]) == (1,)  # fits beside
    # 20 after anchor 1 would start page 2 (beside anchor 2, not 1): before it instead
    assert plan(anchors, [(20, 3, None)], ONE_COLUMN, [(0, 1)]) == (0,)
    layout = simulate([(10, 3, None), (70, 3, None), (20, 3, None), (40, 3, None)],
                      ONE_COLUMN)
    assert layout is not None and layout.placed == (0, 0, 1, 1)
