"""`ventral ablate --executor slurm` on a real one-node Slurm cluster started for the test
(Debian's slurmctld, slurmd and munge; configuration and start/stop sequence as in
docs/reference/slurm_test_cluster.md of the shared docs): the 2-run grid goes in as an sbatch
job array plus an afterany collect job, and its results.csv equals the local executor's.

The daemons run from a temporary folder, are stopped by PID at the end (TERM, then KILL after
10 s) and leave nothing behind. Needs root (slurmd runs jobs as their user) and the packages
that scripts/install_deps.sh installs; without them the test is skipped (exit 77).

Run by CTest as: /usr/bin/python3 ablate_slurm_test.py VENTRAL_BINARY
"""
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BINARY = os.path.abspath(sys.argv[1])
SKIP = 77


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAIL: {message}")


GRID = """
[grid]
name = "slurm"
seeds = [1]

[train]
model = "hmax-wide"
data = "clickme:gt"
img-size = 32
epochs = 1
batch-size = 32
limit-train-batches = 3
log-interval = 1000

[axes]
model-opt = [["width=8", "s2_width=16", "s3_width=32", "batchnorm=false"],
             ["width=8", "s2_width=16", "s3_width=32", "batchnorm=true"]]

[[benchmark]]
name = "recognition"
label = "top1"
data = "clickme:gt"
split = "test"

[[benchmark]]
name = "clickme-alignment"
label = "alignment"
clickme = "clickme:gt/test.h5"
"""


class SlurmCluster:
    """munged + slurmctld + slurmd on localhost, configured in `base`."""

    def __init__(self, base):
        self.base = base
        self.processes = []
        self.env = dict(os.environ, SLURM_CONF=os.path.join(base, "slurm.conf"))

    def start(self):
        b = self.base
        # munged wants o+x on every folder above its socket
        os.chmod(os.path.dirname(b), 0o755)
        os.chmod(b, 0o755)
        for sub in ("ctld", "spool", "log"):
            os.makedirs(os.path.join(b, sub), exist_ok=True)
        key = os.path.join(b, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        socket = os.path.join(b, "munge.sock")
        self.spawn(["/usr/sbin/munged", "-F", f"--socket={socket}", f"--key-file={key}",
                    f"--pid-file={b}/munged.pid", f"--log-file={b}/log/munged.log", f"--seed-file={b}/munged.seed"],
                   "munged.out")
        deadline = time.time() + 10
        while not os.path.exists(socket) and time.time() < deadline:
            time.sleep(0.1)
        check(os.path.exists(socket), "munged did not start: " + open(os.path.join(b, "log", "munged.out")).read())
        cpus = os.cpu_count() or 1
        with open("/proc/meminfo") as f:
            mem_mb = int(int(f.readline().split()[1]) / 1024 * 0.9)
        with open(self.env["SLURM_CONF"], "w") as f:
            f.write(f"""ClusterName=ventraltest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={socket}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
ReturnToService=2
MailProg=/bin/true
StateSaveLocation={b}/ctld
SlurmdSpoolDir={b}/spool
SlurmctldPidFile={b}/slurmctld.pid
SlurmdPidFile={b}/slurmd.pid
SlurmctldLogFile={b}/log/slurmctld.log
SlurmdLogFile={b}/log/slurmd.log
NodeName=node1 NodeHostname=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN
PartitionName=debug Nodes=node1 Default=YES MaxTime=INFINITE State=UP
""")
        conf = self.env["SLURM_CONF"]
        self.spawn(["/usr/sbin/slurmctld", "-D", "-i", "-f", conf], "slurmctld.out")
        self.spawn(["/usr/sbin/slurmd", "-D", "-N", "node1", "-f", conf], "slurmd.out")
        deadline = time.time() + 60  # by time: a client can block for seconds while slurmctld starts
        state = ""
        while time.time() < deadline:
            state = self.client(["sinfo", "-h", "-N", "-o", "%T"]).strip()
            if state == "idle":
                return
            time.sleep(0.25)
        logs = ""
        for name in ("slurmctld.log", "slurmd.log"):
            path = os.path.join(b, "log", name)
            if os.path.exists(path):
                logs += "".join(open(path).readlines()[-10:])
        raise SystemExit(f"FAIL: the Slurm node is '{state}', not idle, after 60 s:\n{logs}")

    def spawn(self, argv, log):
        out = open(os.path.join(self.base, "log", log), "w")
        self.processes.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=self.env))

    def client(self, argv):
        try:
            return subprocess.run(["timeout", "5", *argv], capture_output=True, text=True, env=self.env).stdout
        except OSError:
            return ""

    def wait(self, jobs, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            result = subprocess.run(["timeout", "5", "squeue", "-h", "-j", ",".join(jobs)], capture_output=True,
                                    text=True, env=self.env)
            if result.returncode == 0 and not result.stdout.strip():
                return True
            time.sleep(0.5)
        return False

    def stop(self):
        for p in reversed(self.processes):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for p in reversed(self.processes):
            try:
                p.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    if os.geteuid() != 0:
        print("SKIP: the one-node Slurm cluster needs root (slurmd runs the jobs)")
        return SKIP
    for program in ("/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"):
        if not os.path.exists(program):
            print(f"SKIP: {program} missing (scripts/install_deps.sh installs slurmctld slurmd slurm-client munge)")
            return SKIP
    with tempfile.TemporaryDirectory(prefix="ventral-slurm-") as tmp:
        cluster = SlurmCluster(os.path.join(tmp, "cluster"))
        os.makedirs(cluster.base)
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        try:
            started = time.time()
            cluster.start()
            print(f"one-node Slurm up in {time.time() - started:.1f} s")
            subprocess.run([BINARY, "data", "cluttered", "--out", "gt", "--count", "300", "--size", "32"],
                           cwd=work, check=True, capture_output=True)
            with open(os.path.join(work, "grid.toml"), "w") as f:
                f.write(GRID)
            submitted = time.time()
            result = subprocess.run([BINARY, "ablate", "grid.toml", "--out", "on_slurm", "--executor", "slurm",
                                     "--slurm-opt", "time=00:20:00"], cwd=work, capture_output=True, text=True,
                                    env=cluster.env)
            check(result.returncode == 0, f"submit: {result.stdout}{result.stderr}")
            match = re.search(r"submitted array job (\d+) .* collect job (\d+)", result.stdout)
            check(match is not None, f"job ids: {result.stdout}")
            array_job, collect_job = match.groups()
            check(cluster.wait([array_job, collect_job], 600), "the jobs did not finish in 600 s")
            print(f"array {array_job} (2 tasks) + collect {collect_job} done in {time.time() - submitted:.1f} s")
            out = os.path.join(work, "on_slurm")
            script = open(os.path.join(out, "slurm", "array.sbatch")).read()
            check("#SBATCH --array=0-1" in script and "#SBATCH --time=00:20:00" in script, script)
            for task in (0, 1):
                log = os.path.join(out, "slurm", f"run-{array_job}_{task}.out")
                check(os.path.exists(log), f"task {task} wrote no log")
            collect_logs = [n for n in os.listdir(os.path.join(out, "slurm")) if n.startswith("collect-")]
            check(collect_logs, "the collect job wrote no log")
            check(os.path.exists(os.path.join(out, "results.csv")), "the collect job wrote no results.csv: "
                  + open(os.path.join(out, "slurm", collect_logs[0])).read())
            slurm_rows = rows(os.path.join(out, "results.csv"))
            check([r["status"] for r in slurm_rows] == ["done", "done"], f"statuses: {slurm_rows}")
            check(os.path.exists(os.path.join(out, "pareto_alignment.png")), "no plot from the collect job")
        finally:
            cluster.stop()
        # the same grid on the local executor: the same numbers (one thread per run in both)
        result = subprocess.run([BINARY, "ablate", "grid.toml", "--out", "local", "--jobs", "2", "--threads", "2"],
                                cwd=work, capture_output=True, text=True)
        check(result.returncode == 0, f"local: {result.stdout}{result.stderr}")
        local_rows = rows(os.path.join(work, "local", "results.csv"))
        for a, b in zip(slurm_rows, local_rows):
            check(a["run"] == b["run"], f"{a['run']} vs {b['run']}")
            for column in ("top1", "top1_raw", "alignment", "alignment_raw", "parameters", "training_flops"):
                check(a[column] == b[column], f"{a['run']} {column}: slurm {a[column]} vs local {b[column]}")
    print("ablate on Slurm: job array + collect job, results equal to the local executor's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
