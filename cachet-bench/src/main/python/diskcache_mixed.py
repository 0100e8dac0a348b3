#!/usr/bin/env python3
"""The diskcache side of Cachet's mixed disk benchmark.

Replays the operation file written by the Java harness (dev.cachet.bench.DiskMixedBenchmark;
format in DiskMixedOps.java) on python-diskcache, cell by cell, and writes the same JSON
fields as the Java side (DiskMixedResults.java), which DiskMixedReport merges into
cachet-bench/RESULTS.md. Run it with Debian's interpreter and package
(apt-get install python3-diskcache; /usr/bin/python3), as run-disk-mixed.sh does.

Contenders:
  diskcache-default  diskcache.Cache(dir, size_limit=2**40): eviction_policy
                     'least-recently-stored', gets never write.
  diskcache-lru      the same with eviction_policy='least-recently-used': every get
                     updates access_time in a transaction of its own.
size_limit is far above what 1M x 100 bytes takes, so nothing is evicted.

Population: diskcache-default gets one set() per key, measured (the bulk-set rate), for at
most --populate-per-call-seconds (60 s by default); any keys left then go in transact()
batches of 1,000, diskcache's own bulk-load idiom, because one call per key takes diskcache
minutes per million keys. diskcache-lru starts from a copy of that populated store, with the
other policy's index dropped (--populate each to fill it on its own).

Every measured loop times each call with time.perf_counter_ns() and keeps every sample;
percentiles are nearest-rank over the sorted samples, as in DiskMixedLatencies.java.

Usage:
  diskcache_mixed.py --ops FILE --work DIR --json OUT [--contenders a,b] [--cells id,id]
                     [--cell-seconds S] [--warmup-seconds S] [--populate copy|each]
                     [--populate-per-call-seconds S] [--keep-stores]
  diskcache_mixed.py --worker ...   (one process of a two-process cell; internal)
"""

import argparse
import array
import datetime
import json
import math
import os
import platform
import shutil
import sqlite3
import struct
import subprocess
import sys
import threading
import time

import diskcache

MAGIC = b"CDMX"
VERSION = 1
SET_BIT = 0x80000000
KEY_MASK = 0x7FFFFFFF
POPULATE = "populate"
WARMUP = "warmup"
# Far above the store's size: nothing is culled, as with Cachet's unlimited store.
SIZE_LIMIT = 2 ** 40

# The same ids, streams and order as DiskMixedCell.java.
CELLS = [
    ("mix95-1t", False, ["mix95-0"]),
    ("mix95-2t", False, ["mix95-0", "mix95-1"]),
    ("mix50-1t", False, ["mix50-0"]),
    ("mix50-2t", False, ["mix50-0", "mix50-1"]),
    ("read-1t", False, ["read-0"]),
    ("write-1t", False, ["write-0"]),
    ("mix95-2p", True, ["mix95-0", "mix95-1"]),
    ("mix50-2p", True, ["mix50-0", "mix50-1"]),
]

CONTENDERS = {
    "diskcache-default": {},
    "diskcache-lru": {"eviction_policy": "least-recently-used"},
}

DESCRIPTIONS = {
    "diskcache-default": "diskcache {v} `Cache(dir, size_limit=2**40)`: default "
                         "least-recently-stored, gets do not write",
    "diskcache-lru": "diskcache {v} `Cache(dir, size_limit=2**40, "
                     "eviction_policy='least-recently-used')`: each get updates access_time",
}


class Ops:
    """The operation file: keys, values and streams (see DiskMixedOps.java for the format)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != MAGIC:
            raise ValueError(f"{path} is not an operation file of the mixed disk benchmark")
        (version, self.key_count, value_bytes, variants, self.seed, self.theta,
         stream_count) = struct.unpack_from("<IIIIqdI", data, 4)
        if version != VERSION:
            raise ValueError(f"{path} has format version {version}, expected {VERSION}")
        pos = 4 + struct.calcsize("<IIIIqdI")
        self.values = []
        for _ in range(variants):
            self.values.append(bytes(data[pos:pos + value_bytes]))
            pos += value_bytes
        self.value_bytes = value_bytes
        self.streams = {}
        for _ in range(stream_count):
            (name_len,) = struct.unpack_from("<H", data, pos)
            pos += 2
            name = data[pos:pos + name_len].decode("utf-8")
            pos += name_len
            write_percent, count = struct.unpack_from("<II", data, pos)
            pos += 8
            ops = array.array("I")
            ops.frombytes(data[pos:pos + 4 * count])
            if sys.byteorder == "big":
                ops.byteswap()
            pos += 4 * count
            self.streams[name] = ops
        # Built once: the measured loop must not format numbers. Same spelling as Java.
        self.keys = ["key-%d" % i for i in range(self.key_count)]


class Tally:
    """What one worker did replaying one stream (DiskMixedTally.java)."""

    def __init__(self):
        self.ops = self.gets = self.sets = self.misses = self.errors = 0
        self.first_error = None
        self.elapsed_ns = 0
        self.settle_ns = 0
        self.get_ns = array.array("q")
        self.set_ns = array.array("q")

    @staticmethod
    def merge(parts):
        m = Tally()
        for p in parts:
            m.ops += p.ops
            m.gets += p.gets
            m.sets += p.sets
            m.misses += p.misses
            m.errors += p.errors
            m.first_error = m.first_error or p.first_error
            # The workers started together: the cell lasted as long as the slowest.
            m.elapsed_ns = max(m.elapsed_ns, p.elapsed_ns)
            m.settle_ns = max(m.settle_ns, p.settle_ns)
            m.get_ns.extend(p.get_ns)
            m.set_ns.extend(p.set_ns)
        return m

    def save(self, path):
        meta = {k: getattr(self, k) for k in
                ("ops", "gets", "sets", "misses", "errors", "first_error", "elapsed_ns",
                 "settle_ns")}
        meta["get_count"] = len(self.get_ns)
        with open(path, "wb") as f:
            header = json.dumps(meta).encode("utf-8")
            f.write(struct.pack("<I", len(header)))
            f.write(header)
            self.get_ns.tofile(f)
            self.set_ns.tofile(f)

    @staticmethod
    def load(path):
        t = Tally()
        with open(path, "rb") as f:
            (n,) = struct.unpack("<I", f.read(4))
            meta = json.loads(f.read(n).decode("utf-8"))
            samples = array.array("q")
            samples.frombytes(f.read())
        for k in ("ops", "gets", "sets", "misses", "errors", "first_error", "elapsed_ns",
                  "settle_ns"):
            setattr(t, k, meta[k])
        g = meta["get_count"]
        t.get_ns = samples[:g]
        t.set_ns = samples[g:]
        return t


def percentile_us(samples, p):
    """Nearest rank over the sorted samples, in microseconds (DiskMixedLatencies.java)."""
    if not samples:
        return None
    s = sorted(samples)
    rank = math.ceil(p / 100.0 * len(s))
    return s[min(len(s) - 1, max(0, rank - 1))] / 1000.0


def mean_us(samples):
    """Mean in microseconds, or None without samples."""
    return sum(samples) / len(samples) / 1000.0 if samples else None


def replay(cache, ops, stream, cap_ns):
    """Replays a stream until it ends or cap_ns have passed, timing every call."""
    t = Tally()
    keys = ops.keys
    values = ops.values
    variants = len(values)
    get = cache.get
    put = cache.set
    clock = time.perf_counter_ns
    get_ns = t.get_ns
    set_ns = t.set_ns
    misses = errors = n = 0
    first_error = None
    start = clock()
    deadline = start + cap_ns
    end = start
    for i, op in enumerate(stream):
        key = keys[op & KEY_MASK]
        if op & SET_BIT:
            t0 = clock()
            try:
                put(key, values[i % variants])
            except Exception as e:  # counted, as the Java loop counts exceptions
                errors += 1
                first_error = first_error or repr(e)[:1000]
            end = clock()
            set_ns.append(end - t0)
        else:
            t0 = clock()
            try:
                hit = get(key) is not None  # values are bytes, never None
            except Exception as e:
                hit = True
                errors += 1
                first_error = first_error or repr(e)[:1000]
            end = clock()
            get_ns.append(end - t0)
            if not hit:
                misses += 1
        n += 1
        if end >= deadline:
            break
    t.ops = n
    t.gets = len(get_ns)
    t.sets = len(set_ns)
    t.misses = misses
    t.errors = errors
    t.first_error = first_error
    t.elapsed_ns = end - start
    return t


def replay_threads(cache, ops, streams, cap_ns):
    """One thread per stream on the shared Cache (diskcache keeps a connection per thread)."""
    if len(streams) == 1:
        return replay(cache, ops, streams[0], cap_ns)
    barrier = threading.Barrier(len(streams))
    tallies = [None] * len(streams)
    failures = []

    def work(index):
        try:
            barrier.wait()
            tallies[index] = replay(cache, ops, streams[index], cap_ns)
        except BaseException as e:  # reported after join
            failures.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(streams))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if failures:
        raise RuntimeError(f"a replay thread failed: {failures[0]!r}")
    return Tally.merge(tallies)


def open_cache(name, directory):
    return diskcache.Cache(directory, size_limit=SIZE_LIMIT, **CONTENDERS[name])


def cell_result(cell, workers, processes, t):
    seconds = (t.elapsed_ns + t.settle_ns) / 1e9
    return {
        "cell": cell, "workers": workers, "processes": processes, "ops": t.ops,
        "gets": t.gets, "sets": t.sets, "misses": t.misses, "errors": t.errors,
        "seconds": seconds, "settleSeconds": t.settle_ns / 1e9,
        "opsPerSec": t.ops / seconds if seconds > 0 else 0,
        "getP50Us": percentile_us(t.get_ns, 50), "getP99Us": percentile_us(t.get_ns, 99),
        "setP50Us": percentile_us(t.set_ns, 50), "setP99Us": percentile_us(t.set_ns, 99),
        "getMeanUs": mean_us(t.get_ns), "setMeanUs": mean_us(t.set_ns),
        "firstError": t.first_error, "skipped": None, "failed": None, "note": None,
    }


def not_run(cell, workers, processes, skipped=None, failed=None):
    return {
        "cell": cell, "workers": workers, "processes": processes, "ops": 0, "gets": 0,
        "sets": 0, "misses": 0, "errors": 0, "seconds": 0, "settleSeconds": 0,
        "opsPerSec": 0, "getP50Us": None, "getP99Us": None, "setP50Us": None,
        "setP99Us": None, "getMeanUs": None, "setMeanUs": None, "firstError": None,
        "skipped": skipped, "failed": failed, "note": None,
    }


def log(message):
    print("[disk-mixed] " + message, flush=True)


def log_cell(name, c):
    def us(v):
        return "-" if v is None else "%.1f" % v
    extra = ""
    if c["misses"]:
        extra += ", %d MISSES" % c["misses"]
    if c["errors"]:
        extra += ", %d ERRORS: %s" % (c["errors"], c["firstError"])
    log("%s %s: %.1f k ops/s over %.1f s (%d ops), get p50/p99/mean %s/%s/%s us, "
        "set p50/p99/mean %s/%s/%s us%s"
        % (name, c["cell"], c["opsPerSec"] / 1000, c["seconds"], c["ops"], us(c["getP50Us"]),
           us(c["getP99Us"]), us(c["getMeanUs"]), us(c["setP50Us"]), us(c["setP99Us"]),
           us(c["setMeanUs"]), extra))


def load_average():
    try:
        with open("/proc/loadavg") as f:
            a = f.read().split()
        return "%s / %s / %s" % (a[0], a[1], a[2])
    except OSError:
        return "unknown"


def run_processes(name, directory, args, streams, scratch):
    """Two-process cell: one worker interpreter per stream, started together with GO."""
    procs = []
    outs = []
    try:
        for i, stream in enumerate(streams):
            out = os.path.join(scratch, "worker-%s-%d.bin" % (name, i))
            if os.path.exists(out):
                os.remove(out)
            outs.append(out)
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--contender", name,
                   "--dir", directory, "--ops", args.ops, "--stream", stream,
                   "--cell-seconds", str(args.cell_seconds),
                   "--warmup-seconds", str(args.warmup_seconds), "--out", out]
            procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          cwd=scratch, text=True))
        for i, p in enumerate(procs):
            line = p.stdout.readline().strip()
            if line.startswith("FAILED"):
                return None, line[len("FAILED"):].strip()
            if line != "READY":
                raise RuntimeError("worker %d of %s said %r (exit %s)"
                                   % (i, name, line, p.poll()))
        for p in procs:
            p.stdin.write("GO\n")
            p.stdin.flush()
        tallies = []
        for i, p in enumerate(procs):
            rest = p.stdout.read()
            code = p.wait(timeout=args.cell_seconds + 300)
            if code != 0:
                raise RuntimeError("worker %d of %s exited with %d: %s"
                                   % (i, name, code, rest.strip()[:600]))
            tallies.append(Tally.load(outs[i]))
        return Tally.merge(tallies), None
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for out in outs:
            if os.path.exists(out):
                os.remove(out)


def worker_main(args):
    """One process of a two-process cell; protocol as DiskMixedWorker.java."""
    ops = Ops(args.ops)
    stream = ops.streams[args.stream]
    try:
        cache = open_cache(args.contender, args.dir)
    except Exception as e:
        print("FAILED " + repr(e).replace("\n", " "), flush=True)
        sys.exit(3)
    try:
        if args.warmup_seconds > 0:
            replay(cache, ops, ops.streams[WARMUP], int(args.warmup_seconds * 1e9))
        print("READY", flush=True)
        line = sys.stdin.readline().strip()
        if line != "GO":
            raise RuntimeError("expected GO from the parent, got %r" % line)
        t = replay(cache, ops, stream, int(args.cell_seconds * 1e9))
    finally:
        cache.close()
    t.save(args.out)
    print("DONE", flush=True)


# The index each eviction policy creates (diskcache.core.EVICTION_POLICY[...]['init']).
POLICY_INDEX = {
    "least-recently-stored": "Cache_store_time",
    "least-recently-used": "Cache_access_time",
}


def drop_other_policy_index(directory, name):
    """A store copied from the other policy's keeps that policy's index, which a store
    populated under this policy would not have and every set would maintain: drop it (opening
    the Cache then creates this policy's own index)."""
    policy = CONTENDERS[name].get("eviction_policy", "least-recently-stored")
    con = sqlite3.connect(os.path.join(directory, "cache.db"))
    try:
        for other, index in POLICY_INDEX.items():
            if other != policy:
                con.execute("DROP INDEX IF EXISTS %s" % index)
        con.commit()
    finally:
        con.close()


def populate(cache, ops, per_call_seconds):
    """Fills the store with every key. One set call per key (as the Java contenders do, and
    measured as they are) for at most per_call_seconds; whatever keys remain then go in
    transact() batches of 1,000, diskcache's own way to bulk-load, because one set at a
    time takes diskcache minutes per million keys and the run has a time budget. The
    result's note says how many keys went which way."""
    stream = ops.streams[POPULATE]
    t = replay(cache, ops, stream, int(per_call_seconds * 1e9))
    c = cell_result(POPULATE, 1, False, t)
    rest = len(stream) - t.ops
    if rest > 0:
        keys = ops.keys
        values = ops.values
        variants = len(values)
        start = time.perf_counter_ns()
        for base in range(t.ops, len(stream), 1000):
            with cache.transact():
                for i in range(base, min(base + 1000, len(stream))):
                    # Position i writes value i % variants, as in replay().
                    cache.set(keys[stream[i] & KEY_MASK], values[i % variants])
        seconds = (time.perf_counter_ns() - start) / 1e9
        c["note"] = ("one call per set for the first %d s; the other %d keys in transact() "
                     "batches of 1,000 in %.1f s (%.1f k sets/s)"
                     % (per_call_seconds, rest, seconds, rest / seconds / 1000))
    return c


def run_contender(name, ops, args, cells, populated, share_population):
    directory = os.path.join(args.work, name)
    cap_ns = int(args.cell_seconds * 1e9)
    result = {
        "name": name, "description": DESCRIPTIONS[name].format(v=diskcache.__version__),
        "storedValueBytes": ops.value_bytes, "multiProcess": True, "populate": None,
        "cells": [], "failures": 0, "closed": False, "error": None,
    }
    try:
        shutil.rmtree(directory, ignore_errors=True)
        source = populated.get("dir")
        if source and share_population:
            # Filling 1M keys one set at a time takes minutes in diskcache; the populated
            # store of the other policy is the same data, so copy it instead.
            shutil.copytree(source, directory)
            drop_other_policy_index(directory, name)
            result["populate"] = not_run(POPULATE, 1, False,
                                         skipped="copied from %s's populated store"
                                         % populated["name"])
            log("%s populate: copied from %s" % (name, populated["name"]))
        cache = open_cache(name, directory)
        try:
            if result["populate"] is None:
                result["populate"] = populate(cache, ops, args.populate_per_call_seconds)
                c = result["populate"]
                log("%s populate: %d keys set one call each in %.1f s (%.1f k sets/s)%s"
                    % (name, c["ops"], c["seconds"], c["opsPerSec"] / 1000,
                       "; " + c["note"] if c["note"] else ""))
                if share_population and not populated.get("dir"):
                    cache.close()  # checkpoints the WAL, so the copy is one file's worth
                    snapshot = os.path.join(args.work, "populated-snapshot")
                    shutil.rmtree(snapshot, ignore_errors=True)
                    shutil.copytree(directory, snapshot)
                    populated["dir"] = snapshot
                    populated["name"] = name
                    cache = open_cache(name, directory)
            if args.warmup_seconds > 0:
                replay(cache, ops, ops.streams[WARMUP], int(args.warmup_seconds * 1e9))
            for cell, processes, streams in cells:
                if processes:
                    continue
                t = replay_threads(cache, ops, [ops.streams[s] for s in streams], cap_ns)
                c = cell_result(cell, len(streams), False, t)
                log_cell(name, c)
                result["cells"].append(c)
        finally:
            cache.close()
        result["closed"] = True
        for cell, processes, streams in cells:
            if not processes:
                continue
            try:
                t, refused = run_processes(name, directory, args, streams, args.work)
            except Exception as e:
                log("%s %s FAILED: %r" % (name, cell, e))
                result["cells"].append(not_run(cell, len(streams), True, failed=repr(e)))
                continue
            if refused:
                result["cells"].append(not_run(cell, len(streams), True,
                                               failed="a worker could not open the store: "
                                               + refused))
                continue
            c = cell_result(cell, len(streams), True, t)
            log_cell(name, c)
            result["cells"].append(c)
    except Exception as e:
        result["error"] = repr(e)
        log("%s FAILED: %r" % (name, e))
    finally:
        if not args.keep_stores:
            shutil.rmtree(directory, ignore_errors=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ops", required=True)
    parser.add_argument("--work")
    parser.add_argument("--json")
    parser.add_argument("--contenders", default="diskcache-default,diskcache-lru")
    parser.add_argument("--cells", default=",".join(c[0] for c in CELLS))
    parser.add_argument("--cell-seconds", type=float, default=8.0)
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument("--populate", choices=["copy", "each"], default="copy")
    parser.add_argument("--populate-per-call-seconds", type=float, default=60.0)
    parser.add_argument("--keep-stores", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--stream", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args)
        return
    if not args.work or not args.json:
        parser.error("--work and --json are required")
    wanted = args.cells.split(",")
    unknown = [c for c in wanted if c not in [cell[0] for cell in CELLS]]
    if unknown:
        parser.error("unknown cells: %s" % unknown)
    cells = [c for c in CELLS if c[0] in wanted]
    names = args.contenders.split(",")
    for n in names:
        if n not in CONTENDERS:
            parser.error("unknown contender %s; known: %s" % (n, list(CONTENDERS)))
    os.makedirs(args.work, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc).isoformat()
    load_before = load_average()
    ops = Ops(args.ops)
    log("operation file %s: %d keys, %d values of %d bytes"
        % (args.ops, ops.key_count, len(ops.values), ops.value_bytes))
    populated = {}
    results = []
    try:
        for name in names:
            results.append(run_contender(name, ops, args, cells, populated,
                                         args.populate == "copy" and len(names) > 1))
    finally:
        if populated.get("dir"):
            shutil.rmtree(populated["dir"], ignore_errors=True)
    run = {
        "harness": "python",
        "runtime": "CPython %s (%s); diskcache %s; SQLite %s" % (
            platform.python_version(), sys.executable, diskcache.__version__,
            sqlite3.sqlite_version),
        "startedAt": started,
        "finishedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "loadBefore": load_before, "loadAfter": load_average(),
        "keys": ops.key_count, "valueBytes": ops.value_bytes, "seed": ops.seed,
        "streamOps": len(ops.streams["read-0"]), "cellSeconds": args.cell_seconds,
        "warmupSeconds": args.warmup_seconds, "contenders": results,
    }
    with open(args.json, "w") as f:
        json.dump(run, f, indent=2)
    log("wrote " + args.json)


if __name__ == "__main__":
    main()
