-- Virtuoso's bulk loader, run through isql: the N-Quads file {file} in the directory {dir}
-- (one the server may read: DirsAllowed), triples outside a named graph into {unnamed}.
-- The error marker is built by the query, so that only a row of its answer holds it.
ld_dir({dir}, {file}, {unnamed});
rdf_loader_run();
checkpoint;
SELECT concat('LOAD', '-ERROR: ', ll_error) FROM DB.DBA.LOAD_LIST WHERE ll_file = {path} AND ll_error IS NOT NULL;
DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file = {path};
