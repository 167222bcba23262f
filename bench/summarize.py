#!/usr/bin/env python3
"""Collects a benchmark directory (manifests, evaluation.json, timings.tsv) into one JSON file and
a markdown table. Usage: summarize.py BENCH_OUT RESULT_PREFIX COMMAND"""
import datetime
import json
import os
import platform
import subprocess
import sys

out, prefix, command = sys.argv[1], sys.argv[2], sys.argv[3]


def load(path):
    with open(path) as f:
        return json.load(f)


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


timings = {}
if os.path.exists(os.path.join(out, "timings.tsv")):
    for line in open(os.path.join(out, "timings.tsv")):
        name, seconds = line.split()
        timings[name] = int(seconds)

runs = []
for name in sorted(os.listdir(out)):
    d = os.path.join(out, name)
    if not name.startswith("ipc") or not os.path.exists(os.path.join(d, "manifest.json")):
        continue
    m = load(os.path.join(d, "manifest.json"))
    e = load(os.path.join(d, "evaluation.json")) if os.path.exists(os.path.join(d, "evaluation.json")) else None
    runs.append({"ipc": m["ipc"], "manifest": m, "evaluation": e})
runs.sort(key=lambda r: r["ipc"])

result = {
    "dataset": "fashion-mnist",
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "command": command,
    "machine": {"cpu": cpu(), "cores": os.cpu_count(), "memory_gib": round(
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "os": platform.platform()},
    "git_commit": subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip(),
    "wall_seconds": timings,
    "runs": runs,
}
with open(prefix + ".json", "w") as f:
    json.dump(result, f, indent=2)

lines = ["| IPC | images | bytes | student epochs | RDED (teacher labels) | random subset (teacher labels) | RDED − random | observer (full data) |",
         "|---|---|---|---|---|---|---|---|"]
for r in runs:
    m, e = r["manifest"], r["evaluation"]
    cells = {}
    if e:
        for s in e["summary"]:
            if s["labels"] == "teacher":
                cells[s["dataset"]] = s["best"]
    def fmt(b):
        return f"{100 * b['mean']:.1f} ± {100 * b['std']:.1f}" if b else "not run"
    diff = (f"{100 * (cells['rded']['mean'] - cells['random']['mean']):+.1f}"
            if "rded" in cells and "random" in cells else "")
    epochs = e["protocol"]["epochs"] if e else ""
    lines.append(f"| {r['ipc']} | {m['images']} | {m['bytes']['total']:,} | {epochs} | {fmt(cells.get('rded'))} | "
                 f"{fmt(cells.get('random'))} | {diff} | {100 * m['observer']['test_accuracy']:.2f} |")
proto = next((r["evaluation"]["protocol"] for r in runs if r["evaluation"]), None)
lines.append("")
if proto:
    lines.append(f"Students: ConvNet-3 (BatchNorm), epochs as listed, {proto['optimizer']}, lr "
                 f"{proto['learning_rate']}, {proto['schedule']}, CutMix, T = {proto['temperature']}; "
                 f"{proto['reported']}. Mean ± std over seeds; accuracy in % on the 10,000 test images.")
lines.append(f"Command: `{command}`; machine: {result['machine']['cpu']}, {result['machine']['cores']} cores; "
             f"wall seconds: {timings}.")
with open(prefix + ".md", "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
