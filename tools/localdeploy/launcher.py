"""Starts LocalStack community (2026.3.0) in-process, with the IAM fixes of ``localstack_fixes``.

Runs under the Python 3.13 venv made by ``setup_emulator.sh`` (LocalStack does not import on 3.11/3.12):

    .localdeploy/venv/bin/python tools/localdeploy/launcher.py --port 4566 --state-dir /tmp/x [--pid-file F]

Listens on 127.0.0.1 only. All LocalStack state (volume dir, filesystem root, HOME, plugin caches) lives
under ``--state-dir``. Stop it with SIGTERM to the PID written to the PID file (SIGKILL if it hangs).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent  # .../localdeploy
PROJECT_ROOT = HERE.parents[1]
SERVICES = "iam,sts,cloudformation,s3,ssm,ecr,kms,secretsmanager"
ENTRY_POINT_GROUP = "localstack.cloudformation.resource_providers"


def configure_environment(port: int, state_dir: Path) -> None:
    """Must run before anything imports ``localstack.config`` (it reads the environment at import time)."""
    for sub in ("volume", "fs", "home"):
        (state_dir / sub).mkdir(parents=True, exist_ok=True)
    env = {
        "GATEWAY_LISTEN": f"127.0.0.1:{port}",
        "GATEWAY_SERVER": "hypercorn",
        "SERVICES": SERVICES,
        "EAGER_SERVICE_LOADING": "0",
        "LOCALSTACK_TELEMETRY_DISABLED": "1",
        "DISABLE_EVENTS": "1",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "DNS_ADDRESS": "0",
        "LOCALSTACK_VOLUME_DIR": str(state_dir / "volume"),
        "FILESYSTEM_ROOT": str(state_dir / "fs"),
        "HOME": str(state_dir / "home"),
        "XDG_CACHE_HOME": str(state_dir / "home" / ".cache"),
        "PERSISTENCE": "0",
    }
    os.environ.update(env)


def register_entry_point(state_dir: Path) -> None:
    """Register the UserToGroupAddition provider the way LocalStack discovers providers: an entry point in
    ``localstack.cloudformation.resource_providers``, declared by a (generated) distribution on sys.path."""
    site = state_dir / "site"
    dist_info = site / "localdeploy_localstack_fixes-0.0.0.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: localdeploy-localstack-fixes\nVersion: 0.0.0\n"
    )
    (dist_info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n"
        "aws::iam::usertogroupaddition = "
        "tools.localdeploy.localstack_fixes:UserToGroupAdditionProviderPlugin\n"
    )
    # the launcher's own folder must not shadow anything (it is sys.path[0] when run as a script);
    # the project root makes `tools.localdeploy.localstack_fixes` importable.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(site))
    sys.path.insert(1, str(PROJECT_ROOT))
    import importlib

    importlib.invalidate_caches()


def check_fixes_loaded() -> None:
    """Fail at startup (not silently at deploy time) if either fix did not take."""
    from localstack.services.cloudformation.resource_provider import ResourceProviderExecutor
    from localstack.services.iam.provider import IamProvider

    provider = ResourceProviderExecutor.try_load_resource_provider("AWS::IAM::UserToGroupAddition")
    if provider is None or type(provider).__name__ != "UserToGroupAdditionProvider":
        raise SystemExit("localdeploy launcher: UserToGroupAddition provider was not picked up by LocalStack")
    from localstack.services.iam.resource_providers.aws_iam_managedpolicy import IAMManagedPolicyProvider

    if not getattr(IamProvider.delete_user, "_localdeploy_patched", False):
        raise SystemExit("localdeploy launcher: IamProvider.delete_user patch missing")
    if not getattr(IAMManagedPolicyProvider.create, "_localdeploy_patched", False):
        raise SystemExit("localdeploy launcher: ManagedPolicy create patch missing")
    if not getattr(IAMManagedPolicyProvider.update, "_localdeploy_patched", False):
        raise SystemExit("localdeploy launcher: ManagedPolicy update patch missing")
    from localstack.services.iam.resource_providers.aws_iam_user import IAMUserProvider

    if not all(getattr(getattr(IAMUserProvider, op), "_localdeploy_patched", False) for op in ("create", "update", "delete")):
        raise SystemExit("localdeploy launcher: User provider patch missing")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--pid-file", type=Path, default=None, help="default: <state-dir>/localstack.pid")
    parser.add_argument("--without-fixes", action="store_true",
                        help="diagnostic only: run stock LocalStack, to show what the verifier catches")
    args = parser.parse_args(argv)
    if sys.version_info[:2] != (3, 13):
        raise SystemExit(f"localdeploy launcher needs Python 3.13 (this is {sys.version.split()[0]})")

    state_dir = args.state_dir.resolve()
    configure_environment(args.port, state_dir)
    pid_file = args.pid_file or state_dir / "localstack.pid"
    pid_file.write_text(f"{os.getpid()}\n")
    if args.without_fixes:
        print("localdeploy launcher: WITHOUT fixes (diagnostic run)", flush=True)
    else:
        register_entry_point(state_dir)
        from tools.localdeploy import localstack_fixes

        localstack_fixes.apply_all()
        check_fixes_loaded()
        print(
            "localdeploy launcher: fixes active (UserToGroupAddition provider, delete_user clears group"
            " memberships, ManagedPolicy keeps Path/Description)",
            flush=True,
        )

    from localstack.runtime import main as runtime_main

    try:
        runtime_main.main()
    finally:
        try:
            if pid_file.read_text().strip() == str(os.getpid()):
                pid_file.unlink()
        except OSError:
            pass


if __name__ == "__main__":
    main()
