"""Rendered bytes → files under output/ and the archive, each judged first (files, gate, archive, arkivmelding)."""
