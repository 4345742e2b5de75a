"""The model card: what was trained, on what, and how it did (JSON and Markdown)."""

from __future__ import annotations

import importlib.metadata
import math
import platform
from typing import Any

import pandas as pd

from recovery_analytics.amicable._feature_check import harmful_features

__all__ = [
    "card_markdown",
    "model_card",
    "summary_text",
    "verdict_text",
]


def _versions() -> dict[str, str]:
    names = ["recovery_analytics", "lightgbm", "scikit-learn", "numpy", "pandas"]
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def _window(snaps: pd.DataFrame) -> dict[str, Any]:
    if not len(snaps):
        return {"rows": 0}
    return {
        "first_as_of": str(snaps["as_of"].min().date()),
        "last_as_of": str(snaps["as_of"].max().date()),
        "dates": int(snaps["as_of"].nunique()),
        "rows": len(snaps),
        "claims": int(snaps["claim_id"].nunique()),
        "base_rate": float(snaps["recovered"].mean()),
        "recovered_eur": float(snaps["recovered_eur"].sum()),
        "outstanding_eur": float(snaps["outstanding_eur"].sum()),
    }


def model_card(
    model: Any,
    train: pd.DataFrame,
    test: pd.DataFrame,
    evaluation: dict,
    *,
    horizon_days: int,
    every_days: int,
    final_window: dict | None = None,
) -> dict:
    """The model card: data window, counts, base rates, metrics, baselines, features.

    Returns
    -------
    dict
        JSON-serialisable; render with :func:`card_markdown`.
    """
    from recovery_analytics.amicable._catalog import feature_table

    feats = feature_table(model.feature_names_).set_index("feature")
    features = [
        {
            "feature": f,
            "kind": "categorical" if f in model.categorical_features_ else "numeric",
            "name_fr": feats["name_fr"].get(f, f),
            "name_en": feats["name_en"].get(f, f),
        }
        for f in model.feature_names_
    ]
    strat = evaluation["strategies"].drop(columns=["capacity"])
    return {
        "model": "AmicableModel",
        "label": f"recovered within {horizon_days} days without court action",
        "horizon_days": horizon_days,
        "every_days": every_days,
        "evaluation_train": _window(train),
        "evaluation_test": _window(test),
        "final_model": final_window or model.window_,
        "calibration": _calibration_summary(model.calibration_),
        "trees": {
            "classifier": int(model.classifier_.num_trees()),
            "regressor": int(model.regressor_.num_trees()),
        },
        "metrics": evaluation["metrics"],
        "strategies": strat.to_dict(orient="records"),
        "probabilities": evaluation.get("probabilities", pd.DataFrame()).to_dict(orient="records"),
        "verdict": verdict_text(evaluation["metrics"]),
        "reliability": evaluation["reliability"].to_dict(orient="records"),
        "features": features,
        "dropped_features": getattr(model, "dropped_features_", {}),
        "feature_check": getattr(model, "feature_check_", {}),
        "selection": getattr(model, "selection_", {"chosen": "full"}),
        "params": model.get_params(),
        "versions": _versions(),
    }


def _calibration_summary(calibration: dict) -> dict:
    """The calibration's method and Brier scores, per segment when fitted apart (no arrays)."""
    out = {k: v for k, v in calibration.items() if k not in ("x", "y", "a", "b", "segments")}
    for name, seg in (calibration.get("segments") or {}).items():
        out[f"{name}_method"] = seg["method"]
        out[f"{name}_brier_calibrated"] = seg.get("brier_calibrated")
    return out


def _fmt_eur(x: float) -> str:
    return f"{x:,.0f} €".replace(",", "\u202f")


def _ok(x: Any) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def _pct(x: Any) -> str:
    return f"{x:.1%}" if _ok(x) else "–"


def _num(x: Any, decimals: int = 3) -> str:
    return f"{x:.{decimals}f}" if _ok(x) else "–"


def verdict_text(metrics: dict) -> str:
    """The model's margin over the best simple rule, said plainly.

    Examples
    --------
    >>> text = verdict_text({"capacity": 0.1, "best_baseline": "largest_first",
    ...     "margin_share": 0.012, "margin_share_low": -0.004, "margin_share_high": 0.03,
    ...     "verdict_eur": "does not beat"})
    >>> "does not beat the best simple rule (largest_first): margin +1.2 points" in text
    True
    >>> text.endswith("95 % interval -0.4 to +3.0.")
    True

    """
    lines = []
    if "verdict_eur" in metrics:
        lines.append(
            f"Euros captured at {metrics.get('capacity', 0.1):.0%} capacity: the model "
            f"{metrics['verdict_eur']} the best simple rule ({metrics['best_baseline']}): "
            f"margin {100 * metrics['margin_share']:+.1f} points, 95 % interval "
            f"{100 * metrics['margin_share_low']:+.1f} to "
            f"{100 * metrics['margin_share_high']:+.1f}."
        )
    if "verdict_auc" in metrics:
        lines.append(
            f"Ranking who pays (ROC AUC): the model {metrics['verdict_auc']} the best simple "
            f"rule ({metrics['best_auc_baseline']}, AUC {metrics['best_baseline_auc']:.3f}): "
            f"margin {metrics['margin_auc']:+.3f}, 95 % interval "
            f"{metrics['margin_auc_low']:+.3f} to {metrics['margin_auc_high']:+.3f}."
        )
    return "\n".join(lines)


def card_markdown(card: dict) -> str:
    """Render a model card as Markdown.

    Examples
    --------
    >>> "## Metrics" in card_markdown({"metrics": {"roc_auc": 0.8}, "strategies": [],
    ...     "features": [], "versions": {}, "label": "x"})
    True
    """
    m = card.get("metrics", {})
    lines = [
        "# Amicable recovery model — model card",
        "",
        f"Label: {card.get('label', '')}.",
        "",
    ]
    for key, title in (
        ("evaluation_train", "Evaluation: training snapshots"),
        ("evaluation_test", "Evaluation: held-out snapshots"),
        ("final_model", "Final model: training window"),
    ):
        if key in card:
            lines += [f"## {title}", ""]
            lines += [f"- {k}: {v}" for k, v in card[key].items()] + [""]
    lines += ["## Metrics (held-out period)", "", "| metric | value |", "|---|---|"]
    lines += [
        f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in m.items()
    ]
    if card.get("verdict"):
        lines += ["", "## Does the model beat the simple rules?", "", card["verdict"]]
    if card.get("strategies"):
        lines += [
            "",
            f"## Euros captured at {m.get('capacity', 0.1):.0%} capacity",
            "",
            "Mean over the held-out dates of the share of the date's recovered euros captured by "
            "the claims each order works first (dates overlap: they are averaged, never summed); "
            "95 % interval from a claim-level bootstrap; ROC AUC only for the orders that rank who "
            "pays (not for euro-valued orders).",
            "",
            "| work order | kind | claims worked per date | captured per date | share | "
            "95 % interval | spread over dates | ROC AUC |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for s in card["strategies"]:
            lines.append(
                f"| {s['strategy']} | {s.get('kind', '')} | {s['claims_worked']:.0f} | "
                f"{_fmt_eur(s['captured_eur'])} | {_pct(s['captured_share'])} | "
                f"{_pct(s.get('share_low'))} – {_pct(s.get('share_high'))} | "
                f"{_pct(s.get('share_min'))} – {_pct(s.get('share_max'))} | "
                f"{_num(s.get('roc_auc'))} |"
            )
    if card.get("probabilities"):
        lines += [
            "",
            "## Probability scores",
            "",
            "| score | ROC AUC | 95 % interval | Brier | ECE | 95 % interval |",
            "|---|---|---|---|---|---|",
        ]
        for s in card["probabilities"]:
            lines.append(
                f"| {s['score']} | {_num(s['roc_auc'])} | {_num(s['auc_low'])} – "
                f"{_num(s['auc_high'])} | {_num(s['brier'], 4)} | {_num(s['ece'], 4)} | "
                f"{_num(s['ece_low'], 4)} – {_num(s['ece_high'], 4)} |"
            )
    if card.get("calibration"):
        lines += ["", "## Calibration", ""]
        lines += [f"- {k}: {v}" for k, v in card["calibration"].items()]
    sel = card.get("selection") or {}
    if sel.get("log_loss"):
        losses = ", ".join(f"{k} {v:.4f}" for k, v in sel["log_loss"].items())
        lines += [
            "",
            "## Model selection",
            "",
            f"Kept: **{sel['chosen']}** ({sel.get('features', '?')} features). Log loss of "
            f"the later slice: {losses}. Rule: {sel.get('rule', '')}.",
        ]
    if card.get("dropped_features"):
        lines += ["", "## Features left out by the held-out check", ""]
        lines += [
            f"- {name} ({d['levels']} levels): log loss of the later slice "
            f"{d['log_loss_with']:.4f} with it, {d['log_loss_without']:.4f} without"
            for name, d in card["dropped_features"].items()
        ]
    lines += _feature_check_lines(card.get("feature_check") or {})
    lines += ["", "## Features", "", "| feature | kind | français | English |", "|---|---|---|---|"]
    lines += [
        f"| {f['feature']} | {f['kind']} | {f['name_fr']} | {f['name_en']} |"
        for f in card.get("features", [])
    ]
    lines += ["", "## Versions", ""]
    lines += [f"- {k}: {v}" for k, v in card.get("versions", {}).items()]
    return "\n".join(lines) + "\n"


def summary_text(evaluation: dict) -> str:
    """A few lines for the command line: metrics and captured euros.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = {"metrics": {"rows": 10, "dates": 2, "base_rate": 0.3, "roc_auc": 0.8,
    ...       "pr_auc": 0.6, "brier": 0.15, "ece": 0.02, "lift_top_decile": 2.1,
    ...       "capacity": 0.1},
    ...       "strategies": pd.DataFrame({"strategy": ["oldest_first"],
    ...       "captured_eur": [100.0], "captured_share": [0.2], "roc_auc": [0.5]})}
    >>> print(summary_text(ev).splitlines()[0])
    held-out: 10 snapshot rows over 2 dates, base rate 30.0%
    """
    m = evaluation["metrics"]
    lines = [
        f"held-out: {m['rows']} snapshot rows over {m['dates']} dates, "
        f"base rate {m['base_rate']:.1%}",
        f"ROC AUC {m['roc_auc']:.3f}  PR AUC {m['pr_auc']:.3f}  Brier {m['brier']:.4f}  "
        f"ECE {m['ece']:.4f}  lift@10% {m['lift_top_decile']:.2f}",
        f"euros captured working the top {m['capacity']:.0%} of claims:",
    ]
    for _, s in evaluation["strategies"].iterrows():
        interval = (
            f"[{_pct(s['share_low'])}–{_pct(s['share_high'])}]" if "share_low" in s.index else ""
        )
        auc = f"AUC {s['roc_auc']:.3f}" if _ok(s.get("roc_auc")) else ""
        lines.append(
            f"  {s['strategy']:<26} {_fmt_eur(s['captured_eur']):>12}/date  "
            f"{s['captured_share']:6.1%} {interval:<15} {auc}".rstrip()
        )
    verdict = verdict_text(m)
    if verdict:
        lines += verdict.splitlines()
    return "\n".join(lines)


def _feature_check_lines(check: dict) -> list[str]:
    """The permutation check of the card: the features that count, and the harmful ones."""
    feats = check.get("features") or {}
    if not feats:
        return []
    lines = [
        "",
        "## Permutation check on the later slice",
        "",
        f"Rise of the log loss ({check['log_loss']:.4f} unshuffled, {check['rows']:,} rows, "
        f"{check['repeats']} shuffles) when each feature is shuffled, with its standard "
        "error over claims; a fall beyond twice the error means the model learnt noise "
        "from the feature.",
        "",
        "| feature | rise of the log loss | standard error |",
        "|---|---|---|",
    ]
    lines += [f"| {n} | {f['increase']:+.4f} | {f['se']:.4f} |" for n, f in feats.items()]
    for name, rise in harmful_features(check).items():
        lines.append(f"\n**Warning:** shuffling {name} lowers the log loss ({rise:+.4f}).")
    return lines
