"""``vigie opendata serve``: the Open311 GeoReport v2 service citizens' apps talk to (issue 19).

A separate process on Starlette served by uvicorn. It reads the public views and records a
citizen's request as one incident (``services/store/open311``), announces it to every console
on ``{root}/events/incidents``, and answers in JSON or XML as the path's extension says.
"""
