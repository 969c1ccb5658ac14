#!/usr/bin/env python3
"""The sample app: the guide's production IAM set-up for MediaLive (see medialive_iam_constructs/sample.py).

Context keys (cdk.json or ``-c``): medialive-iam:trustedEntity (complex|simple), namePrefix, path, workflows,
users, resourceTags, passRolesByPath, account, region, stages. cdk-nag packs are registered for the whole app: synth fails
on any unacknowledged finding.
"""

import os

# jsii spawns `node` from PATH: the project's Node 24 (package.json), not an end-of-life one on the machine.
_node_bin = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules", "node", "bin")
if os.path.isdir(_node_bin):
    os.environ["PATH"] = _node_bin + os.pathsep + os.environ.get("PATH", "")

import aws_cdk as cdk  # noqa: E402

from medialive_iam_constructs.sample import build_app  # noqa: E402

app = cdk.App()
build_app(app)
app.synth()
