"""The WSGI entry point: `gunicorn dashboard.wsgi:server`, or any WSGI host, serves `server`.

Settings come from the environment, read once when this module is imported:

- DISPATCHES_CORPUS: a CMIF file, csv2cmi spreadsheet, corpus folder or messages CSV
  (default: the bundled 1949 corpus)
- DISPATCHES_TITLE: the corpus's name on the page, where its own will not do
- DISPATCHES_KIOSK: `true` sends the site's root to the kiosk, /kiosk
- DISPATCHES_FRAME_ANCESTORS: origins whose pages may frame /embed/<view> (default: any)
- DISPATCHES_IDLE_SECONDS: how long the kiosk waits untouched before it starts over

The app keeps nothing about a visitor between requests (the URL holds the whole view), so
any number of worker processes and machines can serve it side by side.
"""

from __future__ import annotations

from dashboard.server import Settings, build_app

app = build_app(Settings.from_env())
server = app.server
