#!/usr/bin/env bash
# The yardstick every method is judged by, on Fashion-MNIST (issue 8's protocol):
#   - one ConvNet-3 observer (OBSERVER_EPOCHS, 5,000 training images held out for validation), reused;
#   - each method arm of ARMS at budgets IPC 1 / 10 / 50 (arms: a chooser C of rded, graphcut,
#     sample, optionally +paletteK (median cut, K colours), +netpaletteK (palette network), +infer
#     (compensators; students then use MixUp at T = 30, baselines too), +ensemble (two teachers:
#     the kept ConvNet-3 and a MobileNet trained once with its recipe); graph cut with the official
#     stochastic greedy, so each data seed is a fresh selection);
#   - baselines for each: `random` (real images filling the same bytes), and for 8-bit arms
#     `random-ipc` (same count);
#   - static labels (what ships) at every budget, teacher labels at TEACHER_IPCS;
#   - DATA_SEEDS data seeds (fresh distillation + fresh subsets each), one ConvNet-3 student per
#     seed, EPOCHS epochs; final-epoch test accuracy, mean ± 95 % interval, IOR with paired p-value.
# Resumable across sessions and machines: each finished (arm, budget, labels) evaluation is committed
# as bench/results/yardstick-units/[<arm>-]ipc<N>-<labels>.json (no prefix for rded) and skipped on the next run, and the observer
# it used is committed as bench/results/yardstick-observer/ (1.3 MB), so later units use the same
# teacher; distillations are redone on another machine (deterministic; minutes a seed for graph cut
# and compensators) and read back from $OUT/redistilled on this one (distill.evaluate.redistilled-path).
# Within a unit (an IPC-50 one is hours of students) every finished student is kept in yardstick-units/runs/<unit>/ (distill.evaluate.runs-path)
# and not trained again — on a machine whose CPU computes the same float results; on another CPU
# type the stored labels differ in their last bits, so those students train anew. Commit that
# folder with partial results. Re-running with everything present only re-summarises:
#   apt-get install -y dataset-fashion-mnist python3-scipy
#   bench/yardstick.sh            # → bench/results/yardstick-fashion-mnist.{json,md}
#   IPCS="10" DATA_SEEDS="[0,1,2,3,4]" bench/yardstick.sh
#   ARMS="sample+palette4 rded+palette4" IPCS="10" TEACHER_IPCS="" bench/yardstick.sh
# Students on a GPU machine without Spark: EXPORT_STUDENTS=DIR writes each unit's unfinished students
# to DIR/<unit> instead of training them (distill.evaluate.export-path); train them there with
# bench/ExportedStudents.java into yardstick-units/runs/<unit>/, then run the same command again
# without EXPORT_STUDENTS to summarise.
# A unit longer than a session on any CPU: EXPORT_STUDENTS=bench/results/yardstick-inputs writes its
# students there with their plan (the splits once, in splits/), one data seed at a time; commit them as
# they come (≈ 4 MB for an IPC-50 unit): a unit whose distillations outlast a session goes on at its
# next data seed. A teacher unit whose static unit is exported whole is written from it in seconds (bin/distill
# evaluate --plan … --teacher-export: the same images relabelled), not distilled again.
# From then on this command, on any machine, trains them from those files (a finished one is kept and
# skipped) and summarises the unit from its plan (bin/distill evaluate --plan) without distilling again,
# which on another CPU type would label in other last bits and name every student anew.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${BENCH_OUT:-$ROOT/out/bench/yardstick}"
CONF="$ROOT/conf/fashion-mnist.conf"
IPCS="${IPCS:-1 10 50}"
ARMS="${ARMS:-rded}"
TEACHER_IPCS="${TEACHER_IPCS-10}"  # empty: no teacher units
EPOCHS="${EPOCHS:-300}"
DATA_SEEDS="${DATA_SEEDS:-[0,1,2,3,4]}"
OBSERVER_EPOCHS="${OBSERVER_EPOCHS:-20}"
RESULTS="${RESULTS:-$ROOT/bench/results/yardstick-fashion-mnist}"
UNITS="${UNITS:-$ROOT/bench/results/yardstick-units}"
KEPT_OBSERVER="${KEPT_OBSERVER:-$ROOT/bench/results/yardstick-observer}"
INPUTS="${INPUTS:-$ROOT/bench/results/yardstick-inputs}"
mkdir -p "$OUT" "$UNITS" "$(dirname "$RESULTS")"

timed() { # name command...: appends "date name seconds" once the command succeeded
  local start=$SECONDS
  "${@:2}" || return
  printf '%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$1" "$((SECONDS - start))" >> "$UNITS/timings.tsv"
}

source "$ROOT/bench/arms.sh"  # arm_args, eval_args
unit_name() { # arm ipc mode
  if [[ "$1" == rded ]]; then echo "ipc$2-$3"; else echo "$1-ipc$2-$3"; fi
}

keep_observer() { # architecture name dest: trains one observer with the yardstick's recipe and keeps it in dest
  timed "$2" "$ROOT/bin/distill" train-observer --conf "$CONF" -Ddistill.observer.architectures="[$1]" \
    -Ddistill.observer.epochs="$OBSERVER_EPOCHS" -Ddistill.output.path="$OUT/$2" -Ddistill.output.overwrite=true >&2 \
    || return
  mkdir -p "$3"
  cp "$OUT/$2/observers/$1/"* "$3/"
  cp "$OUT/$2/manifest.json" "$UNITS/$2-manifest.json"
}

share_splits() { # unit: its test and validation splits, the same for every unit, kept once in INPUTS/splits
  mkdir -p "$INPUTS/splits"
  find "$INPUTS/$1" -name '.*.crc' -delete  # Hadoop's local checksums (the teachers' copies have them too)
  for f in "$INPUTS/$1/"*.images.json.gz; do
    local kept="$INPUTS/splits/$(basename "$f")"
    if [[ ! -f "$kept" ]]; then
      mv "$f" "$kept"
    elif cmp -s "$f" "$kept"; then
      rm "$f"
    else
      echo "yardstick: $f differs from $kept: units exported from other splits cannot share them" >&2
      return 1
    fi
  done
}

link_inputs() { # unit scratch: the unit's exported students, plan and teachers/ (teacher units' students read
  # their teachers there, ExportedStudents) and the shared splits, linked into scratch
  ln -sf "$INPUTS/$1/"*.student.json.gz "$INPUTS/$1/plan.json" "$INPUTS/splits/"*.images.json.gz "$2/"
  if [[ -d "$INPUTS/$1/teachers" ]]; then ln -sfn "$INPUTS/$1/teachers" "$2/teachers"; fi
}

teacher_export() { # unit static-unit observer: the static unit's exported students again with teacher labels,
  # written to INPUTS/<unit> in seconds: the same images, so no distilling again (an hour a data seed for the
  # full combination here); the files, names and plan its own export would write (TeacherExportTest checks).
  local scratch="$OUT/inputs/$2"
  rm -rf "$scratch" && mkdir -p "$scratch"
  link_inputs "$2" "$scratch"
  timed "teacher-export-$1" "$ROOT/bin/distill" evaluate --plan "$scratch" --teacher-export "$INPUTS/$1" \
    --conf "$CONF" -Ddistill.observer.path="$3" >&2 || return
  share_splits "$1"
}

from_inputs() { # unit: trains its exported students in INPUTS/<unit>, then summarises it from its plan
  local scratch="$OUT/inputs/$1"
  mkdir -p "$scratch"
  # the plan too: the students train in its order, each data seed's arm then its baselines
  link_inputs "$1" "$scratch"
  # bin/distill's JVM setup (jemalloc, threads, offline DJL) and build check, for the student program
  DISTILL_MAIN="$ROOT/bench/ExportedStudents.java" timed "students-$1" "$ROOT/bin/distill" "$scratch" "$UNITS/runs/$1" \
    || return
  "$ROOT/bin/distill" evaluate --plan "$INPUTS/$1" --conf "$CONF" -Ddistill.evaluate.runs-path="$UNITS/runs/$1" >&2 \
    || return
  mv "$INPUTS/$1/evaluation.json" "$UNITS/$1.json"
  rm -rf "$UNITS/runs/$1" "$INPUTS/$1"  # the unit holds every run now
}

evaluate() { # unit arm mode output data-seeds [option...]: bin/distill evaluate with the unit's protocol
  local baselines='[random,random-ipc]' protocol
  # Equal count is a paper-comparison column for 8-bit arms; a palette or INFER arm's count costs several
  # times its bytes at 8 bits, so it is compared at equal bytes only.
  [[ "$2" == *palette* || "$2" == *infer* ]] && baselines='[random]'
  read -r -a protocol <<< "$(eval_args "$2")"
  timed "evaluate-$1" "$ROOT/bin/distill" evaluate --data "$4" "${protocol[@]}" \
    -Ddistill.evaluate.epochs="$EPOCHS" -Ddistill.evaluate.data-seeds="$5" \
    -Ddistill.evaluate.label-modes="[$3]" -Ddistill.evaluate.baselines="$baselines" \
    -Ddistill.evaluate.runs-path="$UNITS/runs/$1" -Ddistill.evaluate.redistilled-path="$OUT/redistilled" "${@:6}"
}

unexported_seeds() { # folder: the data seeds of DATA_SEEDS its plan.json does not hold yet (all without one)
  python3 - "$1/plan.json" "$DATA_SEEDS" <<'PY'
import json, os, sys
have = {s["dataSeed"] for s in json.load(open(sys.argv[1]))["sets"]} if os.path.exists(sys.argv[1]) else set()
print(" ".join(str(d) for d in json.loads(sys.argv[2]) if d not in have))
PY
}

# A unit's students written to TARGET/<unit> one data seed at a time, each from its own distillation
# (distill.seed = d; what the evaluation would distil again) and kept as it finishes: plan.json grows by
# that data seed's sets and runs. A unit whose distillations outlast a session (INFER at IPC 50:
# ≈ 20 min a data seed here) resumes at its next data seed once the finished ones are committed.
export_by_seed() { # unit arm ipc mode output observer target
  local seed data status args own
  read -r -a args <<< "$(arm_args "$2")"
  # The unit's seed: its plan's (a unit partly exported: its own output is not distilled again), else its output's.
  own="$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m.get("manifest", m)["seed"])' \
    "$( [[ -f "$7/$1/plan.json" ]] && echo "$7/$1/plan.json" || echo "$5/manifest.json")")"
  for seed in $(unexported_seeds "$7/$1"); do
    data="$5"
    [[ "$seed" == "$own" ]] || data="$5-seed$seed"
    [[ -f "$data/manifest.json" ]] || timed "distill-${1%-*}-seed$seed" "$ROOT/bin/distill" run --conf "$CONF" \
      -Ddistill.ipc="$3" "${args[@]}" -Ddistill.seed="$seed" -Ddistill.observer.path="$6" \
      -Ddistill.output.path="$data" -Ddistill.output.overwrite=true >&2 || return
    status=0
    # Evaluated under the unit's own seed, which draws the validation slice and the baselines' pool: the
    # students are those one evaluation of every data seed would export (EvaluationTest checks).
    evaluate "$1" "$2" "$4" "$data" "[$seed]" -Ddistill.seed="$own" -Ddistill.evaluate.export-path="$7/$1" \
      || status=$?
    # 3: its unfinished students were written; 0: all of them had finished, so nothing joined the plan
    if [[ $status != 3 ]]; then
      echo "yardstick: exporting $1's data seed $seed ended with status $status, not 3 (students written)" >&2
      return 1
    fi
    if [[ "$7" -ef "$INPUTS" ]]; then share_splits "$1" || return; fi
  done
}

OBSERVER="$KEPT_OBSERVER"
[[ -f "$OBSERVER/observer.json" ]] || keep_observer convnet3 observer "$OBSERVER"
# Arms with the part `ensemble` are taught by two observers: the kept ConvNet-3 and a MobileNet trained
# with the same recipe, kept side by side as KEPT_ENSEMBLE/{convnet3,mobilenet} (a previous run's observers/).
KEPT_ENSEMBLE="${KEPT_ENSEMBLE:-$ROOT/bench/results/yardstick-ensemble}"
observer_for() { # arm: the observer path its units use
  if [[ "$1" != *ensemble* ]]; then echo "$OBSERVER"; return; fi
  if [[ ! -f "$KEPT_ENSEMBLE/mobilenet/observer.json" ]]; then
    # (a subshell: set -e does not reach here)
    keep_observer mobilenet observer-mobilenet "$KEPT_ENSEMBLE/mobilenet" || exit 1
    mkdir -p "$KEPT_ENSEMBLE/convnet3" && cp "$OBSERVER/"* "$KEPT_ENSEMBLE/convnet3/"
  fi
  echo "$KEPT_ENSEMBLE"
}
for arm in $ARMS; do
  read -r -a args <<< "$(arm_args "$arm")"
  observer="$(observer_for "$arm")"
  for ipc in $IPCS; do
    dir="$OUT/$(unit_name "$arm" "$ipc" out)"
    modes="static"
    [[ " $TEACHER_IPCS " == *" $ipc "* ]] && modes="static teacher"
    for mode in $modes; do
      name="$(unit_name "$arm" "$ipc" "$mode")"
      unit="$UNITS/$name.json"
      if [[ -f "$unit" ]]; then
        echo "yardstick: $unit exists, skipped" >&2
        continue
      fi
      if [[ -f "$INPUTS/$name/plan.json" && -z "$(unexported_seeds "$INPUTS/$name")" ]]; then
        if [[ -n "${EXPORT_STUDENTS:-}" ]]; then
          echo "yardstick: $name's students are already exported, in $INPUTS/$name; skipped" >&2
        else
          from_inputs "$name" || exit 1
        fi
        continue
      fi
      # A teacher unit whose static unit is exported whole: the same students, relabelled.
      twin="$(unit_name "$arm" "$ipc" static)"
      if [[ "$mode" == teacher && ! -f "$INPUTS/$name/plan.json" && -f "$INPUTS/$twin/plan.json" \
          && -z "$(unexported_seeds "$INPUTS/$twin")" ]]; then
        teacher_export "$name" "$twin" "$observer" || exit 1
        [[ -n "${EXPORT_STUDENTS:-}" ]] || from_inputs "$name" || exit 1
        continue
      fi
      # A unit partly exported to INPUTS (a session ended between its data seeds) goes on there, at its next data seed.
      if [[ -f "$INPUTS/$name/plan.json" ]]; then
        export_by_seed "$name" "$arm" "$ipc" "$mode" "$dir" "$observer" "$INPUTS" || exit 1
        [[ -n "${EXPORT_STUDENTS:-}" ]] || from_inputs "$name" || exit 1
        continue
      fi
      if [[ ! -f "$dir/manifest.json" ]]; then
        log="$OUT/$name.distill.log"
        if ! timed "distill-${name%-*}" "$ROOT/bin/distill" run --conf "$CONF" -Ddistill.ipc="$ipc" "${args[@]}" \
            -Ddistill.observer.path="$observer" -Ddistill.output.path="$dir" -Ddistill.output.overwrite=true \
            2> >(tee "$log" >&2); then
          # A budget too small for the method (INFER at IPC 1) is a result, not a crash: say so.
          reason="$(grep -m1 'smallest feasible budget' "$log" | sed 's/^[ -]*//; s/^distill: //' || true)"
          [[ -n "$reason" ]] || exit 1
          python3 -c 'import json, sys; json.dump({"infeasible": sys.argv[1]}, open(sys.argv[2], "w"), indent=1)' \
            "$reason" "$unit"
          continue
        fi
      fi
      if [[ -n "${EXPORT_STUDENTS:-}" ]]; then
        export_by_seed "$name" "$arm" "$ipc" "$mode" "$dir" "$observer" "$EXPORT_STUDENTS" || exit 1
        continue
      fi
      evaluate "$name" "$arm" "$mode" "$dir" "$DATA_SEEDS" || exit
      cp "$dir/evaluation.json" "$unit.tmp" && mv "$unit.tmp" "$unit"
      rm -rf "$UNITS/runs/$name"  # the unit holds every run now
    done
  done
done
# The results table's arms in its order (the README's table); units of other arms follow them.
TABLE_ARMS="rded graphcut+palette4 graphcut+lambda0.01+palette4 sample+palette4 rded+palette4 sample+infer
  sample+netpalette4 rded+palette2 rded+palette8 rded+palette16 graphcut+lambda0.01 graphcut+lambda0.01+palette4+infer
  sample+infer+ensemble"
python3 "$ROOT/bench/yardstick.py" "$UNITS" "$RESULTS" \
  "bench/yardstick.sh (ARMS='$ARMS' IPCS='$IPCS' TEACHER_IPCS='$TEACHER_IPCS' EPOCHS=$EPOCHS DATA_SEEDS=$DATA_SEEDS OBSERVER_EPOCHS=$OBSERVER_EPOCHS)" \
  "${ALL_ARMS:-$TABLE_ARMS}" "${ALL_IPCS:-1 10 50}" "${ALL_TEACHER_IPCS:-10}"  # and every other unit in UNITS
