"""The network meeting, without Discord: parsing what people type, series rules and their
occurrences in local wall-clock time, the database service, and the .ics calendar.

- `parsing`: `parse_time`, `parse_date`, `parse_duration`, `parse_months` (Swedish and English).
- `rules`: `Rule` (kind, weekday, ordinal, start, time, duration, zone, holiday policy, months
  off, until or count) and its `planned()` occurrences; `Rule.check(now)` refuses rules that
  never occur and times that do not exist or are ambiguous on a change night.
- `forms`: `draft_from_form` turns the typed fields into a checked `SeriesDraft` in one call.
- `describe`: the parsed result in words, to show back before saving.
- `series`: `make_draft`, `create_series`, `list_coming`, `get_occurrence`,
  `cancel_occurrence`, `cancel_series`, `move_occurrence`, `edit_from`; occurrences are
  addressed by `OccurrenceKey(series_id, original local start)` (`.token` for custom ids).
- `calendar`: `build_calendar` (RFC 5545).
"""
