"""The writer process's entry point: ``python -m services.recorder.writer_start``.

The collector is off before the writer imports anything: SQLAlchemy, the models and the decoder
allocate objects that live as long as the process, and the collections that ran during the
imports walked them again and again, on the cold start's critical path (the writer records
nothing before its imports are done). ``worker.main`` freezes them once they are in and from
then on collects between batches only.
"""

import gc
import sys

gc.disable()

from services.recorder.worker import main  # noqa: E402 - once the collector is off

sys.exit(main())
