#!/usr/bin/env python3
"""The sample app: the guide's production IAM set-up for MediaLive (see medialive_iam_constructs/sample.py).

Context keys (cdk.json or ``-c``): medialive-iam:trustedEntity (complex|simple), namePrefix, path, workflows,
users, passRolesByPath, account, region, stages. cdk-nag packs are registered for the whole app: synth fails
on any unacknowledged finding.
"""

import os

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk  # noqa: E402

from medialive_iam_constructs.sample import build_app  # noqa: E402

app = cdk.App()
build_app(app)
app.synth()
