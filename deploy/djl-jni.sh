#!/usr/bin/env bash
# Builds DJL 0.35.1's PyTorch JNI (libdjl_torch.so) against the CUDA libtorch a GPU node already has
# (a pip install of torch, or an unpacked libtorch) and puts it beside libtorch, where DJL looks
# first. Why: DJL's own CUDA JNI pins libtorch 2.7.1 and both come from DJL's site, not Maven
# Central; a node's libtorch of another version lacks symbols that JNI needs. Built against the
# node's own, the job runs on whatever CUDA the node's driver serves (seen: torch 2.11 / CUDA 13 on
# an H100, README "GPU"). About 35 s on 16 cores; needs cmake, g++ and the CUDA toolkit (nvcc).
#   deploy/djl-jni.sh DJL_CHECKOUT [LIBTORCH_DIR]
# DJL_CHECKOUT: github.com/deepjavalibrary/djl at tag v0.35.1 (the JNI's C++ and its header's Java).
# LIBTORCH_DIR: holds lib/libtorch.so and share/cmake; default: python3's torch package.
# Then give the job's JVMs (driver and executors) the variables this prints.
set -euo pipefail
DJL="$(cd "$1" && pwd)"
TORCH="${2:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')}"
NATIVE="$DJL/engines/pytorch/pytorch-native"
[[ -f "$NATIVE/CMakeLists.txt" ]] || { echo "djl-jni: $NATIVE/CMakeLists.txt missing: is $1 a DJL checkout?" >&2; exit 2; }
[[ -f "$TORCH/lib/libtorch.so" ]] || { echo "djl-jni: $TORCH/lib/libtorch.so missing: not a libtorch directory" >&2; exit 2; }
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

# The JNI header comes from the Java side of the same checkout (kept if already generated).
HEADER="$NATIVE/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h"
if [[ ! -f "$HEADER" ]]; then
  "$JAVA_HOME/bin/javac" -proc:none -implicit:none -d "$(mktemp -d)" -h "$NATIVE/build/include" \
    -sourcepath "$DJL/engines/pytorch/pytorch-engine/src/main/java" \
    "$DJL/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
fi
BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
cmake -S "$NATIVE" -B "$BUILD" -DCMAKE_PREFIX_PATH="$TORCH/share/cmake" -DUSE_CUDA=1 \
  -DJAVA_INCLUDE_PATH="$JAVA_HOME/include" -DJAVA_INCLUDE_PATH2="$JAVA_HOME/include/linux" \
  -DJAVA_JVM_LIBRARY="$JAVA_HOME/lib/server/libjvm.so" -DJAVA_AWT_LIBRARY=NotNeeded \
  -DJAVA_AWT_INCLUDE_PATH=NotNeeded >&2
cmake --build "$BUILD" -- -j "$(nproc)" >&2
cp "$BUILD/libdjl_torch.so" "$TORCH/lib/"

# "2.11.0+cu130" (pip) or a libtorch zip's build-version: DJL wants the version and flavour apart.
FULL="$(cat "$TORCH/build-version" 2>/dev/null || python3 -c 'import torch; print(torch.__version__)')"
echo "PYTORCH_LIBRARY_PATH=$TORCH/lib PYTORCH_VERSION=${FULL%%+*} PYTORCH_FLAVOR=${FULL##*+}"
