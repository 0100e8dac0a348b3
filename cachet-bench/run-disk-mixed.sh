#!/usr/bin/env bash
# The mixed disk benchmark: Cachet's DiskStore (default and LRU) and Ehcache's persistent disk
# tier from Java, python-diskcache (default and LRU) from Debian's python3, all replaying one
# operation file (1M keys, 100-byte values, Zipf(0.99) gets and sets; 95/5 and 50/50 mixes at
# 1 and 2 threads and 2 processes; read-only and write-only phases). Rewrites only the
# "disk-mixed" section of cachet-bench/RESULTS.md. About 13 minutes on 2 cores, build included;
# keep the machine otherwise idle (the section records the load average).
#
# Usage: cachet-bench/run-disk-mixed.sh [--quick]   (from anywhere)
#   --quick   100k keys and 3 s cells (about 4 minutes); the section goes to
#             cachet-bench/<target>/disk-mixed-quick.md, RESULTS.md is left alone.
# Environment (all optional):
#   CACHET_TARGET              build output folder name (default target-bench), so this run's
#                              build does not collide with other builds of the checkout
#   DISK_MIXED_KEYS            keys (default 1000000)
#   DISK_MIXED_STREAM_OPS      operations per stream, the most a cell's worker replays
#                              (default 2000000)
#   DISK_MIXED_CELL_SECONDS    the longest a cell's worker replays (default 8)
#   DISK_MIXED_WARMUP_SECONDS  unmeasured warm-up per process (default 3)
#   DISK_MIXED_TMP             where the scratch directory goes (default /tmp); the stores
#                              take about 1 GB there at 1M keys, deleted at the end
#   DISK_MIXED_SKIP_BUILD=1    reuse the existing benchmarks.jar
#   PYTHON                     the interpreter with diskcache (default /usr/bin/python3,
#                              Debian's, where the python3-diskcache package installs)
# Installs nothing: without python3-diskcache it stops and says how to install it.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench_dir")"
target="${CACHET_TARGET:-target-bench}"
python="${PYTHON:-/usr/bin/python3}"
keys="${DISK_MIXED_KEYS:-1000000}"
stream_ops="${DISK_MIXED_STREAM_OPS:-2000000}"
cell_seconds="${DISK_MIXED_CELL_SECONDS:-8}"
warmup_seconds="${DISK_MIXED_WARMUP_SECONDS:-3}"
results="$bench_dir/RESULTS.md"

for arg in "$@"; do
  case "$arg" in
    --quick)
      keys="${DISK_MIXED_KEYS:-100000}"
      stream_ops="${DISK_MIXED_STREAM_OPS:-500000}"
      cell_seconds="${DISK_MIXED_CELL_SECONDS:-3}"
      warmup_seconds="${DISK_MIXED_WARMUP_SECONDS:-1}"
      results="$bench_dir/$target/disk-mixed-quick.md"
      ;;
    -h|--help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "Unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

# Checked first: no point building for a run that cannot measure its main peer.
if ! version="$("$python" -c 'import diskcache; print(diskcache.__version__)' 2>/dev/null)"; then
  cat >&2 <<EOF
python-diskcache is not importable by $python.
Install Debian's package (as root), then rerun:
  apt-get update && apt-get install -y python3-diskcache
(or point PYTHON at an interpreter that has diskcache).
EOF
  exit 2
fi
echo "[disk-mixed] diskcache $version under $python"

cd "$root"
if [[ "${DISK_MIXED_SKIP_BUILD:-0}" != 1 ]]; then
  # Offline first (fast, no network); online once if a dependency is not cached yet.
  if ! mvn -q -o -Dcachet.target="$target" -DskipTests -pl cachet-bench -am package; then
    echo "[disk-mixed] offline build failed; retrying with Maven Central" >&2
    mvn -q -Dcachet.target="$target" -DskipTests -pl cachet-bench -am package
  fi
fi
jar="$bench_dir/$target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "No $jar; build first" >&2; exit 1; }

mkdir -p "${DISK_MIXED_TMP:-/tmp}"
work="$(mktemp -d "${DISK_MIXED_TMP:-/tmp}/cachet-disk-mixed.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
# 2 GB heap, touched up front: on this VM the first touch of a page is slow, and the run
# holds the operation file, a million key strings and every latency sample.
java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp "$jar" dev.cachet.bench.DiskMixedBenchmark \
  --work "$work" --ops "$work/ops.bin" --json "$work/java.json" --keys "$keys" \
  --stream-ops "$stream_ops" --cell-seconds "$cell_seconds" \
  --warmup-seconds "$warmup_seconds" || status=$?
if [[ ! -f "$work/ops.bin" ]]; then
  echo "[disk-mixed] the Java harness wrote no operation file; stopping" >&2
  exit 1
fi

"$python" "$bench_dir/src/main/python/diskcache_mixed.py" --ops "$work/ops.bin" \
  --work "$work" --json "$work/python.json" --cell-seconds "$cell_seconds" \
  --warmup-seconds "$warmup_seconds" || status=$?

# Kept beside the build for a closer look; the scratch directory goes.
mkdir -p "$bench_dir/$target"
for f in java python; do
  [[ -f "$work/$f.json" ]] && cp "$work/$f.json" "$bench_dir/$target/disk-mixed-$f.json"
done
java -cp "$jar" dev.cachet.bench.DiskMixedReport --json "$work/java.json" \
  --json "$work/python.json" --results "$results"
if [[ $status -ne 0 ]]; then
  echo "[disk-mixed] a harness exited with status $status; the section shows what it recorded" >&2
fi
exit $status
