#!/usr/bin/env bash
# On a GPU node, from the repository root: trains every unit in a bench/gpu-pack.sh folder — the
# CUDA JNI first (deploy/djl-jni.sh against the node's torch, ≈ 45 s), then each unit's students,
# PARALLEL at once (default 3) — into RUNS/<unit>/. Stops starting units after LIMIT seconds
# (default: none) and cuts the one running at that mark: a cut unit's finished students are kept,
# and a rerun skips them. Copy RUNS/<unit>/*.json into bench/results/yardstick-units/runs/<unit>/
# and rerun bench/yardstick.sh without EXPORT_STUDENTS, on the machine that exported, to summarise.
#   bench/gpu-students.sh PACK RUNS [PARALLEL]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACK="$(cd "$1" && pwd)"; RUNS="$2"; PARALLEL="${3:-3}"
if ! command -v java > /dev/null; then
  tar -xJf "$PACK/jdk.tar.xz" -C /tmp
  export JAVA_HOME=/tmp/jdk PATH=/tmp/jdk/bin:$PATH
fi
ENV="$("$ROOT/deploy/djl-jni.sh" "$PACK/djl" | tail -1)"
# shellcheck disable=SC2086  # three NAME=value words
export ${ENV?}
echo "gpu-students: JNI built at $SECONDS s ($ENV)"
CP="$(ls "$PACK"/lib/*.jar | tr '\n' ':')$PACK/classes"
for unit in "$PACK"/export/*/; do
  name="$(basename "$unit")"
  [[ $name == _splits ]] && continue
  for split in "$PACK"/export/_splits/*; do
    if [[ -e "$split" && ! -e "$unit/$(basename "$split")" ]]; then ln -s "$split" "$unit/"; fi
  done
  left=$(( ${LIMIT:-999999} - SECONDS ))
  (( left > 60 )) || { echo "gpu-students: out of time before $name"; break; }
  timeout "$left" java -Dai.djl.offline=true -cp "$CP" ExportedStudents "$unit" "$RUNS/$name" "$PARALLEL" ||
    echo "gpu-students: $name stopped (exit $?); its finished students are in $RUNS/$name"
  echo "gpu-students: $name done at $SECONDS s"
done
