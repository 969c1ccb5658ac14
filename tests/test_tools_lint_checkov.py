"""Two outside tools on the sample app's templates (complex and simple option).

* checkov (CloudFormation checks, run in-process by ``tools/lint/checkov_scan.py``): no failed check. A check
  that must stay failing for an AWS reason is acknowledged on its resource with
  ``tools.lint.checkov_scan.acknowledge_checkov`` (checkov reports it as skipped, never as passed).
* cloudsplaining in the mode that sees scoped grants (``flag_resource_arn_statements=True``): per persona (each
  IAM group and role), the persona's identity policies merged into one document. Every privilege-escalation
  method it flags must be a key of METHOD_PROOFS, whose values are the tests that prove the path closed for
  our personas; a method cloudsplaining adds later fails here until someone maps it to a proof.

  Only the Allow statements are analysed: cloudsplaining removes from the allowed actions every action that any
  Deny statement names, whatever that statement's resource or condition (``PolicyDocument.
  filter_deny_statements``), so the administrator's narrow guard rails (A8: no new version of *its own*
  policies, no change to *its own* group) would hide the scoped grants they sit beside (CreatePolicyVersion on
  the trusted-entity policies, AddUserToGroup on the operator groups). Which of those requests the guard rails
  deny is for the IAM evaluator to prove, in the tests that METHOD_PROOFS names.

Counts (checkov passed/failed/skipped per template, cloudsplaining findings per persona) are printed (``-s``)
and recorded as test properties (``--junitxml``).
"""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache

import pytest
from aws_cdk import aws_iam as iam
from cloudsplaining.scan.policy_document import PolicyDocument
from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS
from cloudsplaining.shared.exclusions import DEFAULT_EXCLUSIONS
from constructs import Construct

from tools.lint.checkov_scan import failed_checks, scan_template
from tools.iam_evaluator import TemplatePrincipals
from tools.lint.checkov_scan import acknowledge_checkov
from tests.helpers import ROOT, new_stack, sample_app, template_of

OPTIONS = {"complex": {}, "simple": {"trustedEntity": "simple"}}

#: The checks cloudsplaining runs inside checkov, for every resource that holds a policy document.
CLOUDSPLAINING_CHECKS = ("CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111")

# --- the proofs ----------------------------------------------------------------------------------------

RA = "tests/test_restricted_admin.py::"
OG = "tests/test_operator_group.py::"
TR = "tests/test_trusted_role.py::"
GEN = "tests/test_proof_generated.py::"  # the generated proof over SAR's permissions-management actions
GEN_OUTSIDE = (GEN + "test_same_account_outside_namespaces_denied", GEN + "test_other_account_denied")
GEN_ALLOWLIST = GEN + "test_permissions_management_only_as_allowlisted"


def esc(label: str) -> str:
    return f"{RA}test_escalation_is_denied[{label}]"


#: Shared parts of the proofs.
ASSUME_OWN_ROLE = esc("sts:AssumeRole on a role it made")  # A8.assume: the admin cannot assume what it builds
BOUNDARY_CAP = RA + "test_boundary_caps_administrator_access"  # whatever a /medialive/ role holds: T5-T23 only
ACCESS_ROLE_TRUSTS_MEDIALIVE_ONLY = TR + "test_simple_role_is_the_console_template"  # trust: medialive only
ACCESS_ROLE_ONLY = (  # the simple option's tiers write MediaLiveAccessRole only on opt-in, and only that role
    OG + "test_simple_option_sees_and_passes_medialive_access_role_only",
    OG + "test_simple_role_write_only_with_the_explicit_opt_in",
)
PASS_ROLE_TO_MEDIALIVE_ONLY = (
    OG + "test_complex_pass_role_only_listed_roles_only_to_medialive",
    OG + "test_simple_pass_role_only_to_medialive",
    OG + "test_pass_roles_by_path",
    esc("pass a role to another service"),
)
UPDATE_TRUST = (
    esc("UpdateAssumeRolePolicy outside the path"),
    esc("UpdateAssumeRolePolicy of a role without the boundary"),
    ASSUME_OWN_ROLE,
    BOUNDARY_CAP,
)
ATTACH_ROLE_POLICY = (
    esc("attach AdministratorAccess to a role"),
    esc("attach its own policy to a role"),
    OG + "test_simple_attach_only_ssm_read_only",
) + ACCESS_ROLE_ONLY
PUT_ROLE_POLICY = (
    esc("PutRolePolicy on a role without the boundary"),
    BOUNDARY_CAP,
) + ACCESS_ROLE_ONLY
CREATE_POLICY_VERSION = (
    esc("new version of its own policy"),
    esc("new version of its own third policy"),
    esc("new version of the boundary policy"),
    esc("CreatePolicyVersion outside the policy path"),
    RA + "test_operator_group_policies_are_protected",
    RA + "test_operator_group_policies_inside_policy_path_are_refused",
)

#: cloudsplaining privilege-escalation method -> the tests that prove it closed for our personas.
METHOD_PROOFS: dict[str, tuple[str, ...]] = {
    # iam:PassRole is granted only with iam:PassedToService = medialive.amazonaws.com (S30, S32, A7): the
    # role cannot be handed to CloudFormation (or EC2, Lambda, Glue...), whatever the persona may create there.
    "PassExistingRoleToCloudFormation": PASS_ROLE_TO_MEDIALIVE_ONLY,
    # Administrator (A5): only policies under the trusted-entity path, only on /medialive/ roles that carry the
    # boundary, and the admin may not assume them. Simple option (S31: the administrator, and operator tiers only
    # on the explicit opt-in): only AmazonSSMReadOnlyAccess, only on MediaLiveAccessRole, which trusts MediaLive
    # alone.
    "AttachRolePolicy": ATTACH_ROLE_POLICY + (ASSUME_OWN_ROLE, BOUNDARY_CAP, ACCESS_ROLE_TRUSTS_MEDIALIVE_ONLY,
                                              GEN_ALLOWLIST),
    # Administrator (A5): only on roles that carry the boundary (capped to T5-T23) and that it cannot assume.
    # Simple option (S29/S31, the console flow; operator tiers only on the explicit opt-in): any inline policy,
    # but only on MediaLiveAccessRole, which trusts MediaLive alone. Not closed by a condition: bounded by what
    # MediaLive does with the role (the simple option's documented trade-off).
    "PutRolePolicy": PUT_ROLE_POLICY + (ASSUME_OWN_ROLE, ACCESS_ROLE_TRUSTS_MEDIALIVE_ONLY, GEN_ALLOWLIST),
    # Administrator only (A5): trust policies of boundary roles under /medialive/; the admin cannot assume them
    # (A8.assume) and whoever it names can do no more than the boundary's T5-T23.
    "UpdateRolePolicyToAssumeIt": UPDATE_TRUST + GEN_OUTSIDE,
    "AttachRolePolicyThenUpdateAssumeRolePolicy": UPDATE_TRUST + ATTACH_ROLE_POLICY[:2],
    "PutRolePolicyThenUpdateAssumeRolePolicy": UPDATE_TRUST + PUT_ROLE_POLICY[:2],
    "CreatePolicyVersionThenUpdateAssumeRolePolicy": UPDATE_TRUST + CREATE_POLICY_VERSION,
    # Administrator only (A4): new versions only of the trusted-entity policies (attachable only to boundary
    # roles); its own policies, the boundaries and the operator groups' policies are denied (A8.self).
    "CreateNewPolicyVersion": CREATE_POLICY_VERSION + (GEN_ALLOWLIST,),
    "SetExistingDefaultPolicyVersion": (
        esc("make another version of the boundary the default"),  # the A8 deny covers all of /medialive-admin/*
        esc("SetDefaultPolicyVersion outside the policy path"),
        RA + "test_operator_group_policies_are_protected",
        GEN_ALLOWLIST,
    ),
    # Administrator only (A2): operator groups only, never its own; their rows are a subset of its own.
    "AddUserToGroup": (
        esc("add a user (itself) to its own group"),
        esc("add a user to a group not given to it"),
        RA + "test_rows_are_advanced_plus_admin_rows",
        *GEN_OUTSIDE,
    ),
    # Administrator only (A1): console passwords of users under /medialive/ only, i.e. operators, whose rows
    # are a subset of its own (RestrictedAdmin = ADVANCED + admin rows).
    "CreateLoginProfile": (
        esc("create a login profile for a user outside the path"),
        RA + "test_rows_are_advanced_plus_admin_rows",
        *GEN_OUTSIDE,
    ),
    "UpdateLoginProfile": (
        esc("change the password of a user outside the path"),
        RA + "test_rows_are_advanced_plus_admin_rows",
        *GEN_OUTSIDE,
    ),
    # Not flagged today; mapped so that a grant which brings them is already tied to its proof.
    "CreateAccessKey": (
        esc("create access keys (not allowed by default)"),
        esc("create access keys for a user outside the path"),
        *GEN_OUTSIDE,
    ),
    "AttachUserPolicy": (esc("attach AdministratorAccess to a user"), GEN_ALLOWLIST),
    "PutUserPolicy": (esc("put an inline policy on a user"), GEN_ALLOWLIST),
    "AttachGroupPolicy": (
        esc("attach a policy to its own group"),
        esc("attach a policy to an operator group"),
        esc("attach a policy to any other group"),
        GEN_ALLOWLIST,
    ),
    "PutGroupPolicy": (
        esc("put an inline policy on its own group"),
        esc("put an inline policy on an operator group"),
        GEN_ALLOWLIST,
    ),
}


# --- fixtures ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=list(OPTIONS))
def sample(request):
    """(option, [(stack name, template)]) of the sample app."""
    _, stacks = sample_app(**OPTIONS[request.param])
    return request.param, [(s.stack_name, template_of(s)) for s in stacks]


def personas(template: dict) -> dict[str, dict]:
    """Logical id of each IAM group and role -> its identity policies merged into one policy document."""
    principals = TemplatePrincipals(template)
    out = {}
    for lid in principals.principals():
        p = principals.policies_for(lid)
        if p.kind not in ("group", "role"):
            continue
        statements = []
        for policy in p.identity_policies:
            s = policy.document.get("Statement", [])
            statements.extend(s if isinstance(s, list) else [s])
        out[lid] = {"Version": "2012-10-17", "Statement": statements}
    return out


def scoped_analysis(document: dict) -> PolicyDocument:
    """cloudsplaining on the Allow statements of ``document``, resource-ARN statements flagged (module doc)."""
    allow = {**document, "Statement": [s for s in document["Statement"] if s.get("Effect") == "Allow"]}
    return PolicyDocument(allow, DEFAULT_EXCLUSIONS, flag_resource_arn_statements=True)


def findings(doc: PolicyDocument) -> dict[str, int]:
    return {
        "privilege_escalation": len(doc.allows_privilege_escalation),
        "permissions_management": len(set(doc.permissions_management_without_constraints)),
        "write": len(set(doc.write_actions_without_constraints)),
        "data_exfiltration": len(set(doc.allows_data_exfiltration_actions)),
        "credentials_exposure": len(set(doc.credentials_exposure)),
        "infrastructure_modification": len(set(doc.infrastructure_modification)),
    }


# --- checkov -------------------------------------------------------------------------------------------

def test_checkov_passes_the_sample_templates(sample, record_property):
    option, templates = sample
    problems = []
    for name, template in templates:
        report = scan_template(template)
        record_property(f"checkov:{option}:{name}", report.summary())
        print(f"checkov {report.checkov_version} {option} {name}: {report.summary()}")
        for f in report.skipped:
            print(f"  skipped {f.check_id} {f.logical_id}")
        assert not report.parsing_errors, report.parsing_errors
        # every resource holding a policy document went through cloudsplaining's checks (a policy checkov cannot
        # read is UNKNOWN, which its report leaves out: that would pass silently)
        seen = {(f.logical_id, f.check_id) for f in report.passed + report.failed + report.skipped}
        for lid, res in template["Resources"].items():
            props = res.get("Properties", {})
            if res["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy") or props.get("Policies"):
                missing = [c for c in CLOUDSPLAINING_CHECKS if (lid, c) not in seen]
                assert not missing, f"{option} {name} {lid}: checkov did not judge {missing}"
        problems += [f"{option} {name}: {f}" for f in report.failed]
    assert problems == [], "\n".join(problems)


def _broad_policy_stack(name: str = "Broad"):
    _, stack = new_stack(name)
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    policy = iam.Policy(stack, "S3Star", roles=[role],
                        statements=[iam.PolicyStatement(actions=["s3:*"], resources=["*"])])
    return stack, policy, stack.get_logical_id(policy.node.default_child)


def test_checkov_fails_a_plain_s3_star_policy():
    """The scan is real: a plain policy with s3:* on * fails cloudsplaining's checks inside checkov."""
    stack, _, lid = _broad_policy_stack()
    failed = failed_checks(template_of(stack))
    on_policy = {check for check, resource in failed if resource == lid}
    print("checkov on s3:* on *:", failed)
    assert {"CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_111"} <= on_policy, failed


def test_acknowledge_checkov_skips_exactly_the_named_checks():
    stack, policy, lid = _broad_policy_stack()
    acknowledge_checkov(policy, "CKV_AWS_111", "S18: s3 writes")  # an L2: its default child
    acknowledge_checkov(policy.node.default_child, "CKV_AWS_108", "T18: reads")  # the L1 itself
    acknowledge_checkov(policy, "CKV_AWS_111", "E14: second reason")  # joins the first reason
    template = template_of(stack)
    assert template["Resources"][lid]["Metadata"]["checkov"] == {"skip": [
        {"id": "CKV_AWS_108", "comment": "T18: reads"},
        {"id": "CKV_AWS_111", "comment": "E14: second reason | S18: s3 writes"},
    ]}
    report = scan_template(template)
    skipped = {f.check_id for f in report.skipped if f.logical_id == lid}
    failed = {f.check_id for f in report.failed if f.logical_id == lid}
    assert skipped == {"CKV_AWS_108", "CKV_AWS_111"}
    assert "CKV_AWS_109" in failed and not skipped & failed


def test_acknowledge_checkov_is_order_independent_and_keeps_other_metadata():
    docs = []
    for order in ((0, 1), (1, 0)):
        stack, policy, lid = _broad_policy_stack(f"Broad{order[0]}")
        policy.node.default_child.add_metadata("checkov", {"skip": [{"id": "CKV_AWS_109", "comment": "A5: kept"}]})
        policy.node.default_child.add_metadata("other", "untouched")
        calls = [("CKV_AWS_111", "S18: a"), ("CKV_AWS_108", "T18: b")]
        for i in order:
            acknowledge_checkov(policy, *calls[i])
        docs.append(template_of(stack)["Resources"][lid]["Metadata"])
    assert docs[0] == docs[1]
    assert [s["id"] for s in docs[0]["checkov"]["skip"]] == ["CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_111"]
    assert docs[0]["other"] == "untouched"


def test_acknowledge_checkov_refuses_bad_input():
    stack, policy, _ = _broad_policy_stack()
    with pytest.raises(ValueError, match="not a checkov check id"):
        acknowledge_checkov(policy, "CKV_AWS_1x", "S18: x")
    with pytest.raises(ValueError, match="must cite"):
        acknowledge_checkov(policy, "CKV_AWS_111", "broad on purpose")
    with pytest.raises(ValueError, match="no CloudFormation resource"):
        acknowledge_checkov(Construct(stack, "Plain"), "CKV_AWS_111", "S18: x")


# --- cloudsplaining ------------------------------------------------------------------------------------

def test_cloudsplaining_escalation_methods_are_mapped_to_proofs(sample, record_property):
    option, templates = sample
    unmapped, unproven = {}, {}
    existing = None
    for name, template in templates:
        for lid, document in personas(template).items():
            doc = scoped_analysis(document)
            methods = sorted(e["type"] for e in doc.allows_privilege_escalation)
            counts = findings(doc)
            record_property(f"cloudsplaining:{option}:{name}:{lid}", {**counts, "methods": methods})
            print(f"cloudsplaining {option} {lid}: {methods or 'no escalation method'} {counts}")
            for m in methods:
                if m not in METHOD_PROOFS:
                    unmapped.setdefault(m, []).append(lid)
                else:
                    existing = existing if existing is not None else existing_node_ids(all_proof_ids())
                    if not set(METHOD_PROOFS[m]) & existing:
                        unproven.setdefault(m, []).append(lid)
    assert not unmapped, f"map each method to the test that proves it closed (METHOD_PROOFS): {unmapped}"
    assert not unproven, f"no proof of these methods exists among the collected tests: {unproven}"


def test_method_proofs_are_real_methods_and_existing_tests():
    assert set(METHOD_PROOFS) <= set(PRIVILEGE_ESCALATION_METHODS), set(METHOD_PROOFS) - set(PRIVILEGE_ESCALATION_METHODS)
    ids = all_proof_ids()
    missing = sorted(ids - existing_node_ids(ids))
    assert not missing, "METHOD_PROOFS names tests that do not exist:\n" + "\n".join(missing)


def test_the_scoped_mode_sees_scoped_grants():
    """The mode is the one that sees grants on named ARNs: default cloudsplaining would pass all our personas."""
    document = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["iam:CreatePolicyVersion"],
        "Resource": "arn:aws:iam::111122223333:policy/medialive/trusted-entity/x"}]}
    assert PolicyDocument(document).allows_privilege_escalation == []
    assert [e["type"] for e in scoped_analysis(document).allows_privilege_escalation] == ["CreateNewPolicyVersion"]


# --- node ids ------------------------------------------------------------------------------------------

def all_proof_ids() -> set[str]:
    return {node for proofs in METHOD_PROOFS.values() for node in proofs}


_SESSION_IDS: set[str] = set()


@pytest.fixture(autouse=True, scope="module")
def _session_node_ids(request):
    """The node ids this pytest session collected (a full run needs no second collection)."""
    _SESSION_IDS.update(item.nodeid for item in request.session.items)
    yield


def _exists(node_id: str, collected: set[str] | frozenset[str]) -> bool:
    """A test id, or a parametrized test function's id standing for all its cases."""
    return node_id in collected or ("[" not in node_id and any(c.startswith(node_id + "[") for c in collected))


def existing_node_ids(wanted: set[str]) -> set[str]:
    """Those of ``wanted`` that are real tests: collected by this session, else by ``pytest --collect-only`` on
    their files (a missing file has none)."""
    found = {n for n in wanted if _exists(n, _SESSION_IDS)}
    files = tuple(sorted({n.split("::")[0] for n in wanted - found if (ROOT / n.split("::")[0]).is_file()}))
    collected = _collect(files)
    return found | {n for n in wanted - found if _exists(n, collected)}


@lru_cache(maxsize=None)
def _collect(files: tuple[str, ...]) -> frozenset[str]:
    if not files:
        return frozenset()
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    ids = frozenset(line.strip() for line in run.stdout.splitlines() if "::" in line)
    if not ids:
        raise RuntimeError(f"collecting {files} found no test:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return ids
