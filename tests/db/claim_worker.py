"""A separate process that claims phone items until none are left (see test_claim_concurrency).

Usage: python claim_worker.py URL OPERATOR_ID START_AT_EPOCH
Prints one claimed item id a line; exits 0, or 1 with the error on stderr.
"""

from __future__ import annotations

import sys
import time

from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.queue import QueueService


def main() -> int:
    url, operator_id, start_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    engine = make_engine(url, pool_size=1)
    queue = QueueService(engine)
    time.sleep(max(0.0, start_at - time.time()))  # every worker starts at the same instant
    claimed = []
    while True:
        item = queue.take_next(operator_id, Channel.PHONE)
        if item is None:
            break
        claimed.append(str(item.id))
    sys.stdout.write("\n".join(claimed) + "\n")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
