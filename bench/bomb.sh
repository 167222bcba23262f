#!/usr/bin/env bash
# Peak memory on a decompression bomb (issue 11): the same small folder dataset distilled twice,
# once as it is and once with a 20000 x 20000 PNG (a few hundred kB, 400 megapixels declared) in a
# class folder; peak resident memory of the JVM from /usr/bin/time -v, and the bomb's reject line.
#   bench/bomb.sh   → bench/results/bomb-<date>.json
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-$ROOT/out/bench/bomb}"
rm -rf "$WORK" && mkdir -p "$WORK"
python3 - "$WORK" <<'PY'
import os, random, struct, sys, zlib
work = sys.argv[1]
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
def png(w, h, depth, rows):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
random.seed(0)
for c in range(3):
    for i in range(40):
        d = f"{work}/plain/class{c}"; os.makedirs(d, exist_ok=True)
        rows = b"".join(b"\x00" + bytes((c * 80 + random.randrange(60)) for _ in range(28)) for _ in range(28))
        open(f"{d}/{i:03d}.png", "wb").write(png(28, 28, 8, rows))
side = 20000
open(f"{work}/bomb.png", "wb").write(png(side, side, 1, (b"\x00" * (1 + side // 8)) * side))
PY
cp -r "$WORK/plain" "$WORK/bombed" && cp "$WORK/bomb.png" "$WORK/bombed/class0/bomb.png"
peak() { # dataset → peak RSS in kB
  /usr/bin/time -v "$ROOT/bin/distill" run -Ddistill.input.path="$WORK/$1" -Ddistill.input.format=folder \
    -Ddistill.input.max-reject-fraction=0.05 -Ddistill.observer.epochs=1 -Ddistill.ipc=1 -Ddistill.rded.pool-size=5 \
    -Ddistill.output.path="$WORK/out-$1" 2> "$WORK/$1.time" > "$WORK/$1.log"
  grep "Maximum resident set size" "$WORK/$1.time" | awk '{print $NF}'
}
plain=$(peak plain)
bombed=$(peak bombed)
reject=$(grep bomb "$WORK/out-bombed/rejects.jsonl")
mkdir -p "$ROOT/bench/results"
python3 - "$ROOT/bench/results/bomb-$(date -u +%F).json" "$plain" "$bombed" "$reject" "$(stat -c %s "$WORK/bomb.png")" <<'PY'
import json, os, platform, subprocess, sys
out, plain, bombed, reject, size = sys.argv[1:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({"benchmark": "decompression bomb, peak memory", "date": subprocess.check_output(["date", "-u", "+%FT%TZ"], text=True).strip(),
           "machine": {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()},
           "command": "bench/bomb.sh", "bomb": {"declared": "20000 x 20000", "file_bytes": int(size)},
           "peak_rss_kib": {"without_bomb": int(plain), "with_bomb": int(bombed)},
           "ratio": int(bombed) / int(plain), "reject": json.loads(reject)}, open(out, "w"), indent=2)
print(open(out).read())
PY
