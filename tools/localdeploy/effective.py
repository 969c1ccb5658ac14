"""What a user or group of a deployed account may do, read through the IAM API and decided by the IAM evaluator.

LocalStack stores IAM but never enforces it, so a deploy test that asks "can alice still start her channels?" reads
the account's IAM as it is (``GetAccountAuthorizationDetails``: users, their groups, inline and attached policies;
``GetPolicyVersion`` for AWS managed ones) and hands the documents to ``tools.iam_evaluator``. The questions are the
handout's rows (catalog user rows S.., F3 and administrator rows A..), each action asked as a member who follows the
rules would ask it (``tools.permissions_doc``: the resource and condition values of the statement a row's Sid names,
else the row's resource kind with ``example`` identifiers), in the deployed account and region.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Iterable, Mapping

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.model import Row
from medialive_iam_constructs.principals import NamedPolicy, PrincipalPolicies
from medialive_iam_constructs.template import DEFAULT_ACCOUNT, DEFAULT_REGION, statements
from tools.iam_evaluator import Evaluator
from tools.permissions_doc import _decision, _sample_for

__all__ = ["AccountIam", "held_rows", "HANDOUT_ROWS"]

#: The rows the handout evaluates for a group (permissions_doc): user and administrator rows with grants.
HANDOUT_ROWS: tuple[Row, ...] = tuple(r for r in catalog.ALL_ROWS if r.table in ("user", "admin") and r.grants)


def _document(value: Any) -> Mapping[str, Any]:
    """A policy document as the API returns it: a dict, or URL-encoded JSON."""
    return value if isinstance(value, Mapping) else json.loads(urllib.parse.unquote(value))


class AccountIam:
    """One snapshot of the account's users, groups and customer managed policies (``GetAccountAuthorizationDetails``)."""

    def __init__(self, iam: Any, account: str) -> None:
        self.iam, self.account = iam, account
        self.users: dict[str, dict] = {}
        self.groups: dict[str, dict] = {}
        self.policies: dict[str, Mapping[str, Any]] = {}
        for page in iam.get_paginator("get_account_authorization_details").paginate(
                Filter=["User", "Group", "LocalManagedPolicy"]):
            self.users.update({u["UserName"]: u for u in page["UserDetailList"]})
            self.groups.update({g["GroupName"]: g for g in page["GroupDetailList"]})
            for p in page["Policies"]:
                (default,) = [v for v in p["PolicyVersionList"] if v["IsDefaultVersion"]]
                self.policies[p["Arn"]] = _document(default["Document"])

    def _managed(self, arn: str) -> Mapping[str, Any]:
        if arn not in self.policies:  # an AWS managed policy: its default version through the API
            version = self.iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            self.policies[arn] = _document(self.iam.get_policy_version(PolicyArn=arn, VersionId=version)
                                           ["PolicyVersion"]["Document"])
        return self.policies[arn]

    def _attached(self, detail: Mapping[str, Any], inline_key: str, owner: str) -> list[NamedPolicy]:
        out = [NamedPolicy(f"{owner}/{p['PolicyName']}", _document(p["PolicyDocument"]), "inline")
               for p in detail.get(inline_key, [])]
        out += [NamedPolicy(f"{owner}/{p['PolicyName']}", self._managed(p["PolicyArn"]), p["PolicyArn"])
                for p in detail.get("AttachedManagedPolicies", [])]
        return out

    def user(self, name: str) -> PrincipalPolicies:
        """The user's own policies and those of every group it is in, as IAM has them now."""
        u = self.users[name]
        policies = self._attached(u, "UserPolicyList", name)
        for group in u.get("GroupList", []):
            policies += self._attached(self.groups[group], "GroupPolicyList", group)
        boundary = u.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        return PrincipalPolicies(name, "user", name, u["Arn"], u["Arn"], self.account, tuple(policies),
                                 (NamedPolicy("boundary", self._managed(boundary)),) if boundary else None,
                                 tuple(u.get("GroupList", [])))

    def group(self, name: str) -> PrincipalPolicies:
        """The group's policies, asked as a member at path ``/`` (the handout's view of the group)."""
        g = self.groups[name]
        member = f"arn:aws:iam::{self.account}:user/member-of-{name}"
        return PrincipalPolicies(name, "group", name, g["Arn"], member, self.account,
                                 tuple(self._attached(g, "GroupPolicyList", name)))


def held_rows(evaluator: Evaluator, principal: PrincipalPolicies, region: str,
              rows: Iterable[Row] = HANDOUT_ROWS) -> set[str]:
    """The rows ``principal`` holds in full ("yes" in the handout). Guard-rail rows (Deny only) are not something a
    user can do and never count."""
    docs = [p.document for p in principal.identity_policies]
    stmts = statements(docs)
    requests, index = [], []
    for row in rows:
        for grant in row.grants:
            for action in grant.actions:
                resource, context = _sample_for(row, grant, action, stmts)
                resource = resource.replace(DEFAULT_ACCOUNT, principal.account).replace(
                    f":{DEFAULT_REGION}:", f":{region}:")
                requests.append(dict(identity_policies=principal.identity_policies,
                                     permission_boundaries=principal.permissions_boundary, action=action,
                                     resource=resource, principal=principal.principal_arn, context=context))
                index.append(row.id)
    per_row: dict[str, list[str]] = {}
    for rid, result in zip(index, evaluator.evaluate_many(requests)):
        per_row.setdefault(rid, []).append(result.result)
    return {rid for rid, results in per_row.items() if _decision(catalog.ROWS[rid], results) == "yes"}
