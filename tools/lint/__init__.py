"""Dev tooling shared by the tests and the main job: cfn-lint and cdk-nag runners. Not shipped."""
