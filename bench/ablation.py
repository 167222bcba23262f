"""Summarises bench/ablation.sh: per value of one setting, final-epoch validation and test accuracy
(mean over the data seeds every value has), the value validation prefers, and every other value's
paired difference to it (by data seed, paired t-test). Test accuracy is reported, never used to choose.
A value's unit may be a yardstick unit of the same arm (linked in when the value is the arm's own
setting: its students are the ones this script would train); its other data seeds are left out.

usage: ablation.py RESULTS_PREFIX COMMAND KEY VALUE=UNIT.json ...  (values not yet evaluated are listed as missing)
"""
import json
import os
import platform
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import paired  # noqa: E402

prefix, command, key = sys.argv[1:4]
rows, missing = [], []
for arg in sys.argv[4:]:
    value, path = arg.split("=", 1)
    if not os.path.exists(path):
        missing.append(value)
        continue
    with open(path) as f:
        unit = json.load(f)
    s = next(s for s in unit["summary"] if s["dataset"] == unit["method"] and s["labels"] == "static")
    runs = {r["data_seed"]: r for r in unit["runs"] if r["dataset"] == unit["method"] and r["labels"] == "static"}
    rows.append({"value": value, "images": s["train_images"], "bytes": s["bytes"],
                 "validation": {d: r["validation"] for d, r in sorted(runs.items())},
                 "test": {d: r["last"] for d, r in sorted(runs.items())}})


# Every value is judged on the same data seeds: a distilled set's difficulty varies by seed.
shared = sorted(set.intersection(*(set(r["test"]) for r in rows))) if rows else []
for r in rows:
    r["validation"] = {d: r["validation"][d] for d in shared}
    r["test"] = {d: r["test"][d] for d in shared}


def mean(by_seed):
    return sum(by_seed.values()) / len(by_seed)


def versus(row, chosen, split):
    seeds = sorted(set(row[split]) & set(chosen[split]))
    if row is chosen or len(seeds) < 2:
        return None
    m, ci, p = paired([row[split][d] for d in seeds], [chosen[split][d] for d in seeds])
    return {"n": len(seeds), "mean_difference": m, "ci95": list(ci), "p_value": p}


chosen = max(rows, key=lambda r: mean(r["validation"])) if rows else None
for r in rows:
    r["validation_mean"], r["test_mean"] = mean(r["validation"]), mean(r["test"])
    r["validation_vs_chosen"], r["test_vs_chosen"] = versus(r, chosen, "validation"), versus(r, chosen, "test")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
date = subprocess.check_output(["date", "-u", "+%FT%TZ"], text=True).strip()
result = {"benchmark": "ablation, Fashion-MNIST", "key": key, "command": command, "date": date,
          "machine": {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()},
          "chosen_on_validation": chosen and chosen["value"], "rows": rows, "missing_values": missing}
with open(prefix + ".json", "w") as f:
    json.dump(result, f, indent=2)


def diff(c):
    return "" if not c else (f"{100 * c['mean_difference']:+.2f} [{100 * c['ci95'][0]:+.2f}, "
                             f"{100 * c['ci95'][1]:+.2f}] (p = {c['p_value']:.2g})")


md = [f"# Ablation: distill.{key} ({date}, {cpu}, {os.cpu_count()} cores)", "", f"Command: `{command}`", "",
      "Final-epoch accuracy, mean over data seeds; differences to the value validation prefers, paired by data seed.", "",
      f"| distill.{key} | images | bytes | data seeds | validation % | − chosen | test % | − chosen |",
      "|---|---|---|---|---|---|---|---|"]
for r in rows:
    mark = " (chosen)" if r is chosen else ""
    md.append(f"| {r['value']}{mark} | {r['images']} | {r['bytes']['total']:,} | {len(r['validation'])} | "
              f"{100 * r['validation_mean']:.2f} | {diff(r['validation_vs_chosen'])} | {100 * r['test_mean']:.2f} | "
              f"{diff(r['test_vs_chosen'])} |")
if missing:
    md += ["", "Not yet evaluated (resume with the same command): " + ", ".join(missing) + "."]
with open(prefix + ".md", "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
