"""Deploy a CDK stack to a local LocalStack, verify its IAM resources through the IAM API, destroy, verify empty.

    python -m tools.localdeploy.run --app "python -m tools.localdeploy.demo_app" --stack LocalDeployDemo

Runs under the project's venv (Python 3.11, boto3). Steps, each timed:
  setup     tools/localdeploy/setup_emulator.sh (Python 3.13 venv with LocalStack; no-op once done; exit 3 without 3.13)
  start     launcher.py (LocalStack in-process + IAM fixes) on 127.0.0.1:<free port>, wait for health
  bootstrap npx cdk bootstrap aws://000000000000/us-east-1
  deploy    npx cdk deploy <stack> --require-approval never   (cdk.out in a temp dir)
  verify    every IAM resource of <stack>.template.json against the IAM API (localdeploy.verify)
  destroy   npx cdk destroy <stack> --force
  verify-destroyed  none of those IAM resources is left
  stop      SIGTERM to the emulator's PID, SIGKILL after a timeout

Exit codes: 0 everything matched; 1 verification problems; 2 a step failed (cdk error, emulator did not
start); 3 no Python 3.13 for the emulator.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from medialive_iam_constructs.assembly import find_stack
from tools.localdeploy import verify

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
EMULATOR_VENV = Path(os.environ.get("LOCALDEPLOY_VENV") or PROJECT_ROOT / ".localdeploy" / "venv")
CDK_CLI = PROJECT_ROOT / "node_modules" / ".bin" / "cdk"
ACCOUNT = "000000000000"
REGION = "us-east-1"
HOST = "127.0.0.1"  # loopback only, never anything else
STOP_TIMEOUT = 10.0
HEALTH_TIMEOUT = 90.0
# lines of the emulator log that mean a resource was not really deployed
FALLBACK_MARKERS = ("No resource provider found", "deployed as a fallback")


class StepFailed(Exception):
    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


class EmulatorUnavailable(StepFailed):
    """No Python 3.13 on this machine (LocalStack 2026.3.0 needs it)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


@dataclass
class DeployContext:
    """Handed to the ``after_verify`` hook (tests tamper with the deployed state through ``iam``)."""

    iam: object
    cloudformation: object
    template: dict
    physical_ids: dict[str, str]
    account: str
    region: str
    endpoint: str


@dataclass
class Result:
    stack: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    destroyed_counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float | None = None
    retained: list[str] = field(default_factory=list)
    tolerated_unsupported: list[str] = field(default_factory=list)
    error: str | None = None
    work_dir_kept: Path | None = None
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


# --------------------------------------------------------------------------------------------------------
# emulator process
# --------------------------------------------------------------------------------------------------------


def ensure_emulator_venv() -> None:
    proc = subprocess.run(["bash", str(HERE / "setup_emulator.sh")], capture_output=True, text=True)
    if proc.returncode == 3:
        raise EmulatorUnavailable(
            "localdeploy needs Python 3.13 for LocalStack 2026.3.0 and none was found on this machine:\n"
            + proc.stderr.strip()
        )
    if proc.returncode != 0:
        noise = "WARNING: Location"
        err = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines() if noise not in line)
        raise StepFailed(f"setup_emulator.sh failed (exit {proc.returncode}):\n{err[-3000:]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, state_dir: Path, port: int | None = None, without_fixes: bool = False):
        self.without_fixes = without_fixes
        self.state_dir = state_dir
        self.port = port or free_port()
        self.endpoint = f"http://{HOST}:{self.port}"
        self.pid_file = state_dir / "localstack.pid"
        self.log_path = state_dir / "localstack.log"
        self.proc: subprocess.Popen | None = None
        self.peak_rss_kb = 0
        self._sampler: threading.Thread | None = None
        self._stop_sampling = threading.Event()

    def start(self) -> None:
        python = EMULATOR_VENV / "bin" / "python"
        cmd = [str(python), str(HERE / "launcher.py"), "--port", str(self.port),
               "--state-dir", str(self.state_dir), "--pid-file", str(self.pid_file)]
        if self.without_fixes:
            cmd.append("--without-fixes")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOCALSTACK_", "PYTHON"))}
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     cwd=str(self.state_dir), start_new_session=True)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StepFailed(f"emulator exited with {self.proc.returncode} during start:\n{self.log_tail()}")
            if self._healthy():
                break
            time.sleep(0.3)
        else:
            raise StepFailed(f"emulator not healthy after {HEALTH_TIMEOUT:.0f}s:\n{self.log_tail()}")
        self._sampler = threading.Thread(target=self._sample_rss, daemon=True)
        self._sampler.start()

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint}/_localstack/health", timeout=2) as resp:
                services = json.load(resp).get("services", {})
        except (OSError, ValueError):
            return False
        return all(services.get(s) in ("available", "running") for s in ("iam", "sts", "cloudformation", "s3", "ssm"))

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return self.proc.pid if self.proc else None

    def _sample_rss(self) -> None:
        while not self._stop_sampling.wait(0.5):
            try:
                for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))
            except (OSError, ValueError, AttributeError):
                return

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no emulator log)"

    def unsupported_types(self) -> dict[str, str]:
        """Resource types the emulator "deployed as a fallback" (nothing created), with one log line each."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return {}
        found: dict[str, str] = {}
        for line in text.splitlines():
            if any(m in line for m in FALLBACK_MARKERS):
                m = re.search(r'"((?:AWS|Custom|Alexa)::[^"]+)"|type (\S+::\S+::\S+)', line)
                rtype = (m.group(1) or m.group(2)) if m else line.strip()
                found.setdefault(rtype, line.strip())
        return found

    def stop(self) -> None:
        self._stop_sampling.set()
        if self.proc is None:
            return
        pid = self.pid()
        if self.proc.poll() is None and pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # the launcher runs LocalStack in-process and leads its own session: kill that group only
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self._log.close()


# --------------------------------------------------------------------------------------------------------
# cdk
# --------------------------------------------------------------------------------------------------------


def cdk_env(endpoint: str, config_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    venv_bin = str(Path(sys.executable).parent)
    env.update({
        "PATH": venv_bin + os.pathsep + env.get("PATH", ""),  # `python` in --app is this venv's python
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(config_dir / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(config_dir / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "CDK_DEFAULT_ACCOUNT": ACCOUNT,
        "CDK_DEFAULT_REGION": REGION,
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    })
    from tools.iam_evaluator.project_node import use_project_node

    return use_project_node(env)


def run_cdk(args: list[str], env: dict, cwd: Path, log: Path, step: str, timeout: float = 600) -> str:
    if not CDK_CLI.exists():
        raise StepFailed(f"{CDK_CLI} missing: run scripts/setup.sh (npm ci) first")
    cmd = [str(CDK_CLI), *args, "--no-notices", "--no-color", "--ci"]
    with open(log, "a") as fh:
        fh.write(f"\n$ {shlex.join(cmd)}\n")
    proc = subprocess.run(cmd, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=timeout)
    out = proc.stdout + proc.stderr
    with open(log, "a") as fh:
        fh.write(out)
    if proc.returncode != 0:
        raise StepFailed(f"cdk {step} failed (exit {proc.returncode}):\n" + "\n".join(out.splitlines()[-30:]))
    return out


def find_stack_artifact(outdir: Path, stack: str) -> tuple[str, Path]:
    """(deployed stack name, template path) of the artifact whose id, display name or stack name is ``stack``."""
    found = find_stack(outdir, stack, error=StepFailed)
    if found.stack_name is None:
        raise StepFailed(f"stack {stack!r} is a nested stack of {found.parent}: deploy its parent")
    return found.stack_name, found.template_file


# --------------------------------------------------------------------------------------------------------
# flow
# --------------------------------------------------------------------------------------------------------


def run_flow(app: str, stack: str, cwd: Path = PROJECT_ROOT, port: int | None = None,
             after_verify: Callable[[DeployContext], None] | None = None,
             work_dir: Path | None = None, keep_work_dir: bool = False, without_fixes: bool = False,
             allow_unsupported: tuple[str, ...] = (), context: Mapping[str, str] | None = None,
             before_deploy: Callable[[object], None] | None = None) -> Result:
    """The whole cycle; never raises for step failures (they land in ``Result.error``/``exit_code``).

    ``allow_unsupported``: non-IAM resource types (e.g. ``AWS::MediaLive::Channel``) the emulator cannot
    create and that are tolerated; they are listed in the report. Any other type the emulator "deploys as a
    fallback" is a problem. ``context``: ``--context key=value`` pairs for the app (values as strings; JSON
    for structured values). ``before_deploy``: called with the IAM client after bootstrap, before the first deploy
    (a test creates what the account holds already: the console's role, users and groups)."""
    import boto3
    from botocore.config import Config

    result = Result(stack=stack)
    work = Path(work_dir or tempfile.mkdtemp(prefix="localdeploy-"))
    outdir = work / "cdk.out"
    cdk_log = work / "cdk.log"
    emulator: Emulator | None = None
    t = time.monotonic()

    def lap(name: str) -> None:
        nonlocal t
        now = time.monotonic()
        result.timings[name] = round(now - t, 1)
        t = now

    try:
        ensure_emulator_venv()
        lap("setup")
        state = work / "emulator"
        state.mkdir(parents=True, exist_ok=True)
        emulator = Emulator(state, port, without_fixes=without_fixes)
        emulator.start()
        lap("start")

        env = cdk_env(emulator.endpoint, work)
        client_kw = dict(endpoint_url=emulator.endpoint, region_name=REGION, aws_access_key_id="test",
                         aws_secret_access_key="test", config=Config(retries={"max_attempts": 3}))
        iam = boto3.client("iam", **client_kw)
        cfn = boto3.client("cloudformation", **client_kw)

        # bootstrap from the work dir: an explicit environment and no cdk.json means no synth of the app
        run_cdk(["bootstrap", f"aws://{ACCOUNT}/{REGION}"], env, work, cdk_log, "bootstrap")
        lap("bootstrap")
        if before_deploy is not None:
            before_deploy(iam)
            lap("before_deploy")
        app_args = ["--app", app, "--output", str(outdir)]
        for key, value in (context or {}).items():
            app_args += ["--context", f"{key}={value}"]
        run_cdk(["deploy", stack, *app_args, "--require-approval", "never"], env, cwd, cdk_log, "deploy")
        lap("deploy")

        stack_name, template_path = find_stack_artifact(outdir, stack)
        template = json.loads(template_path.read_text())
        resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
        physical_ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources if r.get("PhysicalResourceId")}
        for r in resources:
            if not r["ResourceStatus"].endswith("_COMPLETE") or r["ResourceStatus"].startswith("DELETE"):
                result.problems.append(f"{r['LogicalResourceId']} ({r['ResourceType']}): status {r['ResourceStatus']}")
        for rtype, line in emulator.unsupported_types().items():
            if rtype in allow_unsupported and not rtype.startswith("AWS::IAM::"):
                result.tolerated_unsupported.append(rtype)
            else:
                result.problems.append(f"emulator did not really deploy {rtype} (no resource provider): {line}")
        if not verify.iam_resource_ids(template):
            result.problems.append(f"{template_path.name}: no IAM resources to verify")
        report = verify.verify_deployed_report(template, physical_ids, iam, ACCOUNT, REGION)
        result.problems += report.problems
        result.counts = report.counts
        result.retained = report.retained
        lap("verify")

        if after_verify is not None:
            after_verify(DeployContext(iam, cfn, template, physical_ids, ACCOUNT, REGION, emulator.endpoint))
            lap("after_verify_hook")

        run_cdk(["destroy", stack, *app_args, "--force"], env, cwd, cdk_log, "destroy")
        lap("destroy")

        try:
            stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
            left = [s["StackStatus"] for s in stacks if s["StackStatus"] != "DELETE_COMPLETE"]
            if left:
                result.problems.append(f"stack {stack_name} still exists after destroy ({left[0]})")
        except Exception as exc:  # ValidationError: stack does not exist -> fine
            if "does not exist" not in str(exc):
                raise
        gone = verify.verify_destroyed_report(template, physical_ids, iam, ACCOUNT, REGION)
        result.problems += gone.problems
        result.destroyed_counts = gone.counts
        lap("verify_destroyed")
    except StepFailed as exc:
        result.error = str(exc)
        result.exit_code = exc.exit_code
    except Exception as exc:  # anything unexpected is a failure too, never a pass
        result.error = f"{type(exc).__name__}: {exc}"
        result.exit_code = 2
    finally:
        if emulator is not None:
            if result.error and emulator.proc is not None:
                result.error += f"\n--- emulator log tail ({emulator.log_path}) ---\n{emulator.log_tail()}"
            emulator.stop()
            result.peak_rss_mb = round(emulator.peak_rss_kb / 1024, 1) if emulator.peak_rss_kb else None
            lap("stop")
        if result.exit_code == 0 and result.problems:
            result.exit_code = 1
        if result.ok and not keep_work_dir and work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            result.work_dir_kept = work
    return result


def format_report(result: Result) -> str:
    c = result.counts
    lines = [f"localdeploy: stack {result.stack}: {'OK' if result.ok else 'FAILED'}"]
    if c:
        lines.append(
            "  checked through the IAM API: "
            f"{c.get('groups', 0)} groups, {c.get('policies', 0)} managed policies, {c.get('roles', 0)} roles, "
            f"{c.get('users', 0)} users, {c.get('memberships', 0)} memberships "
            f"({c.get('user_to_group_additions', 0)} UserToGroupAddition), {c.get('inline_policies', 0)} inline policies"
        )
    if result.destroyed_counts:
        lines.append(f"  after destroy: {result.destroyed_counts.get('checked_absent', 0)} IAM resources checked absent")
    if result.retained:
        lines.append(f"  retained by DeletionPolicy (not expected to be destroyed): {', '.join(result.retained)}")
    if result.timings:
        lines.append("  timings (s): " + ", ".join(f"{k} {v}" for k, v in result.timings.items())
                     + f", total {round(sum(result.timings.values()), 1)}")
    if result.tolerated_unsupported:
        lines.append("  NOT deployed by the emulator (tolerated by --allow-unsupported): "
                     + ", ".join(result.tolerated_unsupported))
    if result.peak_rss_mb:
        lines.append(f"  emulator peak RSS: {result.peak_rss_mb} MB")
    for p in result.problems:
        lines.append(f"  PROBLEM: {p}")
    if result.error:
        lines.append(f"  ERROR: {result.error}")
    if result.work_dir_kept:
        lines.append(f"  work dir kept: {result.work_dir_kept} (cdk.log, cdk.out, emulator/localstack.log)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.localdeploy.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", required=True, help='CDK app command, e.g. "python app.py"')
    parser.add_argument("--stack", required=True, help="stack (construct id, display name or stack name)")
    parser.add_argument("--cwd", type=Path, default=PROJECT_ROOT, help="directory the app command runs in")
    parser.add_argument("--port", type=int, default=None, help="emulator port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--keep-work-dir", action="store_true", help="keep cdk.out, cdk and emulator logs")
    parser.add_argument("--allow-unsupported", action="append", default=[], metavar="TYPE",
                        help="non-IAM resource type the emulator may skip (repeatable; listed in the report)")
    parser.add_argument("--without-fixes", action="store_true",
                        help="diagnostic: stock LocalStack without localstack_fixes (expected to FAIL verification)")
    parser.add_argument("--context", "-c", action="append", default=[], metavar="KEY=VALUE",
                        help="context for the app, passed to cdk as --context (repeatable)")
    args = parser.parse_args(argv)
    context = dict(item.split("=", 1) for item in args.context)

    def _interrupt(sig, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)  # so `finally` stops the emulator
    result = run_flow(args.app, args.stack, cwd=args.cwd, port=args.port, keep_work_dir=args.keep_work_dir,
                      without_fixes=args.without_fixes, allow_unsupported=tuple(args.allow_unsupported),
                      context=context)
    print(format_report(result))
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
