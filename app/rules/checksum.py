"""The replica checksum rule shared by the platform and the laptop (one definition, both sides import it).

A record's contribution is the first 8 bytes of BLAKE2b over "entity|id|version" ("entity|id|" for the
version-free `ids` sum, for records a laptop keeps without a sync version). A scope's checksum is the sum of its
records' contributions mod 2^64: order-independent (however the records were paged) and additive (a team's
entity is the sum of its global and township scopes).
"""

from __future__ import annotations

import hashlib

CHECKSUM_MOD = 2**64


def record_hash(entity: str, entity_id: str, version: int | None) -> int:
    raw = f"{entity}|{entity_id}|{'' if version is None else int(version)}".encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")
