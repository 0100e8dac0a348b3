#!/usr/bin/env bash
# Builds cachet-core and cachet-bench, then runs every benchmark in the short configuration
# (1 fork, 3 x 1 s warmup, 3 x 1 s measurement; about 4 minutes on 2 cores) and rewrites
# its own block of cachet-bench/RESULTS.md (other runs' sections stay) with the scores and
# the target ratios, which it also prints.
#
# Usage: cachet-bench/run-short.sh [--include REGEX]...   (from anywhere; extra arguments go to
# dev.cachet.bench.BenchmarkReport). CACHET_TARGET=target-x builds into other output folders,
# so that a run does not disturb another build of the same checkout.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
target="${CACHET_TARGET:-target}"

cd "$root"
mvn -q -Dcachet.target="$target" -DskipTests -pl cachet-bench -am package

# The raw JMH JSON stays in the build folder; only RESULTS.md belongs in the repository.
exec java -cp "$bench_dir/$target/benchmarks.jar" dev.cachet.bench.BenchmarkReport \
  --results "$bench_dir/RESULTS.md" --json "$bench_dir/$target/jmh-result.json" "$@"
