#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs this executor may use as a Spark resource.
# Honours CUDA_VISIBLE_DEVICES when the resource manager has already narrowed it.
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ADDRS=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n')
else
  ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null)
fi
echo -n '{"name": "gpu", "addresses": ['
echo -n "$ADDRS" | awk 'BEGIN{ORS=""} NF {printf "%s\"%s\"", (n++ ? ", " : ""), $1}'
echo ']}'
