"""The public statistics: the rollup and its rebuild, periods, suppression, tables, datasets and CSV writing."""
