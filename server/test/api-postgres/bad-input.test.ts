// test/api/bad-input.test.ts again, on PostgreSQL: each app gets a fresh database on the run's cluster.
import '../helpers/on-postgres.js';
import '../api/bad-input.test.js';
