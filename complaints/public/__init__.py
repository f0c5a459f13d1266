"""The consumer side: filing, the receipt, the status page and know-your-rights."""
