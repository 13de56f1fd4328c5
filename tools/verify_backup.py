#!/usr/bin/env python3
"""Stand-alone check of a Guishu backup file, and of witnessed heads against it.

    python3 tools/verify_backup.py BACKUP.ndjson [--witness WITNESS.ndjson ...] [--no-openssl]

Python 3.8+, standard library only; nothing of Guishu is imported. The formats
are those of docs/verify.md:

  * every line's `sum` (SHA-256 of the canonical JSON of the line without
    `sum`), the trailer's counts and whole-file SHA-256;
  * each project's event chain: seqs 1..n without gaps, prev_hash links, every
    event hash recomputed, each personal digest where personal data is present,
    and the project line's head;
  * each witnessed head of a project's event log: the backup's hash at that seq
    must be the witnessed one (a backup older than the head cannot say, and
    says so); its key id must be the SHA-256 of its public key; its Ed25519
    signature is checked with `openssl pkeyutl -verify` when openssl is on the
    PATH (Python's standard library has no Ed25519).

Exit status 0 when everything checks, 1 when something does not (each problem
is printed), 2 for a usage error.
"""
import base64
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

GENESIS = "0" * 64
USAGE = "usage: python3 tools/verify_backup.py BACKUP [--witness FILE ...] [--no-openssl]"
HEAD_FORMAT = "guishu-head/1"


# ---------------------------------------------------------------- canonical JSON
# Object keys sorted by UTF-16 code unit, no whitespace, strings and numbers
# exactly as JavaScript's JSON.stringify writes them (docs/verify.md).

def js_number(x):
    if isinstance(x, bool):
        raise TypeError("bool is not a number")
    if isinstance(x, int):
        if abs(x) <= 2 ** 53:
            return str(x)
        x = float(x)  # JavaScript reads a larger integer as the nearest double
    if not math.isfinite(x):
        raise ValueError("non-finite number")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + js_number(-x)
    # Shortest round-trip digits (repr), laid out by ECMAScript Number::toString.
    r = repr(x)
    mantissa, _, exp = r.partition("e")
    exp = int(exp) if exp else 0
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    lead_zeros = len(int_part + frac_part) - len((int_part + frac_part).lstrip("0"))
    n = len(int_part) + exp - lead_zeros  # value = 0.digits * 10^n
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    if k == 1:
        return digits + "e" + sign + str(abs(e))
    return digits[0] + "." + digits[1:] + "e" + sign + str(abs(e))


def js_string(s):
    # json.dumps without ensure_ascii escapes exactly what JSON.stringify does: " \\ and U+0000..U+001F.
    return json.dumps(s, ensure_ascii=False)


def canonical(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return js_string(v)
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v.keys(), key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(js_string(k) + ":" + canonical(v[k]) for k in keys) + "}"
    raise TypeError("not JSON: %r" % (v,))


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_sum(obj):
    return sha256_hex(canonical({k: v for k, v in obj.items() if k != "sum"}))


def event_hash(e):
    return sha256_hex(canonical({
        "project_id": e["projectId"], "seq": e["seq"], "event_id": e["eventId"], "type": e["type"], "at": e["at"],
        "recorded_by": e["recordedBy"], "payload": e["payload"], "personal_digest": e["personalDigest"],
        "status": e["status"], "rejection_code": e["rejectionCode"], "prev_hash": e["prevHash"],
    }))


def personal_digest(salt, data):
    return sha256_hex(salt + canonical(data))


# ---------------------------------------------------------------- the backup

class Problem(Exception):
    pass


def read_backup(path):
    """The projects of the backup: {project_id: {"header": line, "hashes": [hash at seq 1, 2, ...]}}."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        raise Problem("the file does not end with a complete line (truncated?)")
    raw_lines = data[:-1].split(b"\n")
    objs = []
    for i, raw in enumerate(raw_lines, 1):
        try:
            obj = json.loads(raw.decode("utf-8"))
        except ValueError as e:
            raise Problem("line %d: not JSON (%s)" % (i, e))
        if not isinstance(obj, dict) or not isinstance(obj.get("sum"), str):
            raise Problem("line %d: no checksum" % i)
        if line_sum(obj) != obj["sum"]:
            raise Problem("line %d: checksum mismatch (%s)" % (i, obj.get("kind")))
        objs.append(obj)
    trailer = objs[-1]
    if trailer.get("kind") != "end":
        raise Problem("line %d: the last line is not the trailer (truncated?)" % len(objs))
    before = data[: len(data) - len(raw_lines[-1]) - 1]
    whole = hashlib.sha256(before).hexdigest()
    if whole != trailer["sha256"]:
        raise Problem("whole-file SHA-256 mismatch: trailer %s, file %s" % (trailer["sha256"], whole))
    if trailer["lines"] != len(objs) - 1:
        raise Problem("trailer counts %d lines, the file has %d" % (trailer["lines"], len(objs) - 1))
    header = objs[0]
    if header.get("kind") != "guishu-backup" or header.get("format") != 1:
        raise Problem("line 1: not a guishu backup of format 1")

    projects = {}
    current = None
    events = 0

    def close(line_no):
        if current is None:
            return
        h = current["header"]
        n = len(current["hashes"])
        last = current["hashes"][-1] if n else GENESIS
        if n != h["headSeq"] or last != h["headHash"]:
            raise Problem("line %d: project %s: the log ends at seq %d %s, its header says head %d %s"
                          % (line_no, h["projectId"], n, last[:16], h["headSeq"], h["headHash"][:16]))

    for i, obj in enumerate(objs[1:-1], 2):
        kind = obj.get("kind")
        if kind == "project":
            close(i)
            if obj["projectId"] in projects:
                raise Problem("line %d: project %s twice" % (i, obj["projectId"]))
            current = {"header": obj, "hashes": [], "erased": set()}
            projects[obj["projectId"]] = current
            continue
        if current is None or obj.get("projectId") != current["header"]["projectId"]:
            raise Problem("line %d: %s outside its project" % (i, kind))
        if kind == "erasure":
            seq = obj["seq"]
            if seq not in current["erased"]:
                raise Problem("line %d: erasure record for seq %d, which is not an erased event" % (i, seq))
            continue
        if kind != "event":
            raise Problem("line %d: unexpected line kind %r" % (i, kind))
        e = obj
        pid = e["projectId"]
        want = len(current["hashes"]) + 1
        if e["seq"] != want:
            raise Problem("line %d: project %s: seq %d where %d was expected" % (i, pid, e["seq"], want))
        prev = current["hashes"][-1] if current["hashes"] else GENESIS
        if e["prevHash"] != prev:
            raise Problem("line %d: project %s seq %d: prev_hash does not link" % (i, pid, e["seq"]))
        if e["personal"] is not None:
            if e["salt"] is None or personal_digest(e["salt"], e["personal"]) != e["personalDigest"]:
                raise Problem("line %d: project %s seq %d: personal data does not match its digest" % (i, pid, e["seq"]))
        elif e["personalDigest"] is not None:
            current["erased"].add(e["seq"])
        h = event_hash(e)
        if h != e["hash"]:
            raise Problem("line %d: project %s seq %d: hash mismatch (recomputed %s, recorded %s)" % (i, pid, e["seq"], h, e["hash"]))
        current["hashes"].append(h)
        events += 1
    close(len(objs))
    if trailer["projects"] != len(projects) or trailer["events"] != events:
        raise Problem("trailer counts %d projects / %d events, the file has %d / %d"
                      % (trailer["projects"], trailer["events"], len(projects), events))
    return projects, events


# ---------------------------------------------------------------- witnessed heads

def head_message(w):
    return canonical({"format": HEAD_FORMAT, "projectId": w["projectId"], "log": w["log"], "seq": w["seq"],
                      "hash": w["hash"], "signedAt": w["signedAt"], "keyId": w["keyId"]}).encode("utf-8")


def key_id(public_key_pem):
    body = "".join(l for l in public_key_pem.strip().splitlines() if not l.startswith("-----"))
    return hashlib.sha256(base64.b64decode(body)).hexdigest()[:16]


def openssl_verify(openssl, w):
    """True/False from `openssl pkeyutl -verify`, on files in a private temporary folder."""
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("pub.pem", "msg.bin", "sig.bin")}
        with open(paths["pub.pem"], "w") as f:
            f.write(w["publicKeyPem"])
        with open(paths["msg.bin"], "wb") as f:
            f.write(head_message(w))
        with open(paths["sig.bin"], "wb") as f:
            f.write(base64.b64decode(w["signature"]))
        r = subprocess.run([openssl, "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.pem"], "-rawin",
                            "-in", paths["msg.bin"], "-sigfile", paths["sig.bin"]], capture_output=True)
        return r.returncode == 0


def check_witness(path, projects, openssl):
    problems = []
    checked = 0
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    for n, text in enumerate(lines, 1):
        w = json.loads(text)
        at = "%s line %d (%s %s seq %d)" % (path, n, w.get("projectId"), w.get("log"), w.get("seq"))
        if w.get("kind") != "head" or w.get("format") != HEAD_FORMAT:
            problems.append("%s: not a witnessed head" % at)
            continue
        if "publicKeyPem" in w and key_id(w["publicKeyPem"]) != w["keyId"]:
            problems.append("%s: key id %s is not the SHA-256 of its public key" % (at, w["keyId"]))
            continue
        if openssl and "publicKeyPem" in w and not openssl_verify(openssl, w):
            problems.append("%s: the Ed25519 signature does not verify" % at)
            continue
        if w["log"] != "events":
            print("  %s: the audit log is not in a backup; not compared" % at)
            continue
        p = projects.get(w["projectId"])
        if p is None:
            problems.append("%s: the backup has no project %s" % (at, w["projectId"]))
            continue
        hashes = p["hashes"]
        if w["seq"] > len(hashes):
            print("  %s: beyond the backup's head %d (a backup older than the head?); not compared" % (at, len(hashes)))
            continue
        found = hashes[w["seq"] - 1] if w["seq"] > 0 else GENESIS
        if found != w["hash"]:
            problems.append("%s: witnessed %s..., the backup has %s... - the log was rewritten" % (at, w["hash"][:16], found[:16]))
            continue
        checked += 1
    return checked, problems


def main(argv):
    args = list(argv)
    use_openssl = "--no-openssl" not in args
    args = [a for a in args if a != "--no-openssl"]
    witnesses = []
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--witness" and i + 1 < len(args):
            witnesses.append(args[i + 1])
            i += 2
        elif args[i].startswith("--"):
            print("unknown option %s\n%s" % (args[i], USAGE), file=sys.stderr)
            return 2
        else:
            rest.append(args[i])
            i += 1
    if len(rest) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        projects, events = read_backup(rest[0])
    except Problem as e:
        print("✗ %s: %s" % (rest[0], e))
        return 1
    print("✓ %s: %d projects, %d events; checksums, chains, digests and heads check" % (rest[0], len(projects), events))
    for pid, p in projects.items():
        print("  %s: head %d %s" % (pid, p["header"]["headSeq"], p["header"]["headHash"]))
    failed = False
    openssl = shutil.which("openssl") if use_openssl else None
    for w in witnesses:
        if not openssl:
            print("  %s: signatures NOT checked (%s)" % (w, "openssl not found" if use_openssl else "--no-openssl"))
        checked, problems = check_witness(w, projects, openssl)
        for p in problems:
            print("✗ " + p)
        if problems:
            failed = True
        else:
            print("✓ %s: %d witnessed heads match the backup%s" % (w, checked, "; signatures verified with openssl" if openssl else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
