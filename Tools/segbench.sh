#!/bin/sh
# Builds Tools/segbench (see segbench/main.swift) into ${OUT:-/tmp/segbench}: ZhengSouAnalysis's
# sources + the CICUShim C file compiled directly with -O, independent of the rest of the package.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/segbench}
mkdir -p "$OUT/cicu"
clang -O2 -c "$ROOT/Sources/CICUShim/zs_icu.c" -I "$ROOT/Sources/CICUShim/include" -o "$OUT/zs_icu.o"
printf 'module CICUShim {\n  header "%s"\n  export *\n}\n' "$ROOT/Sources/CICUShim/include/zs_icu.h" > "$OUT/cicu/module.modulemap"
swiftc -O -wmo -module-name ZhengSouAnalysis -I "$OUT/cicu" \
  "$ROOT"/Sources/ZhengSouAnalysis/*.swift "$ROOT/Tools/segbench/main.swift" \
  "$OUT/zs_icu.o" -licui18n -licuuc -licudata -o "$OUT/segbench"
echo "$OUT/segbench"
