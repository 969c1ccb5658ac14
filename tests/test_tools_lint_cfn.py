"""The shared checks can fail: cfn-lint keeps every finding but W3037 on the three E14 names."""

from tools.lint.cfn import lint_template


def _template(*actions: str) -> dict:
    return {"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}]}}}}}


def test_misspelled_action_is_a_finding():
    findings = lint_template(_template("medialive:StartChanel"))
    assert len(findings) == 1 and findings[0].startswith("W3037") and "startchanel" in findings[0]


def test_managed_mediaconnect_actions_are_the_only_exception():
    assert lint_template(_template("mediaconnect:ManagedDescribeFlow", "mediaconnect:ManagedAddOutput",
                                   "mediaconnect:ManagedRemoveOutput")) == []
    assert lint_template(_template("mediaconnect:ManagedAddOutputs"))  # one letter off is not excused
