from justicework.audit.verify import verify_chain
from justicework.core import policy
from justicework.core.models import Organisation


def test_cast_builds_and_chain_verifies(cast):
    assert verify_chain().ok
    assert policy.can(cast.admin, "manage", cast.acme)
    assert not policy.can(cast.outsider, "manage", cast.acme)
    assert list(policy.visible(cast.beacon_admin, Organisation, "manage")) == [cast.beacon]
