"""The public statistics pages, CSV downloads and datasets (the blueprint; the rules are in complaints.statistics)."""
