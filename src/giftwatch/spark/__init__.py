"""giftwatch as a PySpark job (`job.py`, run by `giftwatch spark` or spark-submit) and the Parquet rows it
writes and `giftwatch load` reads (`rows.py`). Importing this package does not import pyspark."""
