# Retrieval evaluation shared by every data set: the query split against the
# retrieval database (the loop derives the database loader from the query
# loader by switching `dataset.split`), mAP@all plus mAP / precision /
# recall at the cut-offs below.
val_evaluator = dict(type='HashRetrievalMetric', topk=(100, 500, 1000))
test_evaluator = val_evaluator
val_cfg = dict(type='RetrievalValLoop')
test_cfg = dict(type='RetrievalTestLoop')
