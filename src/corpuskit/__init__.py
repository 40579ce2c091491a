"""corpuskit: turn a folder of raw scraped Chinese news documents into a clean,
deduplicated Hugging Face dataset.

Pipeline: ``read`` → ``clean`` → ``normalize`` → ``dedup`` → ``publish``
(see :mod:`corpuskit.pipeline`).
"""

__version__ = "0.1.0"
