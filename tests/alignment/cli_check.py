"""What the alignment CLI tests share: the binary under test (argv[1]), a failing check that
stops the test with its message, a run of the binary, and a file digest (inputs must stay
byte-identical)."""
import hashlib
import subprocess
import sys

BINARY = sys.argv[1] if len(sys.argv) > 1 else "ventral"


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAIL: {message}")


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
