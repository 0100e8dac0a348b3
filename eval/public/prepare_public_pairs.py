#!/usr/bin/env python3
"""Extracts the public labelled pair sets used by cachet-llm's evaluation into JSON lines.

Reads the source files from git snapshots (see README.md in this folder for the exact
repositories and commits) and writes one JSON object per pair:
  {"a": ..., "b": ..., "same": true|false, "source": "mrpc"|"stsb"|"mqp",
   "split": "train"|"test"}

The split is fixed and never depends on a model: MRPC keeps its official train/test files;
STS-B (only its test file is available in the snapshot) is split by a hash of the pair text;
MQP by a hash of the original question, so both rewrites of one question fall in the same
split. Re-running the script gives the same files byte for byte.

Usage: prepare_public_pairs.py MRPC_TRAIN MRPC_TEST STSB_TEST MQP_CSV OUT_DIR
"""
import csv
import hashlib
import json
import os
import sys


def keep(a, b, per_mille):
    """A fixed pseudo-random sample: whether the pair's hash falls in the first per_mille."""
    digest = hashlib.sha256(("sample\n" + a + "\n" + b).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 1000 < per_mille


def mrpc(path, split, per_mille):
    """MRPC keeps its official split; a hash sample of each file keeps the set small enough to
    embed in a test run on two cores."""
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) != 5 or not keep(cols[3].strip(), cols[4].strip(), per_mille):
            continue
        yield {"a": cols[3].strip(), "b": cols[4].strip(), "same": cols[0] == "1",
               "source": "mrpc", "split": split}


def stsb(path):
    """STS-B with a cut-off: score >= 4 is the same question, <= 2 is a different one; the
    ambiguous middle (2, 4) is left out, as a cache should neither be credited nor blamed for
    pairs that people themselves rate half-similar."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) != 7:
            continue
        score = float(cols[4])
        if 2.0 < score < 4.0:
            continue
        a, b = cols[5].strip(), cols[6].strip()
        digest = hashlib.sha256((a + "\n" + b).encode("utf-8")).digest()
        yield {"a": a, "b": b, "same": score >= 4.0, "source": "stsb",
               "split": "train" if digest[0] % 2 == 0 else "test"}


def mqp(path):
    """Medical Question Pairs: each patient question with a doctor's rewrite of the same intent
    (label 1) and a related question whose answer would be wrong for it (label 0). Split by the
    original question, so a question's two pairs never straddle train and test."""
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) != 4:
                continue
            a, b = row[1].strip(), row[2].strip()
            digest = hashlib.sha256(("mqp\n" + a).encode("utf-8")).digest()
            yield {"a": b, "b": a, "same": row[3] == "1", "source": "mqp",
                   "split": "train" if digest[0] % 2 == 0 else "test"}


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    mrpc_train, mrpc_test, stsb_test, mqp_csv, out = argv[1:]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "mrpc.jsonl"),
          list(mrpc(mrpc_train, "train", 370)) + list(mrpc(mrpc_test, "test", 580)))
    write(os.path.join(out, "stsb.jsonl"), list(stsb(stsb_test)))
    write(os.path.join(out, "mqp.jsonl"), list(mqp(mqp_csv)))


if __name__ == "__main__":
    main(sys.argv)
