// test/api/setup-status.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/setup-status.test.js';
