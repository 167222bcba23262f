"""Summarises bench/yardstick.sh's work directory into one JSON file and one Markdown table:
per budget and label mode, each arm's stored bytes, final-epoch test accuracy (mean ± 95 % interval
over data seeds), RDED's best-of-last-20 % for comparison with papers, and IOR (method − random,
paired by data seed) with its p-value. Lists the units still missing, so partial results say so.

usage: yardstick.py UNITS_DIR RESULTS_PREFIX COMMAND "ARMS" "IPCS" "TEACHER_IPCS"
(UNITS_DIR holds [<arm>-]ipc<N>-<labels>.json, observer-manifest.json and timings.tsv. ARMS and IPCS
order the table and say which units are owed; units of other arms and budgets follow them.)
"""
import json
import os
import platform
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import paired  # noqa: E402

work, prefix, command, arms, ipcs, teacher_ipcs = sys.argv[1:7]
arms = arms.split()
ipcs = ipcs.split()
teacher_ipcs = teacher_ipcs.split()
# Every unit in UNITS_DIR is summarised, whichever arms and budgets were named (those come first, in
# their order): a run for one arm must not drop the others from the results.
for f in sorted(os.listdir(work)):
    m = re.fullmatch(r"(?:(.+)-)?ipc(\d+)-(?:static|teacher)\.json", f)
    if m:
        arms += [] if (m.group(1) or "rded") in arms else [m.group(1) or "rded"]
        ipcs += [] if m.group(2) in ipcs else [m.group(2)]
ipcs.sort(key=int)


def arm_of(unit_name):
    """The yardstick arm a unit file belongs to (its method name does not say which quantiser)."""
    return "rded" if unit_name.startswith("ipc") else unit_name.rsplit("-", 2)[0]


def load(path):
    with open(path) as f:
        return json.load(f)


def git(*args):
    try:
        return subprocess.check_output(["git", "-C", os.path.dirname(os.path.abspath(prefix)), *args],
                                       text=True).strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "?"


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
observer = load(f"{work}/observer-manifest.json") if os.path.exists(f"{work}/observer-manifest.json") else None
timings = []
if os.path.exists(f"{work}/timings.tsv"):
    for line in open(f"{work}/timings.tsv"):
        date, name, seconds = line.rstrip("\n").split("\t")
        timings.append({"finished": date, "step": name, "seconds": int(seconds)})

# Units whose students trained on another machine (bench/ExportedStudents.java): unit → where, as
# written by whoever copied their runs in; the runs themselves do not say.
elsewhere_file = f"{work}/students-trained-elsewhere.json"
elsewhere = load(elsewhere_file) if os.path.exists(elsewhere_file) else {}
units, missing, rows, infeasible = {}, [], [], {}
# Units in progress keep each finished student under runs/<unit>/ (distill.evaluate.runs-path).
started = {d: len([f for f in os.listdir(f"{work}/runs/{d}") if f.endswith(".json")])
           for d in (sorted(os.listdir(f"{work}/runs")) if os.path.isdir(f"{work}/runs") else [])}
for arm, ipc in [(a, i) for i in ipcs for a in arms]:
    for mode in ["static"] + (["teacher"] if ipc in teacher_ipcs else []):
        name = f"ipc{ipc}-{mode}" if arm == "rded" else f"{arm}-ipc{ipc}-{mode}"
        path = f"{work}/{name}.json"
        if not os.path.exists(path):
            # Every teacher unit that ran is shown; only RDED's and INFER's (whose issue compares both
            # label modes) are owed.
            if mode == "static" or arm == "rded" or "infer" in arm:
                missing.append(name)
            continue
        unit = load(path)
        if "infeasible" in unit:
            infeasible[name] = unit["infeasible"]
            continue
        units[name] = unit
        ior = {(c["baseline"], c["ipc"], c["labels"]): c for c in unit.get("ior", [])}
        for s in unit["summary"]:
            if s["ipc"] != unit["ipc"]:  # the output's items per class (more than the budget's IPC with a palette)
                continue
            vs = ior.get(("random", s["ipc"], s["labels"])) if s["dataset"] == unit["method"] else None
            vs_ipc = ior.get(("random-ipc", s["ipc"], s["labels"])) if s["dataset"] == unit["method"] else None
            rows.append({
                "ipc": int(ipc), "per_class": s["ipc"], "unit_method": arm_of(name), "labels": s["labels"],
                "arm": arm_of(name) if s["dataset"] == unit["method"] else s["dataset"], "images": s["train_images"],
                "bytes": s.get("bytes", {}), "teacher_bytes": unit.get("teacher_bytes") if s["labels"] == "teacher" else None,
                "data_seeds": s.get("data_seeds"), "final": s["last"], "best_of_last_20": s["best"]["mean"],
                "validation": s.get("validation", {}).get("mean"),
                "ior_vs_random": vs, "ior_vs_random_ipc": vs_ipc, "students_trained_on": elsewhere.get(name),
            })

# Method arms against each other at the same budget and labels, paired by data seed: e.g. the palette
# network vs median cut at the same K and count, or RDED's choice vs a random one under the palette.
finals = {}
for name, unit in units.items():
    mode = name.rsplit("-", 1)[1]
    by_seed = {r["data_seed"]: r["last"] for r in unit["runs"] if r["dataset"] == unit["method"] and r["labels"] == mode}
    ipc = int(name.rsplit("-", 2)[-2][3:])
    # only arms trained under the same student protocol (INFER's use MixUp at T = 30) are compared;
    # the batch size is not a choice but one rule applied to each arm's image count
    protocol = json.dumps({k: v for k, v in unit["protocol"].items() if k != "batch_size"}, sort_keys=True)
    finals.setdefault((ipc, mode, protocol), {})[arm_of(name)] = by_seed
between = []
for (ipc, mode, _), arms_here in sorted(finals.items()):
    names = sorted(arms_here)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            seeds = sorted(set(arms_here[a]) & set(arms_here[b]))
            if len(seeds) < 2:
                continue
            mean, ci, p = paired([arms_here[a][d] for d in seeds], [arms_here[b][d] for d in seeds])
            between.append({"ipc": ipc, "labels": mode, "a": a, "b": b, "n": len(seeds),
                            "mean_difference": mean, "ci95": list(ci), "p_value": p})

result = {
    "benchmark": "yardstick, Fashion-MNIST",
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()},
    "date": subprocess.check_output(["date", "-u", "+%FT%TZ"], text=True).strip(),
    "git_commit": git("rev-parse", "HEAD"),
    "command": command,
    "protocol": next(iter(units.values()))["protocol"] if units else None,
    "observer": None if observer is None else {
        "architecture": observer["observer"]["architecture"],
        "test_accuracy": observer["observer"]["test_accuracy"],
        "trained": observer["observer"]["trained"],
        "timings_ms": observer["timings_ms"],
    },
    "rows": rows,
    "between_arms": between,
    "missing_units": missing,
    "students_finished_in_missing_units": started,
    "infeasible_units": infeasible,
    "wall_seconds": timings,
}
with open(prefix + ".json", "w") as f:
    json.dump(result, f, indent=2)


def pct(x):
    return f"{100 * x:.2f}"


md = [f"# Yardstick: Fashion-MNIST ({result['date']}, {cpu}, {os.cpu_count()} cores, commit {result['git_commit'][:10]})",
      "", f"Command: `{command}`", ""]
if observer:
    o = observer["observer"]
    md.append(f"Observer: {o['architecture']}, test accuracy {pct(o['test_accuracy'])} % "
              f"(validation after each epoch: {', '.join(pct(v) for v in o['trained'].get(o['architecture'], {}).get('validation_accuracy_by_epoch', []))}).")
    md.append("")
md += ["Final-epoch test accuracy, mean ± 95 % interval over data seeds (n in brackets); IOR = method − random, "
       "paired by data seed, with the paired t-test's p-value. Bytes are on disk: images (PNG) + stored labels; "
       "teacher rows also need the teacher's bytes at training time.", "",
       "| IPC | labels | arm | images | bytes (img + labels) | teacher bytes | final acc % | best of last 20 % | validation % (choose by this) | IOR vs random (equal bytes) | p | IOR vs random-ipc | p |",
       "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    f = r["final"]
    ci = f.get("ci95", [f["mean"], f["mean"]])
    b = r["bytes"]
    def ior(c):
        return ("", "") if not c else (f"{100 * c['mean_difference']:+.2f} [{100 * c['ci95'][0]:+.2f}, {100 * c['ci95'][1]:+.2f}]",
                                       f"{c['p_value']:.3g}")
    a, pa = ior(r["ior_vs_random"])
    c, pc = ior(r["ior_vs_random_ipc"])
    arm = r["arm"] if r["ior_vs_random"] else f"{r['arm']} (vs {r['unit_method']})"
    arm += " §" if r["students_trained_on"] else ""
    md.append(f"| {r['ipc']} | {r['labels']} | {arm} | {r['images']} | "
              f"{b.get('total', '')} ({b.get('images', '')} + {b.get('labels', '')}) | {r['teacher_bytes'] or ''} | "
              f"{pct(f['mean'])} [{pct(ci[0])}, {pct(ci[1])}] (n={r['data_seeds']}) | {pct(r['best_of_last_20'])} | "
              f"{'' if r['validation'] is None else pct(r['validation'])} | {a} | {pa} | {c} | {pc} |")
if between:
    md += ["", "Method arms against each other at the same budget (final-epoch test accuracy, a − b paired by data seed, "
           "paired t-test; same student protocol only; their on-disk bytes are in the rows above):", "",
           "| IPC | labels | a | b | n | a − b (95 % CI) | p |", "|---|---|---|---|---|---|---|"]
    for c in between:
        md.append(f"| {c['ipc']} | {c['labels']} | {c['a']} | {c['b']} | {c['n']} | {100 * c['mean_difference']:+.2f} "
                  f"[{100 * c['ci95'][0]:+.2f}, {100 * c['ci95'][1]:+.2f}] | {c['p_value']:.3g} |")
if any(r["students_trained_on"] for r in rows):
    md += ["", "§ Students trained elsewhere from the inputs the evaluation exported (distill.evaluate.export-path, "
           "bench/ExportedStudents.java); distillation, stored labels and baselines made on this machine: "
           + "; ".join(f"{u}: {w}" for u, w in sorted(elsewhere.items())) + "."]
for name, reason in infeasible.items():
    md += ["", f"Infeasible: {name}: {reason}"]
if missing:
    md += ["", "Not yet run (resume with the same command): " + ", ".join(
        f"{m} ({started[m]} students finished)" if m in started else m for m in missing) + "."]
with open(prefix + ".md", "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
