"""Restricted administrator rows (``A`` ids): reconstructed, because AWS's table for
setting-up-restricted-admin is lost (reference §1.1). Each row cites the chapter text that assigns the
duty to "an administrator"; the IAM actions for user and role administration come from SAR.

Filled by the RestrictedAdmin construct's issue; the user and trusted-entity rows it also gets live in
``activities`` and ``trusted_entity``.
"""

from __future__ import annotations

from .model import Row

ADMIN_ROWS: tuple[Row, ...] = ()
