"""Day 2 on LocalStack (marker ``localdeploy``): the sample app deployed and verified, then updated step by step as
a team would, one ``cdk deploy`` per change, each checked through the IAM API; then destroyed and verified empty.
Each step's time is printed (``pytest -s``) and kept in the assertion message.

After every update:
- the new template is deployed in full (``localdeploy.verify``: groups, managed policies and their documents and
  attachments, roles, boundaries, users, memberships);
- nothing that stays in the template was replaced: the same physical id and IAM unique id (GroupId, RoleId,
  UserId, PolicyId), the same login profile (CreateDate) and the same initial-password secret (ARN);
- nothing was renamed: a physical name never moves to another logical id, and only what the step removes is gone
  (checked absent through the IAM API);
- no window: replaying the stack's events in order over the policies' documents (before -> after), every
  permission a group holds both before and after the update (each action x resource x condition of its managed
  policies, Deny guards included) is held after every event, and no group is ever without a policy; and
  ``update_windows`` finds no order real CloudFormation may choose (dependencies, parallel updates, clean-up
  deletes) in which one is missing.

Steps: add a workflow role; remove one; add a console user; move a user BASIC -> READ_WRITE (one deploy:
``MediaLiveConsoleUsers`` keeps the user's logical id); switch READ_WRITE to tag scoping; grow READ_WRITE into one
more managed policy (more workflows whose roles it may pass) and shrink it back.

This test also is the sample's deploy test: its first deploy and its destroy are checked in full.
"""

from __future__ import annotations

import json
import time

import pytest

from tools.localdeploy import verify
from medialive_iam_constructs.testing import permission_atoms, update_windows
from tests.helpers import cdk_json_context

APP = ".venv/bin/python app.py"
STACK = "MediaLiveIam"
BASE = cdk_json_context()["medialive-iam:workflows"]
NEWS = {"news": BASE["news"]}
WEATHER = {"weather": {"sourceBuckets": ["example-weather-sources"]}}
MANY = {f"extra{i:02d}": {"sourceBuckets": ["example-news-sources"]} for i in range(40)}
RW = "MediaLiveReadWriteUsers"
TAG = {"readWrite": ["Team", "news"]}


def _context(workflows: dict, users: dict, tags: dict | None = None) -> dict[str, str]:
    out = {"medialive-iam:workflows": json.dumps(workflows), "medialive-iam:users": json.dumps(users)}
    if tags:
        out["medialive-iam:resourceTags"] = json.dumps(tags)
    return out


USERS = {"basic": ["alice"], "advanced": ["bob"]}
WITH_CAROL = {"basic": ["alice"], "advanced": ["bob"], "readWrite": ["carol"]}
MOVED = {"advanced": ["bob"], "readWrite": ["carol", "alice"]}
INITIAL = _context(BASE, USERS)


def _gone_workflow(name: str):
    return lambda lid, res: lid.startswith(f"Workflow{name}")


def _grown_back(lid: str, res: dict) -> bool:
    return lid.startswith("WorkflowExtra") or (res["Type"] == "AWS::IAM::ManagedPolicy" and "Users" in lid)


#: (name, context, what the step may remove: predicate on (logical id, resource) of the previous template)
STEPS = [
    ("add workflow role", _context({**BASE, **WEATHER}, USERS), None),
    ("remove workflow role", _context({**NEWS, **WEATHER}, USERS), _gone_workflow("Sports")),
    ("add console user", _context({**NEWS, **WEATHER}, WITH_CAROL), None),
    ("move user BASIC -> READ_WRITE", _context({**NEWS, **WEATHER}, MOVED), None),
    ("switch READ_WRITE to tag scoping", _context({**NEWS, **WEATHER}, MOVED, TAG), None),
    ("grow READ_WRITE into one more policy", _context({**NEWS, **WEATHER, **MANY}, MOVED, TAG), None),
    ("shrink READ_WRITE back", _context({**NEWS, **WEATHER}, MOVED, TAG), _grown_back),
]

_ID_OF = {
    "AWS::IAM::Group": lambda c, pid: c["iam"].get_group(GroupName=pid)["Group"]["GroupId"],
    "AWS::IAM::Role": lambda c, pid: c["iam"].get_role(RoleName=pid)["Role"]["RoleId"],
    "AWS::IAM::User": lambda c, pid: (c["iam"].get_user(UserName=pid)["User"]["UserId"],
                                      str(c["iam"].get_login_profile(UserName=pid)["LoginProfile"]["CreateDate"])),
    "AWS::IAM::ManagedPolicy": lambda c, pid: c["iam"].get_policy(PolicyArn=pid)["Policy"]["PolicyId"],
    "AWS::SecretsManager::Secret": lambda c, pid: c["secrets"].describe_secret(SecretId=pid)["ARN"],
}


def _unique_ids(clients, template: dict, physical: dict[str, str]) -> dict[str, tuple]:
    """logical id -> (physical id, IAM unique id [, login profile]) of the template's IAM resources and secrets."""
    return {lid: (physical[lid], _ID_OF[r["Type"]](clients, physical[lid]))
            for lid, r in template["Resources"].items() if r["Type"] in _ID_OF and lid in physical}


def _policy_count(template: dict, group_name: str) -> int:
    res = template["Resources"]
    (glid,) = [k for k, v in res.items() if v["Type"] == "AWS::IAM::Group" and v["Properties"].get("GroupName") == group_name]
    return sum(1 for v in res.values() if v["Type"] == "AWS::IAM::ManagedPolicy"
               and {"Ref": glid} in v["Properties"].get("Groups", []))


# --- permissions held by each group, and the replay of an update's events ------------------------------------------

def policy_state(template: dict, physical: dict[str, str]) -> dict[str, tuple[frozenset, frozenset]]:
    """Managed policy logical id -> (the logical ids of the groups it is attached to, its permissions)."""
    resolver = verify.Resolver(template, physical, "000000000000", "us-east-1")
    out = {}
    for lid, res in template["Resources"].items():
        if res["Type"] != "AWS::IAM::ManagedPolicy":
            continue
        groups = frozenset(g["Ref"] for g in res["Properties"].get("Groups", []) if isinstance(g, dict) and "Ref" in g)
        out[lid] = (groups, permission_atoms(resolver.resolve(res["Properties"]["PolicyDocument"])))
    return out


def held(state: dict[str, tuple[frozenset, frozenset]], group: str) -> tuple[int, set]:
    policies = [perms for groups, perms in state.values() if group in groups]
    return len(policies), set().union(*policies) if policies else set()


def windows(before: dict, after: dict, events: list[tuple[str, str]], groups: set[str]) -> list[str]:
    """Replays the update's resource events (oldest first) from the ``before`` policies to the ``after`` ones: a
    CREATE/UPDATE_COMPLETE of a policy puts its new document and attachments in force, a DELETE_COMPLETE takes it
    away. Returns every moment a group misses a permission it holds both before and after, or holds no policy."""
    problems = []
    common = {g: held(before, g)[1] & held(after, g)[1] for g in groups}
    state = dict(before)
    for lid, status in events:
        if lid not in before and lid not in after:
            continue
        if status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            state[lid] = after[lid]
        elif status == "DELETE_COMPLETE":
            state.pop(lid, None)
        for g in sorted(groups):
            count, perms = held(state, g)
            missing = common[g] - perms
            if count == 0 or missing:
                problems.append(f"after {lid} {status}: group {g} holds {count} policies, misses {len(missing)} "
                                f"permission(s) it has before and after, e.g. {sorted(missing)[:2]}")
    if state.keys() != after.keys() or any(state[k] != after[k] for k in after):
        problems.append(f"the events do not account for the update: {sorted(set(state) ^ set(after))}")
    return problems


def update_events(cfn, stack: str) -> list[tuple[str, str]]:
    """The resource events of the stack's last update, oldest first."""
    events = []
    for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack):
        events.extend(page["StackEvents"])
    out = []
    for e in events:  # newest first: stop at the update's start
        if e["LogicalResourceId"] == stack and e["ResourceStatus"] == "UPDATE_IN_PROGRESS":
            break
        if e["ResourceType"] == "AWS::IAM::ManagedPolicy":
            out.append((e["LogicalResourceId"], e["ResourceStatus"]))
    return out[::-1]


def test_windows_finds_a_statement_moved_the_wrong_way_round():
    """The replay itself: a permission moving from policy A to a new policy B is missing when A's update comes
    before B's create, and never when B comes first; a group whose only policy is replaced delete-first is seen
    with none."""
    doc = lambda *actions: {"Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}  # noqa: E731
    before = {"A": (frozenset({"G"}), permission_atoms(doc("x:One", "x:Two")))}
    after = {"A": (frozenset({"G"}), permission_atoms(doc("x:One"))),
             "B": (frozenset({"G"}), permission_atoms(doc("x:Two")))}
    assert windows(before, after, [("B", "CREATE_COMPLETE"), ("A", "UPDATE_COMPLETE")], {"G"}) == []
    found = windows(before, after, [("A", "UPDATE_COMPLETE"), ("B", "CREATE_COMPLETE")], {"G"})
    assert len(found) == 1 and "misses 1 permission" in found[0] and "x:Two" in found[0], found
    replaced = {"C": before["A"]}
    found = windows(before, replaced, [("A", "DELETE_COMPLETE"), ("C", "CREATE_COMPLETE")], {"G"})
    assert found and "holds 0 policies" in found[0], found
    assert windows(before, replaced, [("C", "CREATE_COMPLETE"), ("A", "DELETE_COMPLETE")], {"G"}) == []


@pytest.mark.localdeploy
def test_sample_app_day_two(tmp_path):
    import boto3

    from tools.localdeploy import run

    log: list[str] = []
    findings: dict[str, list[str]] = {}
    rw_policies: list[int] = []

    def day_two(ctx: run.DeployContext) -> None:
        env = run.cdk_env(ctx.endpoint, tmp_path)
        clients = {"iam": ctx.iam, "secrets": boto3.client(
            "secretsmanager", endpoint_url=ctx.endpoint, region_name=ctx.region, aws_access_key_id="test",
            aws_secret_access_key="test")}
        template, physical = ctx.template, ctx.physical_ids
        before = _unique_ids(clients, template, physical)
        rw_policies.append(_policy_count(template, RW))
        for i, (name, context, may_remove) in enumerate(STEPS, 1):
            start = time.monotonic()
            outdir = tmp_path / f"cdk.out.{i}"
            args = ["deploy", STACK, "--app", APP, "--output", str(outdir), "--require-approval", "never"]
            for key, value in context.items():
                args += ["--context", f"{key}={value}"]
            run.run_cdk(args, env, run.PROJECT_ROOT, tmp_path / "cdk.log", f"deploy ({name})")
            deployed = time.monotonic() - start
            _, template_path = run.find_stack_artifact(outdir, STACK)
            new = json.loads(template_path.read_text())
            resources = ctx.cloudformation.describe_stack_resources(StackName=STACK)["StackResources"]
            new_physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources if r.get("PhysicalResourceId")}
            problems = verify.verify_deployed(new, new_physical, ctx.iam, ctx.account, ctx.region)
            after = _unique_ids(clients, new, new_physical)
            problems += [f"{lid} replaced: {before[lid]} -> {after[lid]}" for lid in before
                         if lid in after and after[lid] != before[lid]]
            removed = {lid: r for lid, r in template["Resources"].items() if lid not in new["Resources"]}
            problems += [f"{physical[lid]} renamed: logical id {lid} -> "
                         f"{[k for k, v in new_physical.items() if v == physical[lid]]}"
                         for lid in removed if physical.get(lid) in new_physical.values()]
            problems += [f"{lid} ({r['Type']}) removed, which this step must not remove" for lid, r in removed.items()
                         if r["Type"] in _ID_OF and not (may_remove and may_remove(lid, r))]
            if removed:
                problems += verify.verify_destroyed({"Resources": removed}, physical, ctx.iam, ctx.account, ctx.region)
            # the replay covers managed policies (the stack's events name them); groups holding only inline
            # policies (the console users' PasswordChange) are covered by update_windows below
            old_state = policy_state(template, physical)
            groups = {k for k, v in new["Resources"].items() if v["Type"] == "AWS::IAM::Group"} & set(template["Resources"])
            groups = {g for g in groups if held(old_state, g)[0]}
            events = update_events(ctx.cloudformation, STACK)
            problems += windows(old_state, policy_state(new, new_physical), events, groups)
            problems += update_windows(template, new)  # any order real CloudFormation may choose (day2.py)
            findings[name] = problems
            rw_policies.append(_policy_count(new, RW))
            log.append(f"{name}: deploy {deployed:.1f} s, checks {time.monotonic() - start - deployed:.1f} s, "
                       f"{len(events)} policy events replayed, {len(removed)} resources removed, "
                       f"{len(problems)} problem(s)")
            template, physical, before = new, new_physical, after
        ctx.template.clear()
        ctx.template.update(template)  # the destroy check covers the last template's resources
        ctx.physical_ids.clear()
        ctx.physical_ids.update(physical)

    result = run.run_flow(APP, STACK, work_dir=tmp_path, after_verify=day_two, context=INITIAL)
    report = run.format_report(result) + "\n" + "\n".join(log)
    print(report)
    if result.exit_code == 3:
        pytest.fail(f"local deploy test cannot run: no Python 3.13 on this machine.\n{result.error}")
    assert result.ok, report
    # the first deploy: every group, role, user, membership of the sample (news and sports, alice and bob)
    assert result.counts["groups"] == 5 and result.counts["roles"] == 2, report  # 4 + the users' PasswordChange
    assert result.counts["users"] == 2 and result.counts["memberships"] == 4, report  # tier group + PasswordChange
    assert result.counts["policies"] >= 10, report
    assert {k: v for k, v in findings.items() if v} == {}, json.dumps(findings, indent=1) + "\n" + report
    assert len(findings) == len(STEPS), report
    # the growth step really added a policy to READ_WRITE, and the shrink took it away
    assert rw_policies[6] == rw_policies[5] + 1 and rw_policies[7] == rw_policies[5], (rw_policies, report)
    assert result.destroyed_counts["checked_absent"] >= 4 + 2 + 3 + 10, report
