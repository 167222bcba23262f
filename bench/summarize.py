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
    config = open(os.path.join(d, "config.conf")).read() if os.path.exists(os.path.join(d, "config.conf")) else None
    runs.append({"ipc": m["ipc"], "manifest": m, "evaluation": e, "config": config})
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

def mean_std(b):
    return f"{100 * b['mean']:.1f} ± {100 * b['std']:.1f}" if b else "not run"


# One row per budget: RDED and random at that IPC (teacher labels), wherever they were evaluated.
rows, full = {}, None
for r in runs:
    m, e = r["manifest"], r["evaluation"]
    rows.setdefault(m["ipc"], {})["manifest"] = m
    for srow in (e or {}).get("summary", []):
        if srow["dataset"] == "full":
            full = srow
        elif srow["labels"] == "teacher":
            ipc = srow.get("ipc", m["ipc"])
            rows.setdefault(ipc, {})[srow["dataset"]] = srow
            rows[ipc]["epochs"] = e["protocol"]["epochs"]
observer = next(r["manifest"]["observer"]["test_accuracy"] for r in runs) if runs else None
full_cell = f"{mean_std(full['best'])} ({full['student']}, hard labels)" if full else "not run"
lines = ["| IPC | images | bytes | student epochs | RDED (teacher labels) | random subset (teacher labels) "
         "| RDED − random | beyond the spread? | full training set |",
         "|---|---|---|---|---|---|---|---|---|"]
for ipc in sorted(rows):
    row = rows[ipc]
    m = row.get("manifest")
    rded, rnd = row.get("rded"), row.get("random")
    diff, beyond = "", ""
    if rded and rnd:
        d = rded["best"]["mean"] - rnd["best"]["mean"]
        diff = f"{100 * d:+.1f}"
        # "Beyond the spread": the gap exceeds the two standard deviations added.
        beyond = "yes" if abs(d) > rded["best"]["std"] + rnd["best"]["std"] else "no"
    images = m["images"] if m else (rded or {}).get("train_images", "")
    size = f"{m['bytes']['total']:,}" if m else "(prefix)"
    lines.append(f"| {ipc} | {images} | {size} | {row.get('epochs', '')} | {mean_std(rded and rded['best'])} | "
                 f"{mean_std(rnd and rnd['best'])} | {diff} | {beyond} | {full_cell} |")
proto = next((r["evaluation"]["protocol"] for r in runs if r["evaluation"]), None)
lines.append("")
if proto:
    lines.append(f"Students: ConvNet-3 (BatchNorm), epochs as listed, {proto['optimizer']}, lr "
                 f"{proto['learning_rate']}, {proto['schedule']}, CutMix, T = {proto['temperature']}; "
                 f"{proto['reported']}. Mean ± std over seeds; accuracy in % on the 10,000 test images. "
                 f"Full training set: {full['train_images'] if full else '-'} images, the ceiling "
                 f"(see the JSON for its epochs). Observer (ConvNet-3 on the full set, the teacher): "
                 f"{100 * observer:.2f} %.")
lines.append(f"Command: `{command}`; machine: {result['machine']['cpu']}, {result['machine']['cores']} cores; "
             f"wall seconds: {timings}.")


def svg(rows, full):
    """Accuracy vs IPC (log axis), RDED and the random baseline with ±std bars, the full set dotted."""
    pts = {name: [(ipc, 100 * row[name]["best"]["mean"], 100 * row[name]["best"]["std"])
                  for ipc, row in sorted(rows.items()) if name in row] for name in ("rded", "random")}
    if not any(pts.values()):
        return None
    import math
    ipcs = sorted({p[0] for v in pts.values() for p in v})
    accs = [p[1] for v in pts.values() for p in v] + ([100 * full["best"]["mean"]] if full else [])
    lo, hi = math.floor(min(accs) - 2), math.ceil(max(accs) + 2)
    w, h, m = 520, 300, 50
    x = lambda ipc: m + (math.log10(ipc) - math.log10(ipcs[0])) / max(1e-9, math.log10(ipcs[-1]) - math.log10(ipcs[0])) * (w - 2 * m)
    y = lambda a: h - m - (a - lo) / (hi - lo) * (h - 2 * m)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<line x1="{m}" y1="{h-m}" x2="{w-m}" y2="{h-m}" stroke="#444"/><line x1="{m}" y1="{m}" x2="{m}" y2="{h-m}" stroke="#444"/>']
    for ipc in ipcs:
        out.append(f'<text x="{x(ipc):.1f}" y="{h-m+16}" text-anchor="middle">{ipc}</text>')
    for a in range(lo, hi + 1, max(1, (hi - lo) // 5)):
        out.append(f'<text x="{m-6}" y="{y(a)+4:.1f}" text-anchor="end">{a}%</text>')
        out.append(f'<line x1="{m}" y1="{y(a):.1f}" x2="{w-m}" y2="{y(a):.1f}" stroke="#eee"/>')
    out.append(f'<text x="{w/2}" y="{h-12}" text-anchor="middle">images per class (log scale)</text>')
    if full:
        fy = y(100 * full["best"]["mean"])
        out.append(f'<line x1="{m}" x2="{w-m}" y1="{fy:.1f}" y2="{fy:.1f}" stroke="#222" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{m+4}" y="{fy-4:.1f}">full training set</text>')
    colours = {"rded": "#3b7dd8", "random": "#888"}
    for name, p in pts.items():
        p.sort()
        out.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            colours[name], " ".join(f"{x(i):.1f},{y(a):.1f}" for i, a, _ in p)))
        for i, a, sd in p:
            out.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(a-sd):.1f}" y2="{y(a+sd):.1f}" stroke="{colours[name]}"/>')
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(a):.1f}" r="3.5" fill="{colours[name]}"/>')
    out.append(f'<text x="{w-m}" y="{m-20}" text-anchor="end" fill="{colours["rded"]}">RDED</text>')
    out.append(f'<text x="{w-m}" y="{m-6}" text-anchor="end" fill="{colours["random"]}">random subset (same teacher)</text>')
    out.append(f'<text x="{m}" y="{m-12}">test accuracy, ConvNet-3 students, mean ± std</text>')
    out.append("</svg>")
    return "\n".join(out)


chart = svg(rows, full)
if chart:
    with open(prefix + ".svg", "w") as f:
        f.write(chart + "\n")
    lines.append("")
    lines.append(f"![accuracy vs IPC]({os.path.basename(prefix)}.svg)")

with open(prefix + ".md", "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
