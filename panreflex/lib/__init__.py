"""Small helpers shared by every domain: Markdown sanitising, tabular import/export, PDF, uploads."""
