"""Static briefing-site generator: YAML briefing data to a searchable MkDocs site."""
