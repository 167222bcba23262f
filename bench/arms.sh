# Sourced by bench/yardstick.sh and bench/ablation.sh: what a yardstick arm name means.

# The -D options that make an arm's distilled set: a chooser (rded, graphcut, sample), then any of
# paletteK (median cut, K colours), netpaletteK (the palette network) and infer (compensators), joined
# by '+', e.g. sample+palette4+infer. Graph cut uses stochastic greedy (a fresh selection per seed)
# and the paper's coverage weight λ = 1 unless a part lambdaX sets it (graphcut+lambda0.01+palette4):
# arm names keep the meaning they had when their units ran, whatever reference.conf's default;
# realismX, easyX and hardX set the realism weight and the difficulty band (graphcut+lambda0.01+hard0.1).
# ensemble: two teachers (the kept ConvNet-3 and a MobileNet, bench/yardstick.sh's KEPT_ENSEMBLE) label
# with their mean logits and each optimise compensators (sample+infer+ensemble).
declare -A GRAPHCUT_KEYS=([lambda]=lambda [realism]=realism-weight [easy]=drop-easiest [hard]=drop-hardest)
arm_args() {
  local parts methods extra=("-Ddistill.graphcut.greedy=stochastic") lambda=1
  IFS='+' read -r -a parts <<< "$1"
  case "${parts[0]}" in
    rded|graphcut|sample) methods="${parts[0]}" ;;
    *) echo "bench: arm '$1' must start with rded, graphcut or sample" >&2; return 1 ;;
  esac
  for part in "${parts[@]:1}"; do
    case "$part" in
      palette[0-9]*) methods+=",palette"; extra+=("-Ddistill.palette.colours=${part#palette}") ;;
      netpalette[0-9]*) methods+=",palette"
        extra+=("-Ddistill.palette.colours=${part#netpalette}" "-Ddistill.palette.quantiser=network") ;;
      infer) methods+=",infer" ;;
      ensemble) extra+=("-Ddistill.observer.architectures=[convnet3,mobilenet]" "-Ddistill.label.teachers=all") ;;
      *) local name="${part%%[0-9]*}"
        [[ -n "${GRAPHCUT_KEYS[$name]:-}" && "$part" != "$name" ]] || { echo "bench: unknown part '$part' of arm '$1'" >&2; return 1; }
        [[ "${parts[0]}" == graphcut ]] || { echo "bench: '$part' of arm '$1' needs graphcut" >&2; return 1; }
        if [[ "$name" == lambda ]]; then lambda="${part#lambda}"; continue; fi
        extra+=("-Ddistill.graphcut.${GRAPHCUT_KEYS[$name]}=${part#"$name"}") ;;
    esac
  done
  [[ "${parts[0]}" != graphcut ]] || extra+=("-Ddistill.graphcut.lambda=$lambda")
  echo "-Ddistill.methods=[$methods] ${extra[*]}"
}

# Student protocol changes an arm needs (applied to its baselines too): INFER trains with MixUp on
# interpolated stored logits at temperature 30 (its paper's CIFAR recipe).
eval_args() {
  if [[ "$1" == *infer* ]]; then echo "-Ddistill.evaluate.mixing=mixup -Ddistill.evaluate.temperature=30"; fi
}
