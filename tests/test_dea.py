"""Data envelopment analysis (analytics.dea): known answers, frontier properties and a brute-force baseline.

Reference values are derived by hand in the comments (small geometric cases) or recomputed by an
independent, deliberately naive solver written here: one dense ``linprog`` per unit over *all*
units, for both phases (radial factor, then maximal slacks with the radial factor fixed). The
module under test uses column generation, stacked LPs and a phase-2 shortcut, so agreement with
the naive solver is a real check, not a tautology.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import analytics.dea as dea_module
from analytics.dea import DEASampleSizeWarning, dea, super_efficiency, too_few_units

# --------------------------------------------------------------------------- independent reference


def reference_radial(x_ref, y_ref, x_o, y_o, vrs: bool, input_oriented: bool) -> tuple[float, np.ndarray] | None:
    """θ* (input) or φ* (output) of the point (x_o, y_o) against the units (x_ref, y_ref), and λ*.

    Textbook envelopment LP, variables [θ or φ, λ_1..λ_n] ≥ 0:
    input:  min θ  s.t. Σ λ_j x_j ≤ θ x_o,  Σ λ_j y_j ≥ y_o   (BCC: Σ λ_j = 1)
    output: max φ  s.t. Σ λ_j x_j ≤ x_o,    Σ λ_j y_j ≥ φ y_o (BCC: Σ λ_j = 1)
    None when infeasible.
    """
    n, m = x_ref.shape
    s = y_ref.shape[1]
    if input_oriented:
        radial = np.r_[-x_o, np.zeros(s)]
        rhs = np.r_[np.zeros(m), -y_o]
    else:
        radial = np.r_[np.zeros(m), y_o]
        rhs = np.r_[x_o, np.zeros(s)]
    a_ub = np.column_stack([radial, np.vstack([x_ref.T, -y_ref.T])])
    cost = np.r_[1.0 if input_oriented else -1.0, np.zeros(n)]
    a_eq = np.r_[0.0, np.ones(n)][None, :] if vrs else None
    b_eq = [1.0] if vrs else None
    result = linprog(cost, A_ub=a_ub, b_ub=rhs, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status != 0:
        return None
    return float(result.x[0]), result.x[1:]


def reference_max_slacks(x, y, o: int, radial: float, vrs: bool, input_oriented: bool) -> np.ndarray:
    """Phase 2 for unit o over all units: max Σ s⁻_i/x_io + Σ s⁺_r/y_ro with the radial factor fixed.

    input:  Xλ + s⁻ = θ x_o,  Yλ − s⁺ = y_o;  output: Xλ + s⁻ = x_o,  Yλ − s⁺ = φ y_o.
    Returns the slacks [s⁻ (m), s⁺ (s)]. The radial factor is loosened by 1e-9 if rounding
    makes the LP infeasible.
    """
    n, m = x.shape
    s = y.shape[1]
    a_eq = np.block([[x.T, np.eye(m), np.zeros((m, s))], [y.T, np.zeros((s, m)), -np.eye(s)]])
    if vrs:
        a_eq = np.vstack([a_eq, np.r_[np.ones(n), np.zeros(m + s)]])
    cost = np.r_[np.zeros(n), -1.0 / x[o], -1.0 / y[o]]
    for factor in (radial, radial * (1 + 1e-9 if input_oriented else 1 - 1e-9)):
        rhs = np.r_[factor * x[o], y[o]] if input_oriented else np.r_[x[o], factor * y[o]]
        if vrs:
            rhs = np.r_[rhs, 1.0]
        result = linprog(cost, A_eq=a_eq, b_eq=rhs, bounds=(0, None), method="highs")
        if result.status == 0:
            return result.x[n:]
    raise AssertionError(f"reference phase 2 infeasible for unit {o}")


def reference_dea(x, y, vrs: bool, input_oriented: bool) -> tuple[np.ndarray, np.ndarray]:
    """(efficiency per unit, maximal slacks per unit (n, m + s)) by the naive two-phase method."""
    n = x.shape[0]
    efficiency = np.empty(n)
    slacks = np.empty((n, x.shape[1] + y.shape[1]))
    for o in range(n):
        radial, _ = reference_radial(x, y, x[o], y[o], vrs, input_oriented)
        efficiency[o] = radial if input_oriented else 1.0 / radial
        slacks[o] = reference_max_slacks(x, y, o, radial, vrs, input_oriented)
    return efficiency, slacks


def relative_slack_sum(slacks: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Σ s⁻_i/x_io + Σ s⁺_r/y_ro per unit: the phase-2 objective, whose optimum is unique."""
    return (slacks / np.hstack([x, y])).sum(axis=1)


def slack_matrix(result: pd.DataFrame) -> np.ndarray:
    """The slack columns of a dea() result, inputs then outputs, as an (n, m + s) array."""
    return result[[c for c in result.columns if c.startswith("slack_")]].to_numpy(dtype=float)


def target_matrices(result: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(target inputs, target outputs) of a dea() result."""
    target_in = result[[c for c in result.columns if c.startswith("target_in_")]].to_numpy(dtype=float)
    target_out = result[[c for c in result.columns if c.startswith("target_out_")]].to_numpy(dtype=float)
    return target_in, target_out


def random_units(seed: int, n: int = 60, m: int = 3, s: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Random positive data plus two hand-made frontier units at the end.

    Unit n−2 ("P") uses a thousandth of anyone else's first input, so it lies on every frontier;
    unit n−1 ("Q") is P with its second input doubled: radial score 1 in every model and
    orientation (only P can match its tiny first input) but a slack of x_P2 in input 2, i.e.
    weakly efficient. This makes the phase-2 shortcut and the `efficient` flag matter.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n - 2, m))
    y = rng.uniform(1.0, 10.0, size=(n - 2, s))
    p_x = np.r_[x[:, 0].min() / 1000.0, x[:, 1:].mean(axis=0)]
    p_y = np.median(y, axis=0)
    q_x = p_x.copy()
    q_x[1] *= 2.0
    return np.vstack([x, p_x, q_x]), np.vstack([y, p_y, p_y])


MODEL_ORIENTATIONS = [("ccr", "input"), ("ccr", "output"), ("bcc", "input"), ("bcc", "output")]


# --------------------------------------------------------------------------- hand-solved cases


def test_single_input_single_output_ccr_is_ratio_over_best_ratio():
    # CRS with one input and one output: the frontier is the ray through the best y/x, so every
    # unit's efficiency is (y/x) / max(y/x) in both orientations. Ratios: 0.5, 1.25, 1, 0.8, 2, 0.25.
    x = np.array([4.0, 4.0, 5.0, 10.0, 3.0, 8.0])
    y = np.array([2.0, 5.0, 5.0, 8.0, 6.0, 2.0])
    expected = [0.25, 0.625, 0.5, 0.4, 1.0, 0.125]
    for orientation in ("input", "output"):
        result = dea(x, y, "ccr", orientation)
        np.testing.assert_allclose(result["efficiency"], expected, rtol=1e-9)
        assert result["efficient"].tolist() == [False, False, False, False, True, False]
        # Every inefficient unit's only peer is unit 4 (the best ratio); input targets are θ·x.
        assert all(peers == [4] for peers in result["peers"])
    result = dea(x, y, "ccr", "input")
    np.testing.assert_allclose(result["target_in_x1"], np.array(expected) * x, rtol=1e-9)
    np.testing.assert_allclose(result["target_out_y1"], y, rtol=1e-9)
    # λ of unit o on unit 4 (x=3, y=6): λ·6 = y_o, so λ = y_o / 6.
    np.testing.assert_allclose([lam[4] for lam in result["lambdas"]], y / 6.0, rtol=1e-9)
    output = dea(x, y, "ccr", "output")
    np.testing.assert_allclose(output["phi"], 1.0 / np.array(expected), rtol=1e-9)
    np.testing.assert_allclose(output["target_out_y1"], y / np.array(expected), rtol=1e-9)


# Cooper, Seiford & Tone, Data Envelopment Analysis (2nd ed.), Table 3.2: two inputs, one output (= 1).
CST_LABELS = list("ABCDEF")
CST_INPUTS = pd.DataFrame(
    {"x1": [4.0, 7.0, 8.0, 4.0, 2.0, 10.0], "x2": [3.0, 3.0, 1.0, 2.0, 4.0, 1.0]}, index=pd.Index(CST_LABELS)
)
CST_OUTPUTS = pd.DataFrame({"y": [1.0] * 6}, index=pd.Index(CST_LABELS))


def cst_result(orientation: str = "input") -> pd.DataFrame:
    with pytest.warns(DEASampleSizeWarning):  # 6 units < 3·(2 + 1) = 9
        return dea(CST_INPUTS, CST_OUTPUTS, "ccr", orientation)


def test_cooper_seiford_tone_two_inputs_one_output():
    # Output 1 everywhere, so the CCR frontier is the lower-left convex hull of the input points
    # (plus free disposal): E(2,4) – D(4,2) – C(8,1), then horizontal from C (x2 = 1 for x1 ≥ 8).
    # A(4,3): the ray t·(4,3) meets segment E–D (x1 + x2 = 6) at 7t = 6 → θ = 6/7 ≈ 0.857;
    #   λ_D·(4,2) + λ_E·(2,4) = (24/7, 18/7) with λ_D + λ_E = 1 → λ_D = 5/7, λ_E = 2/7.
    # B(7,3): the ray t·(7,3) meets segment D–C (x1 + 4·x2 = 12) at 19t = 12 → θ = 12/19 ≈ 0.632;
    #   λ_D·4 + λ_C·8 = 84/19 with λ_D + λ_C = 1 → λ_C = 2/19, λ_D = 17/19.
    # F(10,1): x2 = 1 per unit output is only achievable with C, so θ = 1 with λ_C = 1 and a
    #   slack of 10 − 8 = 2 in x1: weakly efficient, target (8, 1).
    result = cst_result()
    assert list(result.index) == CST_LABELS
    np.testing.assert_allclose(result["efficiency"], [6 / 7, 12 / 19, 1, 1, 1, 1], rtol=1e-9)
    assert result["efficient"].tolist() == [False, False, True, True, True, False]
    assert result.loc["A", "lambdas"] == pytest.approx({"D": 5 / 7, "E": 2 / 7}, rel=1e-9)
    assert result.loc["B", "lambdas"] == pytest.approx({"C": 2 / 19, "D": 17 / 19}, rel=1e-9)
    assert result.loc["F", "lambdas"] == pytest.approx({"C": 1.0}, rel=1e-9)
    assert result.loc["F", "peers"] == ["C"]
    assert result.loc["F", "slack_in_x1"] == pytest.approx(2.0, rel=1e-9)
    assert [result.loc["F", c] for c in ("target_in_x1", "target_in_x2", "target_out_y")] == pytest.approx(
        [8.0, 1.0, 1.0], rel=1e-9
    )
    # A and B have no slacks: their targets are the radial projections θ·x.
    assert result.loc[["A", "B"], ["slack_in_x1", "slack_in_x2", "slack_out_y"]].to_numpy().max() == 0.0
    assert result.loc["A", ["target_in_x1", "target_in_x2"]].tolist() == pytest.approx([24 / 7, 18 / 7], rel=1e-9)
    assert result.loc["B", ["target_in_x1", "target_in_x2"]].tolist() == pytest.approx([84 / 19, 36 / 19], rel=1e-9)
    for unit in "CDE":
        assert result.loc[unit, "peers"] == [unit]


def test_cooper_seiford_tone_output_orientation_is_reciprocal():
    # Under CRS, φ* = 1/θ* and the output λ's are the input λ's divided by θ*.
    result = cst_result("output")
    np.testing.assert_allclose(result["phi"], [7 / 6, 19 / 12, 1, 1, 1, 1], rtol=1e-9)
    np.testing.assert_allclose(result["efficiency"], [6 / 7, 12 / 19, 1, 1, 1, 1], rtol=1e-9)
    assert result.loc["A", "lambdas"] == pytest.approx({"D": 5 / 6, "E": 2 / 6}, rel=1e-9)
    assert result.loc["F", "slack_in_x1"] == pytest.approx(2.0, rel=1e-9)
    assert result["efficient"].tolist() == [False, False, True, True, True, False]


# One input, one output, variable returns to scale. VRS frontier (concave hull with free
# disposal): A(2,1) – B(3,3) – C(6,5), flat at y = 5 beyond x = 6. Segment A–B: y = 2x − 3;
# segment B–C: y = 3 + 2(x − 3)/3.
BCC_X = pd.DataFrame({"staff": [2.0, 3.0, 6.0, 4.0, 5.0, 7.0]}, index=pd.Index(list("ABCDEF"), name="branch"))
BCC_Y = pd.DataFrame({"loans": [1.0, 3.0, 5.0, 2.0, 4.0, 4.0]}, index=BCC_X.index)


def test_bcc_single_input_single_output_hand_frontier():
    # Input orientation (smallest x on the frontier with y ≥ y_o):
    #   D(4,2): A–B reaches y = 2 at x = 2.5 → θ = 2.5/4 = 0.625, λ_A = λ_B = 1/2.
    #   E(5,4): B–C reaches y = 4 at x = 4.5 → θ = 0.9;  F(7,4): θ = 4.5/7 = 9/14, λ_B = λ_C = 1/2.
    inputs = dea(BCC_X, BCC_Y, "bcc", "input")
    np.testing.assert_allclose(inputs["efficiency"], [1, 1, 1, 0.625, 0.9, 9 / 14], rtol=1e-9)
    assert inputs["efficient"].tolist() == [True, True, True, False, False, False]
    assert inputs.loc["D", "lambdas"] == pytest.approx({"A": 0.5, "B": 0.5}, rel=1e-9)
    assert inputs.loc["F", "lambdas"] == pytest.approx({"B": 0.5, "C": 0.5}, rel=1e-9)
    np.testing.assert_allclose(inputs["target_in_staff"], [2, 3, 6, 2.5, 4.5, 4.5], rtol=1e-9)
    # Output orientation (largest y on the frontier with x ≤ x_o):
    #   D: x = 4 on B–C gives y = 11/3 → φ = 11/6, efficiency 6/11.
    #   E: x = 5 gives y = 13/3 → φ = 13/12, efficiency 12/13.
    #   F: x = 7 is past C, so y = 5 → φ = 5/4 (efficiency 0.8), reached by C alone with x = 6:
    #   a slack of 1 in staff, target (6, 5).
    outputs = dea(BCC_X, BCC_Y, "bcc", "output")
    np.testing.assert_allclose(outputs["efficiency"], [1, 1, 1, 6 / 11, 12 / 13, 0.8], rtol=1e-9)
    np.testing.assert_allclose(outputs["phi"], [1, 1, 1, 11 / 6, 13 / 12, 1.25], rtol=1e-9)
    assert outputs.loc["F", "slack_in_staff"] == pytest.approx(1.0, rel=1e-9)
    assert outputs.loc["F", ["target_in_staff", "target_out_loans"]].tolist() == pytest.approx([6.0, 5.0], rel=1e-9)
    assert outputs.loc["F", "peers"] == ["C"]
    assert outputs.loc["D", "lambdas"] == pytest.approx({"B": 2 / 3, "C": 1 / 3}, rel=1e-9)
    # BCC input and output scores differ (unlike CCR), and CCR is never above BCC: under CRS only
    # B (best ratio y/x = 1) is efficient; D's CCR score is 0.5/1 = 0.5.
    assert not np.allclose(inputs["efficiency"], outputs["efficiency"])
    ccr = dea(BCC_X, BCC_Y, "ccr", "input")
    np.testing.assert_allclose(ccr["efficiency"], [0.5, 1, 5 / 6, 0.5, 0.8, 4 / 7], rtol=1e-9)
    assert (ccr["efficiency"] <= inputs["efficiency"] + 1e-12).all()
    assert inputs.index.name == "branch"


def test_ccr_input_theta_is_reciprocal_of_output_phi():
    x, y = random_units(7, n=40)
    theta = dea(x, y, "ccr", "input")["theta"].to_numpy()
    phi = dea(x, y, "ccr", "output")["phi"].to_numpy()
    np.testing.assert_allclose(theta, 1.0 / phi, rtol=1e-7)
    assert (theta < 1).sum() > 20  # not a vacuous check


def test_labels_and_order_follow_the_input():
    # Same CST data in reverse order with unsorted labels: rows come back in input order.
    reverse = CST_INPUTS.iloc[::-1]
    with pytest.warns(DEASampleSizeWarning):
        result = dea(reverse, CST_OUTPUTS.iloc[::-1], "ccr", "input")
    assert list(result.index) == list("FEDCBA")
    np.testing.assert_allclose(result["efficiency"], [1, 1, 1, 1, 12 / 19, 6 / 7], rtol=1e-9)
    assert result.attrs == {"model": "ccr", "orientation": "input", "slack_objective": "relative"}
    # Plain arrays: units are numbered 0..n−1 and variables x1.., y1...
    with pytest.warns(DEASampleSizeWarning):
        plain = dea(CST_INPUTS.to_numpy(), CST_OUTPUTS["y"].to_numpy())
    assert list(plain.index) == list(range(6))
    assert {"slack_in_x1", "slack_in_x2", "slack_out_y1", "target_in_x2", "target_out_y1"} <= set(plain.columns)
    assert plain.loc[5, "peers"] == [2]


# --------------------------------------------------------------------------- targets and peers


@pytest.mark.parametrize("model, orientation", MODEL_ORIENTATIONS)
def test_targets_lie_on_the_frontier_and_peers_are_efficient(model, orientation):
    x, y = random_units(11)
    result = dea(x, y, model, orientation)
    target_in, target_out = target_matrices(result)
    efficient = result["efficient"].to_numpy()
    # Peers are efficient units, and the λ's reproduce the targets exactly: Xλ = target_in, Yλ = target_out.
    for o, lambdas in enumerate(result["lambdas"]):
        assert lambdas and all(efficient[j] for j in lambdas)
        weights = np.zeros(len(x))
        weights[list(lambdas)] = list(lambdas.values())
        np.testing.assert_allclose(x.T @ weights, target_in[o], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(y.T @ weights, target_out[o], rtol=1e-6, atol=1e-9)
        if model == "bcc":
            assert sum(lambdas.values()) == pytest.approx(1.0, abs=1e-7)
    # Targets never ask for more input or less output than the unit has.
    assert (target_in <= x * (1 + 1e-9)).all() and (target_out >= y * (1 - 1e-9)).all()
    # Every target is efficient: DEA of the projected units scores them all 1 with no slack,
    # and scored against the original units each target also gets radial factor 1.
    projected = dea(target_in, target_out, model, orientation)
    assert projected["efficient"].all()
    vrs, input_oriented = model == "bcc", orientation == "input"
    for o in range(0, len(x), 7):
        radial, _ = reference_radial(x, y, target_in[o], target_out[o], vrs, input_oriented)
        assert radial == pytest.approx(1.0, abs=1e-7)
    # The weakly efficient hand-made unit Q (last) has radial score 1, slack x_P2 in input 2, peer P.
    q = len(x) - 1
    assert result["efficiency"].iloc[q] == 1.0 and not efficient[q]
    assert result["slack_in_x2"].iloc[q] == pytest.approx(x[q - 1, 1], rel=1e-7)
    assert result["peers"].iloc[q] == [q - 1]


# --------------------------------------------------------------------------- against the naive solver


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("model, orientation", MODEL_ORIENTATIONS)
def test_matches_one_lp_per_unit_baseline(model, orientation, seed):
    x, y = random_units(seed, n=60, m=3, s=2)
    result = dea(x, y, model, orientation)
    efficiency, slacks = reference_dea(x, y, model == "bcc", orientation == "input")
    np.testing.assert_allclose(result["efficiency"], efficiency, rtol=0, atol=1e-6)
    # Maximal slacks: the projection may differ between alternative optima, the maximum may not.
    np.testing.assert_allclose(
        relative_slack_sum(slack_matrix(result), x, y), relative_slack_sum(slacks, x, y), rtol=0, atol=1e-5
    )
    reference_efficient = (efficiency >= 1 - 1e-6) & (slacks <= 1e-6 * np.hstack([x, y])).all(axis=1)
    assert result["efficient"].tolist() == reference_efficient.tolist()
    assert 0 < reference_efficient.sum() < len(x) - 1


@pytest.mark.parametrize("model, orientation", MODEL_ORIENTATIONS)
def test_column_generation_alone_is_exact(monkeypatch, model, orientation):
    # Start every unit's working set with the unit itself only (no seeding heuristic) and solve
    # in small batches: pricing alone must then find every needed peer, over several rounds.
    monkeypatch.setattr(dea_module, "_initial_columns", lambda p: [np.array([o]) for o in range(p.n)])
    monkeypatch.setattr(dea_module, "_BATCH_UNITS", 5)
    x, y = random_units(3, n=50, m=2, s=2)
    result = dea(x, y, model, orientation)
    efficiency, slacks = reference_dea(x, y, model == "bcc", orientation == "input")
    np.testing.assert_allclose(result["efficiency"], efficiency, rtol=0, atol=1e-6)
    np.testing.assert_allclose(
        relative_slack_sum(slack_matrix(result), x, y), relative_slack_sum(slacks, x, y), rtol=0, atol=1e-5
    )


@pytest.mark.parametrize("model, orientation", [("ccr", "input"), ("bcc", "output")])
def test_round_limit_falls_back_to_all_units(monkeypatch, model, orientation):
    # With one pricing round allowed, units not certified in round 0 are solved over all units.
    monkeypatch.setattr(dea_module, "_initial_columns", lambda p: [np.array([o]) for o in range(p.n)])
    monkeypatch.setattr(dea_module, "_MAX_ROUNDS", 1)
    x, y = random_units(6, n=40)
    efficiency, slacks = reference_dea(x, y, model == "bcc", orientation == "input")
    result = dea(x, y, model, orientation)
    np.testing.assert_allclose(result["efficiency"], efficiency, rtol=0, atol=1e-6)
    np.testing.assert_allclose(
        relative_slack_sum(slack_matrix(result), x, y), relative_slack_sum(slacks, x, y), rtol=0, atol=1e-5
    )


def test_failed_stacked_lp_is_split_and_retried(monkeypatch):
    # A stacked LP that fails (simulated: any batch containing unit 5 with others) is split in
    # halves until the failing unit is alone; the results are unchanged.
    solve = dea_module._solve_phase1

    def flaky(p, units, columns, extra):
        if len(units) > 1 and 5 in units:
            return None
        return solve(p, units, columns, extra)

    x, y = random_units(5, n=40)
    expected = dea(x, y, "bcc", "input")
    monkeypatch.setattr(dea_module, "_solve_phase1", flaky)
    result = dea(x, y, "bcc", "input")
    np.testing.assert_allclose(result["efficiency"], expected["efficiency"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(slack_matrix(result), slack_matrix(expected), rtol=0, atol=1e-9)


def test_lp_failing_in_a_later_round_is_not_reported_uncertified(monkeypatch):
    # Working sets start with the unit alone (round 0: θ = 1, λ_o = 1, not yet certified). If the
    # unit's LP then fails in a later round, its round-0 answer must not be kept: it is re-solved
    # over all units instead. Unit 0 is inefficient, so keeping round 0 would report 1.
    monkeypatch.setattr(dea_module, "_initial_columns", lambda p: [np.array([o]) for o in range(p.n)])
    solve = dea_module._solve_phase1

    def flaky(p, units, columns, extra):
        if any(unit == 0 and 1 < cols.size < p.n for unit, cols in zip(units, columns)):
            return None
        return solve(p, units, columns, extra)

    monkeypatch.setattr(dea_module, "_solve_phase1", flaky)
    x, y = random_units(4, n=40)
    expected, _ = reference_dea(x, y, vrs=False, input_oriented=True)
    assert expected[0] < 0.99
    np.testing.assert_allclose(dea(x, y)["efficiency"], expected, rtol=0, atol=1e-6)


def test_phase2_failure_falls_back_to_phase1_residuals(monkeypatch):
    # If the max-slack LP cannot be solved at all, the scores are still right, a RuntimeWarning
    # says so, and the reported slacks are the phase-1 residuals (feasible, maybe not maximal).
    monkeypatch.setattr(dea_module, "_solve_phase2", lambda *args: None)
    with pytest.warns(DEASampleSizeWarning), pytest.warns(RuntimeWarning, match="max-slack LP failed"):
        result = dea(CST_INPUTS, CST_OUTPUTS, "ccr", "input")
    np.testing.assert_allclose(result["efficiency"], [6 / 7, 12 / 19, 1, 1, 1, 1], rtol=1e-9)
    assert result.loc["F", "slack_in_x1"] == pytest.approx(2.0, rel=1e-9)  # here the residual is the maximum


def test_slack_objective_sum_is_unit_dependent_but_scores_are_not():
    # Same data with input 1 recorded in thousands: scores and the efficient flag do not change.
    x, y = random_units(2, n=40)
    scaled = x * np.r_[1000.0, 1.0, 1.0]
    for objective in ("relative", "sum"):
        a = dea(x, y, slack_objective=objective)
        b = dea(scaled, y, slack_objective=objective)
        np.testing.assert_allclose(a["efficiency"], b["efficiency"], rtol=1e-7)
        assert a["efficient"].tolist() == b["efficient"].tolist()
    relative = dea(scaled, y)
    np.testing.assert_allclose(relative["slack_in_x1"] / 1000.0, dea(x, y)["slack_in_x1"], rtol=1e-6, atol=1e-9)


# --------------------------------------------------------------------------- super-efficiency


def test_super_efficiency_single_input_single_output():
    # CRS, ratios y/x = 1, 1.5, 0.8, 2/3, 0.5. Without B (best, 1.5) the best ratio is A's 1, so B's
    # super-efficiency is 1.5 / 1 = 1.5; every other unit keeps its ordinary score ratio / 1.5.
    x = [2.0, 4.0, 5.0, 3.0, 6.0]
    y = [2.0, 6.0, 4.0, 2.0, 3.0]
    with pytest.warns(DEASampleSizeWarning):
        scores = super_efficiency(x, y)
    np.testing.assert_allclose(scores, [1 / 1.5, 1.5, 0.8 / 1.5, (2 / 3) / 1.5, 0.5 / 1.5], rtol=1e-9)
    assert scores.name == "super_efficiency"
    with pytest.warns(DEASampleSizeWarning):
        output = super_efficiency(x, y, orientation="output")
    np.testing.assert_allclose(output, scores, rtol=1e-9)


def test_super_efficiency_cooper_seiford_tone():
    # Remove each CCR-efficient unit and score it against the others (output 1 everywhere):
    #   E(2,4): nobody else has x1 < 4, so the ray t·(2,4) needs 2t ≥ 4 → θ = 2.
    #   D(4,2): hull of the rest is E(2,4) – C(8,1) (x1 + 2·x2 = 10; A(4,3) lies on it):
    #           t·(4 + 4) = 10 → θ = 1.25.
    #   C(8,1): hull D(4,2) – F(10,1) (x1 + 6·x2 = 16): t·(8 + 6) = 16 → θ = 8/7.
    #   F(10,1): C still dominates except in x1 → θ = 1 (weakly efficient, no super-efficiency).
    expected = [6 / 7, 12 / 19, 8 / 7, 1.25, 2.0, 1.0]
    for orientation in ("input", "output"):
        with pytest.warns(DEASampleSizeWarning):
            scores = super_efficiency(CST_INPUTS, CST_OUTPUTS, "ccr", orientation)
        np.testing.assert_allclose(scores, expected, rtol=1e-9)
        assert list(scores.index) == CST_LABELS
    assert scores.sort_values(ascending=False).index[:3].tolist() == ["E", "D", "C"]


def test_super_efficiency_bcc_infeasible_is_nan():
    # BCC input orientation, each frontier unit against the others (frontier without B: the line
    # y = x − 1 through A(2,1), E(5,4) and C(6,5)):
    #   A(2,1): the smallest other input is B's 3 (y = 3 ≥ 1) → θ = 3/2.
    #   B(3,3): y = 3 on y = x − 1 needs x = 4 → θ = 4/3.
    #   C(6,5): C has the largest output; no convex combination of the others reaches y ≥ 5 → NaN.
    scores = super_efficiency(BCC_X, BCC_Y, "bcc", "input")
    np.testing.assert_allclose(scores, [1.5, 4 / 3, np.nan, 0.625, 0.9, 9 / 14], rtol=1e-9)
    assert set(scores.attrs["infeasible"]) == {"C"}
    assert "outputs" in scores.attrs["infeasible"]["C"]
    # Output orientation: A has the smallest input, nothing else uses x ≤ 2 → NaN. B: x ≤ 3 on
    # y = x − 1 gives y = 2 → φ = 2/3, score 3/2. C: without C the most output for x ≤ 6 is
    # E's 4 (B(3,3)–E(5,4) rises to E; beyond E only F(7,4), also y = 4) → φ = 4/5, score 5/4.
    output = super_efficiency(BCC_X, BCC_Y, "bcc", "output")
    np.testing.assert_allclose(output, [np.nan, 1.5, 1.25, 6 / 11, 12 / 13, 0.8], rtol=1e-9)
    assert set(output.attrs["infeasible"]) == {"A"} and "inputs" in output.attrs["infeasible"]["A"]


# --------------------------------------------------------------------------- validation and warnings


@pytest.mark.parametrize("bad", [0.0, -3.0, np.nan, np.inf])
@pytest.mark.parametrize("side", ["inputs", "outputs"])
def test_non_positive_or_non_finite_data_name_unit_and_variable(side, bad):
    x, y = BCC_X.copy(), BCC_Y.copy()
    frame, column = (x, "staff") if side == "inputs" else (y, "loans")
    frame.loc["E", column] = bad
    with pytest.raises(ValueError, match=rf"{side} .*unit 'E', variable '{column}'"):
        dea(x, y)
    with pytest.raises(ValueError, match="'E'"):
        super_efficiency(x, y)


def test_missing_values_in_nullable_columns_are_reported_as_nan():
    x = BCC_X.astype("Float64")
    x.loc["D", "staff"] = pd.NA
    with pytest.raises(ValueError, match="NaN.*unit 'D', variable 'staff'"):
        dea(x, BCC_Y)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"model": "vrs"}, "model must be one of 'ccr', 'bcc'"),
        ({"orientation": "in"}, "orientation must be one of 'input', 'output'"),
        ({"slack_objective": "weighted"}, "slack_objective"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dea(BCC_X, BCC_Y, **kwargs)


def test_model_and_orientation_are_case_insensitive():
    result = dea(BCC_X, BCC_Y, "BCC", "Output")
    assert result.attrs["model"] == "bcc" and result.attrs["orientation"] == "output"


def test_shape_and_label_mismatches():
    with pytest.raises(ValueError, match="6 units .* outputs have 5"):
        dea(BCC_X, BCC_Y.iloc[:5])
    with pytest.raises(ValueError, match="different indexes"):
        dea(BCC_X, BCC_Y.set_axis(list("ABCDEG")))
    with pytest.raises(ValueError, match="unique"):
        dea(BCC_X.set_axis(list("AACDEF")), BCC_Y.set_axis(list("AACDEF")))
    with pytest.raises(ValueError, match="numeric"):
        dea(pd.DataFrame({"staff": list("abcdef")}), BCC_Y.reset_index(drop=True))


def test_sample_size_warning_threshold():
    # n < 3(m + s) warns and still solves; n = 3(m + s) does not warn.
    assert too_few_units(8, 2, 1) and not too_few_units(9, 2, 1)
    assert too_few_units(48, 7, 7, strict=True) and not too_few_units(48, 7, 7)  # 7·7 = 49 > 3·14 = 42
    with pytest.warns(DEASampleSizeWarning, match=r"5 units for 1 inputs and 1 outputs.*3\(m\+s\) = 6"):
        result = dea(BCC_X.iloc[:5], BCC_Y.iloc[:5], "bcc")
    assert result["efficiency"].tolist() == pytest.approx([1, 1, 1, 0.625, 0.9], rel=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DEASampleSizeWarning)
        dea(BCC_X, BCC_Y, "bcc")  # 6 = 3·(1 + 1): no warning
