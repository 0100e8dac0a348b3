#!/usr/bin/env bash
# Builds cachet-core, cachet-disk and cachet-bench, then runs only the disk-tier benchmarks
# (DiskOneThread, DiskTwoThreads, DiskThresholdBenchmark) in the short configuration of
# run-short.sh and rewrites the "Disk tier" section of cachet-bench/RESULTS.md, leaving the
# rest of the file alone. About nine minutes on 2 cores.
#
# Usage: cachet-bench/run-disk.sh [--include REGEX]...   (from anywhere; extra arguments go to
# dev.cachet.bench.DiskReport). CACHET_TARGET=target-x builds into other output folders.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
target="${CACHET_TARGET:-target}"

cd "$root"
mvn -q -Dcachet.target="$target" -DskipTests -pl cachet-bench -am package

exec java -cp "$bench_dir/$target/benchmarks.jar" dev.cachet.bench.DiskReport \
  --results "$bench_dir/RESULTS.md" --json "$bench_dir/$target/jmh-disk-result.json" "$@"
