#!/usr/bin/env bash
# Packs what a GPU node needs to train the students an evaluation exported (EXPORT_STUDENTS=DIR
# bench/yardstick.sh, or distill.evaluate.export-path) when the node has a CUDA torch but neither
# Java nor Spark: a jlinked Java runtime (≈ 19 MB as xz), the udf and job jars with the ten jars
# their student code loads (≈ 11 MB; Spark's ≈ 200 MB stay behind), bench/ExportedStudents
# compiled, the DJL v0.35.1 sources deploy/djl-jni.sh builds the CUDA JNI from (with the JNI
# header made here, so the node needs no javac), and the exports, their test and validation splits
# once. Build first (mvn -DskipTests package). Then, on the node: bench/gpu-students.sh PACK RUNS.
#   bench/gpu-pack.sh PACK DJL_GIT EXPORT_UNIT_DIR...
# DJL_GIT: a clone (bare or not) of github.com/deepjavalibrary/djl that has the tag v0.35.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(( $# >= 3 )) || { echo "usage: bench/gpu-pack.sh PACK DJL_GIT EXPORT_UNIT_DIR..." >&2; exit 2; }
PACK="$1"; DJL="$2"; shift 2
CLASSPATH_FILE="$ROOT/job/target/classpath.txt"
[[ -f "$CLASSPATH_FILE" ]] || { echo "gpu-pack: $CLASSPATH_FILE missing: build first (mvn -DskipTests package)" >&2; exit 2; }
[[ ! -e "$PACK" ]] || { echo "gpu-pack: $PACK exists; give a new folder" >&2; exit 2; }
mkdir -p "$PACK/lib" "$PACK/classes" "$PACK/djl" "$PACK/export/_splits"

# The jars a student needs: ours, DJL and what DJL and our JSON and statistics code load.
WANTED='/(api|pytorch-engine)-0\.35\.1|/(gson|jna|commons-compress|slf4j-api|commons-math3|jackson-(core|databind|annotations))-[0-9.]+'
tr ':' '\n' < "$CLASSPATH_FILE" | grep -E "distill-udf|($WANTED)\.jar$" | xargs cp -t "$PACK/lib"
cp "$ROOT"/job/target/distill-job-*.jar "$PACK/lib"
javac -d "$PACK/classes" -cp "$(ls "$PACK"/lib/*.jar | tr '\n' ':')" "$ROOT/bench/ExportedStudents.java"

# A runtime with the modules the student code touches, without debug symbols (≈ 19 MB as xz).
JDK="$(mktemp -d)"
trap 'rm -rf "$JDK"' EXIT
jlink --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$JDK/jdk"
strip --strip-unneeded "$JDK/jdk/lib/server/libjvm.so" 2>/dev/null || true
tar -C "$JDK" -cf - jdk | xz -T0 > "$PACK/jdk.tar.xz"

# The JNI's C++ (and the api's shared native headers), with the header javac makes from the Java side.
git -C "$DJL" archive v0.35.1 engines/pytorch/pytorch-native api/src/main/native | tar -x -C "$PACK/djl"
SOURCES="$(mktemp -d)"
git -C "$DJL" archive v0.35.1 engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java |
  tar -x -C "$SOURCES"
javac -proc:none -implicit:none -d "$SOURCES" -cp "$(ls "$PACK"/lib/*.jar | tr '\n' ':')" \
  -h "$PACK/djl/engines/pytorch/pytorch-native/build/include" \
  "$SOURCES/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$SOURCES"

# Each unit's students; the splits (the same test and validation images for every unit of one
# evaluation) once, or beside a unit whose splits differ. A unit in bench/results/yardstick-inputs
# keeps its splits in the sibling splits/ folder.
for unit in "$@"; do
  name="$(basename "$unit")"
  mkdir -p "$PACK/export/$name"
  cp "$unit"/*.student.json.gz "$PACK/export/$name/"
  # the plan orders the students by data seed (ExportedStudents); teacher-label students read teachers/
  if [[ -f "$unit/plan.json" ]]; then cp "$unit/plan.json" "$PACK/export/$name/"; fi
  if [[ -d "$unit/teachers" ]]; then cp -r "$unit/teachers" "$PACK/export/$name/"; fi
  for split in test.images.json.gz validation.images.json.gz; do
    from="$unit/$split"
    [[ -f "$from" ]] || from="$(dirname "$unit")/splits/$split"
    [[ -f "$from" ]] || continue
    if [[ ! -f "$PACK/export/_splits/$split" ]]; then
      cp "$from" "$PACK/export/_splits/"
    elif ! cmp -s "$from" "$PACK/export/_splits/$split"; then
      cp "$from" "$PACK/export/$name/"
    fi
  done
done
du -sh "$PACK"
