"""Fixes for five IAM defects of LocalStack community 2026.3.0, loaded by ``launcher.py`` (Python 3.13 venv only).

1. ``AWS::IAM::UserToGroupAddition`` has no resource provider: the CloudFormation engine reports
   CREATE_COMPLETE ("deployed as a fallback") and adds nobody. ``UserToGroupAdditionProviderPlugin`` is a
   resource provider plugin for the ``localstack.cloudformation.resource_providers`` entry point group; the
   launcher registers it as an entry point (a generated ``.dist-info`` on ``sys.path``), which is how
   LocalStack discovers resource providers.
2. ``DeleteUser`` leaves the user's name in every group it belonged to, so a later ``DeleteGroup`` fails with
   ``DeleteConflict`` and ``cdk destroy`` leaves the group behind while reporting success.
   ``patch_delete_user`` wraps ``IamProvider.delete_user`` so that a successful delete also removes the
   user from every group's member list (what AWS itself does implicitly: a deleted user is in no group).
3. The ``AWS::IAM::ManagedPolicy`` provider drops ``Path`` and ``Description``; ``patch_managed_policy_create``
   passes them to CreatePolicy.
4. The ``AWS::IAM::ManagedPolicy`` provider's ``update`` is not implemented, yet the stack update reports
   UPDATE_COMPLETE and the policy keeps its first document and attachments (found by
   tests/test_tools_localdeploy_day2.py). ``patch_managed_policy_update`` does what IAM's CloudFormation handler does:
   a new default policy version (the oldest non-default one deleted at IAM's 5 versions) and the attachment diff.
5. The ``AWS::IAM::User`` provider ignores ``LoginProfile`` and inline ``Policies`` on create (a console user has
   no password), and its ``update`` raises ``NotImplementedError`` (moving a user to another group fails the
   stack update). Its ``delete`` does not delete the login profile, which real IAM requires first. Found by
   tests/test_tools_localdeploy_day2.py; ``patch_user_provider`` does what IAM's CloudFormation handler does: create
   with groups, managed and inline policies, boundary and login profile; update as the diff of each (``Path``
   through UpdateUser); delete the login profile, memberships and policies, then the user.

Nothing here is imported by the project's Python 3.11 code.
"""

from __future__ import annotations

import functools
import logging

from localstack.services.cloudformation.resource_provider import (
    CloudFormationResourceProviderPlugin,
    OperationStatus,
    ProgressEvent,
    ResourceProvider,
    ResourceRequest,
)

LOG = logging.getLogger("localdeploy.fixes")

RESOURCE_TYPE = "AWS::IAM::UserToGroupAddition"

# Same shape as the AWS registry schema for the type; the primary identifier is what the engine uses as
# the physical resource id.
USER_TO_GROUP_ADDITION_SCHEMA: dict = {
    "typeName": RESOURCE_TYPE,
    "description": "Resource Type definition for AWS::IAM::UserToGroupAddition",
    "additionalProperties": False,
    "properties": {
        "Id": {"type": "string"},
        "GroupName": {"type": "string"},
        "Users": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
    },
    "required": ["GroupName", "Users"],
    "readOnlyProperties": ["/properties/Id"],
    "primaryIdentifier": ["/properties/Id"],
}


def _policy_json(document) -> str:
    """A policy document as IAM's API takes it: a JSON string (CloudFormation hands over a dict or a string)."""
    import json

    from localstack.services.cloudformation import provider_utils as util

    return document if isinstance(document, str) else json.dumps(util.remove_none_values(document))


def _is_no_such_entity(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
    return code in ("NoSuchEntity", "NoSuchEntityException")


class UserToGroupAdditionProvider(ResourceProvider[dict]):
    TYPE = RESOURCE_TYPE
    SCHEMA = USER_TO_GROUP_ADDITION_SCHEMA

    def create(self, request: ResourceRequest[dict]) -> ProgressEvent[dict]:
        from localstack.services.cloudformation import provider_utils as util

        model = request.desired_state
        iam = request.aws_client_factory.iam
        group = model["GroupName"]
        for user in model.get("Users") or []:
            # raises NoSuchEntity (-> CREATE_FAILED) when the group or the user does not exist, as AWS does
            iam.add_user_to_group(GroupName=group, UserName=user)
        if not model.get("Id"):
            model["Id"] = util.generate_default_name(request.stack_name, request.logical_resource_id)
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    def update(self, request: ResourceRequest[dict]) -> ProgressEvent[dict]:
        model = request.desired_state
        previous = request.previous_state or {}
        iam = request.aws_client_factory.iam
        new_group, new_users = model["GroupName"], set(model.get("Users") or [])
        old_group, old_users = previous.get("GroupName"), set(previous.get("Users") or [])
        if old_group:
            stale = old_users if old_group != new_group else old_users - new_users
            for user in sorted(stale):
                self._remove(iam, old_group, user)
        for user in sorted(new_users):
            iam.add_user_to_group(GroupName=new_group, UserName=user)
        model["Id"] = previous.get("Id") or model.get("Id")
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    def delete(self, request: ResourceRequest[dict]) -> ProgressEvent[dict]:
        model = request.desired_state or {}
        iam = request.aws_client_factory.iam
        for user in model.get("Users") or []:
            self._remove(iam, model.get("GroupName"), user)
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model={})

    @staticmethod
    def _remove(iam, group: str | None, user: str) -> None:
        if not group:
            return
        try:
            iam.remove_user_from_group(GroupName=group, UserName=user)
        except Exception as exc:  # user or group already gone: nothing left to remove
            if not _is_no_such_entity(exc):
                raise

    def read(self, request: ResourceRequest[dict]) -> ProgressEvent[dict]:
        raise NotImplementedError

    def list(self, request: ResourceRequest[dict]) -> ProgressEvent[dict]:
        raise NotImplementedError


class UserToGroupAdditionProviderPlugin(CloudFormationResourceProviderPlugin):
    name = RESOURCE_TYPE

    def __init__(self):
        self.factory: type[ResourceProvider] | None = None

    def load(self):
        self.factory = UserToGroupAdditionProvider


def patch_delete_user() -> None:
    """Make a successful DeleteUser also drop the user from every group's member list (defect 2)."""
    from localstack.services.iam.provider import IamProvider

    original = IamProvider.delete_user
    if getattr(original, "_localdeploy_patched", False):
        return
    if not hasattr(IamProvider, "_get_store"):
        raise RuntimeError("localdeploy: IamProvider._get_store missing; LocalStack internals changed")

    @functools.wraps(original)
    def delete_user(self, context, user_name, **kwargs):
        result = original(self, context, user_name, **kwargs)
        store = self._get_store(context)
        with self._group_lock:
            for group_entity in store.GROUPS.values():
                members = group_entity.member_user_names
                if user_name in members:
                    members.remove(user_name)
                    LOG.info("localdeploy: removed deleted user %s from a group", user_name)
        return result

    delete_user._localdeploy_patched = True
    IamProvider.delete_user = delete_user


def patch_managed_policy_create() -> None:
    """Pass ``Path`` and ``Description`` of ``AWS::IAM::ManagedPolicy`` to CreatePolicy (defect 3, found by
    the verifier: 2026.3.0 drops both, so a policy declared under ``/medialive/`` lands under ``/``)."""
    from localstack.services.cloudformation import provider_utils as util
    from localstack.services.iam.resource_providers.aws_iam_managedpolicy import (
        IAMManagedPolicyProvider,
    )

    if getattr(IAMManagedPolicyProvider.create, "_localdeploy_patched", False):
        return

    def create(self, request):
        model = request.desired_state
        iam = request.aws_client_factory.iam
        if not model.get("ManagedPolicyName"):
            model["ManagedPolicyName"] = util.generate_default_name(
                request.stack_name, request.logical_resource_id
            )
        kwargs = {"PolicyName": model["ManagedPolicyName"], "PolicyDocument": _policy_json(model["PolicyDocument"])}
        if model.get("Path"):
            kwargs["Path"] = model["Path"]
        if model.get("Description"):
            kwargs["Description"] = model["Description"]
        arn = iam.create_policy(**kwargs)["Policy"]["Arn"]
        model["Id"] = arn
        for role in model.get("Roles", []):
            iam.attach_role_policy(RoleName=role, PolicyArn=arn)
        for user in model.get("Users", []):
            iam.attach_user_policy(UserName=user, PolicyArn=arn)
        for group in model.get("Groups", []):
            iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    create._localdeploy_patched = True
    IAMManagedPolicyProvider.create = create


def patch_managed_policy_update() -> None:
    """Apply an ``AWS::IAM::ManagedPolicy`` update (defect 4): new default version, attach/detach the diff of
    ``Groups``, ``Roles`` and ``Users``. Name and path are create-only: a change of them is a replacement, which the
    engine does with create + delete."""
    import json

    from localstack.services.iam.resource_providers.aws_iam_managedpolicy import (
        IAMManagedPolicyProvider,
    )

    if getattr(IAMManagedPolicyProvider.update, "_localdeploy_patched", False):
        return

    def update(self, request):
        model, previous = request.desired_state, request.previous_state
        iam = request.aws_client_factory.iam
        arn = previous["Id"]
        model["Id"] = arn
        new_doc = _policy_json(model["PolicyDocument"])
        if json.loads(new_doc) != json.loads(_policy_json(previous.get("PolicyDocument", {}))):
            versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
            if len(versions) >= 5:
                oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
                iam.delete_policy_version(PolicyArn=arn, VersionId=oldest["VersionId"])
            iam.create_policy_version(PolicyArn=arn, PolicyDocument=new_doc, SetAsDefault=True)
        for key, attach, detach, arg in (
            ("Groups", iam.attach_group_policy, iam.detach_group_policy, "GroupName"),
            ("Roles", iam.attach_role_policy, iam.detach_role_policy, "RoleName"),
            ("Users", iam.attach_user_policy, iam.detach_user_policy, "UserName"),
        ):
            old, new = set(previous.get(key) or ()), set(model.get(key) or ())
            for name in sorted(old - new):
                try:
                    detach(**{arg: name, "PolicyArn": arn})
                except Exception as exc:  # the principal may already be gone (deleted in the same update)
                    if not _is_no_such_entity(exc):
                        raise
            for name in sorted(new - old):
                attach(**{arg: name, "PolicyArn": arn})
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    update._localdeploy_patched = True
    IAMManagedPolicyProvider.update = update


def patch_user_provider() -> None:
    """``AWS::IAM::User`` create, update and delete as IAM's CloudFormation handler does them (defect 5)."""
    from localstack.services.iam.resource_providers.aws_iam_user import IAMUserProvider

    if getattr(IAMUserProvider.update, "_localdeploy_patched", False):
        return

    def _inline(model) -> dict:
        return {p["PolicyName"]: _policy_json(p["PolicyDocument"]) for p in model.get("Policies") or []}

    def _apply(iam, name: str, model: dict, previous: dict) -> None:
        old_groups, new_groups = set(previous.get("Groups") or ()), set(model.get("Groups") or ())
        for group in sorted(old_groups - new_groups):
            try:
                iam.remove_user_from_group(GroupName=group, UserName=name)
            except Exception as exc:  # the group may be gone already (deleted in the same update)
                if not _is_no_such_entity(exc):
                    raise
        for group in sorted(new_groups - old_groups):
            iam.add_user_to_group(GroupName=group, UserName=name)
        old_arns, new_arns = set(previous.get("ManagedPolicyArns") or ()), set(model.get("ManagedPolicyArns") or ())
        for arn in sorted(old_arns - new_arns):
            iam.detach_user_policy(UserName=name, PolicyArn=arn)
        for arn in sorted(new_arns - old_arns):
            iam.attach_user_policy(UserName=name, PolicyArn=arn)
        old_inline, new_inline = _inline(previous), _inline(model)
        for policy in sorted(set(old_inline) - set(new_inline)):
            iam.delete_user_policy(UserName=name, PolicyName=policy)
        for policy, document in sorted(new_inline.items()):
            if old_inline.get(policy) != document:
                iam.put_user_policy(UserName=name, PolicyName=policy, PolicyDocument=document)
        if previous.get("PermissionsBoundary") != model.get("PermissionsBoundary"):
            if model.get("PermissionsBoundary"):
                iam.put_user_permissions_boundary(UserName=name, PermissionsBoundary=model["PermissionsBoundary"])
            else:
                iam.delete_user_permissions_boundary(UserName=name)
        old_login, new_login = previous.get("LoginProfile"), model.get("LoginProfile")
        if old_login != new_login:
            if new_login is None:
                iam.delete_login_profile(UserName=name)
            else:
                kwargs = {"UserName": name, "Password": new_login["Password"],
                          "PasswordResetRequired": bool(new_login.get("PasswordResetRequired", False))}
                (iam.update_login_profile if old_login else iam.create_login_profile)(**kwargs)

    def create(self, request):
        from localstack.services.cloudformation import provider_utils as util

        model = request.desired_state
        iam = request.aws_client_factory.iam
        if not model.get("UserName"):
            model["UserName"] = util.generate_default_name(request.stack_name, request.logical_resource_id)
        iam.create_user(**util.select_attributes(model, ["UserName", "Path", "PermissionsBoundary", "Tags"]))
        _apply(iam, model["UserName"], {k: v for k, v in model.items() if k != "PermissionsBoundary"}, {})
        user = iam.get_user(UserName=model["UserName"])["User"]
        model["Id"], model["Arn"] = user["UserName"], user["Arn"]
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    def update(self, request):
        model, previous = request.desired_state, request.previous_state or {}
        iam = request.aws_client_factory.iam
        name = previous.get("Id") or previous["UserName"]
        if (previous.get("Path") or "/") != (model.get("Path") or "/"):
            iam.update_user(UserName=name, NewPath=model.get("Path") or "/")
        _apply(iam, name, model, previous)
        user = iam.get_user(UserName=name)["User"]
        model["Id"], model["Arn"] = user["UserName"], user["Arn"]
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model=model)

    def delete(self, request):
        model = request.desired_state or {}
        iam = request.aws_client_factory.iam
        name = model.get("Id") or model.get("UserName")
        try:
            if model.get("LoginProfile"):
                iam.delete_login_profile(UserName=name)
        except Exception as exc:
            if not _is_no_such_entity(exc):
                raise
        empty = {"PermissionsBoundary": model.get("PermissionsBoundary")}  # a boundary does not block DeleteUser
        try:
            _apply(iam, name, {**empty, "LoginProfile": None}, {**model, "LoginProfile": None})
            iam.delete_user(UserName=name)
        except Exception as exc:
            if not _is_no_such_entity(exc):
                raise
        return ProgressEvent(status=OperationStatus.SUCCESS, resource_model={})

    for fn in (create, update, delete):
        fn._localdeploy_patched = True
    IAMUserProvider.create, IAMUserProvider.update, IAMUserProvider.delete = create, update, delete


def apply_all() -> None:
    patch_delete_user()
    patch_managed_policy_create()
    patch_managed_policy_update()
    patch_user_provider()
