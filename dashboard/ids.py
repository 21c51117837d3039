"""Component ids of the page, defined once and imported by the layout, callbacks and tests."""

URL = "url"
NARROW = "narrow-frame"
ROOT = "root"
WARNINGS = "warnings"

# The filter panel, and the one button that opens it where it is folded away (a phone).
FILTERS = "filters"
FILTERS_FOLD = "filters-fold"
DATES = "filter-dates"
PEOPLE = "filter-people"
KINDS = "filter-kinds"
NAMES = "filter-names"
LABELS = "filter-labels"
RESET = "filter-reset"
SUMMARY = "filter-summary"

NETWORK = "network-graph"
TIMELINE = "timeline-graph"
FLOW = "flow-graph"
NETWORK_TEXT = "network-text"
TIMELINE_TEXT = "timeline-text"
FLOW_TEXT = "flow-text"

DETAILS = "details"
DETAILS_CLOSE = "details-close"
# Pattern-matching id of a record in the details list: {"type": RECORD_LINK, "message": id}.
RECORD_LINK = "record-link"

SHARE = "share"
SHARE_LINK = "share-link"
SHARE_VIEW = "share-embed-view"
SHARE_SNIPPET = "share-snippet"
SHARE_CITATION = "share-citation"
SHARE_DOWNLOADS = "share-downloads"

# The exhibit: playback, the guided story and the kiosk's idle loop (views/exhibit.py).
PLAY = "play"
SPEED = "play-speed"
DAY = "play-day"
DAY_LABEL = "play-date"
CLOCK = "play-clock"
STORY = "story"
STORY_BACK = "story-back"
STORY_NEXT = "story-next"
STORY_EXIT = "story-exit"
IDLE = "kiosk-idle"
WAKE = "kiosk-wake"
