"""Dev tools of the repository, never shipped (the wheel and sdist hold ``medialive_iam_constructs/`` only).

- ``iam_evaluator``: the IAM policy evaluator driver (``@cloud-copilot/iam-simulate``), the project's Node and the
  newest pinned IAM reference served through policy_sentry's API.
- ``localdeploy``: the LocalStack deploys of the sample app and its day-2 updates.
- ``lint``: cfn-lint, cdk-nag and checkov runners over a synthesized template.
- ``permissions_doc``: writes ``docs/permissions.md``: the package's handout with the evaluated column added.
- ``benchmarks``: synth-time, memory and proof measurements (``docs/benchmarks.md``).
"""
