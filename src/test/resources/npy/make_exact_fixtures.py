#!/usr/bin/env python3
"""Writes the fixtures whose values cancel or overflow, and the exact answers of every fixture.

    python3 make_exact_fixtures.py        (from any folder; numpy 2.x)

Each new file is written by numpy itself (np.save) and gets a manifest.jsonl line with numpy's
own answer, as the other lines have. Every "stats" line, old and new, then gets the exact
answers beside numpy's, computed in rational arithmetic (fractions.Fraction) over the values as
float64, which is what the reader hands on: "exact_mean" is the exactly rounded mean, and
"exact_std" the population standard deviation of the exact variance, to 40 digits and then
rounded. Where the exact answer is not a finite double (an infinity or a NaN among the values,
or none at all) the line gets none. Running it again rewrites the same files and lines.
"""
import decimal
import json
import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"
CHUNK = 16_384  # values the reader hands on at a time (its 128 KiB buffer of float64)


def cancelling_tile():
    # The exact mean is 1/3; a plain running sum keeps only the multiples of 1/8 that 1e15 has.
    return np.tile([1e15, -1e15, 1.0], 10_000)


def alternating_huge():
    # Values near 0.5 with +-1e20 every 7th place, signs alternating, so that the huge ones
    # cancel exactly, land in every position of a block of four and straddle chunk boundaries
    # (a +1e20 at the last value of a chunk, its -1e20 at the first of the next).
    rng = np.random.default_rng(20_251_201)
    a = rng.uniform(0.0, 1.0, 5 * CHUNK + 123)
    boundaries = [CHUNK - 1, CHUNK, 3 * CHUNK - 1, 3 * CHUNK]
    huge = np.setdiff1d(np.arange(3, a.size, 7), boundaries)
    huge = huge[: huge.size // 2 * 2]
    a[huge] = np.where(np.arange(huge.size) % 2 == 0, 1e20, -1e20)
    a[boundaries] = [1e20, -1e20, -1e20, 1e20]
    assert math.fsum(a[np.abs(a) == 1e20]) == 0
    return a


def cancelling_f4():
    # float32 samples near 0.25 with +-3e9 (exact in float32) every 5th place, cancelling.
    rng = np.random.default_rng(7_251_201)
    a = rng.normal(0.25, 1.0, 3 * CHUNK + 77).astype(np.float32)
    huge = np.arange(0, a.size, 5)
    huge = huge[: huge.size // 2 * 2]
    a[huge] = np.where(np.arange(huge.size) % 2 == 0, np.float32(3e9), np.float32(-3e9))
    assert math.fsum(a[np.abs(a) == np.float32(3e9)].astype(np.float64)) == 0
    return a


NEW = {
    "cancel_tile.npy": cancelling_tile,
    "cancel_alternating.npy": alternating_huge,
    "cancel_f4.npy": cancelling_f4,
    # IEEE cases: numpy's mean and std overflow, or meet an infinity or a NaN.
    "overflow_sum.npy": lambda: np.array([1e308, 1e308]),
    "overflow_sum_negative.npy": lambda: np.array([-1e308, -1e308]),
    "overflow_squares.npy": lambda: np.array([1e308, -1e308]),
    "overflow_squares_only.npy": lambda: np.array([3e200, 1e200]),
    "largest_single.npy": lambda: np.array([1e308]),
    "inf_and_one.npy": lambda: np.array([np.inf, 1.0]),
    "both_infinities.npy": lambda: np.array([np.inf, -np.inf]),
    "nan_and_one.npy": lambda: np.array([np.nan, 1.0]),
}


def number(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def numpy_line(name, a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns on overflow and on an empty mean
        return {
            "file": name, "expect": "stats", "dtype": a.dtype.str, "shape": list(a.shape),
            "n": int(a.size),
            "mean": number(a.mean(dtype=np.float64)), "std": number(a.std(dtype=np.float64)),
            "min": number(a.min()) if a.size else "NaN", "max": number(a.max()) if a.size else "NaN",
        }


def exact(a):
    values = a.astype(np.float64).ravel()
    if values.size == 0 or not np.isfinite(values).all():
        return {}
    n = values.size
    total = Fraction(0)
    squares = Fraction(0)
    for v in values.tolist():
        f = Fraction(v)
        total += f
        squares += f * f
    mean = total / n
    variance = (squares - total * mean) / n
    with decimal.localcontext() as ctx:
        ctx.prec = 40
        std = (decimal.Decimal(variance.numerator) / decimal.Decimal(variance.denominator)).sqrt()
    # float(Fraction) rounds correctly, and so does float(Decimal) of the 40-digit root.
    return {"exact_mean": float(mean), "exact_std": float(std)}


def main():
    lines = [json.loads(l) for l in MANIFEST.read_text().splitlines() if l.strip()]
    by_file = {l["file"]: l for l in lines}
    for name, make in NEW.items():
        a = make()
        np.save(HERE / name, a)
        line = numpy_line(name, np.load(HERE / name))
        if name in by_file:
            by_file[name].clear()
            by_file[name].update(line)
        else:
            lines.append(line)
            by_file[name] = line
    for line in lines:
        if line["expect"] != "stats":
            continue
        for key in ("exact_mean", "exact_std"):
            line.pop(key, None)
        line.update(exact(np.load(HERE / line["file"])))
    MANIFEST.write_text("".join(json.dumps(l) + "\n" for l in lines))


if __name__ == "__main__":
    main()
