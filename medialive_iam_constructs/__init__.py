"""AWS CDK constructs for AWS Elemental MediaLive IAM in production.

Public API: the constructs, the enums and the errors. The permission catalog (AWS's tables as data) is
``medialive_iam_constructs.catalog``; ``docs/catalog.md`` lists it.
"""

from .catalog.tiers import OperatorTier, TrustedEntityOption
from .console_users import MediaLiveConsoleUsers
from .errors import MediaLiveIamError, QuotaExceededError
from .namespaces import MediaLiveNamespaces
from .operator_group import MediaLiveOperatorGroup
from .restricted_admin import MediaLivePermissionsBoundary, RestrictedAdmin
from .trusted_role import MediaLiveAccessRole, MediaLiveConsoleRole, MediaLiveTrustedRole, S3Location, VpcAccess

__all__ = [
    "MediaLiveAccessRole",
    "MediaLiveConsoleRole",
    "MediaLiveConsoleUsers",
    "MediaLiveIamError",
    "MediaLiveNamespaces",
    "MediaLiveOperatorGroup",
    "MediaLivePermissionsBoundary",
    "MediaLiveTrustedRole",
    "OperatorTier",
    "QuotaExceededError",
    "RestrictedAdmin",
    "S3Location",
    "TrustedEntityOption",
    "VpcAccess",
]
