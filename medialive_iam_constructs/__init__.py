"""AWS CDK constructs for AWS Elemental MediaLive IAM in production.

Public API: the constructs, the enums and the errors. The permission catalog is
``medialive_iam_constructs.catalog``.
"""

from .errors import MediaLiveIamError, QuotaExceededError

__all__ = ["MediaLiveIamError", "QuotaExceededError"]
