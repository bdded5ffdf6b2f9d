"""Checking many input files: one per-file function (:func:`linker.scale.job.check_file`)
mapped by an executor (in process, a process pool, or a Dask cluster), one output shard per
input file, and the merge of the shards into one result."""
