"""Erlang C formulas, counter staffing and the lobby simulation (analytics.queueing, analytics.lobby_simulation).

Reference values are never typed in from memory: they are recomputed here independently, either
by hand (derivations in the comments) or with exact rational arithmetic (``fractions``) from the
textbook factorial-sum form of Erlang C, or in log space for large loads.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from analytics.lobby_simulation import counter_schedule, fifo_start_times, simulate_lobby
from analytics.queueing import (
    UNREACHABLE,
    TargetUnreachable,
    erlang_b,
    erlang_c,
    mean_wait,
    servers_needed,
    servers_needed_for_mean_wait,
    service_level,
    staffing_plan,
)

# --------------------------------------------------------------------------- independent references


def exact_erlang_c(load: Fraction, servers: int) -> Fraction:
    """Textbook Erlang C, exactly: C = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)]."""
    top = load**servers / math.factorial(servers) * Fraction(servers) / (servers - load)
    return top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)


def log_space_erlang_c(load: float, servers: int) -> float:
    """The same formula with every term as a logarithm (lgamma for log k!), summed by log-sum-exp."""
    log_terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(servers)]
    log_top = servers * math.log(load) - math.lgamma(servers + 1) + math.log(servers / (servers - load))
    log_terms.append(log_top)
    peak = max(log_terms)
    log_total = peak + math.log(sum(math.exp(t - peak) for t in log_terms))
    return math.exp(log_top - log_total)


def test_exact_reference_matches_hand_closed_forms():
    # Guard the reference itself against the closed forms derived below.
    rho = Fraction(3, 5)
    assert exact_erlang_c(rho, 1) == rho
    assert exact_erlang_c(2 * rho, 2) == 2 * rho**2 / (1 + rho)


# --------------------------------------------------------------------------- Erlang C: small, by hand


@pytest.mark.parametrize("arrival_rate, service_rate", [(0.5, 1.0), (3.0, 4.0), (0.09, 0.1), (1.0, 50.0)])
def test_single_server_closed_form(arrival_rate, service_rate):
    # M/M/1: with one server the Erlang C sum has one term, a^0/0! = 1, and the top term is
    # a · 1/(1−a), so C = [a/(1−a)] / [1 + a/(1−a)] = a = ρ (= λ/μ).
    # Mean wait in queue: W = C·S/(c−a) = ρ·(1/μ)/(1−ρ) = ρ/(μ−λ).
    rho = arrival_rate / service_rate
    assert erlang_c(arrival_rate, 1 / service_rate, 1) == pytest.approx(rho, rel=1e-12)
    assert mean_wait(arrival_rate, 1 / service_rate, 1) == pytest.approx(rho / (service_rate - arrival_rate), rel=1e-12)
    # P(wait <= t) for M/M/1 is 1 − ρ·exp(−(μ−λ)t).
    expected = 1 - rho * math.exp(-(service_rate - arrival_rate) * 2.0)
    assert service_level(arrival_rate, 1 / service_rate, 1, 2.0) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.8, 0.95, 0.999])
def test_two_servers_closed_form(rho):
    # M/M/2 with per-server utilisation ρ, so a = 2ρ:
    #   P0 = [1 + a + a²/2 · 1/(1−ρ)]^−1 = [(1 + 2ρ)(1−ρ) + 2ρ²]^−1 (1−ρ) = (1−ρ)/(1+ρ)
    #   C  = a²/2 · 1/(1−ρ) · P0 = 2ρ²/(1−ρ) · (1−ρ)/(1+ρ) = 2ρ²/(1+ρ)
    #   W  = C·S/(2−a) = 2ρ²/(1+ρ) · S/(2(1−ρ)) = ρ²S/(1−ρ²)
    service = 7.0
    arrival_rate = 2 * rho / service
    assert erlang_c(arrival_rate, service, 2) == pytest.approx(2 * rho**2 / (1 + rho), rel=1e-12)
    assert mean_wait(arrival_rate, service, 2) == pytest.approx(rho**2 * service / (1 - rho**2), rel=1e-9)


def test_five_servers_by_hand():
    # One customer a minute, 3-minute services, 5 counters: a = 3 Erlangs.
    #   Σ_{k<5} 3^k/k! = 1 + 3 + 9/2 + 27/6 + 81/24 = 131/8
    #   3^5/5! · 5/(5−3) = 243/120 · 5/2 = 81/16
    #   C = (81/16) / (131/8 + 81/16) = 81/343 ≈ 0.2362, so 76.4 % are served at once.
    assert erlang_c(1.0, 3.0, 5) == pytest.approx(81 / 343, rel=1e-12)
    assert service_level(1.0, 3.0, 5, 0.0) == pytest.approx(262 / 343, rel=1e-12)
    # W = C·S/(c−a) = 81/343 · 3/2 = 243/686 minutes.
    assert mean_wait(1.0, 3.0, 5) == pytest.approx(243 / 686, rel=1e-12)


# --------------------------------------------------------------------------- Erlang C: worked examples


@pytest.mark.parametrize(
    "calls, per_minutes, handle_minutes, agents, target_seconds",
    [
        # The step-by-step Erlang C example of Westbay Engineers' "Erlang-C formula" page:
        # 360 calls per half hour, 4-minute calls, 55 agents, 15-second answer target (a = 48).
        (360, 30, 4, 55, 15),
        # The call-centre sizing example of the brief: 360 calls an hour, 240 s handling
        # (a = 24 Erlangs), 28 agents, 20-second target.
        (360, 60, 4, 28, 20),
    ],
)
def test_published_worked_examples_against_exact_fractions(calls, per_minutes, handle_minutes, agents, target_seconds):
    # The pages' own figures are rounded; instead of trusting them we recompute the same
    # scenario exactly with rationals and require agreement to 1e-12.
    rate = Fraction(calls, per_minutes)  # calls per minute
    load = rate * handle_minutes
    exact = exact_erlang_c(load, agents)
    target = target_seconds / 60
    assert erlang_c(float(rate), handle_minutes, agents) == pytest.approx(float(exact), rel=1e-12)
    expected_level = 1 - float(exact) * math.exp(-float(agents - load) * target / handle_minutes)
    assert service_level(float(rate), handle_minutes, agents, target) == pytest.approx(expected_level, rel=1e-12)
    expected_wait = float(exact * handle_minutes / (agents - load))
    assert mean_wait(float(rate), handle_minutes, agents) == pytest.approx(expected_wait, rel=1e-12)
    # Sanity on magnitudes (a few agents above the load): some but not most callers wait.
    assert 0.05 < float(exact) < 0.5


def test_erlang_b_matches_exact_formula():
    # B(c, a) = (a^c/c!) / Σ_{k<=c} a^k/k!
    for load, servers in [(Fraction(3), 5), (Fraction(24), 28), (Fraction(1, 2), 1), (Fraction(10), 0)]:
        exact = load**servers / math.factorial(servers) / sum(load**k / math.factorial(k) for k in range(servers + 1))
        assert erlang_b(float(load), servers) == pytest.approx(float(exact), rel=1e-12)


# --------------------------------------------------------------------------- large loads


@pytest.mark.parametrize("load, servers", [(500.0, 520), (500.0, 501), (2000.0, 2100), (95.5, 100)])
def test_large_loads_are_finite_and_match_log_space(load, servers):
    # a^c/c! overflows a float long before a = 500 (500^520 ≈ 10^1403); the recursion never forms it.
    with np.errstate(all="raise"):
        value = erlang_c(load, 1.0, servers)
    assert 0.0 < value < 1.0
    assert value == pytest.approx(log_space_erlang_c(load, servers), rel=1e-9)
    assert math.isfinite(mean_wait(load, 1.0, servers))


# --------------------------------------------------------------------------- broadcasting


def test_functions_broadcast_and_match_scalar_calls():
    rates = np.array([[0.5], [2.0], [4.5]])  # shape (3, 1)
    servers = np.array([1, 2, 3, 6])  # shape (4,)
    for function, extra in [(erlang_c, ()), (mean_wait, ()), (service_level, (0.5,))]:
        grid = function(rates, 1.0, servers, *extra)
        assert grid.shape == (3, 4)
        for i, rate in enumerate(rates[:, 0]):
            for j, count in enumerate(servers):
                assert grid[i, j] == function(float(rate), 1.0, int(count), *extra)
    assert isinstance(erlang_c(1.0, 1.0, 2), float)


# --------------------------------------------------------------------------- unstable, zero arrivals


@pytest.mark.parametrize("arrival_rate, servers", [(3.0, 3), (5.0, 3), (1.0, 0), (30.0, 29)])
def test_unstable_system(arrival_rate, servers):
    # a = λ·S >= c: the queue grows without bound.
    assert erlang_c(arrival_rate, 1.0, servers) == 1.0
    assert mean_wait(arrival_rate, 1.0, servers) == math.inf
    assert service_level(arrival_rate, 1.0, servers, 10.0) == 0.0


def test_zero_arrivals():
    for servers in (0, 1, 5):
        assert erlang_c(0.0, 5.0, servers) == 0.0
        assert mean_wait(0.0, 5.0, servers) == 0.0
        assert service_level(0.0, 5.0, servers, 0.0) == 1.0
    assert servers_needed(0.0, 5.0, 10.0, 0.8) == 0
    assert servers_needed(0.0, 5.0, 10.0, 0.8, max_servers=0) == 0
    assert servers_needed_for_mean_wait(0.0, 5.0, 1.0) == 0


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: erlang_c(-1.0, 5.0, 2), "arrival_rate"),
        (lambda: erlang_c(1.0, 0.0, 2), "mean_service_time"),
        (lambda: erlang_c(1.0, -5.0, 2), "mean_service_time"),
        (lambda: erlang_c(float("nan"), 5.0, 2), "arrival_rate"),
        (lambda: erlang_c(1.0, float("inf"), 2), "mean_service_time"),
        (lambda: erlang_c(1.0, 5.0, -1), "servers"),
        (lambda: erlang_c(1.0, 5.0, 2.5), "servers"),
        (lambda: erlang_c("many", 5.0, 2), "arrival_rate"),
        (lambda: mean_wait(np.array([1.0, np.nan]), 5.0, 2), "arrival_rate"),
        (lambda: service_level(1.0, 5.0, 2, -1.0), "target_wait"),
        (lambda: servers_needed(1.0, 5.0, -1.0, 0.8), "target_wait"),
        (lambda: servers_needed(1.0, 5.0, 10.0, 0.0), "target_service_level"),
        (lambda: servers_needed(1.0, 5.0, 10.0, 1.0), "target_service_level"),
        (lambda: servers_needed(1.0, 5.0, 10.0, 80), "target_service_level"),
        (lambda: servers_needed(1.0, 5.0, 10.0, float("nan")), "target_service_level"),
        (lambda: servers_needed(1.0, 5.0, 10.0, 0.8, max_servers=-2), "max_servers"),
        (lambda: servers_needed_for_mean_wait(1.0, 5.0, 0.0), "max_mean_wait"),
        (lambda: staffing_plan(np.array([[-3.0]]), 5.0, 10.0, 0.8, 12), "arrivals_per_hour"),
        (lambda: staffing_plan(np.array([[3.0]]), 0.0, 10.0, 0.8, 12), "mean_service_minutes"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_bad_array_input_says_where():
    with pytest.raises(ValueError, match=r"arrivals_per_hour must be >= 0; got -2.0 at index \(1, 0\)"):
        staffing_plan(np.array([[1.0], [-2.0]]), 5.0, 10.0, 0.8, 12)


# --------------------------------------------------------------------------- servers_needed


@pytest.mark.parametrize(
    "arrival_rate, service, target_wait, level",
    [
        (1.0, 3.0, 0.0, 0.5),
        (0.5, 8.0, 10.0, 0.8),
        (12.0, 4.0, 0.25, 0.8),
        (500.0, 1.0, 0.05, 0.95),
        (0.01, 10.0, 5, 0.99),
    ],
)
def test_servers_needed_is_minimal_and_stable(arrival_rate, service, target_wait, level):
    c = servers_needed(arrival_rate, service, target_wait, level)
    assert c > arrival_rate * service  # a stable queue, always
    assert service_level(arrival_rate, service, c, target_wait) >= level
    assert service_level(arrival_rate, service, c - 1, target_wait) < level


def test_servers_needed_is_monotone_in_arrival_rate():
    rates = np.linspace(0.0, 3.0, 301)  # customers per minute
    needed = servers_needed(rates, 8.0, 10.0, 0.8)
    assert needed[0] == 0
    assert np.all(np.diff(needed) >= 0)
    assert needed[-1] > 24  # a = 24 Erlangs at the top
    # Array and scalar calls agree.
    for i in (1, 77, 150, 300):
        assert needed[i] == servers_needed(float(rates[i]), 8.0, 10.0, 0.8)


def test_servers_needed_for_mean_wait_is_minimal():
    for rate, service, target in [(1.0, 3.0, 0.5), (5.0, 2.0, 0.1), (0.2, 10.0, 3.0)]:
        c = servers_needed_for_mean_wait(rate, service, target)
        assert c > rate * service
        assert mean_wait(rate, service, c) <= target < mean_wait(rate, service, c - 1)


def test_unreachable_target_raises_with_best_level():
    # 100 per minute × 1 minute = 100 Erlangs: 50 counters are hopelessly unstable.
    with pytest.raises(TargetUnreachable) as caught:
        servers_needed(100.0, 1.0, 0.1, 0.9, max_servers=50)
    assert caught.value.best_service_level == 0.0
    assert caught.value.max_servers == 50
    # Stable at the capacity but short of the target: the best level is the level at capacity.
    needed = servers_needed(1.0, 5.0, 1.0, 0.95)
    with pytest.raises(TargetUnreachable) as caught:
        servers_needed(1.0, 5.0, 1.0, 0.95, max_servers=needed - 1)
    assert caught.value.best_service_level == service_level(1.0, 5.0, needed - 1, 1.0)
    assert 0 < caught.value.best_service_level < 0.95
    with pytest.raises(TargetUnreachable) as caught:
        servers_needed_for_mean_wait(1.0, 5.0, 0.01, max_servers=6)
    assert caught.value.best_mean_wait == mean_wait(1.0, 5.0, 6)


# --------------------------------------------------------------------------- staffing_plan


def test_staffing_plan_matches_scalar_search():
    rng = np.random.default_rng(7)
    arrivals = rng.uniform(5, 80, size=(30, 8, 2))  # outlets × hours × day types, per hour
    service = rng.uniform(6, 12, size=(30, 1, 1))  # minutes, one per outlet
    plan = staffing_plan(arrivals, service, 10.0, 0.8, 12)
    assert plan.counters.shape == (30, 8, 2)
    for index in np.ndindex(plan.counters.shape):
        rate, minutes = arrivals[index] / 60, service[index[0], 0, 0]
        if plan.reachable[index]:
            assert plan.counters[index] == servers_needed(rate, minutes, 10.0, 0.8, max_servers=12)
            assert plan.service_level[index] >= 0.8
            assert plan.mean_wait_minutes[index] == pytest.approx(mean_wait(rate, minutes, plan.counters[index]))
        else:
            assert plan.counters[index] == UNREACHABLE
            with pytest.raises(TargetUnreachable):
                servers_needed(rate, minutes, 10.0, 0.8, max_servers=12)
            # The plan reports what the full lobby would achieve.
            assert plan.service_level[index] == pytest.approx(service_level(rate, minutes, 12, 10.0))
            assert plan.service_level[index] < 0.8
    assert plan.reachable.any() and not plan.reachable.all()


def test_staffing_plan_edge_cells_never_crash():
    arrivals = np.array([0.0, 30.0, 600.0])  # per hour: nobody, normal, far beyond 12 counters
    plan = staffing_plan(arrivals, 10.0, 10.0, 0.8, max_servers=12)
    assert plan.counters.tolist() == [0, servers_needed(0.5, 10.0, 10.0, 0.8), UNREACHABLE]
    assert plan.reachable.tolist() == [True, True, False]
    assert plan.service_level[0] == 1.0 and plan.mean_wait_minutes[0] == 0.0
    assert plan.service_level[2] == 0.0 and plan.mean_wait_minutes[2] == math.inf  # 100 Erlangs > 12
    # Per-outlet capacity broadcasts too.
    plan = staffing_plan(np.full((2, 3), 30.0), 10.0, 10.0, 0.8, max_servers=np.array([[1], [12]]))
    assert (plan.counters[0] == UNREACHABLE).all() and (plan.counters[1] > 5).all()


def test_staffing_plan_for_a_region_plans_each_outlet_as_on_its_own():
    # A region at once (the size bench/bench_queueing.py times): no outlet's plan depends on the
    # others in the array, so any outlet's slice planned alone gives the same counters and waits.
    rng = np.random.default_rng(1)
    arrivals = rng.uniform(5, 80, size=(1000, 8, 2))
    service = rng.uniform(6, 12, size=(1000, 1, 1))
    region = staffing_plan(arrivals, service, 10.0, 0.8, 12)
    assert region.counters.shape == (1000, 8, 2)
    assert region.reachable.any() and not region.reachable.all()
    for outlet in (0, 1, 499, 998, 999):
        alone = staffing_plan(arrivals[outlet], service[outlet], 10.0, 0.8, 12)
        np.testing.assert_array_equal(region.counters[outlet], alone.counters)
        np.testing.assert_array_equal(region.mean_wait_minutes[outlet], alone.mean_wait_minutes)


# --------------------------------------------------------------------------- simulation engine rules


def test_counter_finishes_service_past_its_hour_then_closes():
    # Day of 3 hours; one counter in hours 0 and 2, none in hour 1 (e.g. lunch).
    schedule = counter_schedule([1, 0, 1])
    arrivals = np.array([[10.0, 55.0, np.inf]])
    services = np.array([[50.0, 5.0, 1.0]])
    starts = fifo_start_times(arrivals, services, schedule)
    # Customer 1 starts at 10 and is served until 60 (past the hour's end: the service is
    # finished). Customer 2 arrived at 55, but the counter is closed in hour 1, so they start
    # when it reopens at 120. The padding slot never starts.
    assert starts.tolist() == [[10.0, 120.0, math.inf]]


def test_added_counter_serves_the_queue_at_once_and_last_hour_counters_serve_after_closing():
    schedule = counter_schedule([1, 2])
    arrivals = np.array([[0.0, 5.0, 100.0, 110.0, 119.0]])
    services = np.array([[100.0, 10.0, 30.0, 30.0, 30.0]])
    starts = fifo_start_times(arrivals, services, schedule)
    # 0 takes counter 0 until 100; 5 waits for counter 1, which opens at 60; 100 takes counter
    # 0 at 100 (until 130); 110 takes counter 1 (free since 70); 119 waits for counter 0 at
    # 130: after closing (120) the last hour's two counters keep serving.
    assert starts.tolist() == [[0.0, 60.0, 100.0, 110.0, 130.0]]


def test_abandoning_customer_leaves_without_taking_a_counter():
    schedule = counter_schedule([1])
    arrivals = np.array([[0.0, 1.0, 2.0]])
    services = np.array([[10.0, 10.0, 10.0]])
    patience = np.array([[np.inf, 5.0, 60.0]])
    starts = fifo_start_times(arrivals, services, schedule, patience)
    # Customer 2 would start at 10 (waiting 9 > 5 minutes): leaves; customer 3 starts at 10.
    assert np.isnan(starts[0, 1])
    assert starts[0, [0, 2]].tolist() == [0.0, 10.0]


# --------------------------------------------------------------------------- simulation vs formulas


def stationary_day(**kwargs):
    # ρ = 0.8 on 3 counters: 28.8 customers an hour × 5 minutes = 2.4 Erlangs. A 40-hour "day"
    # with the first 8 hours discarded as warm-up approximates the steady state Erlang C describes
    # (the lobby opens empty; its relaxation time here is a few hours of 5-minute services).
    return simulate_lobby(np.full(40, 28.8), 5.0, 3, 200, 20260401, warmup_hours=8, **kwargs)


def test_simulated_mean_wait_agrees_with_erlang_c():
    result = stationary_day()
    formula = mean_wait(28.8 / 60, 5.0, 3)  # ≈ 5.39 minutes
    low, high = result.mean_wait_ci
    assert low <= formula <= high
    assert result.ci_half_width < 0.1 * formula  # the interval is tight enough to mean something
    assert result.share_within_target_overall == pytest.approx(service_level(28.8 / 60, 5.0, 3, 10.0), abs=0.02)
    assert (result.abandonment_share == 0).all()


def test_abandonment_lowers_the_wait():
    plain = stationary_day()
    impatient = stationary_day(abandonment_patience_minutes=10.0)
    # Same seed: the same customers and service times (patience is drawn last). Customers who
    # give up free the queue for everyone behind them, and the long waits they would have had
    # are never recorded, so the mean wait of those served falls, at the cost of lost customers.
    assert impatient.mean_wait < plain.mean_wait_ci[0]
    assert impatient.abandonment_share.mean() > 0.05
    assert (impatient.share_within_target <= 1.0).all()


@pytest.mark.parametrize("cv", [0.0, 0.5])
def test_lognormal_service_matches_pollaczek_khinchine(cv):
    # M/G/1 (one counter, any service distribution): W = ρ·S·(1 + cv²) / (2(1 − ρ)).
    # ρ = 0.7 with 6-minute services: 7 customers an hour; W = 7·(1 + cv²) minutes.
    result = simulate_lobby(np.full(40, 7.0), 6.0, 1, 200, 11, service_cv=cv, warmup_hours=8)
    expected = 0.7 * 6.0 * (1 + cv**2) / (2 * 0.3)
    # 1.7 half-widths ≈ 3.3 standard errors: a false alarm about once in a thousand seeds,
    # where the bare 95 % interval would fail one seed in twenty.
    assert abs(result.mean_wait - expected) <= 1.7 * result.ci_half_width
    assert result.ci_half_width < 0.1 * expected


def test_simulation_day_profile_and_closed_hour():
    rates = [20.0, 20.0, 20.0, 20.0]
    result = simulate_lobby(rates, 6.0, [2, 0, 2, 2], 100, 3, target_wait_minutes=10.0, opening_hour=9)
    frame = result.to_frame()
    assert frame["hour"].tolist() == [9, 10, 11, 12]
    assert frame["arrivals"].to_numpy() == pytest.approx(20.0, rel=0.1)
    # Nobody is served in hour 1 (10:00-11:00): its arrivals wait at least until 11:00, i.e.
    # 30 minutes on average, and none is served within 10 minutes except right before 11:00.
    assert result.mean_wait_minutes[1] > 30.0
    assert result.share_within_target[1] < 0.25
    assert (result.p95_wait_minutes >= result.mean_wait_minutes).all()


def test_simulation_is_reproducible():
    # How long this takes is measured by bench/bench_queueing.py (the same day), not asserted here.
    rates = np.array([30, 50, 70, 60, 40, 55, 65, 35], dtype=float)
    first = simulate_lobby(rates, 8.0, [5, 8, 11, 10, 7, 9, 11, 6], 200, 42)
    second = simulate_lobby(rates, 8.0, [5, 8, 11, 10, 7, 9, 11, 6], 200, 42)
    assert first.mean_wait == second.mean_wait
    np.testing.assert_array_equal(first.p95_wait_minutes, second.p95_wait_minutes)


def test_simulation_with_no_arrivals():
    result = simulate_lobby([0.0, 0.0], 5.0, [0, 0], 10, 1)
    assert math.isnan(result.mean_wait)
    assert (result.arrivals == 0).all()


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"arrival_rates_per_hour": [-1.0, 5.0]}, "arrival_rates_per_hour"),
        ({"arrival_rates_per_hour": [np.nan, 5.0]}, "arrival_rates_per_hour"),
        ({"mean_service_minutes": 0.0}, "mean_service_minutes"),
        ({"mean_service_minutes": [5.0, 5.0, 5.0]}, "mean_service_minutes"),
        ({"counters_per_hour": [2, 0]}, r"counters_per_hour\[-1\]"),
        ({"counters_per_hour": [2, 1.5]}, "counters_per_hour"),
        ({"replications": 1}, "replications"),
        ({"abandonment_patience_minutes": 0.0}, "abandonment_patience_minutes"),
        ({"service_cv": -0.5}, "service_cv"),
        ({"warmup_hours": 2}, "warmup_hours"),
    ],
)
def test_simulation_bad_input(kwargs, name):
    arguments = {
        "arrival_rates_per_hour": [10.0, 5.0],
        "mean_service_minutes": 5.0,
        "counters_per_hour": [2, 1],
        "replications": 10,
        "seed": 1,
    } | kwargs
    with pytest.raises(ValueError, match=name):
        simulate_lobby(**arguments)
