"""Engines that run the pipeline's stages: the local one is :mod:`corpuskit.pipeline`
(worker processes on one machine); :mod:`.ray_engine` runs them on a Ray cluster."""
