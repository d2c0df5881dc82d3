"""Route suggestion: a good stop order from the branch depot through the stops and back,
respecting the stops' time windows, solved by VROOM (pyvroom). Distances are great-circle
kilometres between the coordinates (no road network is needed offline); travel time assumes
an average city speed. Nothing here writes: the CSR accepts a suggestion as a reorder."""

import math
from dataclasses import asdict, dataclass
from datetime import timedelta

import vroom

from caredesk.delivery.models import Run, Stop
from caredesk.lib.errors import Conflict

CITY_KMH = 25.0
SERVICE_SECONDS = 15 * 60
DAY_START = 7 * 3600
DAY_END = 21 * 3600
# The CSR waits for the answer: the solver returns its best route when the budget runs out,
# so a long run still answers in under two seconds on a busy two-core machine.
SOLVE_BUDGET = timedelta(seconds=1.2)
SOLVE_THREADS = 2


@dataclass(frozen=True)
class Suggestion:
    stops: list[int]
    distance_km_before: float
    distance_km_after: float
    unplaced: list[int]

    def as_dict(self) -> dict:
        return asdict(self)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def tour_km(points: list[tuple[float, float]]) -> float:
    """Length of depot -> points... -> depot, where points[0] is the depot."""
    if len(points) < 2:
        return 0.0
    path = [*points, points[0]]
    return sum(haversine_km(path[i], path[i + 1]) for i in range(len(path) - 1))


def _seconds(t) -> int | None:
    return None if t is None else t.hour * 3600 + t.minute * 60 + t.second


def suggest(run: Run, stops: list[Stop]) -> Suggestion:
    """The suggested order of `stops` (in their current order) for `run`. Stops without
    coordinates keep their relative order after the routed ones; stops whose window cannot
    be met are listed in `unplaced` and follow too."""
    branch = run.branch
    if branch.depot_latitude is None or branch.depot_longitude is None:
        raise Conflict(
            f"Branch {branch.code} has no depot coordinates; a route cannot be suggested.",
            code="no_depot",
        )
    depot = (float(branch.depot_latitude), float(branch.depot_longitude))
    located = [s for s in stops if s.latitude is not None and s.longitude is not None]
    unlocated = [s.pk for s in stops if s.latitude is None or s.longitude is None]
    points = [depot, *[(float(s.latitude), float(s.longitude)) for s in located]]
    before = tour_km(points)
    if len(located) < 2:
        ids = [s.pk for s in located] + unlocated
        return Suggestion(ids, round(before, 1), round(before, 1), [])
    km = [[haversine_km(a, b) for b in points] for a in points]
    durations = [[round(d / CITY_KMH * 3600) for d in row] for row in km]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=durations)
    problem.set_costs_matrix(profile="car", matrix_input=[[round(d * 1000) for d in r] for r in km])
    problem.add_vehicle(
        vroom.Vehicle(0, start=0, end=0, time_window=vroom.TimeWindow(DAY_START, DAY_END))
    )
    for index, stop in enumerate(located, start=1):
        windows = ()
        start, end = _seconds(stop.window_start), _seconds(stop.window_end)
        if start is not None and end is not None and start < end:
            windows = [vroom.TimeWindow(start, end)]
        problem.add_job(
            vroom.Job(index, location=index, default_service=SERVICE_SECONDS, time_windows=windows)
        )
    solution = problem.solve(exploration_level=5, nb_threads=SOLVE_THREADS, timeout=SOLVE_BUDGET)
    routes = solution.routes
    order = [int(i) for i in routes[routes["type"] == "job"]["id"].tolist()]
    placed = {i for i in order}
    unplaced = [located[i - 1].pk for i in range(1, len(located) + 1) if i not in placed]
    routed = [located[i - 1] for i in order]
    after = tour_km([depot, *[(float(s.latitude), float(s.longitude)) for s in routed]])
    if unplaced:
        # Stops whose window cannot be met keep the current order's distance honest.
        after = tour_km(
            [
                depot,
                *[(float(s.latitude), float(s.longitude)) for s in routed],
                *[(float(s.latitude), float(s.longitude)) for s in located if s.pk in unplaced],
            ]
        )
    ids = [s.pk for s in routed] + unplaced + unlocated
    return Suggestion(ids, round(before, 1), round(after, 1), unplaced)
